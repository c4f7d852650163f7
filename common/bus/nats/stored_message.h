// A stream's message as JetStream's STREAM.MSG.GET answers with it (JSON: a "message" with
// base64 "hdrs" and "data", or an "error" with its "err_code"), and the headers it carries.
//
// Thread-safety: free functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::bus::nats {

struct StoredMessage {
  std::string headers;  // the NATS header block ("NATS/1.0\r\nName: value\r\n...\r\n\r\n"), "" if none
  std::string data;
};

// The message a STREAM.MSG.GET reply holds; nullopt when the stream holds none there (deleted,
// past its end, no message on that subject). NotFound when the stream does not exist;
// Unavailable for any other error or a reply that does not parse.
base::Result<std::optional<StoredMessage>> ParseMessageGetReply(std::string_view json);

// The value of header `name` in a NATS header block, "" when absent. Names are matched
// exactly, as the NATS client does.
std::string HeaderValue(std::string_view block, std::string_view name);

}  // namespace omnihub::bus::nats
