// The server-sent-events wire text of the API's live streams (docs/api.md "Live updates"):
// what a stream starts with, one change, a reset, and the idle heartbeat. Each function
// returns whole frames, ready for HttpStream::Write.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "omnihub/v1/bus.pb.h"

namespace omnihub::api::stream {

// The reconnect delay browsers should use, in milliseconds (the stream's `retry:` field).
inline constexpr int kSseRetryMs = 2000;

// The first bytes of every stream: the retry field and a comment, so that the headers and a
// first piece pass any buffering proxy at once.
std::string SseStreamStart();
// "id: <change_seq>\nevent: change\ndata: <client::ChangeToJson>\n\n".
std::string SseChangeFrame(const v1::ChangeNotification& change);
// "id: <last_change_seq>\nevent: reset\ndata: {"reason":...,"last_change_seq":N}\n\n": the
// client cannot be caught up and should reload what it shows; live changes follow.
std::string SseResetFrame(std::string_view reason, uint64_t last_change_seq);
// ": heartbeat\n\n", a comment that keeps an idle connection (and proxies) alive.
std::string SseHeartbeat();

}  // namespace omnihub::api::stream
