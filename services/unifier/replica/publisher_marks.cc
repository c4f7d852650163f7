#include "services/unifier/replica/publisher_marks.h"

#include "common/base/coding.h"

namespace omnihub::unifier::replica {
namespace {

constexpr uint8_t kMarkVersion = 2;
constexpr uint8_t kMarkVersionSequencesOnly = 1;  // before partition_prev; still read

}  // namespace

FrameOrder OrderOf(const v1::BusFrame& frame) {
  const uint64_t sequence = frame.sequence();
  return FrameOrder{.sequence = sequence,
                    .prev = frame.has_partition_prev() ? frame.partition_prev() : sequence - 1,
                    .floor = frame.acked_floor()};
}

bool PublisherMark::Raise(uint64_t floor) {
  if (floor <= contiguous) return false;
  contiguous = floor;
  Fold();
  return true;
}

void PublisherMark::Add(const FrameOrder& order) {
  above[order.sequence] = order.prev;
  Fold();
}

void PublisherMark::Fold() {
  // Sequences at or below the mark are covered; one whose prev the mark reaches extends it,
  // which may let a lower one waiting in the set through: start over then. The set holds only
  // what is in flight, so this stays small.
  auto it = above.begin();
  while (it != above.end()) {
    if (it->first <= contiguous) {
      it = above.erase(it);
    } else if (it->second <= contiguous) {
      contiguous = it->first;
      above.erase(it);
      it = above.begin();
    } else {
      ++it;
    }
  }
}

std::string EncodeMark(const PublisherMark& mark) {
  std::string out(1, static_cast<char>(kMarkVersion));
  base::PutFixed64BE(&out, mark.contiguous);
  base::PutFixed64BE(&out, mark.above.size());
  for (const auto& [sequence, prev] : mark.above) {
    base::PutFixed64BE(&out, sequence);
    base::PutFixed64BE(&out, prev);
  }
  return out;
}

base::Result<PublisherMark> DecodeMark(std::string_view bytes, std::string_view publisher_id) {
  auto corrupt = [&](const std::string& why) {
    return base::Status::Corruption("replica mark of publisher '" + std::string(publisher_id) + "': " + why);
  };
  const uint8_t version = bytes.empty() ? 0 : static_cast<uint8_t>(bytes[0]);
  if (version != kMarkVersion && version != kMarkVersionSequencesOnly) {
    return corrupt("unknown version (a newer build wrote it?)");
  }
  bytes.remove_prefix(1);
  const uint64_t entry_bytes = version == kMarkVersion ? 16 : 8;
  PublisherMark mark;
  uint64_t count = 0;
  if (!base::GetFixed64BE(&bytes, &mark.contiguous) || !base::GetFixed64BE(&bytes, &count) ||
      count > bytes.size() / entry_bytes || bytes.size() != count * entry_bytes) {
    return corrupt("truncated record");
  }
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t sequence = 0;
    base::GetFixed64BE(&bytes, &sequence);
    uint64_t prev = sequence - 1;
    if (version == kMarkVersion) base::GetFixed64BE(&bytes, &prev);
    mark.above[sequence] = prev;
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

const PublisherMark* PublisherMarks::Stage(const std::string& publisher_id, const FrameOrder& order, bool* apply) {
  const PublisherMark* current = Find(publisher_id);
  const bool raises = order.floor > (current == nullptr ? 0 : current->contiguous);
  // Raising folds in only sequences applied already, so the frame is new exactly when it is
  // above the floor and not applied before.
  *apply = order.sequence > order.floor && (current == nullptr || !current->Applied(order.sequence));
  if (!raises && !*apply) return nullptr;  // a duplicate that changes nothing: no write
  auto [it, inserted] = staged_.try_emplace(publisher_id);
  if (inserted) {
    if (auto c = committed_.find(publisher_id); c != committed_.end()) it->second = c->second;
  }
  PublisherMark& mark = it->second;
  mark.Raise(order.floor);
  if (*apply) mark.Add(order);
  return &mark;
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
