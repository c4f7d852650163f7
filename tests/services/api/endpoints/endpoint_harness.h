// The API's endpoints as a client meets them, without sockets: the real HttpRouter, ApiRoutes,
// Authenticator (real token store in a temp dir) and worker pool, over a canned hub
// (FakeQueryTransport) and a command client that records what it was sent. A test adds one
// area's routes, calls Get/Post with a token of the scopes it needs, and reads the response and
// the hub requests it caused.
//
// Thread-safety: one call at a time (each call waits for its response), except for calls that
// reach neither fake (only the outbox), which may come from several threads at once.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <system_error>
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
#include "services/api/stream/partition_hubs.h"
#include "tests/support/fake_query_transport.h"
#include "tests/support/test_outbox.h"

namespace omnihub::api::testing {

// Records every command with its actor and answers with the next canned result (or error).
class RecordingCommandClient final : public CommandClient {
 public:
  base::Result<v1::CommandResult> Send(v1::Command command, const std::string& actor,
                                       std::chrono::milliseconds timeout, WrittenPosition* written) override {
    commands.push_back(command);
    actors.push_back(actor);
    timeouts.push_back(timeout);
    if (answers_.empty()) {
      ADD_FAILURE() << "unexpected command: " << command.ShortDebugString();
      return base::Status::Unavailable("the fake command client has no answer left");
    }
    auto answer = std::move(answers_.front());
    answers_.erase(answers_.begin());
    if (answer.ok() && written != nullptr) *written = position;
    return answer;
  }
  void Answer(base::Result<v1::CommandResult> answer) { answers_.push_back(std::move(answer)); }

  std::vector<v1::Command> commands;
  std::vector<std::string> actors;
  std::vector<std::chrono::milliseconds> timeouts;
  // Where every applied command is said to have gone in the log (default: one host).
  WrittenPosition position;

 private:
  std::vector<base::Result<v1::CommandResult>> answers_;
};

// Records every stream opened (the partition whose hub got it, where it starts, its filter)
// and ends it at once, so that the captured response is complete; `last` is what last_seq
// answers. Every partition's hub (Of) records here.
class RecordingChangeHub final : public stream::ChangeHub {
 public:
  struct Opened {
    uint64_t after_seq;
    stream::ChangeFilter filter;
    uint32_t partition = 0;
  };
  void Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, stream::ChangeFilter filter) override {
    OpenOn(0, std::move(stream), after_seq, std::move(filter));
  }
  void OpenOn(uint32_t partition, std::shared_ptr<http::HttpStream> stream, uint64_t after_seq,
              stream::ChangeFilter filter) {
    opened.push_back({after_seq, std::move(filter), partition});
    stream->Close();
  }
  uint64_t last_seq() const override { return last; }
  void Stop() override {}

  // The hub of one partition, recording into `all`.
  class Of final : public stream::ChangeHub {
   public:
    Of(RecordingChangeHub& all, uint32_t partition) : all_(all), partition_(partition) {}
    void Open(std::shared_ptr<http::HttpStream> stream, uint64_t after_seq, stream::ChangeFilter filter) override {
      all_.OpenOn(partition_, std::move(stream), after_seq, std::move(filter));
    }
    uint64_t last_seq() const override { return all_.last; }
    void Stop() override {}

   private:
    RecordingChangeHub& all_;
    const uint32_t partition_;
  };

  std::vector<Opened> opened;
  uint64_t last = 0;
};

// Every section, as omnihub-api parses its config (the erasure reads the adapters' sections).
inline config::Config TestConfig(const std::string& toml) {
  auto config = config::ParseConfig(toml, "test", config::AllSections());
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : config::Config{};
}

class EndpointHarness : public ::testing::Test {
 protected:
  // `toml`: the config file (unifier.page_max bounds every limit).
  explicit EndpointHarness(const std::string& toml = "[unifier]\npage_max = 100\n")
      : dir_(MakeTempDir()),
        config_(TestConfig(toml)),
        api_(config_.Get<ApiConfig>()),
        tokens_(dir_ + "/tokens", clock_, random_),
        sessions_(std::string(32, 'k')),
        limiter_(clock_, 1000, 1000),
        auth_(tokens_, sessions_, limiter_, clock_),
        normalizer_(config_.identity.default_region),
        ids_(clock_, random_),
        services_{config_, api_, hub, outbox_.sink(), outbox_.outbox(), commands, tokens_, sessions_,
                  change_hubs, normalizer_, ids_, clock_, WritePositions{}},
        routes_(router_, auth_, workers_) {
    reader_ = NewToken("agent-ana", static_cast<uint8_t>(auth::Scope::kRead));
    writer_ = NewToken("agent-bo", static_cast<uint8_t>(auth::Scope::kRead) | static_cast<uint8_t>(auth::Scope::kWrite));
  }
  ~EndpointHarness() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  ApiRoutes& routes() { return routes_; }
  ApiServices& services() { return services_; }

  // The response to one request (`target` with its query string) sent with `token` and
  // `headers` (a body without a Content-Type header is sent as application/json).
  http::HttpResponse Call(const std::string& method, const std::string& target, const std::string& token,
                          const std::string& body = "", http::HttpHeaders headers = {}) {
    http::HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    request.headers = std::move(headers);
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty() && !http::FindHttpHeader(request.headers, "Content-Type")) {
      request.headers.emplace_back("Content-Type", "application/json");
    }
    request.body = body;
    std::promise<http::HttpResponse> answered;
    auto response = answered.get_future();
    router_.Dispatch(std::move(request),
                     http::HttpResponder::Capture([&answered](http::HttpResponse r) { answered.set_value(std::move(r)); }));
    return response.get();
  }
  http::HttpResponse Get(const std::string& target) { return Call("GET", target, reader_); }
  http::HttpResponse Post(const std::string& target, const std::string& body) {
    return Call("POST", target, writer_, body);
  }

  static nlohmann::json Json(const http::HttpResponse& r) { return nlohmann::json::parse(r.body); }
  static std::string Header(const http::HttpResponse& r, std::string_view name) {
    auto v = http::FindHttpHeader(r.headers, name);
    return v ? std::string(*v) : std::string();
  }
  // Asserts the API's error shape with `status`, `code` and `field`.
  static void ExpectError(const http::HttpResponse& r, int status, const std::string& code, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body["error"]["code"], code) << r.body;
    EXPECT_EQ(body["error"].value("field", ""), field) << r.body;
    EXPECT_FALSE(body["error"].value("message", "").empty()) << r.body;
  }

  // A token named `name` with `scopes` (auth::Scope bits): its secret.
  std::string NewToken(const std::string& name, uint8_t scopes) {
    auto token = tokens_.Create(name, scopes, 0, "test");
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    return token.ok() ? token->token : "";
  }
  // The API's outbox (what writes made durable) and the clock the API reads.
  omnihub::testing::TestOutbox& outbox() { return outbox_; }
  base::ManualClock& clock() { return clock_; }
  const std::string& dir() const { return dir_; }
  // The events in the outbox (not commands or dead letters), in order.
  std::vector<v1::Event> OutboxEvents() {
    std::vector<v1::Event> events;
    for (const auto& frame : outbox_.Frames()) {
      if (frame.payload_case() != v1::BusFrame::kEvent) continue;
      events.emplace_back();
      EXPECT_TRUE(events.back().ParseFromString(frame.event()));
    }
    return events;
  }

  omnihub::testing::FakeQueryTransport hub;
  RecordingCommandClient commands;
  RecordingChangeHub changes;
  // The shard map the streams are routed by: a tenant not in it is on no partition.
  std::map<std::string, uint32_t, std::less<>> shard_map = {{"default", 0}, {"acme", 1}};
  std::vector<uint32_t> hubs_started;
  stream::PartitionHubs change_hubs{
      [this](std::string_view tenant) -> base::Result<uint32_t> {
        auto it = shard_map.find(tenant);
        if (it == shard_map.end()) return base::Status::NotFound("tenant '" + std::string(tenant) + "' is on no partition");
        return it->second;
      },
      [this](uint32_t partition) -> std::unique_ptr<stream::ChangeHub> {
        hubs_started.push_back(partition);
        return std::make_unique<RecordingChangeHub::Of>(changes, partition);
      }};
  std::string reader_;
  std::string writer_;

 private:
  static std::string MakeTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-api-test-XXXXXX").string();
    return ::mkdtemp(tmpl.data());
  }

  const std::string dir_;
  base::ManualClock clock_;
  base::SeededRandom random_{7};
  config::Config config_;
  const ApiConfig& api_;
  omnihub::testing::TestOutbox outbox_;
  auth::TokenStore tokens_;
  auth::SessionSigner sessions_;
  auth::RateLimiter limiter_;
  auth::Authenticator auth_;
  event::IdentityNormalizer normalizer_;
  base::UuidV7Generator ids_;
  ApiServices services_;
  http::HttpRouter router_;
  base::WorkerPool workers_{2};
  ApiRoutes routes_;
};

}  // namespace omnihub::api::testing
