#include "services/api/stream/change_buffer.h"

#include "services/api/stream/sse_format.h"

namespace omnihub::api::stream {

void ChangeBuffer::Reset(uint64_t last) {
  changes_.clear();
  last_ = last;
}

void ChangeBuffer::Append(const v1::ChangeNotification& change) {
  if (change.change_seq() != last_ + 1) Reset(change.change_seq() - 1);
  changes_.push_back(BufferedChange{change, SseChangeFrame(change)});
  last_ = change.change_seq();
  if (changes_.size() > capacity_) changes_.pop_front();
}

const BufferedChange* ChangeBuffer::Find(uint64_t seq) const {
  if (seq < first_seq() || seq > last_) return nullptr;
  return &changes_[seq - first_seq()];
}

}  // namespace omnihub::api::stream
