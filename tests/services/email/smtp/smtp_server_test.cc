// The SMTP/LMTP listener over real loopback sockets, driven by real clients: Python's smtplib and
// swaks (through tests/e2e/smtp_clients.py) and raw sockets for byte-exact dialogues.
#include "services/email/smtp/smtp_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/base/env.h"
#include "common/net/manual_timer.h"
#include "common/service/metrics.h"
#include "services/email/smtp/smtp_metrics.h"
#include "tests/services/email/smtp/smtp_test_sink.h"

namespace omnihub::email {
namespace {

using Mode = RecordingSink::Mode;
using nlohmann::json;
using std::chrono::microseconds;
using std::chrono::seconds;

const std::filesystem::path kRepo = std::filesystem::path(OMNIHUB_SOURCE_DIR);
const std::string kClientsScript = (kRepo / "tests/e2e/smtp_clients.py").string();
const std::string kCert = (kRepo / "tests/data/tls/cert.pem").string();
const std::string kKey = (kRepo / "tests/data/tls/key.pem").string();

// Runs a shell command; returns its stdout and stderr.
std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

// Runs smtp_clients.py and parses the JSON it prints (its last line).
json Client(const std::string& args) {
  const std::string out = Run("python3 " + kClientsScript + " " + args);
  const size_t last = out.find_last_of('\n', out.size() >= 2 ? out.size() - 2 : 0);
  const std::string line = out.substr(last == std::string::npos ? 0 : last + 1);
  json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << out;
  return parsed;
}

// A blocking loopback client for raw dialogues.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() { close(fd_); }
  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads until `lines` complete reply lines (counting only final lines "ddd ") arrived, the
  // server closes, or 30 s pass. Returns everything read.
  std::string ReadReplies(int replies) {
    while (CountFinal() < replies) {
      if (!ReadSome()) break;
    }
    return std::exchange(buffer_, std::string());
  }
  std::string ReadUntilClosed() {
    while (ReadSome()) {
    }
    return std::exchange(buffer_, std::string());
  }

 private:
  bool ReadSome() {
    char buf[65536];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }
  int CountFinal() const {
    int count = 0;
    for (size_t start = 0; start < buffer_.size();) {
      const size_t end = buffer_.find("\r\n", start);
      if (end == std::string::npos) break;
      if (end - start >= 4 && buffer_[start + 3] == ' ') ++count;
      start = end + 2;
    }
    return count;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// The idle timeout runs on a simulated clock (timers_) that only the test moves, unless a test
// asks for the real timers.
class SmtpServerTest : public ::testing::Test {
 protected:
  void StartServer(SmtpServerOptions options = {}, Mode mode = Mode::kWorker) {
    sink_ = std::make_unique<RecordingSink>(mode);
    options.hostname = "mx.example.org";
    if (!real_timers_) options.timers = &timers_;
    server_ = std::make_unique<SmtpServer>(io_, *sink_, policy_, options);
    const base::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_NE(server_->port(), 0);
    port_ = std::to_string(server_->port());
    loop_ = std::thread([this] { io_.run(); });
  }
  void StartTlsServer(SmtpServerOptions options = {}) {
    options.tls_certificate_file = kCert;
    options.tls_private_key_file = kKey;
    StartServer(options);
  }

  void TearDown() override {
    if (server_) boost::asio::post(io_, [this] { server_->Stop(); });
    if (sink_) (void)sink_->Release(base::Status::Ok());
    // run() returns once every connection is closed and every delivery callback came back.
    if (loop_.joinable()) loop_.join();
    server_.reset();
    sink_.reset();
  }

  size_t ConnectionCount() {
    std::promise<size_t> count;
    boost::asio::post(io_, [&] { count.set_value(server_->connection_count()); });
    return count.get_future().get();
  }

  // Before io_: connections the loop still holds at its destruction unregister their timers.
  base::ManualClock clock_;
  net::ManualTimerFactory timers_{clock_};
  bool real_timers_ = false;
  service::Registry registry_;
  SmtpMetrics metrics_{registry_, clock_};
  RecipientPolicy policy_{{"support@example.com", "sales@example.com"}, {"example.org"}};
  boost::asio::io_context io_;
  std::unique_ptr<RecordingSink> sink_;
  std::unique_ptr<SmtpServer> server_;
  std::thread loop_;
  std::string port_;
};

TEST_F(SmtpServerTest, SmtplibDeliversEightBitBody) {
  StartServer();
  json r = Client("smtplib --port " + port_ +
                  " --to support@example.com --to anyone@example.org --body-8bit --mail-option BODY=8BITMIME");
  EXPECT_EQ(r["mail"][0], 250) << r.dump();
  EXPECT_EQ(r["rcpt"]["support@example.com"][0], 250);
  ASSERT_EQ(r["data"].size(), 1u) << r.dump();
  EXPECT_EQ(r["data"][0][0], 250);
  EXPECT_EQ(r["data"][0][1].get<std::string>().substr(0, 20), "2.0.0 Ok: queued as ");
  ASSERT_EQ(sink_->count(), 1u);
  const RecordingSink::Delivery d = sink_->deliveries()[0];
  EXPECT_TRUE(d.envelope.body_8bitmime);
  EXPECT_EQ(d.envelope.mail_from, "alice@example.net");
  EXPECT_EQ(d.envelope.recipients, (std::vector<std::string>{"support@example.com", "anyone@example.org"}));
  EXPECT_EQ(d.envelope.remote_address, "127.0.0.1");
  EXPECT_NE(d.message.find("Gr\xC3\xBC\xC3\x9F" "e aus M\xC3\xBCnchen"), std::string::npos);
  // smtplib stuffed the leading dot; the sink sees the line as written.
  EXPECT_NE(d.message.find("\r\n.a line that starts with a dot\r\n"), std::string::npos);
}

TEST_F(SmtpServerTest, SwaksPipelinesTheTransaction) {
  StartServer();
  json r = Client("swaks --port " + port_ + " --pipeline --to support@example.com");
  const std::string transcript = r["transcript"];
  EXPECT_EQ(r["returncode"], 0) << transcript;
  EXPECT_NE(transcript.find("250-PIPELINING"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("250 2.0.0 Ok: queued as"), std::string::npos) << transcript;
  EXPECT_EQ(sink_->count(), 1u);
}

TEST_F(SmtpServerTest, RawPipelinedTransactionsAnsweredInOrder) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.connected());
  EXPECT_EQ(client.ReadReplies(1), "220 mx.example.org ESMTP omnihub\r\n");
  ASSERT_TRUE(client.Send("EHLO raw.test\r\n"));
  client.ReadReplies(1);
  ASSERT_TRUE(client.Send("MAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\nRCPT TO:<no@example.com>\r\n"
                          "DATA\r\n"));
  EXPECT_EQ(client.ReadReplies(4),
            "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
            "550 5.1.1 <no@example.com>: Recipient address rejected: no such mailbox here\r\n"
            "354 End data with <CR><LF>.<CR><LF>\r\n");
  ASSERT_TRUE(client.Send("one\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<sales@example.com>\r\nDATA\r\n"));
  const std::string replies = client.ReadReplies(4);
  EXPECT_EQ(replies.substr(0, 30), "250 2.0.0 Ok: queued as 1.1\r\n2");
  EXPECT_NE(replies.find("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 "), std::string::npos) << replies;
  ASSERT_TRUE(client.Send("two\r\n.\r\nQUIT\r\n"));
  EXPECT_EQ(client.ReadUntilClosed(), "250 2.0.0 Ok: queued as 1.2\r\n221 2.0.0 Bye\r\n");
  ASSERT_EQ(sink_->count(), 2u);
  EXPECT_EQ(sink_->deliveries()[1].envelope.mail_from, "");
}

TEST_F(SmtpServerTest, TenMegabyteMessage) {
  StartServer();
  json r = Client("smtplib --port " + port_ + " --to support@example.com --body-bytes 10485760");
  ASSERT_EQ(r["data"].size(), 1u) << r.dump();
  EXPECT_EQ(r["data"][0][0], 250) << r.dump();
  ASSERT_EQ(sink_->count(), 1u);
  EXPECT_GT(sink_->deliveries()[0].message.size(), 10u * 1024 * 1024 - 100);
}

TEST_F(SmtpServerTest, OverSizeLimitIsRejectedAndNothingDelivered) {
  SmtpServerOptions options;
  options.limits.max_message_bytes = 1 << 20;
  StartServer(options);
  // Declared in MAIL FROM: refused before any data is sent.
  json declared = Client("smtplib --port " + port_ + " --to support@example.com --mail-option SIZE=2000000");
  EXPECT_EQ(declared["mail"][0], 552) << declared.dump();
  EXPECT_EQ(declared["mail"][1].get<std::string>().substr(0, 6), "5.3.4 ");
  // Not declared: read to the final dot, then refused.
  json sent = Client("smtplib --port " + port_ + " --to support@example.com --body-bytes 2000000");
  ASSERT_EQ(sent["data"].size(), 1u) << sent.dump();
  EXPECT_EQ(sent["data"][0][0], 552);
  EXPECT_EQ(sent["data"][0][1].get<std::string>().substr(0, 6), "5.3.4 ");
  EXPECT_EQ(sink_->count(), 0u);
}

TEST_F(SmtpServerTest, UnknownRecipientRefused) {
  StartServer();
  json r = Client("smtplib --port " + port_ + " --to nobody@example.com");
  EXPECT_EQ(r["rcpt"]["nobody@example.com"][0], 550) << r.dump();
  EXPECT_EQ(r["rcpt"]["nobody@example.com"][1].get<std::string>().substr(0, 6), "5.1.1 ");
  json s = Client("swaks --port " + port_ + " --to nobody@example.com");
  EXPECT_NE(s["returncode"], 0);
  EXPECT_NE(s["transcript"].get<std::string>().find("<** 550 5.1.1"), std::string::npos) << s.dump();
  EXPECT_EQ(sink_->count(), 0u);
}

TEST_F(SmtpServerTest, LmtpAnswersEachRecipient) {
  SmtpServerOptions options;
  options.lmtp = true;
  StartServer(options);
  json r = Client("smtplib --lmtp --port " + port_ + " --to support@example.com --to sales@example.com");
  ASSERT_EQ(r["data"].size(), 2u) << r.dump();
  EXPECT_EQ(r["data"][0][0], 250);
  EXPECT_EQ(r["data"][1][0], 250);
  EXPECT_NE(r["data"][0][1].get<std::string>().find("<support@example.com>"), std::string::npos);
  EXPECT_NE(r["data"][1][1].get<std::string>().find("<sales@example.com>"), std::string::npos);
  json s = Client("swaks --lmtp --port " + port_ + " --to support@example.com,sales@example.com");
  const std::string transcript = s["transcript"];
  EXPECT_EQ(s["returncode"], 0) << transcript;
  EXPECT_NE(transcript.find("<support@example.com> Ok: queued"), std::string::npos) << transcript;
  EXPECT_NE(transcript.find("<sales@example.com> Ok: queued"), std::string::npos) << transcript;
  ASSERT_EQ(sink_->count(), 2u);
  EXPECT_TRUE(sink_->deliveries()[0].envelope.lmtp);
}

TEST_F(SmtpServerTest, StartTlsWithTestCertificate) {
  StartTlsServer();
  json r = Client("smtplib --starttls --cafile " + kCert + " --port " + port_ + " --to support@example.com");
  EXPECT_EQ(r["tls"], true) << r.dump();
  ASSERT_EQ(r["data"].size(), 1u) << r.dump();
  EXPECT_EQ(r["data"][0][0], 250);
  json s = Client("swaks --tls --cafile " + kCert + " --port " + port_ + " --to support@example.com");
  const std::string transcript = s["transcript"];
  EXPECT_EQ(s["returncode"], 0) << transcript;
  EXPECT_NE(transcript.find("220 2.0.0 Ready to start TLS"), std::string::npos) << transcript;
  ASSERT_EQ(sink_->count(), 2u);
  EXPECT_TRUE(sink_->deliveries()[0].envelope.tls);
  EXPECT_TRUE(sink_->deliveries()[1].envelope.tls);
}

TEST_F(SmtpServerTest, PlaintextPipelinedBehindStartTlsIsDiscarded) {
  StartTlsServer();
  RawClient client(server_->port());
  client.ReadReplies(1);
  ASSERT_TRUE(client.Send("EHLO raw.test\r\n"));
  EXPECT_NE(client.ReadReplies(1).find("250 STARTTLS\r\n"), std::string::npos);
  ASSERT_TRUE(client.Send("STARTTLS\r\nNOOP\r\n"));
  EXPECT_EQ(client.ReadReplies(1), "220 2.0.0 Ready to start TLS\r\n");
  // The server now expects a ClientHello; plaintext is not answered and ends the connection.
  ASSERT_TRUE(client.Send("NOOP\r\n"));
  EXPECT_EQ(client.ReadUntilClosed(), "");
}

TEST_F(SmtpServerTest, SinkFailureIsTemporaryError) {
  StartServer();
  sink_->set_result(base::Status::IoError("outbox write failed"));
  json r = Client("smtplib --port " + port_ + " --to support@example.com");
  ASSERT_EQ(r["data"].size(), 1u) << r.dump();
  EXPECT_EQ(r["data"][0][0], 451);
  EXPECT_EQ(r["data"][0][1], "4.3.0 Error: local error in processing: outbox write failed");
}

TEST_F(SmtpServerTest, IdleClientGets421WhenTheIdleTimeoutIsDue) {
  SmtpServerOptions options;
  options.limits.idle_timeout = seconds(60);
  StartServer(options);
  RawClient client(server_->port());
  EXPECT_EQ(client.ReadReplies(1), "220 mx.example.org ESMTP omnihub\r\n");
  // The greeting's write armed the idle timer; the read that follows armed it again.
  ASSERT_TRUE(timers_.WaitForArms(2, std::chrono::milliseconds(5000)));
  EXPECT_EQ(timers_.Advance(seconds(30)), 0u);
  // A command is activity: the timeout counts again from its reply (write, then read: 2 arms).
  ASSERT_TRUE(client.Send("NOOP\r\n"));
  EXPECT_EQ(client.ReadReplies(1), "250 2.0.0 Ok\r\n");
  ASSERT_TRUE(timers_.WaitForArms(4, std::chrono::milliseconds(5000)));
  EXPECT_EQ(timers_.Advance(seconds(60) - microseconds(1)), 0u);
  EXPECT_EQ(timers_.Advance(microseconds(1)), 1u);
  EXPECT_EQ(client.ReadUntilClosed(), "421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
}

// The one test on the real clock: the idle timeout works on asio's steady timers at all.
TEST_F(SmtpServerTest, RealTimersGive421ToAnIdleClient) {
  real_timers_ = true;
  SmtpServerOptions options;
  options.limits.idle_timeout = seconds(1);
  StartServer(options);
  RawClient client(server_->port());
  EXPECT_EQ(client.ReadUntilClosed(),
            "220 mx.example.org ESMTP omnihub\r\n421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
}

TEST_F(SmtpServerTest, SlowSinkDoesNotCountAsClientIdleness) {
  SmtpServerOptions options;
  options.limits.idle_timeout = seconds(1);
  StartServer(options, Mode::kHold);
  RawClient client(server_->port());
  client.ReadReplies(1);
  ASSERT_TRUE(client.Send("EHLO raw.test\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<support@example.com>\r\nDATA\r\n"));
  client.ReadReplies(4);
  ASSERT_TRUE(client.Send("x\r\n.\r\n"));
  ASSERT_TRUE(sink_->WaitFor(1));
  // Far past the idle timeout, no timer runs: the session waits on the sink, not on the client.
  EXPECT_EQ(timers_.Advance(seconds(10)), 0u);
  EXPECT_EQ(sink_->Release(base::Status::Ok()), 1u);
  EXPECT_EQ(client.ReadReplies(1), "250 2.0.0 Ok: queued as 1.1\r\n");
}

TEST_F(SmtpServerTest, FiftyConcurrentSessionsOnOneThread) {
  StartServer();
  constexpr int kClients = 50;
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(clients.back()->connected());
    clients.back()->ReadReplies(1);  // every session is open at once
  }
  EXPECT_EQ(ConnectionCount(), static_cast<size_t>(kClients));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      RawClient& c = *clients[static_cast<size_t>(i)];
      const std::string body = "Subject: client " + std::to_string(i) + "\r\n\r\nhello\r\n.\r\n";
      if (!c.Send("EHLO c" + std::to_string(i) + ".test\r\nMAIL FROM:<a@example.net>\r\n"
                  "RCPT TO:<support@example.com>\r\nDATA\r\n")) {
        return;
      }
      const std::string head = c.ReadReplies(4);
      if (head.find("354 ") == std::string::npos || !c.Send(body + "QUIT\r\n")) return;
      const std::string tail = c.ReadUntilClosed();
      if (tail.find("250 2.0.0 Ok: queued as") == 0 && tail.find("221 2.0.0 Bye") != std::string::npos) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients);
  EXPECT_EQ(sink_->count(), static_cast<size_t>(kClients));
}

TEST_F(SmtpServerTest, RefusesConnectionsOverTheLimit) {
  SmtpServerOptions options;
  options.max_connections = 2;
  options.metrics = &metrics_;
  StartServer(options);
  RawClient a(server_->port()), b(server_->port());
  a.ReadReplies(1);
  b.ReadReplies(1);
  RawClient c(server_->port());
  EXPECT_EQ(c.ReadUntilClosed(), "421 4.3.2 mx.example.org Error: too many connections\r\n");
  ASSERT_TRUE(a.Send("QUIT\r\n"));  // the sessions within the limit are unaffected
  EXPECT_EQ(a.ReadUntilClosed(), "221 2.0.0 Bye\r\n");
  const std::string text = registry_.Render();
  EXPECT_NE(text.find("omnihub_smtp_connections_refused_total 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("omnihub_smtp_replies_total{class=\"4xx\",code=\"421\"} 1\n"), std::string::npos) << text;
}

TEST_F(SmtpServerTest, StopClosesOpenConnections) {
  StartServer();
  RawClient client(server_->port());
  client.ReadReplies(1);
  boost::asio::post(io_, [this] { server_->Stop(); });
  EXPECT_EQ(client.ReadUntilClosed(), "");
  loop_.join();  // run() returned: nothing is left in the loop
}

TEST_F(SmtpServerTest, StartFailsOnBadCertificateOrAddress) {
  sink_ = std::make_unique<RecordingSink>();
  SmtpServerOptions options;
  options.tls_certificate_file = kKey;  // not a certificate
  options.tls_private_key_file = kKey;
  SmtpServer bad_tls(io_, *sink_, policy_, options);
  EXPECT_TRUE(bad_tls.Start().IsInvalidArgument());
  SmtpServerOptions only_cert;
  only_cert.tls_certificate_file = kCert;
  SmtpServer half_tls(io_, *sink_, policy_, only_cert);
  EXPECT_TRUE(half_tls.Start().IsInvalidArgument());
  SmtpServerOptions bad_address;
  bad_address.listen_address = "not-an-ip";
  SmtpServer bad(io_, *sink_, policy_, bad_address);
  EXPECT_TRUE(bad.Start().IsInvalidArgument());
  SmtpServerOptions lmtp_on_25;
  lmtp_on_25.lmtp = true;
  lmtp_on_25.port = 25;
  SmtpServer lmtp(io_, *sink_, policy_, lmtp_on_25);
  EXPECT_TRUE(lmtp.Start().IsInvalidArgument());
}

}  // namespace
}  // namespace omnihub::email
