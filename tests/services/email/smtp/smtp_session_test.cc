#include "services/email/smtp/smtp_session.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "common/service/metrics.h"
#include "tests/services/email/smtp/smtp_test_sink.h"

namespace omnihub::email {
namespace {

using Mode = RecordingSink::Mode;

// Splits reply text into lines without their CRLF.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

class SmtpSessionTest : public ::testing::Test {
 protected:
  void Open(Mode mode = Mode::kInline, SmtpSessionOptions options = {}) {
    session_.reset();
    sink_ = std::make_unique<RecordingSink>(mode);
    options.hostname = "mx.example.org";
    session_ = std::make_unique<SmtpSession>(options, *sink_, policy_,
                                             [this](std::function<void()> fn) { posted_.push_back(std::move(fn)); });
    greeting_ = session_->TakeOutput();
  }
  void OpenLmtp(Mode mode = Mode::kInline) {
    SmtpSessionOptions options;
    options.lmtp = true;
    Open(mode, options);
  }
  void OpenWithLimits(SmtpLimits limits) {
    SmtpSessionOptions options;
    options.limits = limits;
    Open(Mode::kInline, options);
  }

  // Runs what the session posted to "its thread", as the event loop would.
  void RunPosted() {
    while (!posted_.empty()) {
      auto fns = std::move(posted_);
      posted_.clear();
      for (auto& fn : fns) fn();
    }
  }
  std::string Send(std::string_view bytes) {
    session_->Feed(bytes);
    RunPosted();
    return session_->TakeOutput();
  }
  std::string SendByteByByte(std::string_view bytes) {
    std::string out;
    for (char c : bytes) out += Send(std::string_view(&c, 1));
    return out;
  }
  std::string Last(std::string_view bytes) {
    std::vector<std::string> lines = Lines(Send(bytes));
    return lines.empty() ? "" : lines.back();
  }

  // EHLO + MAIL + RCPT for one message to support@example.com.
  void StartTransaction(std::string_view mail_params = "") {
    Send("EHLO client.example.net\r\n");
    ASSERT_EQ(Last("MAIL FROM:<Alice@Example.net>" + std::string(mail_params) + "\r\n"), "250 2.1.0 Ok");
    ASSERT_EQ(Last("RCPT TO:<support@example.com>\r\n"), "250 2.1.5 Ok");
  }

  RecipientPolicy policy_{{"support@example.com", "sales@example.com"}, {"example.org"}};
  std::unique_ptr<RecordingSink> sink_;
  std::unique_ptr<SmtpSession> session_;
  std::vector<std::function<void()>> posted_;
  std::string greeting_;
};

TEST_F(SmtpSessionTest, GreetsAndAdvertisesExtensions) {
  Open();
  EXPECT_EQ(greeting_, "220 mx.example.org ESMTP omnihub\r\n");
  EXPECT_EQ(Send("EHLO client.example.net\r\n"),
            "250-mx.example.org\r\n250-SIZE 26214400\r\n250-8BITMIME\r\n250-PIPELINING\r\n"
            "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n");
  EXPECT_EQ(Send("HELO client.example.net\r\n"), "250 mx.example.org\r\n");
}

TEST_F(SmtpSessionTest, CountsEveryReplyByCodeAndTimesTheDelivery) {
  service::Registry registry;
  base::ManualClock clock;
  SmtpMetrics metrics(registry, clock);
  SmtpSessionOptions options;
  options.metrics = &metrics;
  Open(Mode::kHold, options);
  StartTransaction();
  Send("DATA\r\n");
  Send("Subject: hi\r\n\r\nbody\r\n.\r\n");
  clock.Advance(250'000);  // the outbox sync
  ASSERT_EQ(sink_->Release(base::Status::Ok()), 1u);
  EXPECT_EQ(Lines(Send("")).back().substr(0, 3), "250");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n").substr(0, 3), "250");
  EXPECT_EQ(Last("RCPT TO:<nobody@elsewhere.example>\r\n").substr(0, 3), "550");
  session_->OnIdleTimeout();
  const std::string text = registry.Render();
  for (const char* line : {"omnihub_smtp_replies_total{class=\"2xx\",code=\"220\"} 1\n",
                           "omnihub_smtp_replies_total{class=\"2xx\",code=\"250\"} 5\n",  // EHLO, MAIL, RCPT, DATA, MAIL
                           "omnihub_smtp_replies_total{class=\"3xx\",code=\"354\"} 1\n",
                           "omnihub_smtp_replies_total{class=\"4xx\",code=\"421\"} 1\n",
                           "omnihub_smtp_replies_total{class=\"5xx\",code=\"550\"} 1\n",
                           "omnihub_smtp_delivery_duration_seconds_bucket{class=\"2xx\",le=\"0.25\"} 1\n",
                           "omnihub_smtp_delivery_duration_seconds_bucket{class=\"2xx\",le=\"0.1\"} 0\n",
                           "omnihub_smtp_delivery_duration_seconds_sum{class=\"2xx\"} 0.25\n",
                           "omnihub_smtp_idle_timeouts_total 1\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST_F(SmtpSessionTest, AdvertisesStartTlsOnlyWhenAvailable) {
  SmtpSessionOptions options;
  options.tls_available = true;
  Open(Mode::kInline, options);
  EXPECT_NE(Send("EHLO c.example\r\n").find("250 STARTTLS\r\n"), std::string::npos);
}

TEST_F(SmtpSessionTest, DeliversMessageWithEnvelope) {
  SmtpSessionOptions options;
  options.remote_address = "192.0.2.7";
  Open(Mode::kInline, options);
  StartTransaction(" BODY=8BITMIME");
  EXPECT_EQ(Last("RCPT TO:<Anyone@EXAMPLE.org>\r\n"), "250 2.1.5 Ok");
  EXPECT_EQ(Send("DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  EXPECT_EQ(Send("Subject: hi\r\n\r\nHello\r\n.\r\n"), "250 2.0.0 Ok: queued as 1\r\n");
  ASSERT_EQ(sink_->count(), 1u);
  const RecordingSink::Delivery d = sink_->deliveries()[0];
  EXPECT_EQ(d.message, "Subject: hi\r\n\r\nHello\r\n");
  EXPECT_EQ(d.envelope.helo, "client.example.net");
  EXPECT_EQ(d.envelope.mail_from, "alice@example.net");
  EXPECT_EQ(d.envelope.recipients, (std::vector<std::string>{"support@example.com", "anyone@example.org"}));
  EXPECT_TRUE(d.envelope.body_8bitmime);
  EXPECT_FALSE(d.envelope.smtputf8);
  EXPECT_FALSE(d.envelope.lmtp);
  EXPECT_FALSE(d.envelope.tls);
  EXPECT_EQ(d.envelope.remote_address, "192.0.2.7");
}

TEST_F(SmtpSessionTest, RemovesDotStuffing) {
  Open();
  StartTransaction();
  Send("DATA\r\n");
  EXPECT_EQ(Last("..leading dot\r\n...\r\n. \r\n.\r\n"), "250 2.0.0 Ok: queued as 1");
  EXPECT_EQ(sink_->deliveries()[0].message, ".leading dot\r\n..\r\n \r\n");
}

TEST_F(SmtpSessionTest, OnlyCrlfDotCrlfEndsData) {
  Open();
  StartTransaction();
  Send("DATA\r\n");
  // Bare LF and bare CR never end a line, so none of these is the end of the data.
  EXPECT_EQ(Send("a\n.\nb\n.\r\nc\r.\r\nd\r\n.\ne\r\n.x\r\n"), "");
  EXPECT_EQ(sink_->count(), 0u);
  EXPECT_EQ(Send(".\r\n"), "250 2.0.0 Ok: queued as 1\r\n");
  EXPECT_EQ(sink_->deliveries()[0].message, "a\n.\nb\n.\r\nc\r.\r\nd\r\n\ne\r\nx\r\n");
}

TEST_F(SmtpSessionTest, EmptyMessage) {
  Open();
  StartTransaction();
  EXPECT_EQ(Send("DATA\r\n.\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 1\r\n");
  EXPECT_EQ(sink_->deliveries()[0].message, "");
}

// The same dialogue fed whole, byte by byte and in random pieces gives the same replies and
// deliveries.
TEST_F(SmtpSessionTest, SameRepliesWhateverTheChunking) {
  const std::string long_line(600, 'x');
  const std::string dialogue =
      "EHLO client.example.net\r\n"
      "MAIL FROM:<alice@example.net> SIZE=100\r\n"
      "RCPT TO:<support@example.com>\r\n"
      "RCPT TO:<nobody@elsewhere.example>\r\n"
      "RCPT TO:<sales@example.com>\r\n"
      "DATA\r\n"
      "Subject: one\r\n\r\n..stuffed\r\nbare\nlf\n.\nstill data\r\n.\r\n"
      "NOOP\r\n" +
      long_line +
      "\r\n"
      "MAIL FROM:<>\r\n"
      "RCPT TO:<support@example.com>\r\n"
      "DATA\r\n"
      "two\r\n.\r\n"
      "VRFY x\r\n"
      "RSET\r\n"
      "QUIT\r\n"
      "NOOP\r\n";
  Open();
  const std::string whole = Send(dialogue);
  const auto whole_deliveries = sink_->deliveries();
  ASSERT_EQ(whole_deliveries.size(), 2u);
  EXPECT_EQ(whole_deliveries[0].message, "Subject: one\r\n\r\n.stuffed\r\nbare\nlf\n.\nstill data\r\n");
  EXPECT_EQ(whole_deliveries[1].message, "two\r\n");
  EXPECT_NE(whole.find("550 5.1.1 <nobody@elsewhere.example>"), std::string::npos);
  EXPECT_NE(whole.find("500 5.5.1 Error: line too long"), std::string::npos);
  EXPECT_EQ(Lines(whole).back(), "221 2.0.0 Bye");

  Open();
  EXPECT_EQ(SendByteByByte(dialogue), whole);
  EXPECT_EQ(sink_->count(), 2u);

  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    Open();
    std::string out;
    for (size_t pos = 0; pos < dialogue.size();) {
      const size_t n = std::uniform_int_distribution<size_t>(1, 64)(rng);
      out += Send(std::string_view(dialogue).substr(pos, n));
      pos += n;
    }
    EXPECT_EQ(out, whole) << "round " << round;
    ASSERT_EQ(sink_->count(), 2u);
    EXPECT_EQ(sink_->deliveries()[0].message, whole_deliveries[0].message);
  }
}

TEST_F(SmtpSessionTest, PipelinedCommandsAnsweredInOrder) {
  Open();
  Send("EHLO c.example\r\n");
  EXPECT_EQ(Lines(Send("MAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\n"
                       "RCPT TO:<x@nowhere.example>\r\nRCPT TO:<sales@example.com>\r\nDATA\r\n")),
            (std::vector<std::string>{
                "250 2.1.0 Ok", "250 2.1.5 Ok",
                "550 5.1.1 <x@nowhere.example>: Recipient address rejected: no such mailbox here",
                "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"}));
}

TEST_F(SmtpSessionTest, PausesPipelinedInputWhileDeliveryOutstanding) {
  Open(Mode::kHold);
  StartTransaction();
  EXPECT_EQ(Send("DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  EXPECT_EQ(Send("body\r\n.\r\nMAIL FROM:<b@example.net>\r\nRCPT TO:<support@example.com>\r\n"), "");
  EXPECT_TRUE(session_->delivery_outstanding());
  EXPECT_FALSE(session_->wants_input());
  // Input arriving meanwhile is kept, not answered.
  EXPECT_EQ(Send("NOOP\r\n"), "");
  EXPECT_EQ(sink_->Release(base::Status::Ok()), 1u);
  RunPosted();
  EXPECT_EQ(Lines(session_->TakeOutput()),
            (std::vector<std::string>{"250 2.0.0 Ok: queued as 1", "250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok"}));
  EXPECT_TRUE(session_->wants_input());
}

TEST_F(SmtpSessionTest, ResumeCallbackFiresAfterDelivery) {
  Open(Mode::kHold);
  int resumed = 0;
  session_->set_resume_callback([&] { ++resumed; });
  StartTransaction();
  Send("DATA\r\nx\r\n.\r\n");
  EXPECT_EQ(resumed, 0);
  sink_->Release(base::Status::Ok());
  RunPosted();
  EXPECT_EQ(resumed, 1);
}

TEST_F(SmtpSessionTest, SinkFailureIsTemporaryError) {
  Open();
  sink_->set_result(base::Status::IoError("outbox fsync failed"));
  StartTransaction();
  EXPECT_EQ(Last("DATA\r\nx\r\n.\r\n"), "451 4.3.0 Error: local error in processing: outbox fsync failed");
  // The transaction is over; the client may retry in the same session.
  sink_->set_result(base::Status::Ok());
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n"), "250 2.1.0 Ok");
}

TEST_F(SmtpSessionTest, SinkRejectionIsPermanentError) {
  Open();
  sink_->set_result(base::Status::InvalidArgument("no From header\r\ninjected: line"));
  StartTransaction();
  EXPECT_EQ(Last("DATA\r\nx\r\n.\r\n"), "554 5.6.0 Error: message rejected: no From header  injected: line");
}

TEST_F(SmtpSessionTest, RejectsUnknownRecipient) {
  Open();
  Send("EHLO c.example\r\nMAIL FROM:<a@example.net>\r\n");
  EXPECT_EQ(Last("RCPT TO:<someone@example.com>\r\n"),
            "550 5.1.1 <someone@example.com>: Recipient address rejected: no such mailbox here");
  EXPECT_EQ(Last("RCPT TO:<x@sub.example.org>\r\n").substr(0, 9), "550 5.1.1");
  EXPECT_EQ(Last("DATA\r\n"), "503 5.5.1 Error: need RCPT command");
}

TEST_F(SmtpSessionTest, LimitsRecipients) {
  SmtpLimits limits;
  limits.max_recipients = 2;
  OpenWithLimits(limits);
  StartTransaction();
  EXPECT_EQ(Last("RCPT TO:<sales@example.com>\r\n"), "250 2.1.5 Ok");
  EXPECT_EQ(Last("RCPT TO:<a@example.org>\r\n"), "452 4.5.3 Error: too many recipients");
}

TEST_F(SmtpSessionTest, EnforcesCommandOrder) {
  Open();
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n"), "503 5.5.1 Error: send EHLO/HELO first");
  Send("EHLO c.example\r\n");
  EXPECT_EQ(Last("RCPT TO:<support@example.com>\r\n"), "503 5.5.1 Error: need MAIL command");
  EXPECT_EQ(Last("DATA\r\n"), "503 5.5.1 Error: need MAIL command");
  Send("MAIL FROM:<a@example.net>\r\n");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n"), "503 5.5.1 Error: nested MAIL command");
  EXPECT_EQ(Last("DATA\r\n"), "503 5.5.1 Error: need RCPT command");
  EXPECT_EQ(Last("RSET\r\n"), "250 2.0.0 Ok");
  EXPECT_EQ(Last("RCPT TO:<support@example.com>\r\n"), "503 5.5.1 Error: need MAIL command");
}

TEST_F(SmtpSessionTest, AnswersSimpleCommands) {
  Open();
  EXPECT_EQ(Last("NOOP\r\n"), "250 2.0.0 Ok");
  EXPECT_EQ(Last("VRFY support\r\n").substr(0, 10), "252 2.5.0 ");
  EXPECT_EQ(Last("VRFY\r\n"), "501 5.5.4 Syntax: VRFY address");
  EXPECT_EQ(Last("EXPN list\r\n"), "502 5.5.1 Error: command not implemented");
  EXPECT_EQ(Last("HELP\r\n").substr(0, 10), "214 2.0.0 ");
  EXPECT_EQ(Last("BDAT 10 LAST\r\n"), "500 5.5.2 Error: command not recognized");
  EXPECT_EQ(Last("EHLO\r\n"), "501 5.5.4 Syntax: EHLO hostname");
  EXPECT_EQ(Last("LHLO c.example\r\n"), "500 5.5.2 Error: command not recognized");
  EXPECT_EQ(Last("noop with args\r\n"), "250 2.0.0 Ok");
}

TEST_F(SmtpSessionTest, AcceptsBareLfOnCommands) {
  Open();
  EXPECT_EQ(Send("EHLO c.example\nMAIL FROM:<a@example.net>\nQUIT\n").substr(0, 4), "250-");
  EXPECT_TRUE(session_->closing());
}

TEST_F(SmtpSessionTest, CommandLineTooLongIsRejectedAndSessionRecovers) {
  Open();
  Send("EHLO c.example\r\n");
  // 510 octets + CRLF = 512: the longest allowed line.
  const std::string ok = "NOOP " + std::string(505, 'a');
  EXPECT_EQ(Last(ok + "\r\n"), "250 2.0.0 Ok");
  EXPECT_EQ(Last(ok + "a\r\n"), "500 5.5.1 Error: line too long");
  // A line that never ends is answered once and skipped up to its end.
  EXPECT_EQ(Send(std::string(100000, 'b')), "500 5.5.1 Error: line too long\r\n");
  EXPECT_EQ(Send(std::string(100000, 'b')), "");
  EXPECT_EQ(Send("tail of the long line\r\nNOOP\r\n"), "250 2.0.0 Ok\r\n");
}

TEST_F(SmtpSessionTest, DeclaredSizeOverLimitRejectedAtMail) {
  SmtpLimits limits;
  limits.max_message_bytes = 1000;
  OpenWithLimits(limits);
  Send("EHLO c.example\r\n");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> SIZE=1001\r\n"),
            "552 5.3.4 Error: message size exceeds fixed maximum message size");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> SIZE=1000\r\n"), "250 2.1.0 Ok");
}

TEST_F(SmtpSessionTest, MessageOverLimitIsReadToTheEndAndNotDelivered) {
  SmtpLimits limits;
  limits.max_message_bytes = 1000;
  OpenWithLimits(limits);
  StartTransaction();
  Send("DATA\r\n");
  std::string body;
  for (int i = 0; i < 100; ++i) body += std::string(50, 'x') + "\r\n";
  EXPECT_EQ(Send(body), "");
  EXPECT_EQ(Send(".\r\n"), "552 5.3.4 Error: message too big for system\r\n");
  EXPECT_EQ(sink_->count(), 0u);
  // A message of exactly the limit is accepted.
  Send("MAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\nDATA\r\n");
  EXPECT_EQ(Last(std::string(998, 'y') + "\r\n.\r\n"), "250 2.0.0 Ok: queued as 1");
  EXPECT_EQ(sink_->deliveries()[0].message.size(), 1000u);
}

TEST_F(SmtpSessionTest, LongTextLinesAcceptedByDefault) {
  Open();
  StartTransaction();
  Send("DATA\r\n");
  EXPECT_EQ(Last(std::string(5000, 'z') + "\r\n.\r\n"), "250 2.0.0 Ok: queued as 1");
}

TEST_F(SmtpSessionTest, TextLineLimitWhenConfigured) {
  SmtpLimits limits;
  limits.max_text_line = 1000;
  OpenWithLimits(limits);
  StartTransaction();
  // 998 + CRLF = 1000 is fine; the stuffing dot does not count (RFC 5321 §4.5.3.1.6).
  Send("DATA\r\n");
  EXPECT_EQ(Last("." + std::string(998, 'a') + "\r\n.\r\n"), "250 2.0.0 Ok: queued as 1");
  Send("MAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\nDATA\r\n");
  EXPECT_EQ(Last(std::string(999, 'a') + "\r\n.\r\n"), "500 5.5.1 Error: line too long");
  EXPECT_EQ(sink_->count(), 1u);
}

TEST_F(SmtpSessionTest, ValidatesMailParameters) {
  Open();
  Send("EHLO c.example\r\n");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> AUTH=<>\r\n"), "555 5.5.4 Error: unsupported parameter AUTH");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> BODY=BINARYMIME\r\n"), "501 5.5.4 Error: BODY must be 7BIT or 8BITMIME");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> SIZE=ten\r\n"), "501 5.5.4 Error: bad SIZE value");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> SMTPUTF8=yes\r\n"), "501 5.5.4 Error: SMTPUTF8 takes no value");
  EXPECT_EQ(Last("MAIL FROM:a@example.net>\r\n").substr(0, 9), "501 5.5.4");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> BODY=7bit SIZE=10\r\n"), "250 2.1.0 Ok");
  EXPECT_EQ(Last("RCPT TO:<support@example.com> NOTIFY=NEVER\r\n"), "555 5.5.4 Error: unsupported parameter NOTIFY");
}

TEST_F(SmtpSessionTest, HeloSessionsTakeNoParameters) {
  Open();
  Send("HELO c.example\r\n");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net> BODY=8BITMIME\r\n"), "555 5.5.4 Error: parameters need EHLO");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n"), "250 2.1.0 Ok");
}

TEST_F(SmtpSessionTest, ChecksAddresses) {
  Open();
  Send("EHLO c.example\r\n");
  EXPECT_EQ(Last("MAIL FROM:<no-at-sign>\r\n").substr(0, 9), "553 5.1.7");
  EXPECT_EQ(Last("MAIL FROM:<>\r\n"), "250 2.1.0 Ok");
  EXPECT_EQ(Last("RCPT TO:<>\r\n"), "553 5.1.3 Error: null recipient <>");
  EXPECT_EQ(Last("RCPT TO:<support@[192.0.2.1]>\r\n").substr(0, 9), "553 5.1.3");
  EXPECT_EQ(Last("RCPT TO:<@relay.example:Support@Example.COM>\r\n"), "250 2.1.5 Ok");
  // RFC 6531: a UTF-8 address needs SMTPUTF8 on MAIL.
  EXPECT_EQ(Last("RCPT TO:<j\xC3\xBCrgen@example.org>\r\n").substr(0, 9), "553 5.6.7");
  Send("RSET\r\n");
  EXPECT_EQ(Last("MAIL FROM:<j\xC3\xBCrgen@example.net>\r\n").substr(0, 9), "553 5.6.7");
  EXPECT_EQ(Last("MAIL FROM:<j\xC3\xBCrgen@example.net> SMTPUTF8\r\n"), "250 2.1.0 Ok");
  EXPECT_EQ(Last("RCPT TO:<j\xC3\xBCrgen@example.org>\r\n"), "250 2.1.5 Ok");
  Send("DATA\r\nx\r\n.\r\n");
  ASSERT_EQ(sink_->count(), 1u);
  EXPECT_EQ(sink_->deliveries()[0].envelope.mail_from, "j\xC3\xBCrgen@example.net");
  EXPECT_TRUE(sink_->deliveries()[0].envelope.smtputf8);
}

TEST_F(SmtpSessionTest, DuplicateRecipientsListedOnce) {
  Open();
  StartTransaction();
  EXPECT_EQ(Last("RCPT TO:<SUPPORT@example.com>\r\n"), "250 2.1.5 Ok");
  Send("DATA\r\nx\r\n.\r\n");
  EXPECT_EQ(sink_->deliveries()[0].envelope.recipients, std::vector<std::string>{"support@example.com"});
}

TEST_F(SmtpSessionTest, LmtpAnswersOncePerRecipient) {
  OpenLmtp();
  EXPECT_EQ(greeting_, "220 mx.example.org LMTP omnihub\r\n");
  EXPECT_EQ(Last("EHLO c.example\r\n"), "500 5.5.1 Error: this is LMTP, use LHLO");
  EXPECT_EQ(Last("HELO c.example\r\n"), "500 5.5.1 Error: this is LMTP, use LHLO");
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n"), "503 5.5.1 Error: send LHLO first");
  EXPECT_EQ(Last("LHLO c.example\r\n"), "250 SMTPUTF8");
  EXPECT_EQ(Lines(Send("MAIL FROM:<a@example.net>\r\nDATA\r\nRCPT TO:<support@example.com>\r\n"
                       "RCPT TO:<bad@example.com>\r\nRCPT TO:<sales@example.com>\r\n"
                       "RCPT TO:<Support@example.com>\r\nDATA\r\nhello\r\n.\r\n")),
            (std::vector<std::string>{
                "250 2.1.0 Ok",
                "503 5.5.1 Error: need RCPT command",
                "250 2.1.5 Ok",
                "550 5.1.1 <bad@example.com>: Recipient address rejected: no such mailbox here",
                "250 2.1.5 Ok",
                "250 2.1.5 Ok",
                "354 End data with <CR><LF>.<CR><LF>",
                "250 2.0.0 <support@example.com> Ok: queued as 1",
                "250 2.0.0 <sales@example.com> Ok: queued as 1",
                "250 2.0.0 <support@example.com> Ok: queued as 1",
            }));
  ASSERT_EQ(sink_->count(), 1u);
  EXPECT_TRUE(sink_->deliveries()[0].envelope.lmtp);
  EXPECT_EQ(sink_->deliveries()[0].envelope.recipients,
            (std::vector<std::string>{"support@example.com", "sales@example.com"}));
}

TEST_F(SmtpSessionTest, LmtpFailuresArePerRecipientToo) {
  OpenLmtp();
  sink_->set_result(base::Status::Unavailable("outbox full"));
  Send("LHLO c.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\n"
       "RCPT TO:<sales@example.com>\r\nDATA\r\n");
  EXPECT_EQ(Lines(Send("x\r\n.\r\n")),
            (std::vector<std::string>{
                "451 4.3.0 <support@example.com> Error: local error in processing: outbox full",
                "451 4.3.0 <sales@example.com> Error: local error in processing: outbox full"}));
}

TEST_F(SmtpSessionTest, LmtpOversizeMessageAnsweredPerRecipient) {
  SmtpSessionOptions options;
  options.lmtp = true;
  options.limits.max_message_bytes = 10;
  Open(Mode::kInline, options);
  Send("LHLO c.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\n"
       "RCPT TO:<sales@example.com>\r\nDATA\r\n");
  EXPECT_EQ(Lines(Send("0123456789abc\r\n.\r\n")),
            (std::vector<std::string>{"552 5.3.4 <support@example.com> Error: message too big for system",
                                      "552 5.3.4 <sales@example.com> Error: message too big for system"}));
  EXPECT_EQ(sink_->count(), 0u);
}

TEST_F(SmtpSessionTest, StartTlsUnavailableOrMalformed) {
  Open();
  EXPECT_EQ(Last("STARTTLS\r\n"), "502 5.5.1 Error: command not implemented");
  EXPECT_EQ(Last("STARTTLS now\r\n"), "501 5.5.4 Syntax error (no parameters allowed)");
  EXPECT_FALSE(session_->starttls_pending());
}

TEST_F(SmtpSessionTest, StartTlsDiscardsPipelinedPlaintextAndResetsState) {
  SmtpSessionOptions options;
  options.tls_available = true;
  Open(Mode::kInline, options);
  Send("EHLO c.example\r\nMAIL FROM:<a@example.net>\r\n");
  EXPECT_EQ(Send("STARTTLS\r\nRCPT TO:<support@example.com>\r\n"), "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_TRUE(session_->starttls_pending());
  EXPECT_FALSE(session_->wants_input());
  EXPECT_EQ(Send("injected\r\n"), "");
  session_->OnTlsStarted();
  EXPECT_TRUE(session_->tls_active());
  EXPECT_TRUE(session_->wants_input());
  // Everything before the handshake is forgotten: EHLO again, and no transaction open.
  EXPECT_EQ(Last("MAIL FROM:<a@example.net>\r\n"), "503 5.5.1 Error: send EHLO/HELO first");
  const std::string ehlo = Send("EHLO c.example\r\n");
  EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos);
  EXPECT_EQ(Last("RCPT TO:<support@example.com>\r\n"), "503 5.5.1 Error: need MAIL command");
  EXPECT_EQ(Last("STARTTLS\r\n"), "503 5.5.1 Error: TLS already active");
  StartTransaction();
  Send("DATA\r\nx\r\n.\r\n");
  ASSERT_EQ(sink_->count(), 1u);
  EXPECT_TRUE(sink_->deliveries()[0].envelope.tls);
}

TEST_F(SmtpSessionTest, QuitClosesAndIgnoresTheRest) {
  Open();
  EXPECT_EQ(Send("QUIT\r\nNOOP\r\n"), "221 2.0.0 Bye\r\n");
  EXPECT_TRUE(session_->closing());
  EXPECT_FALSE(session_->wants_input());
  EXPECT_EQ(Send("NOOP\r\n"), "");
}

TEST_F(SmtpSessionTest, IdleTimeoutSays421AndCloses) {
  Open();
  StartTransaction();
  Send("DATA\r\npartial");
  session_->OnIdleTimeout();
  EXPECT_EQ(session_->TakeOutput(), "421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
  EXPECT_TRUE(session_->closing());
  EXPECT_EQ(sink_->count(), 0u);
}

TEST_F(SmtpSessionTest, TooManyErrorsClose) {
  Open();
  std::string out;
  for (int i = 0; i < 25; ++i) out += Send("bogus\r\n");
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 21u);
  EXPECT_EQ(lines.back(), "421 4.7.0 mx.example.org Error: too many errors");
  EXPECT_TRUE(session_->closing());
}

TEST_F(SmtpSessionTest, LateDeliveryAfterSessionIsGoneIsIgnored) {
  Open(Mode::kHold);
  StartTransaction();
  Send("DATA\r\nx\r\n.\r\n");
  auto held = sink_->TakeHeld();
  ASSERT_EQ(held.size(), 1u);
  session_.reset();
  held[0](base::Status::Ok());
  RunPosted();  // must not touch the destroyed session
  SUCCEED();
}

TEST_F(SmtpSessionTest, SecondDoneCallIsIgnored) {
  Open(Mode::kHold);
  StartTransaction();
  Send("DATA\r\nx\r\n.\r\n");
  auto held = sink_->TakeHeld();
  ASSERT_EQ(held.size(), 1u);
  held[0](base::Status::Ok());
  held[0](base::Status::IoError("again"));
  RunPosted();
  EXPECT_EQ(session_->TakeOutput(), "250 2.0.0 Ok: queued as 1\r\n");
}

}  // namespace
TEST_F(SmtpSessionTest, DrainingRefusesANewTransactionWith421AndCloses) {
  Open();
  Send("EHLO client.example.net\r\n");
  EXPECT_FALSE(session_->in_transaction());
  session_->OnDrain();
  EXPECT_EQ(Send("MAIL FROM:<alice@example.net>\r\nRCPT TO:<support@example.com>\r\n"),
            "421 4.3.2 mx.example.org shutting down, try again later\r\n");
  EXPECT_TRUE(session_->closing());
  EXPECT_FALSE(session_->in_transaction());
  EXPECT_EQ(sink_->count(), 0u);
}

TEST_F(SmtpSessionTest, DrainingLetsTheTransactionInProgressFinishThenRefusesTheNext) {
  Open(Mode::kHold);
  StartTransaction();
  EXPECT_EQ(Send("DATA\r\nSubject: half\r\n\r\nfirst half\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  EXPECT_TRUE(session_->in_transaction());
  session_->OnDrain();
  // The rest of the message and the commands pipelined behind it.
  EXPECT_EQ(Send("second half\r\n.\r\nMAIL FROM:<bob@example.net>\r\n"), "");
  EXPECT_TRUE(session_->in_transaction());  // delivered, not yet durable
  ASSERT_EQ(sink_->Release(base::Status::Ok()), 1u);
  RunPosted();
  EXPECT_EQ(Lines(session_->TakeOutput()),
            (std::vector<std::string>{"250 2.0.0 Ok: queued as 1", "421 4.3.2 mx.example.org shutting down, try again later"}));
  EXPECT_FALSE(session_->in_transaction());
  EXPECT_TRUE(session_->closing());
  ASSERT_EQ(sink_->count(), 1u);
}

TEST_F(SmtpSessionTest, QuitWhileDrainingIsAnsweredAsUsual) {
  Open();
  session_->OnDrain();
  EXPECT_EQ(Send("QUIT\r\n"), "221 2.0.0 Bye\r\n");
}

}  // namespace omnihub::email
