// The "error" object of a JetStream API reply ({"error":{"code":404,"err_code":10059,
// "description":"stream not found"}}), read once for every caller that sends raw API requests
// (stored_message.h, nats_kv.h), and what it means for the caller as a base::Status.
//
// Thread-safety: free functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/base/status.h"

namespace omnihub::bus::nats {

struct JetStreamApiError {
  int code = 0;  // err_code (JSStreamNotFoundErr, JSNoMessageFoundErr, ...); 0 when absent
  std::string description;  // "stream not found (code 10059)"; "no description" when absent
};

// The reply's error, nullopt when it has none.
std::optional<JetStreamApiError> JetStreamApiErrorOf(const nlohmann::json& reply);

// NotFound "WHAT: no such stream: ..." for a missing stream; Unavailable "WHAT: JetStream
// refused: ..." for any other error (a leader being elected, a timeout inside the cluster).
base::Status JetStreamApiErrorStatus(const JetStreamApiError& error, std::string_view what);

}  // namespace omnihub::bus::nats
