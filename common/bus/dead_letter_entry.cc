#include "common/bus/dead_letter_entry.h"

#include <utility>

namespace omnihub::bus {

v1::DeadLetterEntry ToDeadLetterEntry(const v1::DeadLetter& stored) {
  v1::DeadLetterEntry entry;
  entry.set_dead_letter_id(stored.dead_letter_id());
  entry.set_reason(stored.reason());
  entry.set_raw(stored.raw());
  entry.set_source(stored.source());
  entry.set_publisher_id(stored.publisher_id());
  entry.set_sequence(stored.sequence());
  entry.set_received_at_us(stored.received_at_us());
  *entry.mutable_context() = stored.context();
  return entry;
}

std::vector<v1::DeadLetterEntry> DeadLetterEntries(v1::DeadLetterListResponse page) {
  std::vector<v1::DeadLetterEntry> out;
  if (page.entries_size() > 0) {
    out.reserve(page.entries_size());
    for (auto& entry : *page.mutable_entries()) out.push_back(std::move(entry));
    return out;
  }
  out.reserve(page.dead_letters_size());
  for (const auto& stored : page.dead_letters()) out.push_back(ToDeadLetterEntry(stored));
  return out;
}

}  // namespace omnihub::bus
