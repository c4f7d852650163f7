// Readiness and the admin routes (/metrics, /healthz, /readyz): through the router without a
// socket, and once over a real loopback connection.
#include "common/service/admin_server.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>

#include "common/http/router.h"

namespace omnihub::service {
namespace {

class AdminServerTest : public ::testing::Test {
 protected:
  AdminServerTest() {
    readiness_.Add("store", [] { return base::Status::Ok(); });
    readiness_.Add("bus", [this]() -> base::Status {
      if (bus_up_.load()) return base::Status::Ok();
      return base::Status::Unavailable("not connected to the unifier at ipc://x");
    });
    registry_.AddCounter("omnihub_test_total", "A test counter.").Increment(2);
    EXPECT_TRUE(AdminServer::AddRoutes(router_, registry_, readiness_).ok());
  }

  http::HttpResponse Get(const std::string& path) {
    http::HttpRequest request;
    request.method = "GET";
    request.target = path;
    request.path = path;
    std::optional<http::HttpResponse> answer;
    router_.Dispatch(std::move(request), http::HttpResponder::Capture([&answer](http::HttpResponse r) { answer = std::move(r); }));
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(http::HttpResponse{});
  }

  Registry registry_;
  Readiness readiness_;
  http::HttpRouter router_;
  std::atomic<bool> bus_up_{true};
};

TEST_F(AdminServerTest, MetricsAreTheRegistryInTextFormat) {
  const http::HttpResponse r = Get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.body, registry_.Render());
  EXPECT_NE(r.body.find("omnihub_test_total 2\n"), std::string::npos);
}

TEST_F(AdminServerTest, HealthzSaysAlive) {
  const http::HttpResponse r = Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "{\"alive\":true}");
}

TEST_F(AdminServerTest, ReadyWhenEveryCheckPasses) {
  const http::HttpResponse r = Get("/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"ready\":true,\"checks\":{\"store\":{\"ok\":true},\"bus\":{\"ok\":true}}}");
}

TEST_F(AdminServerTest, UnreadyNamesTheFailingCheckAndItsReason) {
  bus_up_ = false;
  const http::HttpResponse r = Get("/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body,
            "{\"ready\":false,\"checks\":{\"store\":{\"ok\":true},"
            "\"bus\":{\"ok\":false,\"reason\":\"not connected to the unifier at ipc://x\"}}}");
  bus_up_ = true;
  EXPECT_EQ(Get("/readyz").status, 200);
}

TEST_F(AdminServerTest, ReasonsWithInvalidUtf8StillMakeJson) {
  readiness_.Add("odd", [] { return base::Status::Unavailable("bad \xff byte"); });
  const ReadinessReport report = readiness_.Evaluate();
  EXPECT_FALSE(report.ready);
  EXPECT_NE(report.json.find("\"reason\":\"bad \xef\xbf\xbd byte\""), std::string::npos) << report.json;
}

TEST_F(AdminServerTest, ServesOverLoopback) {
  AdminServer server("127.0.0.1:0", registry_, readiness_);
  ASSERT_TRUE(server.Start().ok());
  ASSERT_NE(server.bound_port(), 0);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.bound_port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string response;
  char buf[1024];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) response.append(buf, static_cast<size_t>(n));
  close(fd);
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("\r\n\r\n{\"alive\":true}"), std::string::npos) << response;
  server.Stop();
}

TEST_F(AdminServerTest, StartFailsOnAnAddressInUse) {
  AdminServer first("127.0.0.1:0", registry_, readiness_);
  ASSERT_TRUE(first.Start().ok());
  AdminServer second("127.0.0.1:" + std::to_string(first.bound_port()), registry_, readiness_);
  const base::Status s = second.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(std::to_string(first.bound_port())), std::string::npos) << s.message();
}

}  // namespace
}  // namespace omnihub::service
