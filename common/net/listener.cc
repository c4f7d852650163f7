#include "common/net/listener.h"

#include <spdlog/spdlog.h>

#include "common/net/listen_address.h"

namespace omnihub::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

Listener::Listener(const asio::any_io_executor& executor, ListenerOptions options, Callbacks callbacks)
    : options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      acceptor_(executor),
      retry_timer_(options_.timers->NewTimer(executor)) {}

Listener::~Listener() = default;

base::Status Listener::Open(const tcp::endpoint& endpoint) {
  error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) {
    error_code ignored;
    acceptor_.close(ignored);
    port_ = 0;
    return base::Status::IoError("cannot listen on " + FormatEndpoint(endpoint) + ": " + ec.message());
  }
  return base::Status::Ok();
}

void Listener::Start() { Accept(); }

void Listener::Close() {
  closed_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  retry_timer_->Cancel();
}

void Listener::Accept() {
  auto handler = [this](const error_code& ec, tcp::socket socket) {
    if (closed_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      const auto delay = backoff_.Failed();
      spdlog::warn("{}: accept failed: {}; retrying in {} ms", options_.name, ec.message(), delay.count());
      retry_timer_->Arm(delay, [this] {
        if (!closed_) Accept();
      });
      return;
    }
    backoff_.Succeeded();
    OnAccepted(std::move(socket));
    Accept();
  };
  if (callbacks_.socket_executor) {
    acceptor_.async_accept(callbacks_.socket_executor(), std::move(handler));
  } else {
    acceptor_.async_accept(std::move(handler));
  }
}

void Listener::OnAccepted(tcp::socket socket) {
  if (callbacks_.open_connections() >= options_.max_connections) {
    if (callbacks_.on_refused) callbacks_.on_refused();  // first: once the client sees the refusal, it is counted
    WriteAndClose(std::move(socket), options_.refusal);
    return;
  }
  callbacks_.on_accept(std::move(socket));
}

void WriteAndClose(tcp::socket socket, std::string_view bytes) {
  error_code ec;
  socket.non_blocking(true, ec);
  if (!ec) socket.write_some(asio::buffer(bytes.data(), bytes.size()), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace omnihub::net
