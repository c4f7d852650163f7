// The API's endpoints without sockets, for their unit tests: the real routing, authentication
// (a TokenStore in a temp dir) and worker pool, over fakes of the hub (FakeHub: canned query
// answers, every request kept) and of the command client (FakeCommands: canned results, every
// command kept with its actor), and a real outbox (TestOutbox) as the durable sink. Call()
// dispatches a request as the HTTP server would and waits for its answer.
//
// Thread-safety: the fakes are thread-safe (handlers run on the pool); Call may be made from
// several threads at once, the rest of the harness is driven from the test's thread.
#pragma once

#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/base/env.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "common/event/identity.h"
#include "common/http/router.h"
#include "services/api/api_config.h"
#include "services/api/auth/authenticator.h"
#include "services/api/auth/rate_limiter.h"
#include "services/api/auth/sessions.h"
#include "services/api/auth/token_store.h"
#include "services/api/core/api_routes.h"
#include "services/api/core/api_services.h"
#include "services/api/core/command_client.h"
#include "services/api/stream/change_hub.h"
#include "tests/support/test_outbox.h"

namespace omnihub::api::testing {

class FakeHub final : public bus::QueryTransport {
 public:
  using Answer = std::function<base::Result<v1::QueryResponse>(const v1::QueryRequest&)>;

  void Set(Answer answer) {
    std::lock_guard lock(mu_);
    answer_ = std::move(answer);
  }
  std::vector<v1::QueryRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!answer_) return base::Status::Unavailable("no answer set");
    return answer_(request);
  }

 private:
  mutable std::mutex mu_;
  Answer answer_;
  std::vector<v1::QueryRequest> requests_;
};

class FakeCommands final : public CommandClient {
 public:
  using Answer = std::function<base::Result<v1::CommandResult>(const v1::Command&)>;
  struct Sent {
    v1::Command command;
    std::string actor;
  };

  void Set(Answer answer) {
    std::lock_guard lock(mu_);
    answer_ = std::move(answer);
  }
  std::vector<Sent> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  base::Result<v1::CommandResult> Send(v1::Command command, const std::string& actor,
                                       std::chrono::milliseconds) override {
    std::lock_guard lock(mu_);
    sent_.push_back({command, actor});
    if (!answer_) return base::Status::Unavailable("no answer set");
    return answer_(command);
  }

 private:
  mutable std::mutex mu_;
  Answer answer_;
  std::vector<Sent> sent_;
};

class NoChanges final : public stream::ChangeHub {
 public:
  void Open(std::shared_ptr<http::HttpStream> stream, uint64_t, stream::ChangeFilter) override { stream->Close(); }
  uint64_t last_seq() const override { return 0; }
  void Stop() override {}
};

struct Answer {
  int status = 0;
  nlohmann::json body;
  std::string raw;
};

// `add` is the area's AddXRoutes (endpoints/endpoints.h).
class ApiHarness {
 public:
  using AddRoutes = base::Status (*)(ApiRoutes&, ApiServices&);

  explicit ApiHarness(AddRoutes add, const std::string& config_toml = "")
      : dir_(std::filesystem::temp_directory_path() /
             ("omnihub-api-test-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto parsed = config::ParseConfig(config_toml, "<test>", config::AllSections());
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) config_ = std::move(*parsed);
    tokens_ = std::make_unique<auth::TokenStore>((dir_ / "tokens").string(), clock_, random_);
    authenticator_ = std::make_unique<auth::Authenticator>(*tokens_, sessions_, limiter_, clock_);
    routes_ = std::make_unique<ApiRoutes>(router_, *authenticator_, workers_);
    Rebuild();
    auto status = add(*routes_, *services_);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  ~ApiHarness() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A token with `scopes` (auth::Scope bits) named `name`: its secret.
  std::string Token(const std::string& name, uint8_t scopes) {
    auto created = tokens_->Create(name, scopes, 0, "test");
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->token : "";
  }

  Answer Call(const std::string& method, const std::string& target, const std::string& token,
              const std::string& body = "", http::HttpHeaders headers = {}) {
    http::HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    request.body = body;
    request.headers = std::move(headers);
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty() && !http::FindHttpHeader(request.headers, "Content-Type")) {
      request.headers.emplace_back("Content-Type", "application/json");
    }
    auto promise = std::make_shared<std::promise<http::HttpResponse>>();
    auto future = promise->get_future();
    router_.Dispatch(std::move(request),
                     http::HttpResponder::Capture([promise](http::HttpResponse r) { promise->set_value(std::move(r)); }));
    http::HttpResponse response = future.get();
    Answer answer{response.status, nlohmann::json::parse(response.body, nullptr, false), response.body};
    return answer;
  }

  // Closes and reopens the outbox and rebuilds the routes, as a restart of omnihub-api does.
  void Restart(AddRoutes add) {
    outbox_.Reopen();
    router_ = http::HttpRouter();
    Rebuild();
    auto status = add(*routes_, *services_);
    EXPECT_TRUE(status.ok()) << status.ToString();
  }

  FakeHub& hub() { return hub_; }
  FakeCommands& commands() { return commands_; }
  omnihub::testing::TestOutbox& outbox() { return outbox_; }
  base::ManualClock& clock() { return clock_; }
  const std::filesystem::path& dir() const { return dir_; }

  // The events appended to the outbox (not commands or dead letters), in order.
  std::vector<v1::Event> Events() {
    std::vector<v1::Event> events;
    for (const auto& frame : outbox_.Frames()) {
      if (frame.payload_case() != v1::BusFrame::kEvent) continue;
      events.emplace_back();
      EXPECT_TRUE(events.back().ParseFromString(frame.event()));
    }
    return events;
  }

 private:
  void Rebuild() {
    services_ = std::make_unique<ApiServices>(ApiServices{config_, api_, hub_, outbox_.sink(), outbox_.outbox(),
                                                          commands_, *tokens_, sessions_, changes_, normalizer_, ids_,
                                                          clock_});
  }

  std::filesystem::path dir_;
  config::Config config_;
  ApiConfig api_;
  base::ManualClock clock_;
  base::SeededRandom random_{42};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  FakeHub hub_;
  FakeCommands commands_;
  NoChanges changes_;
  omnihub::testing::TestOutbox outbox_{"api"};
  std::unique_ptr<auth::TokenStore> tokens_;
  auth::SessionSigner sessions_{std::string(32, 'k')};
  auth::RateLimiter limiter_{clock_, 1000, 1000};
  std::unique_ptr<auth::Authenticator> authenticator_;
  http::HttpRouter router_;
  base::WorkerPool workers_{4};
  std::unique_ptr<ApiRoutes> routes_;
  std::unique_ptr<ApiServices> services_;
};

inline uint8_t Scopes(std::initializer_list<auth::Scope> scopes) {
  uint8_t mask = 0;
  for (auto s : scopes) mask |= static_cast<uint8_t>(s);
  return mask;
}

}  // namespace omnihub::api::testing
