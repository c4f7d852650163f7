// The SMTP (RFC 5321) / LMTP (RFC 2033) dialogue as a state machine: bytes in, reply text out.
// It knows nothing about sockets or TLS; smtp_server.h drives it over Boost.Asio and the unit
// tests drive it directly. docs/smtp.md lists every reply and the decisions behind them.
//
// Thread-safety: an SmtpSession is not thread-safe; all calls, and the functions it hands to its
// Poster, run on one thread (the connection's event-loop thread). RecipientPolicy must outlive
// the session; the MessageSink must outlive every delivery it accepted.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "services/email/smtp/recipient_policy.h"
#include "services/email/smtp/smtp_command.h"
#include "services/email/smtp/smtp_data_reader.h"
#include "services/email/smtp/smtp_metrics.h"

namespace omnihub::email {

struct SmtpLimits {
  // Message size after dot-unstuffing; advertised as "SIZE <n>". Larger: 552 5.3.4.
  size_t max_message_bytes = 25 << 20;
  // Successful RCPTs per transaction (RFC 5321 §4.5.3.1.8 asks for at least 100). More: 452 4.5.3.
  size_t max_recipients = 100;
  // Command line including CRLF (RFC 5321 §4.5.3.1.4). Longer: 500 5.5.1, line discarded.
  size_t max_command_line = 512;
  // Text line of the message including CRLF, 0 = no limit. RFC 5321 §4.5.3.1.6 says 1000, but
  // real mailers exceed it and a 5xx would bounce a customer's mail; lines cost no extra memory
  // here (the message is bounded as a whole), so the default accepts them. When set, a message
  // with a longer line gets 500 5.5.1 after the final dot and is not delivered.
  size_t max_text_line = 0;
  // No complete read from the client for this long: 421 4.4.2 and close (RFC 5321 §4.5.3.2.7).
  std::chrono::seconds idle_timeout{300};
};

// One accepted transaction, as handed to the MessageSink with the raw message.
struct SmtpEnvelope {
  std::string helo;       // the EHLO/HELO/LHLO argument
  std::string mail_from;  // normalized (EmailAddress::Normalized()); "" for the null path <>
  // Accepted recipients, normalized, in RCPT order, each once (LMTP still answers once per RCPT).
  std::vector<std::string> recipients;
  bool lmtp = false;
  bool tls = false;  // STARTTLS was completed before this transaction
  std::string remote_address;
  bool smtputf8 = false;       // MAIL ... SMTPUTF8
  bool body_8bitmime = false;  // MAIL ... BODY=8BITMIME
};

// Where a complete message goes.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  // May be called from the event-loop thread and must not block it: hand the work off and call
  // `done` exactly once, from any thread (never from inside Deliver is best; it is still safe),
  // when the message is durable (OK -> 250, per recipient for LMTP) or is not (InvalidArgument ->
  // 554 5.6.0; any other error -> 451 4.3.0 so the client retries). The message is the DATA
  // content with dot-stuffing removed and CRLF line ends as received.
  virtual void Deliver(SmtpEnvelope envelope, std::string message, std::function<void(base::Status)> done) = 0;
};

struct SmtpSessionOptions {
  std::string hostname = "localhost";  // in the greeting, EHLO and 421 replies
  bool lmtp = false;                   // LHLO instead of HELO/EHLO; one reply per RCPT after DATA
  bool tls_available = false;          // advertise and accept STARTTLS
  std::string remote_address;          // copied into the envelope
  std::string session_id;              // prefix of the "queued as" ids
  SmtpLimits limits;
  // Counts replies and times deliveries; nullptr = not counted. Not owned; must outlive the session.
  SmtpMetrics* metrics = nullptr;
};

class SmtpSession {
 public:
  // Runs a function later on the thread that drives the session, never inside the call.
  // Thread-safe: the session calls it from whichever thread completes a delivery.
  using Poster = std::function<void(std::function<void()>)>;

  // Appends the 220 greeting to the output.
  SmtpSession(SmtpSessionOptions options, MessageSink& sink, const RecipientPolicy& policy, Poster post);
  ~SmtpSession();
  SmtpSession(const SmtpSession&) = delete;
  SmtpSession& operator=(const SmtpSession&) = delete;

  // Called on the session's thread after a delivery completed and its replies (and those of any
  // pipelined commands behind it) were appended, so the transport writes them and reads again.
  void set_resume_callback(std::function<void()> callback) { resume_callback_ = std::move(callback); }

  // Consumes bytes from the client: every complete command is answered in order (PIPELINING);
  // processing pauses while a delivery is outstanding and resumes when it completes. Input after
  // QUIT, or behind STARTTLS, is discarded.
  void Feed(std::string_view bytes);

  // Reply text produced so far, taken by the transport to write.
  std::string TakeOutput();
  bool has_output() const { return !out_.empty(); }

  // False while a delivery is outstanding, STARTTLS is pending or the session is closing: the
  // transport stops reading (backpressure) until this changes.
  bool wants_input() const { return !closing_ && !starttls_pending_ && !delivery_outstanding_; }
  // QUIT answered, idle timeout or too many errors: flush the output, then close.
  bool closing() const { return closing_; }
  // "220 Ready to start TLS" was queued: flush the output, run the TLS handshake, then call
  // OnTlsStarted (or close the connection if the handshake fails).
  bool starttls_pending() const { return starttls_pending_; }
  bool delivery_outstanding() const { return delivery_outstanding_; }
  // MAIL given and the transaction not yet answered after its DATA: work a drain lets finish.
  bool in_transaction() const { return mail_given_ || data_.has_value() || delivery_outstanding_; }
  bool tls_active() const { return tls_active_; }
  const SmtpLimits& limits() const { return options_.limits; }

  // RFC 3207 §4.2: back to the state right after the greeting, everything earlier forgotten
  // (the client must EHLO again); no new greeting is sent.
  void OnTlsStarted();
  // The transport's idle timer fired: queues 421 4.4.2 and starts closing.
  void OnIdleTimeout();
  // The server is shutting down: a transaction in progress goes on to its end (DATA received,
  // delivered, answered); any later command but QUIT gets DrainReply and closes the session.
  void OnDrain() { draining_ = true; }

  // "421 4.3.2 <hostname> shutting down, try again later\r\n": the answer to new work while
  // the server drains, to a command here and to a new connection in SmtpServer.
  static std::string DrainReply(std::string_view hostname);

 private:
  void Process();
  bool ProcessCommandLine();
  bool ProcessData();
  void HandleCommand(std::string_view line);
  void HandleHello(const SmtpCommandLine& cmd);
  void HandleMail(std::string_view argument);
  void HandleRcpt(std::string_view argument);
  void HandleData(std::string_view argument);
  void HandleStartTls(std::string_view argument);
  void FinishData();
  void OnDeliveryDone(uint64_t delivery, base::Status status);
  void ResetTransaction();

  void Send(int code, std::string_view enhanced, std::string_view text);
  // A protocol error (5xx to a malformed or misplaced command): too many close the session.
  void SendError(int code, std::string_view enhanced, std::string_view text);
  // The reply to the end of DATA: once for SMTP, once per successful RCPT for LMTP.
  void SendAfterData(int code, std::string_view enhanced, std::string_view text);
  void CountReply(int code) {
    if (options_.metrics != nullptr) options_.metrics->OnReply(code);
  }
  std::string_view HelloVerb() const { return options_.lmtp ? "LHLO" : "EHLO/HELO"; }

  const SmtpSessionOptions options_;
  MessageSink& sink_;
  const RecipientPolicy& policy_;
  const Poster post_;
  std::function<void()> resume_callback_;
  // Weak copies go into delivery callbacks: a callback that arrives after the session is gone
  // (connection closed or server stopped) finds it expired and does nothing.
  std::shared_ptr<char> alive_ = std::make_shared<char>();

  std::string in_;     // received, not yet consumed input
  size_t in_pos_ = 0;  // consumed prefix of in_
  std::string out_;

  bool closing_ = false;
  bool draining_ = false;
  bool starttls_pending_ = false;
  bool tls_active_ = false;
  bool discarding_long_line_ = false;
  int errors_ = 0;

  // Session: set by EHLO/HELO/LHLO, cleared by STARTTLS.
  bool hello_done_ = false;
  bool esmtp_ = false;

  // Transaction: MAIL .. end of DATA (or RSET/EHLO).
  bool mail_given_ = false;
  SmtpEnvelope envelope_;
  std::vector<std::string> rcpt_replies_;  // one per successful RCPT, duplicates included

  std::optional<SmtpDataReader> data_;  // set from 354 to the final dot

  bool delivery_outstanding_ = false;
  uint64_t deliveries_ = 0;  // deliveries started; identifies the outstanding one
  uint64_t queued_ = 0;      // messages accepted; numbers the "queued as" ids
  int64_t delivery_started_us_ = 0;  // the outstanding delivery's final dot (metrics)
};

}  // namespace omnihub::email
