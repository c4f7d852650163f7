// libFuzzer target: arbitrary bytes into the SMTP/LMTP dialogue (smtp_session.h) and the command
// parser (smtp_command.h). Besides "no crash, no sanitizer report" it checks two properties:
// the same input fed whole and in small pieces gives byte-identical replies, and every reply line
// is well formed (three digits, ' ' or '-', CRLF, at most 512 octets).
//
// Input: byte 0 selects options (LMTP, STARTTLS offered, tiny limits, sink outcome), byte 1 the
// piece size; the rest is what the client sends. docs/testing.md, "Fuzzing", shows how to run it.
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "services/email/smtp/recipient_policy.h"
#include "services/email/smtp/smtp_command.h"
#include "services/email/smtp/smtp_session.h"

namespace omnihub::email {
namespace {

class FuzzSink final : public MessageSink {
 public:
  explicit FuzzSink(base::Status result) : result_(std::move(result)) {}
  void Deliver(SmtpEnvelope, std::string, std::function<void(base::Status)> done) override { done(result_); }

 private:
  base::Status result_;
};

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckReplies(std::string_view out) {
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find("\r\n", start);
    Check(end != std::string_view::npos);
    const std::string_view line = out.substr(start, end - start);
    Check(line.size() >= 4 && line.size() + 2 <= 512);
    for (int i = 0; i < 3; ++i) Check(line[i] >= '0' && line[i] <= '9');
    Check(line[3] == ' ' || line[3] == '-');
    Check(line.find('\r') == std::string_view::npos && line.find('\n') == std::string_view::npos);
    start = end + 2;
  }
}

// Feeds `input` in pieces of `piece` bytes, running posted completions after each, as the event
// loop would; with `restart_tls`, completes every STARTTLS at once. Returns all reply text.
std::string Converse(std::string_view input, size_t piece, uint8_t flags, bool restart_tls) {
  static const RecipientPolicy policy({"support@example.com"}, {"example.org"});
  SmtpSessionOptions options;
  options.lmtp = flags & 1;
  options.tls_available = flags & 2;
  if (flags & 4) {
    options.limits.max_message_bytes = 64;
    options.limits.max_recipients = 2;
    options.limits.max_command_line = 64;
    options.limits.max_text_line = 32;
  }
  FuzzSink sink((flags & 8) ? base::Status::IoError("disk full") : (flags & 16) ? base::Status::InvalidArgument("bad") : base::Status());
  std::vector<std::function<void()>> posted;
  SmtpSession session(options, sink, policy, [&](std::function<void()> fn) { posted.push_back(std::move(fn)); });
  std::string out = session.TakeOutput();
  for (size_t pos = 0; pos < input.size(); pos += piece) {
    session.Feed(input.substr(pos, piece));
    while (!posted.empty()) {
      auto fns = std::move(posted);
      posted.clear();
      for (auto& fn : fns) fn();
    }
    if (restart_tls && session.starttls_pending()) session.OnTlsStarted();
    out += session.TakeOutput();
  }
  if (flags & 32) session.OnIdleTimeout();
  return out + session.TakeOutput();
}

}  // namespace
}  // namespace omnihub::email

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace omnihub::email;
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const size_t piece = data[1] % 16 + 1;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  const SmtpCommandLine cmd = SplitCommandLine(input);
  (void)cmd;
  omnihub::base::Result<SmtpPath> path = ParseSmtpPath(input, "FROM");
  (void)path.ok();

  const std::string whole = Converse(input, input.empty() ? 1 : input.size(), flags, false);
  const std::string pieces = Converse(input, piece, flags, false);
  CheckReplies(whole);
  Check(whole == pieces);
  CheckReplies(Converse(input, piece, flags, true));
  return 0;
}
