// The endpoints the bus binds and connects: bus.ingest, bus.changes and bus.query of the
// config. They are checked when the config is loaded (common/config/config.cc), so that a
// typo fails there with the key and its line instead of at bind or connect time, where
// ZeroMQ says no more than "Invalid argument" and only in the process that binds.
//
// Accepted: ipc://PATH (a socket file), ipc://@NAME (Linux abstract namespace, no file),
// tcp://HOST:PORT (HOST a name, an IPv4 address, [IPv6] or *; PORT 1-65535) and
// inproc://NAME. inproc reaches only the same process; the config refuses it for the bus,
// which joins processes.
//
// Thread-safety: free functions without state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::bus {

enum class Transport { kIpc, kTcp, kInproc };

struct Endpoint {
  Transport transport = Transport::kIpc;
  std::string address;  // what follows "scheme://"
  std::string host;     // tcp: without the brackets of an IPv6 address
  uint16_t port = 0;    // tcp
  bool abstract = false;  // ipc://@NAME
};

// The longest ipc socket path: sockaddr_un's sun_path less its terminating NUL. An abstract
// name counts its '@' (ZeroMQ turns it into the leading NUL).
inline constexpr size_t kMaxIpcPathBytes = 107;

// InvalidArgument saying what is wrong and what is accepted; the message does not repeat
// `text`, so that the caller can name the key and the value in front of it.
base::Result<Endpoint> ParseEndpoint(std::string_view text);

// Creates the parent directory of an ipc:// endpoint's socket file; a no-op for any other
// endpoint (abstract, tcp, inproc) and for a path without a directory.
base::Status PrepareEndpointDirectory(const std::string& endpoint);

}  // namespace omnihub::bus
