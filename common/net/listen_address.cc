#include "common/net/listen_address.h"

#include <charconv>
#include <cstdint>

namespace omnihub::net {

namespace asio = boost::asio;

base::Result<asio::ip::tcp::endpoint> ParseListenAddress(std::string_view what, std::string_view text,
                                                         PortZero port_zero) {
  const std::string quoted = std::string(what) + " '" + std::string(text) + "'";
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return base::Status::InvalidArgument(quoted + " must be HOST:PORT");
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  uint16_t port = 0;
  const std::string_view port_text = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      (port == 0 && port_zero == PortZero::kRejected)) {
    return base::Status::InvalidArgument(quoted + " has no valid port");
  }
  boost::system::error_code address_ec;
  const asio::ip::address address = asio::ip::make_address(std::string(host), address_ec);
  if (address_ec) return base::Status::InvalidArgument(quoted + ": bad IP address '" + std::string(host) + "'");
  return asio::ip::tcp::endpoint(address, port);
}

std::string FormatEndpoint(const asio::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  std::string host = endpoint.address().to_string(ec);
  if (ec) return "-";
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

}  // namespace omnihub::net
