// One open server-sent-events stream as the change hub keeps it: where it is in the change
// sequence (the cursor: every change up to it has been offered), its filter, and when it was
// last written to (for the heartbeat). Once a Write fails -- the client went, or read so
// slowly that the server closed it (HttpServerOptions::max_stream_buffer_bytes) -- the stream
// is gone and the hub drops it; a slow client never holds up the others.
//
// Thread-safety: none; the change hub's thread owns it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/http/types.h"
#include "services/api/stream/change_hub.h"

namespace omnihub::api::stream {

class LiveStream {
 public:
  LiveStream(std::shared_ptr<http::HttpStream> http, ChangeFilter filter, uint64_t cursor, int64_t now_us)
      : http_(std::move(http)), filter_(std::move(filter)), cursor_(cursor), last_write_us_(now_us) {}

  // Offers the change cursor() + 1: sent when the filter takes it, `frame` if given (the
  // change's SseChangeFrame, formatted once for every stream), else formatted here.
  void Offer(const v1::ChangeNotification& change, const std::string* frame, int64_t now_us);
  // Sends a reset telling the client to reload, and continues after `last`.
  void Reset(std::string_view reason, uint64_t last, int64_t now_us);
  // Sends a heartbeat when nothing was written for `interval_us`.
  void Heartbeat(int64_t now_us, int64_t interval_us);
  void Close() { http_->Close(); }

  uint64_t cursor() const { return cursor_; }
  bool gone() const { return gone_; }

 private:
  void Write(std::string data, int64_t now_us);

  std::shared_ptr<http::HttpStream> http_;
  ChangeFilter filter_;
  uint64_t cursor_;
  int64_t last_write_us_;
  bool gone_ = false;
};

}  // namespace omnihub::api::stream
