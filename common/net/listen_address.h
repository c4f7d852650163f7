// Listen addresses as the config and the server options spell them: "HOST:PORT" with an IPv4
// or IPv6 literal ("127.0.0.1:8081", "[::1]:8081"); no host names, so that a listener never
// depends on name resolution. Port 0 asks the kernel for an ephemeral port where the caller
// allows it. The one parser for every listener (HTTP server, admin listener, SMTP and LMTP).
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "common/base/status.h"

namespace omnihub::net {

enum class PortZero {
  kEphemeral,  // port 0 binds an ephemeral port (tests, the HTTP server's default)
  kRejected,   // port 0 is an error (a configured service port)
};

// `text` -> endpoint. InvalidArgument otherwise, its message starting with `what` (the name the
// user knows the setting by, e.g. "config: email.smtp_listen") followed by the quoted text:
// "<what> '<text>' must be HOST:PORT", "... has no valid port", "...: bad IP address '<host>'".
base::Result<boost::asio::ip::tcp::endpoint> ParseListenAddress(std::string_view what, std::string_view text,
                                                                PortZero port_zero = PortZero::kEphemeral);

// "127.0.0.1:8081", "[::1]:8081": the inverse of ParseListenAddress, for messages and logs.
std::string FormatEndpoint(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace omnihub::net
