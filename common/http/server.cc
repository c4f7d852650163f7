#include "common/http/server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/http/connection.h"
#include "common/http/server_metrics.h"
#include "common/net/listen_address.h"
#include "common/net/listener.h"

namespace omnihub::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using internal::HttpConnection;
using internal::ServerShared;

// What a connection over max_connections is told before it is closed.
std::string BusyResponse() {
  const HttpResponse busy = JsonError(503, "unavailable", "too many connections");
  wire::ResponseHead head;
  head.status = busy.status;
  head.content_type = busy.content_type;
  head.content_length = busy.body.size();
  head.keep_alive = false;
  return wire::FormatResponseHead(head) + busy.body;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : shared_(std::make_shared<ServerShared>(std::move(options), std::move(handler))),
        listener_(asio::make_strand(io_), MakeListenerOptions(shared_->options), MakeListenerCallbacks()) {}

  base::Status Start() {
    const HttpServerOptions& options = shared_->options;
    if (started_) return base::Status::InvalidArgument("http server " + options.listen + " was already started");
    if (options.threads < 1) return base::Status::InvalidArgument("http server: threads must be at least 1");
    if (options.read_timeout.count() <= 0 || options.idle_timeout.count() <= 0 ||
        options.write_timeout.count() <= 0 || options.max_connections == 0 || options.max_header_bytes == 0) {
      return base::Status::InvalidArgument("http server: timeouts, max_connections and max_header_bytes must be positive");
    }
    if (!shared_->handler) return base::Status::InvalidArgument("http server: no handler");
    auto endpoint = net::ParseListenAddress("http listen address", options.listen);
    if (!endpoint.ok()) return endpoint.status();
    OMNIHUB_RETURN_IF_ERROR(listener_.Open(*endpoint));
    started_ = true;
    listener_.Start();
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
    asio::post(listener_.executor(), [this] { listener_.Close(); });
    for (auto& conn : open) asio::post(conn->executor(), [conn] { conn->Close(); });
    open.clear();
    work.reset();
    drain_work_.reset();
    // With the acceptor and every connection closed the loop runs out of work and returns.
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  void BeginDrain(int retry_after_s) {
    if (!started_ || stopped_) return;
    shared_->drain_retry_after_s.store(retry_after_s);
    if (!shared_->admission.BeginDrain()) return;
    // With the acceptor closed, a request handed to a handler leaves the loop no I/O pending;
    // without this guard run() would return and the handler's answer would never be written.
    drain_work_.emplace(io_.get_executor());
    asio::post(listener_.executor(), [this] { listener_.Close(); });
    std::vector<std::shared_ptr<HttpConnection>> open;
    {
      std::lock_guard lock(shared_->conns_mu);
      for (auto& [id, weak] : shared_->conns) {
        if (auto conn = weak.lock()) open.push_back(std::move(conn));
      }
    }
    for (auto& conn : open) shared_->PostTo(conn, [](HttpConnection& c) { c.OnDrain(); });
  }

  size_t in_flight() const { return shared_->admission.in_flight(); }

  uint16_t bound_port() const { return listener_.port(); }

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

  static net::ListenerOptions MakeListenerOptions(const HttpServerOptions& options) {
    net::ListenerOptions listener;
    listener.name = "http server " + options.listen;
    listener.max_connections = options.max_connections;
    listener.refusal = BusyResponse();
    listener.timers = options.timers;
    return listener;
  }

  net::Listener::Callbacks MakeListenerCallbacks() {
    net::Listener::Callbacks callbacks;
    callbacks.open_connections = [this] { return connection_count(); };
    callbacks.on_accept = [this](tcp::socket socket) { OnAccepted(std::move(socket)); };
    callbacks.on_refused = [this] {
      if (shared_->options.metrics != nullptr) shared_->options.metrics->Record(503, 0);
    };
    callbacks.socket_executor = [this] { return asio::any_io_executor(asio::make_strand(io_)); };
    return callbacks;
  }

  // Within the connection cap (the listener checked it; only this strand adds connections).
  void OnAccepted(tcp::socket socket) {
    std::shared_ptr<HttpConnection> conn;
    {
      std::lock_guard lock(shared_->conns_mu);
      if (shared_->stopping) return;  // the socket closes as it goes out of scope
      const uint64_t id = ++next_id_;
      conn = std::make_shared<HttpConnection>(std::move(socket), shared_, id);
      shared_->conns.emplace(id, conn);
    }
    asio::post(conn->executor(), [conn] { conn->Start(); });
  }

  // Declaration order is destruction order reversed: the io_context (and any connection its
  // queue still holds) goes before shared_, which connections refer to.
  const std::shared_ptr<ServerShared> shared_;
  asio::io_context io_;
  net::Listener listener_;  // on its own strand
  std::vector<std::thread> threads_;
  // Keeps the loop running from BeginDrain until Stop.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> drain_work_;
  bool stopped_ = false;
  bool started_ = false;
  uint64_t next_id_ = 0;  // on the listener's strand
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

base::Status HttpServer::Start() { return impl_->Start(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::BeginDrain(int retry_after_s) { impl_->BeginDrain(retry_after_s); }
size_t HttpServer::in_flight() const { return impl_->in_flight(); }
uint16_t HttpServer::bound_port() const { return impl_->bound_port(); }
size_t HttpServer::connection_count() const { return impl_->connection_count(); }

}  // namespace omnihub::http
