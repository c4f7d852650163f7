#include "services/ctl/reparser.h"

namespace omnihub::ctl {

std::string_view SourceName(std::string_view source) { return source.substr(0, source.find(':')); }

void ReparserRegistry::Register(std::string source_name, std::string producer, ReparseFn reparse) {
  entries_[std::move(source_name)] = Entry{std::move(producer), std::move(reparse), ""};
}

void ReparserRegistry::RegisterUnreplayable(std::string source_name, std::string why) {
  entries_[std::move(source_name)] = Entry{"", nullptr, std::move(why)};
}

base::Result<RebuiltEvent> ReparserRegistry::Rebuild(const v1::DeadLetterEntry& dl, const RebuildContext& ctx) const {
  const std::string id = std::to_string(dl.dead_letter_id());
  const std::string_view name = SourceName(dl.source());
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    std::vector<std::string> replayable;
    for (const auto& [source_name, entry] : entries_) {
      if (entry.reparse) replayable.push_back(entry.producer + " ('" + source_name + ":...')");
    }
    std::string known;  // "a", "a and b", "a, b and c"
    for (size_t i = 0; i < replayable.size(); ++i) {
      if (i > 0) known += i + 1 == replayable.size() ? " and " : ", ";
      known += replayable[i];
    }
    return base::Status::InvalidArgument("dead letter " + id + " came from '" + dl.source() +
                                         "', which no parser reads (no re-parser for source '" + std::string(name) +
                                         "'): only dead letters from " + (known.empty() ? "nowhere" : known) +
                                         " can be replayed");
  }
  const Entry& entry = it->second;
  if (!entry.reparse) {
    return base::Status::InvalidArgument("dead letter " + id + " came from '" + dl.source() +
                                         "', which cannot be replayed: " + entry.why_not);
  }
  auto rebuilt = entry.reparse(dl, ctx);
  if (!rebuilt.ok()) {
    return base::Status::InvalidArgument("dead letter " + id + " is still unreadable: " + rebuilt.status().message() +
                                         " (it stays a dead letter)");
  }
  rebuilt->event.add_flags(kFlagReplayed);
  return rebuilt;
}

}  // namespace omnihub::ctl
