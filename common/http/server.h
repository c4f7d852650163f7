// HttpServer: the HTTP/1.1 server the adapters' webhooks and the agent API run on. One
// Boost.Asio io_context, run by `threads` threads of its own, serves every connection (no thread
// per connection); each connection's work is serialized on its own strand. It parses requests
// with Boost.Beast within the limits of HttpServerOptions, hands each one to an HttpHandler
// (usually HttpRouter::AsHandler()) and writes the answer that arrives through the HttpResponder,
// from whichever thread. Keep-alive per HTTP/1.1 (HTTP/1.0: close unless "keep-alive"); one
// request at a time per connection. Errors the server answers itself carry JSON bodies from
// JsonError; docs/http-server.md lists them with the limits.
//
// Thread-safety: Start, Stop and the destructor from one controlling thread, never from a
// handler (Stop joins the loop threads). bound_port and connection_count from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/base/status.h"
#include "common/http/types.h"
#include "common/net/timer.h"

namespace omnihub::http {

class HttpServerMetrics;  // common/http/server_metrics.h

struct HttpServerOptions {
  // "HOST:PORT" with an IPv4 or IPv6 literal ("[::1]:8081"); port 0 = ephemeral, see bound_port().
  // Parsed by net::ParseListenAddress.
  std::string listen = "127.0.0.1:0";
  int threads = 1;  // threads running the event loop
  // Connections beyond this are answered 503 unavailable and closed.
  size_t max_connections = 10000;
  size_t max_header_bytes = 16 * 1024;  // request line + fields; beyond -> 431, close
  size_t max_body_bytes = 1024 * 1024;  // beyond -> 413, close, the handler never sees it
  // From a request's first byte to its last: a client trickling slower gets 408 and is closed.
  std::chrono::milliseconds read_timeout{10'000};
  // A keep-alive connection with no request started is closed after this long.
  std::chrono::milliseconds idle_timeout{60'000};
  // A client that does not take a response's bytes for this long is disconnected.
  std::chrono::milliseconds write_timeout{10'000};
  // A streamed body with more than this queued but unsent (the client reads too slowly)
  // closes the connection.
  size_t max_stream_buffer_bytes = 1024 * 1024;
  // One info line per request on the default spdlog logger; benchmarks switch it off.
  bool access_log = true;
  // false: the access log shows a request's query string as "?..." — it may carry what must
  // not sit in a log file (a one-time login code, a customer's search words).
  bool access_log_query = true;
  // Where answered requests are counted (status, duration); nullptr = not counted. Not owned;
  // must outlive the server.
  HttpServerMetrics* metrics = nullptr;
  // Runs the read, idle, write and linger timeouts; tests pass a net::ManualTimerFactory. Not
  // owned; must outlive the server.
  net::TimerFactory* timers = &net::SteadyTimers();
};

class HttpServer {
 public:
  // `handler` gets every request that was read completely within the limits.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // calls Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the loop threads. InvalidArgument for a malformed listen address
  // or option, IoError naming the address if it cannot be bound (e.g. in use). Once only: a
  // second call (also after Stop) is InvalidArgument.
  base::Status Start();
  // The first step of a graceful stop (docs/http-server.md, "Draining"): the listener closes;
  // a request begun from now on is answered `503 unavailable` with `Retry-After:
  // retry_after_s` and `Connection: close`; a request already begun is served and its answer
  // closes the connection; streams are ended. Wait for in_flight() to reach 0, then Stop().
  // Idempotent.
  void BeginDrain(int retry_after_s);
  // Requests begun and not yet answered (their answer written); open streams are not counted.
  // Any thread.
  size_t in_flight() const;

  // Stops accepting, closes every connection (responses still outstanding are dropped; their
  // responders become no-ops) and joins the loop threads. Idempotent.
  void Stop();

  // The port actually bound (useful with port 0); 0 before Start.
  uint16_t bound_port() const;
  // Open connections.
  size_t connection_count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnihub::http
