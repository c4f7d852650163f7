#include "services/api/stream/live_stream.h"

#include <utility>

#include "services/api/stream/sse_format.h"

namespace omnihub::api::stream {

void LiveStream::Offer(const v1::ChangeNotification& change, const std::string* frame, int64_t now_us) {
  cursor_ = change.change_seq();
  if (gone_ || (filter_ && !filter_(change))) return;
  Write(frame != nullptr ? *frame : SseChangeFrame(change), now_us);
}

void LiveStream::Reset(std::string_view reason, uint64_t last, int64_t now_us) {
  cursor_ = last;
  Write(SseResetFrame(reason, last), now_us);
}

void LiveStream::Heartbeat(int64_t now_us, int64_t interval_us) {
  if (now_us - last_write_us_ >= interval_us) Write(SseHeartbeat(), now_us);
}

void LiveStream::Write(std::string data, int64_t now_us) {
  if (gone_) return;
  last_write_us_ = now_us;
  if (!http_->Write(std::move(data))) gone_ = true;
}

}  // namespace omnihub::api::stream
