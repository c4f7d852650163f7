#include "common/bus/endpoint.h"

#include <charconv>
#include <filesystem>

#include "common/base/directories.h"

namespace omnihub::bus {
namespace {

constexpr std::string_view kAccepted = "ipc://PATH, ipc://@NAME or tcp://HOST:PORT";

base::Status Invalid(std::string_view why) {
  return base::Status::InvalidArgument(std::string(why) + " (" + std::string(kAccepted) + ")");
}

base::Result<Endpoint> ParseIpc(std::string_view rest) {
  Endpoint e;
  e.transport = Transport::kIpc;
  e.address = std::string(rest);
  e.abstract = rest.starts_with("@");
  if (rest.empty() || rest == "@") return Invalid(e.abstract ? "ipc://@ needs a name" : "ipc:// needs a socket path");
  if (rest.size() > kMaxIpcPathBytes) {
    return base::Status::InvalidArgument("the socket path has " + std::to_string(rest.size()) +
                                         " bytes, more than the " + std::to_string(kMaxIpcPathBytes) +
                                         " an ipc socket allows: choose a shorter path");
  }
  if (!e.abstract && rest.back() == '/') return Invalid("ipc:// needs a socket file, not a directory");
  return e;
}

base::Result<Endpoint> ParseTcp(std::string_view rest) {
  Endpoint e;
  e.transport = Transport::kTcp;
  e.address = std::string(rest);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return Invalid("tcp:// needs HOST:PORT");
  std::string_view host = rest.substr(0, colon);
  const std::string_view port = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Invalid("tcp:// with an IPv6 address needs it in brackets, as [::1]:PORT");
  }
  if (host.empty()) return Invalid("tcp:// needs a host before the port");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    // A wildcard port ("*") binds a port nobody else learns: every process reads the endpoint
    // from the same file, so it must be a fixed one.
    return Invalid("tcp:// needs a port between 1 and 65535");
  }
  e.host = std::string(host);
  e.port = static_cast<uint16_t>(value);
  return e;
}

}  // namespace

base::Result<Endpoint> ParseEndpoint(std::string_view text) {
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return Invalid("no transport");
  const std::string_view scheme = text.substr(0, sep);
  const std::string_view rest = text.substr(sep + 3);
  if (scheme == "ipc") return ParseIpc(rest);
  if (scheme == "tcp") return ParseTcp(rest);
  if (scheme == "inproc") {
    if (rest.empty()) return Invalid("inproc:// needs a name");
    Endpoint e;
    e.transport = Transport::kInproc;
    e.address = std::string(rest);
    return e;
  }
  return Invalid("unknown transport '" + std::string(scheme) + "://'");
}

base::Status PrepareEndpointDirectory(const std::string& endpoint) {
  auto parsed = ParseEndpoint(endpoint);
  if (!parsed.ok()) return parsed.status().WithContext("endpoint '" + endpoint + "'");
  if (parsed->transport != Transport::kIpc || parsed->abstract) return base::Status::Ok();
  const std::filesystem::path socket_path(parsed->address);
  if (!socket_path.has_parent_path()) return base::Status::Ok();
  return base::EnsureDirectory(socket_path.parent_path().string());
}

}  // namespace omnihub::bus
