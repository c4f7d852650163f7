#include "common/http/server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <charconv>
#include <exception>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/http/connection.h"
#include "common/http/server_metrics.h"

namespace omnihub::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using internal::HttpConnection;
using internal::ServerShared;

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

// "127.0.0.1:8081" or "[::1]:8081" -> endpoint.
base::Result<tcp::endpoint> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return base::Status::InvalidArgument("http listen address '" + listen + "' must be HOST:PORT");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  uint16_t port = 0;
  const std::string_view port_text = std::string_view(listen).substr(colon + 1);
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size()) {
    return base::Status::InvalidArgument("http listen address '" + listen + "' has no valid port");
  }
  error_code addr_ec;
  const asio::ip::address address = asio::ip::make_address(host, addr_ec);
  if (addr_ec) return base::Status::InvalidArgument("http listen address '" + listen + "': bad IP address '" + host + "'");
  return tcp::endpoint(address, port);
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : shared_(std::make_shared<ServerShared>(std::move(options), std::move(handler))),
        acceptor_(asio::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()) {}

  base::Status Start() {
    const HttpServerOptions& options = shared_->options;
    if (started_) return base::Status::InvalidArgument("http server " + options.listen + " was already started");
    if (options.threads < 1) return base::Status::InvalidArgument("http server: threads must be at least 1");
    if (options.read_timeout.count() <= 0 || options.idle_timeout.count() <= 0 ||
        options.write_timeout.count() <= 0 || options.max_connections == 0 || options.max_header_bytes == 0) {
      return base::Status::InvalidArgument("http server: timeouts, max_connections and max_header_bytes must be positive");
    }
    if (!shared_->handler) return base::Status::InvalidArgument("http server: no handler");
    auto endpoint = ParseListen(options.listen);
    if (!endpoint.ok()) return endpoint.status();
    error_code ec;
    acceptor_.open(endpoint->protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(*endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      port_ = 0;
      return base::Status::IoError("cannot listen on " + options.listen + ": " + ec.message());
    }
    started_ = true;
    Accept();
    for (int i = 0; i < options.threads; ++i) threads_.emplace_back([this] { RunLoop(); });
    return base::Status::Ok();
  }

  void Stop() {
    if (!started_ || stopped_) return;
    stopped_ = true;
    {
      std::lock_guard lock(shared_->gate_mu);
      shared_->gate_open = false;
    }
    std::vector<std::shared_ptr<HttpConnection>> open;
    {
      std::lock_guard lock(shared_->conns_mu);
      shared_->stopping = true;  // from here on, OnAccepted closes instead of registering
      for (auto& [id, weak] : shared_->conns) {
        if (auto conn = weak.lock()) open.push_back(std::move(conn));
      }
    }
    // Until every close is posted the loop must not run out of work: a connection waiting for
    // its handler has no I/O pending, so closing the acceptor could otherwise end run() before
    // that connection's Close is queued, leaving it open (and alive through its self-reference).
    auto work = asio::make_work_guard(io_);
    asio::post(acceptor_.get_executor(), [this] {
      error_code ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
    });
    for (auto& conn : open) asio::post(conn->executor(), [conn] { conn->Close(); });
    open.clear();
    work.reset();
    // With the acceptor and every connection closed the loop runs out of work and returns.
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  uint16_t bound_port() const { return port_; }

  size_t connection_count() const {
    std::lock_guard lock(shared_->conns_mu);
    return shared_->conns.size();
  }

 private:
  void RunLoop() {
    while (true) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        // Our handlers catch what they call; this is the last line, so keep serving.
        spdlog::error("http server {}: event loop: {}", shared_->options.listen, e.what());
      } catch (...) {
        spdlog::error("http server {}: event loop: unknown exception", shared_->options.listen);
      }
    }
  }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(io_), [this](const error_code& ec, tcp::socket socket) {
      if (stopped_ || ec == asio::error::operation_aborted) return;
      if (ec) {
        // Typically out of file descriptors: back off instead of spinning on the error.
        spdlog::warn("http server {}: accept failed: {}", shared_->options.listen, ec.message());
        retry_timer_.expires_after(kAcceptRetryDelay);
        retry_timer_.async_wait([this](const error_code& timer_ec) {
          if (!timer_ec && !stopped_) Accept();
        });
        return;
      }
      OnAccepted(std::move(socket));
      Accept();
    });
  }

  void OnAccepted(tcp::socket socket) {
    std::shared_ptr<HttpConnection> conn;
    bool full = false;
    {
      std::lock_guard lock(shared_->conns_mu);
      if (shared_->stopping) return;  // the socket closes as it goes out of scope
      full = shared_->conns.size() >= shared_->options.max_connections;
      if (!full) {
        const uint64_t id = ++next_id_;
        conn = std::make_shared<HttpConnection>(std::move(socket), shared_, id);
        shared_->conns.emplace(id, conn);
      }
    }
    if (full) {
      if (shared_->options.metrics != nullptr) shared_->options.metrics->Record(503, 0);
      return RejectBusy(std::move(socket));
    }
    asio::post(conn->executor(), [conn] { conn->Start(); });
  }

  // One non-blocking write into the fresh socket's empty send buffer, then close: the loop is
  // never blocked by a client that does not read.
  static void RejectBusy(tcp::socket socket) {
    const HttpResponse busy = JsonError(503, "unavailable", "too many connections");
    wire::ResponseHead head;
    head.status = busy.status;
    head.content_type = busy.content_type;
    head.content_length = busy.body.size();
    head.keep_alive = false;
    const std::string bytes = wire::FormatResponseHead(head) + busy.body;
    error_code ec;
    socket.non_blocking(true, ec);
    if (!ec) socket.write_some(asio::buffer(bytes), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
  }

  // Declaration order is destruction order reversed: the io_context (and any connection its
  // queue still holds) goes before shared_, which connections refer to.
  const std::shared_ptr<ServerShared> shared_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::vector<std::thread> threads_;
  std::atomic<uint16_t> port_{0};
  std::atomic<bool> stopped_{false};
  bool started_ = false;
  uint64_t next_id_ = 0;  // on the acceptor's strand
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

base::Status HttpServer::Start() { return impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
uint16_t HttpServer::bound_port() const { return impl_->bound_port(); }
size_t HttpServer::connection_count() const { return impl_->connection_count(); }

}  // namespace omnihub::http
