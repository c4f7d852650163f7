// The SMTP or LMTP listener: a net::Listener accepting and, per connection, non-blocking reads and
// writes, the optional STARTTLS upgrade (OpenSSL) and the idle timer around an SmtpSession,
// which holds all of the protocol. Many concurrent sessions share one event-loop thread.
//
// Thread-safety: run the io_context on one thread; call Start and Stop on that thread, or while
// it is not running. The MessageSink, the RecipientPolicy and the server must outlive the
// io_context's run(): after Stop(), run() returns once every connection is closed and every
// outstanding MessageSink::Deliver has called its `done`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/base/status.h"
#include "common/net/timer.h"
#include "services/email/smtp/recipient_policy.h"
#include "services/email/smtp/smtp_session.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace omnihub::email {

struct SmtpServerOptions {
  std::string listen_address = "127.0.0.1";  // IPv4 or IPv6 literal
  uint16_t port = 0;                         // 0 = an ephemeral port, see SmtpServer::port()
  bool lmtp = false;
  std::string hostname = "localhost";  // in the greeting and EHLO reply
  SmtpLimits limits;
  // PEM files; both set = STARTTLS offered. The chain file may hold intermediates after the leaf.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Further connections are answered "421 4.3.2" and closed.
  size_t max_connections = 1000;
  // Replies, delivery times, timeouts; nullptr = not counted. Not owned; must outlive the server.
  SmtpMetrics* metrics = nullptr;
  // Runs the idle timeout and the accept back-off; tests pass a net::ManualTimerFactory. Not
  // owned; must outlive the server.
  net::TimerFactory* timers = &net::SteadyTimers();
};

class SmtpServer {
 public:
  SmtpServer(boost::asio::io_context& io, MessageSink& sink, const RecipientPolicy& policy,
             SmtpServerOptions options);
  ~SmtpServer();  // calls Stop()
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  // Loads the TLS certificate (if configured), binds and starts accepting; connections are
  // served while the io_context runs. InvalidArgument for a bad address or unreadable/mismatched
  // certificate and key, IoError if the port cannot be bound.
  base::Status Start();
  // The bound port (useful with port 0); 0 before Start.
  uint16_t port() const;
  // The first step of a graceful stop (docs/smtp.md, "Shutting down"): a new connection, and a
  // new transaction on an open one, get "421 4.3.2 <hostname> shutting down, try again later"
  // and are closed; a transaction in progress (up to its DATA being received, delivered and
  // answered) goes on. Wait for transactions_in_flight() to reach 0, then Stop(). On the
  // io_context's thread.
  void BeginDrain();
  // Transactions begun and not yet answered. Any thread.
  size_t transactions_in_flight() const;
  // Stops accepting and closes every connection; a delivery still outstanding completes in the
  // sink but its reply is not sent (the client retries: see docs/smtp.md on duplicates).
  void Stop();
  // Open connections (for tests and metrics).
  size_t connection_count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnihub::email
