// Readiness probes: how the supervisor tells that a service it started can do its job.
//
//   -                      none: ready as soon as it runs
//   tcp:HOST:PORT          a TCP connect succeeds (HOST is an IPv4 address)
//   ipc:PATH               a Unix-socket connect to PATH succeeds (ZeroMQ ipc:// endpoints)
//   http:HOST:PORT/PATH    GET /PATH answers with status 200 (an admin /readyz)
//
// A probe only connects (and for http sends one request); it never keeps a connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::supervisor {

struct Probe {
  enum class Kind { kNone, kTcp, kIpc, kHttp };
  Kind kind = Kind::kNone;
  std::string host;  // tcp, http
  uint16_t port = 0;  // tcp, http
  std::string path;  // ipc: the socket file; http: the request path, starting with '/'

  // The manifest spelling, as parsed.
  std::string ToString() const;
};

// Parses the manifest's `ready` column. InvalidArgument names what is wrong.
base::Result<Probe> ParseProbe(std::string_view text);

// Runs the probe once, waiting at most `timeout_ms` for each network step. True when the
// service is ready. Blocks the caller for up to a few timeouts; loopback is immediate.
bool RunProbe(const Probe& probe, int timeout_ms);

}  // namespace omnihub::supervisor
