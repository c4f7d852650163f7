#include "services/email/smtp/smtp_session.h"

#include <algorithm>
#include <utility>

#include "common/event/email_address.h"
#include "common/base/text.h"

namespace omnihub::email {
namespace {

// Protocol errors tolerated per session before it is closed with 421, so a client stuck in a
// loop (or not speaking SMTP at all) cannot hold a connection forever.
constexpr int kMaxErrors = 20;
// Reply text taken from elsewhere (a sink's error, an address) is cut to keep the reply line
// under the 512-octet limit of RFC 5321 §4.5.3.1.5.
constexpr size_t kMaxEchoBytes = 300;

// Reply text is one line: anything from outside loses control characters and is cut.
std::string Clean(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxEchoBytes)) out += base::IsControl(c) ? ' ' : c;
  return out;
}

bool HasNonAscii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool ParseDecimal(std::string_view s, size_t* out) {
  if (s.empty() || s.size() > 18) return false;
  size_t v = 0;
  for (char c : s) {
    if (!base::IsAsciiDigit(c)) return false;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

SmtpSession::SmtpSession(SmtpSessionOptions options, MessageSink& sink, const RecipientPolicy& policy, Poster post)
    : options_(std::move(options)), sink_(sink), policy_(policy), post_(std::move(post)) {
  // The greeting and the EHLO reply carry no enhanced status code (RFC 2034 §3).
  out_ += "220 " + options_.hostname + (options_.lmtp ? " LMTP" : " ESMTP") + " omnihub\r\n";
  CountReply(220);
}

SmtpSession::~SmtpSession() = default;

std::string SmtpSession::TakeOutput() { return std::exchange(out_, std::string()); }

void SmtpSession::Feed(std::string_view bytes) {
  if (closing_ || starttls_pending_) return;
  in_.append(bytes);
  Process();
}

void SmtpSession::Process() {
  while (wants_input() && in_pos_ < in_.size()) {
    const bool progressed = data_ ? ProcessData() : ProcessCommandLine();
    if (!progressed) break;
  }
  if (closing_ || starttls_pending_) {
    // Nothing behind QUIT is answered, and plaintext pipelined behind STARTTLS must not be
    // executed after the handshake (RFC 3207 §4.2; the STARTTLS command-injection bug class).
    in_.clear();
    in_pos_ = 0;
  } else if (in_pos_ > 0) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
}

bool SmtpSession::ProcessCommandLine() {
  const size_t max = options_.limits.max_command_line;
  const size_t nl = in_.find('\n', in_pos_);
  if (discarding_long_line_) {
    in_pos_ = nl == std::string::npos ? in_.size() : nl + 1;
    discarding_long_line_ = nl == std::string::npos;
    return nl != std::string::npos;
  }
  if (nl == std::string::npos) {
    // An incomplete line already longer than the limit is answered now and its rest skipped, so
    // a client cannot make us buffer an endless line. The reply is the same as for a long line
    // that arrives in one piece.
    if (in_.size() - in_pos_ > max) {
      SendError(500, "5.5.1", "Error: line too long");
      discarding_long_line_ = true;
      in_pos_ = in_.size();
    }
    return false;
  }
  std::string_view line = std::string_view(in_).substr(in_pos_, nl - in_pos_);
  in_pos_ = nl + 1;
  // Commands are accepted with a bare LF too (only DATA content is strict about CRLF).
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() + 2 > max) {
    SendError(500, "5.5.1", "Error: line too long");
    return true;
  }
  // `line` points into in_, which the handlers do not modify (STARTTLS clears it afterwards).
  HandleCommand(line);
  return true;
}

void SmtpSession::HandleCommand(std::string_view line) {
  const SmtpCommandLine cmd = SplitCommandLine(line);
  if (draining_ && !mail_given_ && cmd.verb != SmtpVerb::kQuit) {
    // RFC 5321 section 3.8: a server that must shut down answers 421 and closes.
    CountReply(421);
    out_ += DrainReply(options_.hostname);
    closing_ = true;
    return;
  }
  switch (cmd.verb) {
    case SmtpVerb::kHelo:
    case SmtpVerb::kEhlo:
    case SmtpVerb::kLhlo:
      HandleHello(cmd);
      return;
    case SmtpVerb::kMail:
      HandleMail(cmd.argument);
      return;
    case SmtpVerb::kRcpt:
      HandleRcpt(cmd.argument);
      return;
    case SmtpVerb::kData:
      HandleData(cmd.argument);
      return;
    case SmtpVerb::kRset:
      if (!cmd.argument.empty()) return SendError(501, "5.5.4", "Syntax: RSET");
      ResetTransaction();
      return Send(250, "2.0.0", "Ok");
    case SmtpVerb::kNoop:
      return Send(250, "2.0.0", "Ok");
    case SmtpVerb::kQuit:
      Send(221, "2.0.0", "Bye");
      closing_ = true;
      return;
    case SmtpVerb::kVrfy:
      if (cmd.argument.empty()) return SendError(501, "5.5.4", "Syntax: VRFY address");
      return Send(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    case SmtpVerb::kExpn:
      return SendError(502, "5.5.1", "Error: command not implemented");
    case SmtpVerb::kHelp:
      return Send(214, "2.0.0", "Commands: EHLO HELO LHLO MAIL RCPT DATA RSET NOOP QUIT VRFY STARTTLS");
    case SmtpVerb::kStartTls:
      HandleStartTls(cmd.argument);
      return;
    case SmtpVerb::kUnknown:
      break;
  }
  SendError(500, "5.5.2", "Error: command not recognized");
}

void SmtpSession::HandleHello(const SmtpCommandLine& cmd) {
  // LMTP knows only LHLO (RFC 2033 §4.1); SMTP does not know LHLO at all.
  if (options_.lmtp != (cmd.verb == SmtpVerb::kLhlo)) {
    if (options_.lmtp) return SendError(500, "5.5.1", "Error: this is LMTP, use LHLO");
    return SendError(500, "5.5.2", "Error: command not recognized");
  }
  if (cmd.argument.empty()) return SendError(501, "5.5.4", "Syntax: " + std::string(cmd.verb_text) + " hostname");
  ResetTransaction();
  hello_done_ = true;
  esmtp_ = cmd.verb != SmtpVerb::kHelo;
  envelope_.helo = Clean(cmd.argument);
  CountReply(250);
  if (!esmtp_) {
    out_ += "250 " + options_.hostname + "\r\n";
    return;
  }
  std::vector<std::string> lines = {options_.hostname,
                                    "SIZE " + std::to_string(options_.limits.max_message_bytes),
                                    "8BITMIME",
                                    "PIPELINING",
                                    "ENHANCEDSTATUSCODES",
                                    "SMTPUTF8"};
  if (options_.tls_available && !tls_active_) lines.push_back("STARTTLS");
  for (size_t i = 0; i < lines.size(); ++i) {
    out_ += (i + 1 < lines.size() ? "250-" : "250 ") + lines[i] + "\r\n";
  }
}

void SmtpSession::HandleMail(std::string_view argument) {
  if (!hello_done_) return SendError(503, "5.5.1", "Error: send " + std::string(HelloVerb()) + " first");
  if (mail_given_) return SendError(503, "5.5.1", "Error: nested MAIL command");
  base::Result<SmtpPath> path = ParseSmtpPath(argument, "FROM");
  if (!path.ok()) return SendError(501, "5.5.4", "Syntax: MAIL FROM:<address>: " + Clean(path.status().message()));
  if (!esmtp_ && !path->parameters.empty()) {
    return SendError(555, "5.5.4", "Error: parameters need EHLO");
  }
  bool smtputf8 = false;
  bool body_8bit = false;
  for (const EsmtpParameter& p : path->parameters) {
    if (p.keyword == "SIZE") {
      size_t declared = 0;
      if (!p.has_value || !ParseDecimal(p.value, &declared)) return SendError(501, "5.5.4", "Error: bad SIZE value");
      if (declared > options_.limits.max_message_bytes) {
        return Send(552, "5.3.4", "Error: message size exceeds fixed maximum message size");
      }
    } else if (p.keyword == "BODY") {
      const std::string body = base::UpperAscii(p.value);
      if (body != "7BIT" && body != "8BITMIME") return SendError(501, "5.5.4", "Error: BODY must be 7BIT or 8BITMIME");
      body_8bit = body == "8BITMIME";
    } else if (p.keyword == "SMTPUTF8") {
      if (p.has_value) return SendError(501, "5.5.4", "Error: SMTPUTF8 takes no value");
      smtputf8 = true;
    } else {
      return SendError(555, "5.5.4", "Error: unsupported parameter " + Clean(p.keyword));
    }
  }
  std::string from;
  if (!path->null_path) {
    base::Result<event::EmailAddress> address = event::ParseEmailAddress(path->mailbox);
    if (!address.ok()) return Send(553, "5.1.7", "Error: bad sender address: " + Clean(address.status().message()));
    // RFC 6531 §3.4: a non-ASCII address needs the SMTPUTF8 parameter.
    if (!smtputf8 && HasNonAscii(path->mailbox)) {
      return Send(553, "5.6.7", "Error: non-ASCII sender address needs SMTPUTF8");
    }
    from = address->Normalized();
  }
  mail_given_ = true;
  envelope_.mail_from = std::move(from);
  envelope_.smtputf8 = smtputf8;
  envelope_.body_8bitmime = body_8bit;
  Send(250, "2.1.0", "Ok");
}

void SmtpSession::HandleRcpt(std::string_view argument) {
  if (!mail_given_) return SendError(503, "5.5.1", "Error: need MAIL command");
  base::Result<SmtpPath> path = ParseSmtpPath(argument, "TO");
  if (!path.ok()) return SendError(501, "5.5.4", "Syntax: RCPT TO:<address>: " + Clean(path.status().message()));
  if (!path->parameters.empty()) {
    return SendError(555, "5.5.4", "Error: unsupported parameter " + Clean(path->parameters.front().keyword));
  }
  if (path->null_path) return Send(553, "5.1.3", "Error: null recipient <>");
  if (rcpt_replies_.size() >= options_.limits.max_recipients) return Send(452, "4.5.3", "Error: too many recipients");
  base::Result<event::EmailAddress> address = event::ParseEmailAddress(path->mailbox);
  if (!address.ok()) return Send(553, "5.1.3", "Error: bad recipient address: " + Clean(address.status().message()));
  if (!envelope_.smtputf8 && HasNonAscii(path->mailbox)) {
    return Send(553, "5.6.7", "Error: non-ASCII recipient address needs SMTPUTF8");
  }
  std::string normalized = address->Normalized();
  if (!policy_.Accepts(normalized)) {
    return Send(550, "5.1.1", "<" + Clean(normalized) + ">: Recipient address rejected: no such mailbox here");
  }
  auto& rcpts = envelope_.recipients;
  // A message belongs to one tenant (its first recipient's): a recipient of another tenant
  // waits for a transaction of its own, as RFC 5321 section 4.5.3.1.10 lets a server ask.
  if (!rcpts.empty() && policy_.TenantOf(normalized) != policy_.TenantOf(rcpts.front())) {
    return Send(452, "4.5.3", "<" + Clean(normalized) + ">: belongs to another tenant; send it in a message of its own");
  }
  if (std::find(rcpts.begin(), rcpts.end(), normalized) == rcpts.end()) rcpts.push_back(normalized);
  rcpt_replies_.push_back(std::move(normalized));
  Send(250, "2.1.5", "Ok");
}

void SmtpSession::HandleData(std::string_view argument) {
  if (!mail_given_) return SendError(503, "5.5.1", "Error: need MAIL command");
  // RFC 2033 §4.2 requires 503 here for LMTP; RFC 5321 §3.3 allows it for SMTP.
  if (rcpt_replies_.empty()) return SendError(503, "5.5.1", "Error: need RCPT command");
  if (!argument.empty()) return SendError(501, "5.5.4", "Syntax: DATA");
  out_ += "354 End data with <CR><LF>.<CR><LF>\r\n";
  CountReply(354);
  data_.emplace(options_.limits.max_message_bytes, options_.limits.max_text_line);
}

void SmtpSession::HandleStartTls(std::string_view argument) {
  if (!argument.empty()) return SendError(501, "5.5.4", "Syntax error (no parameters allowed)");
  if (!options_.tls_available) return SendError(502, "5.5.1", "Error: command not implemented");
  if (tls_active_) return SendError(503, "5.5.1", "Error: TLS already active");
  Send(220, "2.0.0", "Ready to start TLS");
  starttls_pending_ = true;
}

bool SmtpSession::ProcessData() {
  in_pos_ += data_->Consume(std::string_view(in_).substr(in_pos_));
  if (!data_->done()) return false;
  FinishData();
  return true;
}

void SmtpSession::FinishData() {
  SmtpDataReader data = std::move(*data_);
  data_.reset();
  if (data.too_big()) {
    SendAfterData(552, "5.3.4", "Error: message too big for system");
    return ResetTransaction();
  }
  if (data.line_too_long()) {
    SendAfterData(500, "5.5.1", "Error: line too long");
    return ResetTransaction();
  }
  SmtpEnvelope envelope = envelope_;
  envelope.lmtp = options_.lmtp;
  envelope.tls = tls_active_;
  envelope.remote_address = options_.remote_address;
  delivery_outstanding_ = true;
  if (options_.metrics != nullptr) delivery_started_us_ = options_.metrics->OnDeliveryStarted();
  const uint64_t delivery = ++deliveries_;
  std::weak_ptr<char> alive = alive_;
  auto done = [this, alive, delivery, post = post_](base::Status status) {
    post([this, alive, delivery, status = std::move(status)]() mutable {
      if (!alive.expired()) OnDeliveryDone(delivery, std::move(status));
    });
  };
  sink_.Deliver(std::move(envelope), data.TakeMessage(), std::move(done));
}

void SmtpSession::OnDeliveryDone(uint64_t delivery, base::Status status) {
  // A second call of `done` is ignored; after an idle timeout the outcome is no longer sent.
  if (!delivery_outstanding_ || delivery != deliveries_) return;
  delivery_outstanding_ = false;
  if (!closing_) {
    int code = 250;
    if (status.ok()) {
      const std::string id = (options_.session_id.empty() ? "" : options_.session_id + ".") + std::to_string(++queued_);
      SendAfterData(250, "2.0.0", "Ok: queued as " + id);
    } else if (status.IsInvalidArgument()) {
      code = 554;
      SendAfterData(554, "5.6.0", "Error: message rejected: " + Clean(status.message()));
    } else {
      code = 451;
      SendAfterData(451, "4.3.0", "Error: local error in processing: " + Clean(status.message()));
    }
    if (options_.metrics != nullptr) options_.metrics->OnDeliveryReplied(code, delivery_started_us_);
  }
  ResetTransaction();
  Process();  // commands pipelined behind the message
  if (resume_callback_) resume_callback_();
}

void SmtpSession::OnTlsStarted() {
  starttls_pending_ = false;
  tls_active_ = true;
  hello_done_ = false;
  esmtp_ = false;
  envelope_.helo.clear();
  ResetTransaction();
  in_.clear();
  in_pos_ = 0;
  discarding_long_line_ = false;
}

void SmtpSession::OnIdleTimeout() {
  if (closing_) return;
  if (options_.metrics != nullptr) options_.metrics->OnIdleTimeout();
  Send(421, "4.4.2", options_.hostname + " Error: timeout exceeded");
  closing_ = true;
  data_.reset();
}

std::string SmtpSession::DrainReply(std::string_view hostname) {
  return "421 4.3.2 " + std::string(hostname) + " shutting down, try again later\r\n";
}

void SmtpSession::ResetTransaction() {
  mail_given_ = false;
  envelope_.mail_from.clear();
  envelope_.recipients.clear();
  envelope_.smtputf8 = false;
  envelope_.body_8bitmime = false;
  rcpt_replies_.clear();
}

void SmtpSession::Send(int code, std::string_view enhanced, std::string_view text) {
  CountReply(code);
  out_ += std::to_string(code);
  out_ += ' ';
  out_ += enhanced;
  out_ += ' ';
  out_ += text;
  out_ += "\r\n";
}

void SmtpSession::SendError(int code, std::string_view enhanced, std::string_view text) {
  Send(code, enhanced, text);
  if (++errors_ >= kMaxErrors && !closing_) {
    Send(421, "4.7.0", options_.hostname + " Error: too many errors");
    closing_ = true;
  }
}

void SmtpSession::SendAfterData(int code, std::string_view enhanced, std::string_view text) {
  if (!options_.lmtp) return Send(code, enhanced, text);
  // RFC 2033 §4.2: one reply per successful RCPT, in RCPT order, duplicates included.
  for (const std::string& rcpt : rcpt_replies_) Send(code, enhanced, "<" + Clean(rcpt) + "> " + std::string(text));
}

}  // namespace omnihub::email
