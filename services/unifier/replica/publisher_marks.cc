#include "services/unifier/replica/publisher_marks.h"

#include "common/base/coding.h"

namespace omnihub::unifier::replica {
namespace {

constexpr uint8_t kMarkVersion = 1;

}  // namespace

void PublisherMark::Add(uint64_t sequence) {
  above.insert(sequence);
  // Fold the sequences that now continue the contiguous run into it.
  for (auto it = above.begin(); it != above.end() && *it == contiguous + 1; it = above.erase(it)) ++contiguous;
}

std::string EncodeMark(const PublisherMark& mark) {
  std::string out(1, static_cast<char>(kMarkVersion));
  base::PutFixed64BE(&out, mark.contiguous);
  base::PutFixed64BE(&out, mark.above.size());
  for (uint64_t sequence : mark.above) base::PutFixed64BE(&out, sequence);
  return out;
}

base::Result<PublisherMark> DecodeMark(std::string_view bytes, std::string_view publisher_id) {
  auto corrupt = [&](const std::string& why) {
    return base::Status::Corruption("replica mark of publisher '" + std::string(publisher_id) + "': " + why);
  };
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kMarkVersion) {
    return corrupt("unknown version (a newer build wrote it?)");
  }
  bytes.remove_prefix(1);
  PublisherMark mark;
  uint64_t count = 0;
  if (!base::GetFixed64BE(&bytes, &mark.contiguous) || !base::GetFixed64BE(&bytes, &count) ||
      bytes.size() != count * 8) {
    return corrupt("truncated record");
  }
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t sequence = 0;
    base::GetFixed64BE(&bytes, &sequence);
    mark.above.insert(sequence);
  }
  return mark;
}

const PublisherMark* PublisherMarks::Find(const std::string& publisher_id) const {
  if (auto it = staged_.find(publisher_id); it != staged_.end()) return &it->second;
  if (auto it = committed_.find(publisher_id); it != committed_.end()) return &it->second;
  return nullptr;
}

bool PublisherMarks::Applied(const std::string& publisher_id, uint64_t sequence) const {
  const PublisherMark* mark = Find(publisher_id);
  return mark != nullptr && mark->Applied(sequence);
}

const PublisherMark& PublisherMarks::Stage(const std::string& publisher_id, uint64_t sequence) {
  auto [it, inserted] = staged_.try_emplace(publisher_id);
  if (inserted) {
    if (auto c = committed_.find(publisher_id); c != committed_.end()) it->second = c->second;
  }
  it->second.Add(sequence);
  return it->second;
}

void PublisherMarks::Commit() {
  for (auto& [publisher, mark] : staged_) committed_[publisher] = std::move(mark);
  staged_.clear();
}

uint64_t PublisherMarks::CumulativeAck(const std::string& publisher_id) const {
  auto it = committed_.find(publisher_id);
  return it == committed_.end() ? 0 : it->second.contiguous;
}

}  // namespace omnihub::unifier::replica
