// Listener: one TCP listening socket and its accept loop (Boost.Asio async_accept), shared by
// the HTTP server and the SMTP/LMTP server. It binds, accepts, backs off when accept() fails
// (AcceptBackoff), and enforces the connection cap: a connection beyond max_connections is sent
// `refusal` (the protocol's "busy" answer) and closed. What becomes of an accepted connection
// is the owner's business (Callbacks::on_accept).
//
// Thread-safety: all methods but port() and executor() on the listener's executor (or before it runs); the
// callbacks are called there. The owner keeps the listener alive until the executor's
// io_context has stopped running (pending accepts refer to it).
#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/base/status.h"
#include "common/net/accept_backoff.h"
#include "common/net/timer.h"

namespace omnihub::net {

struct ListenerOptions {
  std::string name = "listener";  // how log lines name it, e.g. "http server 127.0.0.1:8081"
  size_t max_connections = 1000;
  // Written to a connection over the cap before it is closed, e.g. an HTTP 503 or SMTP 421.
  std::string refusal;
  // Runs the accept back-off. Not owned; must outlive the listener.
  TimerFactory* timers = &SteadyTimers();
};

class Listener {
 public:
  struct Callbacks {
    // How many of the owner's connections are open; compared with max_connections.
    std::function<size_t()> open_connections;
    // A connection within the cap; the owner takes it over.
    std::function<void(boost::asio::ip::tcp::socket)> on_accept;
    // Called for each connection refused over the cap, before the refusal is sent (for
    // counting); may be empty.
    std::function<void()> on_refused;
    // The executor to bind each accepted socket to (e.g. a new strand); empty = the listener's.
    std::function<boost::asio::any_io_executor()> socket_executor;
  };

  Listener(const boost::asio::any_io_executor& executor, ListenerOptions options, Callbacks callbacks);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Opens, binds (SO_REUSEADDR) and listens. IoError "cannot listen on HOST:PORT: <reason>".
  base::Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  // Starts the accept loop; after a successful Open.
  void Start();
  // Stops accepting for good and closes the socket; a pending back-off is cancelled. Idempotent.
  void Close();

  // The bound port (useful with port 0); 0 before Open. Any thread.
  uint16_t port() const { return port_; }
  // Where to post Close from another thread. Any thread.
  boost::asio::any_io_executor executor() { return acceptor_.get_executor(); }

 private:
  void Accept();
  void OnAccepted(boost::asio::ip::tcp::socket socket);

  const ListenerOptions options_;
  const Callbacks callbacks_;
  boost::asio::ip::tcp::acceptor acceptor_;
  const std::unique_ptr<Timer> retry_timer_;
  AcceptBackoff backoff_;
  std::atomic<uint16_t> port_{0};
  bool closed_ = false;
};

// Sends `bytes` with one non-blocking write and closes the socket. Meant for a freshly accepted
// socket, whose empty send buffer takes a short answer whole, so that the event loop is never
// blocked by a client that does not read.
void WriteAndClose(boost::asio::ip::tcp::socket socket, std::string_view bytes);

}  // namespace omnihub::net
