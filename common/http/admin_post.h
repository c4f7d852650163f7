// A plain HTTP/1.1 POST to a service's admin listener ("HOST:PORT", loopback by default), for
// a customer's erasure (common/client/erasure_procedure.h) asking each adapter to purge
// (POST /purge, adapter_purge.h).
// Blocking, one connection, `Connection: close`; no TLS (admin listeners serve none).
//
// Thread-safety: pure function over one socket.
#pragma once

#include <chrono>
#include <string>

#include "common/base/status.h"

namespace omnihub::http {

struct AdminAnswer {
  int status = 0;
  std::string body;
};

// Unavailable naming `listen` when nothing answers within `timeout`.
base::Result<AdminAnswer> AdminPost(const std::string& listen, const std::string& path, const std::string& json_body,
                                    std::chrono::seconds timeout);

}  // namespace omnihub::http
