// HttpServer over real loopback sockets. The client side is plain POSIX sockets with poll()
// deadlines (so that a failing test cannot hang) and Beast's response parser.
#include "common/http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "common/base/env.h"
#include "common/http/router.h"
#include "common/http/server_metrics.h"
#include "common/net/manual_timer.h"

namespace omnihub::http {
namespace {

namespace beast_http = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr milliseconds kWait{5000};  // generous bound for what should happen at once

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
  std::string connection;
  std::string transfer_encoding;
  std::string retry_after;
};

// One client connection.
class TestClient {
 public:
  explicit TestClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~TestClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response; nullopt on timeout, EOF or an unparsable response.
  std::optional<Reply> Read(milliseconds timeout = kWait, bool head = false) {
    beast_http::response_parser<beast_http::string_body> parser;
    parser.eager(true);
    parser.body_limit(64 * 1024 * 1024);
    if (head) parser.skip(true);
    const auto deadline = SteadyClock::now() + timeout;
    boost::system::error_code ec;
    while (!parser.is_done()) {
      if (!pending_.empty()) {
        const size_t used = parser.put(boost::asio::buffer(pending_), ec);
        pending_.erase(0, used);
        if (ec && ec != beast_http::error::need_more) return std::nullopt;
        if (parser.is_done()) break;
        if (used > 0 && !ec) continue;
      }
      const int got = Receive(deadline);
      if (got < 0) return std::nullopt;
      if (got == 0) {
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return std::nullopt;
      }
    }
    const auto& msg = parser.get();
    Reply reply;
    reply.status = static_cast<int>(msg.result_int());
    reply.body = msg.body();
    reply.content_type = std::string(msg[beast_http::field::content_type]);
    reply.allow = std::string(msg[beast_http::field::allow]);
    reply.connection = std::string(msg[beast_http::field::connection]);
    reply.transfer_encoding = std::string(msg[beast_http::field::transfer_encoding]);
    reply.retry_after = std::string(msg[beast_http::field::retry_after]);
    return reply;
  }

  // Raw bytes until `needle` has been received (true) or the timeout/EOF (false).
  bool ReadUntil(std::string_view needle, milliseconds timeout = kWait) {
    const auto deadline = SteadyClock::now() + timeout;
    while (raw_.find(needle) == std::string::npos) {
      if (Receive(deadline) <= 0) return false;
      raw_ += pending_;
      pending_.clear();
    }
    return true;
  }
  const std::string& raw() const { return raw_; }

  // True once the server has closed the connection (EOF or reset), within `timeout`.
  bool WaitClosed(milliseconds timeout = kWait) {
    const auto deadline = SteadyClock::now() + timeout;
    while (true) {
      const int got = Receive(deadline);
      if (got == 0) return true;
      if (got < 0) return errno_ != ETIMEDOUT;
      pending_.clear();
    }
  }

  // True if nothing arrives within `timeout` and the connection stays open.
  bool Quiet(milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) == 0;
  }

 private:
  // Appends to pending_: bytes read (> 0), 0 on EOF, -1 on error or deadline (errno_ says which).
  int Receive(SteadyClock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
      errno_ = ETIMEDOUT;
      return -1;
    }
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n < 0) {
      errno_ = errno;
      return -1;
    }
    pending_.append(buf, static_cast<size_t>(n));
    return static_cast<int>(n);
  }

  int fd_ = -1;
  bool connected_ = false;
  int errno_ = 0;
  std::string pending_;
  std::string raw_;
};

// Responders handed from the event loop to the test thread, like an adapter's worker queue.
class ResponderQueue {
 public:
  void Push(HttpResponder respond) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(respond));
    cv_.notify_all();
  }
  std::optional<HttpResponder> Pop(milliseconds timeout = kWait) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return !queue_.empty(); })) return std::nullopt;
    HttpResponder respond = std::move(queue_.front());
    queue_.pop_front();
    return respond;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<HttpResponder> queue_;
};

std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra) + "\r\n";
}

std::string Post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

// The server's timeouts run on a simulated clock (timers_) that only the test moves, so the
// timeout tests say exactly when something is due; one test runs the real timers.
class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    options_.threads = 2;  // responders and strands are exercised across loop threads
    // All different, so that a test can tell from a deadline which timeout was armed.
    options_.read_timeout = milliseconds(200);
    options_.idle_timeout = milliseconds(300);
    options_.write_timeout = milliseconds(1000);
    options_.timers = &timers_;
  }

  void SetUp() override {
    auto echo = [this](HttpRequest request, HttpResponder respond) {
      ++handled_;
      HttpResponse response;
      response.body = request.method + " path=" + request.path + " query=" + request.query +
                      " body=" + request.body + " agent=" + std::string(request.header("user-agent").value_or("")) +
                      " remote_ok=" + (request.remote.rfind("127.0.0.1:", 0) == 0 ? "1" : "0");
      respond(std::move(response));
    };
    ASSERT_TRUE(router_.Add("GET", "/echo", echo).ok());
    ASSERT_TRUE(router_.Add("POST", "/echo", echo).ok());
    ASSERT_TRUE(router_
                    .Add("POST", "/twilio/{account}/messages",
                         [](HttpRequest request, HttpResponder respond) {
                           HttpResponse response;
                           response.content_type = "application/xml";
                           response.body = "account=" + request.path_params["account"] + " query=" + request.query;
                           respond(std::move(response));
                         })
                    .ok());
    ASSERT_TRUE(router_.Add("GET", "/later", [this](HttpRequest, HttpResponder respond) {
                  queue_.Push(std::move(respond));
                }).ok());
    ASSERT_TRUE(router_.Add("GET", "/forget", [](HttpRequest, HttpResponder) {}).ok());
    ASSERT_TRUE(router_.Add("GET", "/throw", [](HttpRequest, HttpResponder) {
                  throw std::runtime_error("handler bug");
                }).ok());
  }

  void StartServer() {
    server_ = std::make_unique<HttpServer>(options_, router_.AsHandler());
    const base::Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_NE(server_->bound_port(), 0);
  }

  uint16_t port() const { return server_->bound_port(); }

  // Waits until the server counts `n` open connections.
  bool WaitForConnections(size_t n) {
    const auto deadline = SteadyClock::now() + kWait;
    while (server_->connection_count() != n) {
      if (SteadyClock::now() > deadline) return false;
      std::this_thread::yield();
    }
    return true;
  }

  // Moves the simulated clock to one microsecond before `due`, then to `due`: true if no timer
  // fell due before and exactly one did then.
  ::testing::AssertionResult FiresExactlyAt(SteadyClock::time_point due) {
    const auto before = due - microseconds(1) - timers_.Now();
    if (const size_t early = timers_.Advance(before); early != 0) {
      return ::testing::AssertionFailure() << early << " timer(s) fired before the deadline";
    }
    if (const size_t fired = timers_.Advance(microseconds(1)); fired != 1) {
      return ::testing::AssertionFailure() << fired << " timer(s) fired at the deadline, not one";
    }
    return ::testing::AssertionSuccess();
  }

  base::ManualClock clock_;
  net::ManualTimerFactory timers_{clock_};
  HttpServerOptions options_;
  HttpRouter router_;
  ResponderQueue queue_;
  std::atomic<int> handled_{0};
  std::unique_ptr<HttpServer> server_;
};

// Collects what is logged, for the access-log tests.
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string Text() {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    text_.append(msg.payload.data(), msg.payload.size());
    text_ += '\n';
  }
  void flush_() override {}

 private:
  std::string text_;
};

// The access log line of each request, once written (it follows the answer), from the logger
// the server writes to while this object lives.
class AccessLogCapture {
 public:
  AccessLogCapture() : previous_(spdlog::default_logger()), sink_(std::make_shared<CapturingSink>()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink_));
  }
  ~AccessLogCapture() { spdlog::set_default_logger(previous_); }
  AccessLogCapture(const AccessLogCapture&) = delete;
  AccessLogCapture& operator=(const AccessLogCapture&) = delete;

  // What was logged once `needle` appears, or everything logged after 5 s without it.
  std::string WaitFor(const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::string text = sink_->Text();
    while (text.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      text = sink_->Text();
    }
    return text;
  }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<CapturingSink> sink_;
};

TEST_F(HttpServerTest, AccessLogShowsTheQueryStringByDefault) {
  AccessLogCapture log;
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/echo?code=visible")));
  ASSERT_TRUE(client.Read().has_value());
  EXPECT_NE(log.WaitFor("\"GET /echo").find("\"GET /echo?code=visible\" 200"), std::string::npos);
}

// A service whose query strings carry secrets or personal data (omnihub-api: one-time login
// codes, search words) turns them out of its access log.
TEST_F(HttpServerTest, AccessLogLeavesOutTheQueryStringWhenAsked) {
  AccessLogCapture log;
  options_.access_log_query = false;
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/echo?code=secret-login-code")));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->body.find("query=code=secret-login-code"), std::string::npos) << "the handler still sees it";
  const std::string text = log.WaitFor("\"GET /echo");
  EXPECT_NE(text.find("\"GET /echo?...\" 200"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret-login-code"), std::string::npos) << text;
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Get("/echo?i=" + std::to_string(i), "User-Agent: t\r\n")));
    auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << i;
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, "GET path=/echo query=i=" + std::to_string(i) + " body= agent=t remote_ok=1");
  }
  // Two pipelined requests in one segment are answered in order.
  ASSERT_TRUE(client.Send(Post("/echo", "first") + Post("/echo", "second")));
  auto first = client.Read();
  auto second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "POST path=/echo query= body=first agent= remote_ok=1");
  EXPECT_EQ(second->body, "POST path=/echo query= body=second agent= remote_ok=1");
  EXPECT_EQ(server_->connection_count(), 1u);
  EXPECT_EQ(handled_.load(), 5);
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  StartServer();
  TestClient plain(port());
  ASSERT_TRUE(plain.Send("GET /echo HTTP/1.0\r\n\r\n"));
  auto reply = plain.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->connection, "close");
  EXPECT_TRUE(plain.WaitClosed());

  TestClient keep(port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(keep.Send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    reply = keep.Read();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->connection, "keep-alive");
  }
}

TEST_F(HttpServerTest, PathParamsAreDecodedAndRawQueryIsKept) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Post("/twilio/AC%20x/messages?To=%2B1555&Body=a+b", "")));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->content_type, "application/xml");
  EXPECT_EQ(reply->body, "account=AC x query=To=%2B1555&Body=a+b");
}

TEST_F(HttpServerTest, UnknownPathAndWrongMethodGetJsonErrors) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/nope")));
  auto missing = client.Read();
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->content_type, "application/json");
  EXPECT_EQ(missing->body, R"({"error": {"code": "not_found", "message": "no resource at this path"}})");

  ASSERT_TRUE(client.Send("DELETE /echo HTTP/1.1\r\nHost: test\r\n\r\n"));
  auto wrong = client.Read();
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->allow, "GET, HEAD, POST");
  EXPECT_EQ(wrong->content_type, "application/json");
  EXPECT_NE(wrong->body.find(R"("code": "method_not_allowed")"), std::string::npos);
}

TEST_F(HttpServerTest, OversizedBodyIs413AndNeverReachesTheHandler) {
  options_.max_body_bytes = 1000;
  StartServer();
  TestClient declared(port());
  ASSERT_TRUE(declared.Send(Post("/echo", std::string(5000, 'x'))));
  auto reply = declared.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->body, R"({"error": {"code": "payload_too_large", "message": "the request body exceeds 1000 bytes"}})");
  EXPECT_TRUE(declared.WaitClosed());

  TestClient chunked(port());
  ASSERT_TRUE(chunked.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(chunked.Send("200\r\n" + std::string(512, 'y') + "\r\n"));
  reply = chunked.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_TRUE(chunked.WaitClosed());

  TestClient exact(port());  // the limit itself is allowed
  ASSERT_TRUE(exact.Send(Post("/echo", std::string(1000, 'z'))));
  reply = exact.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(handled_.load(), 1);
}

TEST_F(HttpServerTest, OversizedHeaderIs431) {
  options_.max_header_bytes = 1024;
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/echo", "X-Big: " + std::string(4000, 'h') + "\r\n")));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 431);
  EXPECT_EQ(reply->content_type, "application/json");
  EXPECT_NE(reply->body.find(R"("code": "header_too_large")"), std::string::npos);
  EXPECT_EQ(reply->connection, "close");
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, MalformedRequestIs400ThenClose) {
  StartServer();
  for (const std::string& garbage : std::vector<std::string>{"GARBAGE\r\n\r\n", "GET /echo HTTP/1.1\r\nNo colon here\r\n\r\n",
                              "GET /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n", "GET /echo HTTP/9.9\r\n\r\n",
                              std::string("GET /e\0ho HTTP/1.1\r\n\r\n", 22), "GET /echo HTTP/1.1\r\n\r\n",
                              "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                              "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"}) {
    TestClient client(port());
    ASSERT_TRUE(client.Send(garbage));
    auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << garbage;
    EXPECT_EQ(reply->status, 400) << garbage;
    EXPECT_NE(reply->body.find(R"("code": "bad_request")"), std::string::npos);
    EXPECT_TRUE(client.WaitClosed());
  }
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, RandomBytesDoNotDisturbTheServer) {
  StartServer();
  std::mt19937 random(20261123);
  const std::string valid = Post("/twilio/AC1/messages?x=1", "Body=hello") + Get("/echo", "Expect: 100-continue\r\n");
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 300; ++i) {
    // Valid requests with bytes flipped, cut short or followed by noise.
    std::string input = valid.substr(0, random() % (valid.size() + 1));
    for (int flips = static_cast<int>(random() % 4); flips > 0 && !input.empty(); --flips) {
      input[random() % input.size()] = static_cast<char>(random() % 256);
    }
    for (size_t noise = random() % 64; noise > 0; --noise) input.push_back(static_cast<char>(random() % 256));
    clients.push_back(std::make_unique<TestClient>(port()));
    ASSERT_TRUE(clients.back()->Send(input));
    if (i % 2 == 0) clients.pop_back();  // half of them hang up at once
  }
  clients.clear();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/echo")));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
}

TEST_F(HttpServerTest, TricklingClientGets408WhenTheReadTimeoutIsDue) {
  StartServer();
  TestClient client(port());
  const auto start = timers_.Now();
  // The first byte starts the read timeout; the bytes that keep arriving do not extend it.
  const std::string request = Get("/echo", "X-Slow: " + std::string(100, 's') + "\r\n");
  ASSERT_TRUE(client.Send(request.substr(0, 1)));
  const auto due = start + options_.read_timeout;
  ASSERT_TRUE(timers_.WaitForDeadline(due, kWait));
  for (size_t i = 1; i < 20; ++i) {  // one byte every 10 ms, up to 190 ms
    ASSERT_EQ(timers_.Advance(milliseconds(10)), 0u) << i;
    ASSERT_TRUE(client.Send(request.substr(i, 1)));
  }
  EXPECT_TRUE(FiresExactlyAt(due));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 408);
  EXPECT_NE(reply->body.find(R"("code": "timeout")"), std::string::npos);
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, HalfARequestIsCutOffWhenTheReadTimeoutIsDue) {
  StartServer();
  TestClient client(port());
  const auto start = timers_.Now();
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part"));
  ASSERT_TRUE(timers_.WaitForDeadline(start + options_.read_timeout, kWait));
  EXPECT_TRUE(FiresExactlyAt(start + options_.read_timeout));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 408);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedWhenTheIdleTimeoutIsDue) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/echo")));
  ASSERT_TRUE(client.Read().has_value());
  // The clock stood still, so the idle timeout armed after the answer (the one armed on
  // connecting gave way to the read timeout) and the write timeout have distinct deadlines.
  const auto due = timers_.Now() + options_.idle_timeout;
  ASSERT_TRUE(timers_.WaitForDeadline(due, kWait));
  EXPECT_TRUE(FiresExactlyAt(due));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitForConnections(0));
}

TEST_F(HttpServerTest, SilentConnectionIsClosedWhenTheIdleTimeoutIsDue) {
  StartServer();
  const auto start = timers_.Now();
  TestClient silent(port());  // never sends a byte
  ASSERT_TRUE(timers_.WaitForDeadline(start + options_.idle_timeout, kWait));
  EXPECT_TRUE(FiresExactlyAt(start + options_.idle_timeout));
  EXPECT_TRUE(silent.WaitClosed());
  EXPECT_TRUE(WaitForConnections(0));
}

// The one test on the real clock: the timeouts work on asio's steady timers at all. (How long
// they take is the simulated tests' business.)
TEST_F(HttpServerTest, RealTimersCutOffAHalfRequest) {
  options_.timers = &net::SteadyTimers();
  options_.read_timeout = milliseconds(50);
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part"));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 408);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(HttpServerTest, HandlerAnswersFromAnotherThreadLater) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/later")));
  auto respond = queue_.Pop();
  ASSERT_TRUE(respond.has_value());
  EXPECT_TRUE(client.Quiet(milliseconds(50)));  // no answer before the handler gives one
  // No timeout runs while the handler owes the answer: the client is not the one to blame.
  EXPECT_EQ(timers_.Advance(options_.read_timeout + options_.idle_timeout + options_.write_timeout), 0u);
  std::thread worker([r = std::move(*respond)] {
    HttpResponse response;
    response.status = 202;
    response.body = "accepted";
    response.headers.emplace_back("X-Worker", "1");
    r(std::move(response));
  });
  worker.join();
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 202);
  EXPECT_EQ(reply->body, "accepted");
  // The connection carries on afterwards, although every timeout passed while we waited.
  ASSERT_TRUE(client.Send(Get("/echo")));
  EXPECT_TRUE(client.Read().has_value());
}

TEST_F(HttpServerTest, ForgottenResponderAndThrowingHandlerGive500) {
  StartServer();
  TestClient client(port());
  for (std::string target : {"/forget", "/throw"}) {
    ASSERT_TRUE(client.Send(Get(target)));
    auto reply = client.Read();
    ASSERT_TRUE(reply.has_value()) << target;
    EXPECT_EQ(reply->status, 500);
    EXPECT_EQ(reply->content_type, "application/json");
    EXPECT_NE(reply->body.find(R"("code": "internal")"), std::string::npos);
  }
}

TEST_F(HttpServerTest, AnswerAfterTheClientLeftIsDropped) {
  StartServer();
  std::optional<HttpResponder> respond;
  {
    TestClient client(port());
    ASSERT_TRUE(client.Send(Get("/later")));
    respond = queue_.Pop();
    ASSERT_TRUE(respond.has_value());
  }
  ASSERT_TRUE(WaitForConnections(1));  // the server notices the close only when it writes
  (*respond)(HttpResponse{});
  ASSERT_TRUE(WaitForConnections(0));
  TestClient next(port());
  ASSERT_TRUE(next.Send(Get("/echo")));
  EXPECT_TRUE(next.Read().has_value());
}

TEST_F(HttpServerTest, ResponderOutlivingTheServerIsHarmless) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/later")));
  auto respond = queue_.Pop();
  ASSERT_TRUE(respond.has_value());
  auto stream = respond->Stream(200, "text/plain");
  server_.reset();
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_FALSE(stream->Write("after stop"));
  stream->Close();
  (*respond)(HttpResponse{});  // a second answer, after the server: ignored
}

TEST_F(HttpServerTest, TwoHundredConcurrentConnections) {
  options_.access_log = false;
  options_.idle_timeout = milliseconds(10000);
  StartServer();
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 200; ++i) {
    clients.push_back(std::make_unique<TestClient>(port()));
    ASSERT_TRUE(clients.back()->connected());
  }
  ASSERT_TRUE(WaitForConnections(200));
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < clients.size(); ++i) {
      ASSERT_TRUE(clients[i]->Send(Post("/echo", std::to_string(i) + "." + std::to_string(round))));
    }
    for (size_t i = 0; i < clients.size(); ++i) {
      auto reply = clients[i]->Read();
      ASSERT_TRUE(reply.has_value()) << i;
      EXPECT_EQ(reply->body,
                "POST path=/echo query= body=" + std::to_string(i) + "." + std::to_string(round) + " agent= remote_ok=1");
    }
  }
  EXPECT_EQ(handled_.load(), 600);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  service::Registry registry;
  HttpServerMetrics metrics(registry);
  options_.metrics = &metrics;
  options_.max_connections = 2;
  StartServer();
  TestClient a(port());
  TestClient b(port());
  ASSERT_TRUE(WaitForConnections(2));
  TestClient c(port());
  auto reply = c.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 503);
  EXPECT_NE(reply->body.find(R"("code": "unavailable")"), std::string::npos);
  EXPECT_TRUE(c.WaitClosed());
  ASSERT_TRUE(a.Send(Get("/echo")));
  EXPECT_TRUE(a.Read().has_value());
  server_.reset();  // before the metrics it counts into
  const std::string text = registry.Render();
  EXPECT_NE(text.find("omnihub_http_requests_total{code=\"503\"} 1\n"), std::string::npos) << text;
}

// GET /events answers with a stream (text/event-stream, Cache-Control: no-cache), handed to
// the test thread by Open().
class StreamRoute {
 public:
  explicit StreamRoute(HttpRouter& router) {
    const base::Status added = router.Add("GET", "/events", [this](HttpRequest, HttpResponder respond) {
      std::lock_guard lock(mu_);
      stream_ = respond.Stream(200, "text/event-stream", {{"Cache-Control", "no-cache"}});
      cv_.notify_all();
    });
    EXPECT_TRUE(added.ok()) << added.ToString();
  }
  // Sends GET /events on `client`: the stream once the handler has opened it; nullptr if it
  // did not within kWait.
  std::shared_ptr<HttpStream> Open(TestClient& client) {
    if (!client.Send(Get("/events"))) return nullptr;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kWait, [&] { return stream_ != nullptr; });
    return stream_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<HttpStream> stream_;
};

TEST_F(HttpServerTest, StreamedResponseIsChunkedAndArrivesPieceByPiece) {
  StreamRoute route(router_);
  StartServer();
  TestClient client(port());
  std::shared_ptr<HttpStream> stream = route.Open(client);
  ASSERT_NE(stream, nullptr);
  std::thread producer([stream] { EXPECT_TRUE(stream->Write("data: one\n\n")); });
  producer.join();
  // The first piece arrives while the stream is still open.
  ASSERT_TRUE(client.ReadUntil("data: one\n\n\r\n"));
  EXPECT_NE(client.raw().find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_NE(client.raw().find("Content-Type: text/event-stream\r\n"), std::string::npos);
  EXPECT_NE(client.raw().find("\r\nb\r\ndata: one\n\n\r\n"), std::string::npos);
  EXPECT_TRUE(stream->Write("data: two\n\n"));
  stream->Close();
  EXPECT_FALSE(stream->Write("late"));
  ASSERT_TRUE(client.ReadUntil("\r\n0\r\n\r\n"));
  EXPECT_NE(client.raw().find("b\r\ndata: two\n\n\r\n0\r\n\r\n"), std::string::npos);
  // The connection is reusable after the stream.
  ASSERT_TRUE(client.Send(Get("/echo")));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  ASSERT_TRUE(client.ReadUntil("HTTP/1.1 100 Continue\r\n\r\n"));
  ASSERT_TRUE(client.Send("body"));
  ASSERT_TRUE(client.ReadUntil("body=body"));
}

TEST_F(HttpServerTest, HeadGetsHeadersWithoutBody) {
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send("HEAD /echo HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto reply = client.Read(kWait, /*head=*/true);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "");
  ASSERT_TRUE(client.Send(Get("/echo")));  // no stray body bytes in front of the next reply
  reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
}

TEST_F(HttpServerTest, AccessLogSwitchedOffStillServes) {
  options_.access_log = false;
  StartServer();
  TestClient client(port());
  ASSERT_TRUE(client.Send(Get("/echo") + Get("/nope")));
  EXPECT_EQ(client.Read().value_or(Reply{}).status, 200);
  EXPECT_EQ(client.Read().value_or(Reply{}).status, 404);
}

TEST_F(HttpServerTest, StopClosesOpenConnections) {
  StartServer();
  TestClient idle(port());
  TestClient waiting(port());
  ASSERT_TRUE(waiting.Send(Get("/later")));
  ASSERT_TRUE(queue_.Pop().has_value());  // dropped unanswered: the 500 is posted, maybe after Stop
  ASSERT_TRUE(WaitForConnections(2));
  server_->Stop();
  EXPECT_TRUE(idle.WaitClosed());
  EXPECT_TRUE(waiting.WaitClosed());
  EXPECT_EQ(server_->connection_count(), 0u);
  server_->Stop();  // idempotent
  EXPECT_TRUE(server_->Start().IsInvalidArgument());
}

// Waits until the server counts `n` requests in flight.
bool WaitForInFlight(const HttpServer& server, size_t n) {
  const auto deadline = SteadyClock::now() + kWait;
  while (server.in_flight() != n) {
    if (SteadyClock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST_F(HttpServerTest, DrainRefusesNewRequestsWith503AndFinishesTheOneInFlight) {
  StartServer();
  TestClient fresh(port());  // accepted, nothing sent yet: its client is about to send
  TestClient waiting(port());
  ASSERT_TRUE(waiting.Send(Get("/later")));
  auto respond = queue_.Pop();
  ASSERT_TRUE(respond.has_value());
  ASSERT_TRUE(WaitForConnections(2));
  EXPECT_EQ(server_->in_flight(), 1u);

  server_->BeginDrain(7);
  ASSERT_TRUE(fresh.Send(Get("/echo")));
  auto refused = fresh.Read();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 503);
  EXPECT_EQ(refused->retry_after, "7");
  EXPECT_EQ(refused->connection, "close");
  EXPECT_EQ(refused->content_type, "application/json");
  EXPECT_NE(refused->body.find("\"unavailable\""), std::string::npos) << refused->body;
  EXPECT_TRUE(fresh.WaitClosed());
  EXPECT_EQ(handled_.load(), 0);  // the refused GET /echo never reached its handler
  EXPECT_TRUE(WaitForInFlight(*server_, 1));

  std::thread worker([r = std::move(*respond)] {
    HttpResponse response;
    response.body = "late but served";
    r(std::move(response));
  });
  worker.join();
  auto served = waiting.Read();
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->status, 200);
  EXPECT_EQ(served->body, "late but served");
  EXPECT_EQ(served->connection, "close");  // the drain ends every connection after its answer
  EXPECT_TRUE(waiting.WaitClosed());
  EXPECT_TRUE(WaitForInFlight(*server_, 0));
}

TEST_F(HttpServerTest, DrainClosesIdleKeepAliveConnections) {
  StartServer();
  TestClient idle(port());
  ASSERT_TRUE(idle.Send(Get("/echo")));
  auto first = idle.Read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->connection, "");  // kept alive
  // The answer may be read before its write completes on the server: then it is idle.
  ASSERT_TRUE(WaitForInFlight(*server_, 0));
  EXPECT_TRUE(idle.Quiet(milliseconds(20)));
  server_->BeginDrain(1);
  EXPECT_TRUE(idle.WaitClosed());  // with no request sent: closed by the drain, not a timeout
}

TEST_F(HttpServerTest, DrainServesARequestWhoseBytesWereArrivingAndClosesTheListener) {
  StartServer();
  TestClient client(port());
  const std::string request = Post("/echo", "0123456789");
  ASSERT_TRUE(client.Send(request.substr(0, request.size() - 5)));
  // Counted as begun: from here on the drain must serve it, however the threads interleave.
  ASSERT_TRUE(WaitForInFlight(*server_, 1));
  server_->BeginDrain(1);
  // The listener closes: a new connection is refused, or reset before it is served.
  const auto deadline = SteadyClock::now() + kWait;
  while (true) {
    TestClient late(port());
    if (!late.connected() || (late.Send(Get("/echo")) && !late.Read(milliseconds(200)).has_value())) break;
    ASSERT_LT(SteadyClock::now(), deadline) << "the listener still serves new connections";
  }
  ASSERT_TRUE(client.Send(request.substr(request.size() - 5)));
  auto reply = client.Read();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_NE(reply->body.find("body=0123456789"), std::string::npos) << reply->body;
  EXPECT_EQ(reply->connection, "close");
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_TRUE(WaitForInFlight(*server_, 0));
}

TEST_F(HttpServerTest, DrainEndsOpenStreams) {
  StreamRoute route(router_);
  StartServer();
  TestClient client(port());
  std::shared_ptr<HttpStream> stream = route.Open(client);
  ASSERT_NE(stream, nullptr);
  ASSERT_TRUE(client.ReadUntil("text/event-stream"));
  EXPECT_EQ(server_->in_flight(), 0u);  // a stream is not work the drain waits for
  server_->BeginDrain(1);
  ASSERT_TRUE(client.ReadUntil("\r\n0\r\n\r\n")) << client.raw();  // the body ends properly
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_FALSE(stream->Write("after the drain"));
}

TEST_F(HttpServerTest, StartReportsAnAddressInUseAndBadAddresses) {
  StartServer();
  HttpServerOptions same = options_;
  same.listen = "127.0.0.1:" + std::to_string(port());
  HttpServer second(same, router_.AsHandler());
  const base::Status in_use = second.Start();
  EXPECT_EQ(in_use.code(), base::StatusCode::kIoError);
  EXPECT_NE(in_use.message().find(same.listen), std::string::npos) << in_use.ToString();
  for (std::string bad : {"localhost:80", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:x", "[::1:80"}) {
    HttpServerOptions options = options_;
    options.listen = bad;
    HttpServer server(options, router_.AsHandler());
    EXPECT_TRUE(server.Start().IsInvalidArgument()) << bad;
  }
  HttpServerOptions no_threads = options_;
  no_threads.threads = 0;
  EXPECT_TRUE(HttpServer(no_threads, router_.AsHandler()).Start().IsInvalidArgument());
  HttpServerOptions no_timeout = options_;
  no_timeout.read_timeout = milliseconds(0);
  EXPECT_TRUE(HttpServer(no_timeout, router_.AsHandler()).Start().IsInvalidArgument());
}

TEST_F(HttpServerTest, ListensOnIpv6Loopback) {
  options_.listen = "[::1]:0";
  server_ = std::make_unique<HttpServer>(options_, router_.AsHandler());
  const base::Status s = server_->Start();
  if (!s.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << s.ToString();
  EXPECT_NE(server_->bound_port(), 0);
}

}  // namespace
}  // namespace omnihub::http
