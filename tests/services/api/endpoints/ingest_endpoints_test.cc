// POST /api/v1/events (endpoints/ingest.cc): one object or JSON Lines parsed as omnihubctl
// inject parses them, all or nothing, and Idempotency-Key: a repeat answers the first answer
// and stores nothing, also after a restart and when the repeats arrive at once; the key with
// another body is refused.
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/api_test_harness.h"

namespace omnihub::api {
namespace {

using testing::ApiHarness;
using testing::Scopes;

constexpr char kSms[] =
    R"({"channel":"sms","account":"+14155550000","direction":"inbound","occurred_at":"2026-11-23T10:00:00Z","from":{"phone":"+14155550100"},"text":"Is my order on its way?"})";
constexpr char kNote[] =
    R"({"channel":"api","account":"shop","provider_message_id":"order-1042","kind":"activity","direction":"inbound","occurred_at":"2026-11-23T09:30:00Z","from":{"email":"jane.doe@example.com"},"text":"shipped"})";

http::HttpHeaders Ndjson(std::string key = "") {
  http::HttpHeaders h{{"Content-Type", "application/x-ndjson"}};
  if (!key.empty()) h.emplace_back("Idempotency-Key", std::move(key));
  return h;
}

class IngestEndpointsTest : public ::testing::Test {
 protected:
  ApiHarness api_{AddIngestRoutes};
  std::string integrator_ = api_.Token("shop-backend", Scopes({auth::Scope::kIngest}));
};

TEST_F(IngestEndpointsTest, OneObjectIsStoredAndItsIdAnswered) {
  auto r = api_.Call("POST", "/api/v1/events", integrator_, kSms);
  ASSERT_EQ(r.status, 202) << r.raw;
  EXPECT_EQ(r.body["accepted"], 1);
  auto events = api_.Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(r.body["event_ids"], nlohmann::json::array({base::UuidToString(events[0].event_id())}));
  EXPECT_EQ(events[0].text(), "Is my order on its way?");
  EXPECT_EQ(events[0].sender().value(), "+14155550100");
}

TEST_F(IngestEndpointsTest, JsonLinesAreStoredInOrderSkippingBlankLines) {
  auto r = api_.Call("POST", "/api/v1/events", integrator_, std::string(kSms) + "\r\n\n" + kNote + "\n", Ndjson());
  ASSERT_EQ(r.status, 202) << r.raw;
  EXPECT_EQ(r.body["accepted"], 2);
  auto events = api_.Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].provider_message_id(), "order-1042");
  EXPECT_EQ(r.body["event_ids"][1], base::UuidToString(events[1].event_id()));
}

TEST_F(IngestEndpointsTest, ABadLineRefusesTheWholeRequestNamingLineAndField) {
  const std::string bad = R"({"channel":"sms","account":"+14155550000","direction":"outbound","occurred_at":"2026-11-23T10:00:00Z","from":{"phone":"+14155550000"},"text":"x"})";
  auto r = api_.Call("POST", "/api/v1/events", integrator_, std::string(kSms) + "\n\n" + bad + "\n", Ndjson());
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["error"]["code"], "bad_request");
  EXPECT_EQ(r.body["error"]["field"], "to");
  EXPECT_EQ(r.body["error"]["message"].get<std::string>().rfind("line 3: ", 0), 0u) << r.raw;
  EXPECT_TRUE(api_.Events().empty());

  auto not_json = api_.Call("POST", "/api/v1/events", integrator_, "{nope");
  EXPECT_EQ(not_json.status, 400);
  auto empty = api_.Call("POST", "/api/v1/events", integrator_, "\n\n", Ndjson());
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.body["error"]["field"], "body");
  auto form = api_.Call("POST", "/api/v1/events", integrator_, "a=b", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 400);
  EXPECT_EQ(form.body["error"]["field"], "Content-Type");
  EXPECT_TRUE(api_.Events().empty());
}

TEST_F(IngestEndpointsTest, IngestNeedsTheIngestScope) {
  auto writer = api_.Token("agent", Scopes({auth::Scope::kWrite, auth::Scope::kRead}));
  EXPECT_EQ(api_.Call("POST", "/api/v1/events", writer, kSms).status, 403);
  EXPECT_TRUE(api_.Events().empty());
}

TEST_F(IngestEndpointsTest, ARepeatedKeyAnswersTheFirstAnswerAndStoresNothing) {
  const std::string body = std::string(kSms) + "\n" + kNote + "\n";
  auto first = api_.Call("POST", "/api/v1/events", integrator_, body, Ndjson("batch-7"));
  ASSERT_EQ(first.status, 202) << first.raw;
  for (int i = 0; i < 2; ++i) {
    auto again = api_.Call("POST", "/api/v1/events", integrator_, body, Ndjson("batch-7"));
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(again.body, first.body);
  }
  EXPECT_EQ(api_.Events().size(), 2u);

  // After a restart the record is read back from the outbox.
  api_.Restart(AddIngestRoutes);
  auto after = api_.Call("POST", "/api/v1/events", integrator_, body, Ndjson("batch-7"));
  EXPECT_EQ(after.status, 202);
  EXPECT_EQ(after.body, first.body);
  EXPECT_EQ(api_.Events().size(), 2u);

  auto reused = api_.Call("POST", "/api/v1/events", integrator_, std::string(kSms) + "\n", Ndjson("batch-7"));
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(reused.body["error"]["code"], "idempotency_key_reused");
  EXPECT_EQ(reused.body["error"]["field"], "Idempotency-Key");
  EXPECT_EQ(api_.Events().size(), 2u);
}

TEST_F(IngestEndpointsTest, KeysArePerTokenAndAFailedRequestRecordsNothing) {
  auto other = api_.Token("other-backend", Scopes({auth::Scope::kIngest}));
  auto bad = api_.Call("POST", "/api/v1/events", integrator_, "{}", {{"Content-Type", "application/json"}, {"Idempotency-Key", "k"}});
  EXPECT_EQ(bad.status, 400);
  auto mine = api_.Call("POST", "/api/v1/events", integrator_, kSms, {{"Content-Type", "application/json"}, {"Idempotency-Key", "k"}});
  ASSERT_EQ(mine.status, 202) << mine.raw;
  auto theirs = api_.Call("POST", "/api/v1/events", other, kSms, {{"Content-Type", "application/json"}, {"Idempotency-Key", "k"}});
  ASSERT_EQ(theirs.status, 202) << theirs.raw;
  EXPECT_NE(mine.body["event_ids"], theirs.body["event_ids"]);
  EXPECT_EQ(api_.Events().size(), 2u);
  auto too_long = api_.Call("POST", "/api/v1/events", integrator_, kSms,
                            {{"Content-Type", "application/json"}, {"Idempotency-Key", std::string(256, 'k')}});
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.body["error"]["field"], "Idempotency-Key");
}

TEST_F(IngestEndpointsTest, ConcurrentRequestsWithOneKeyStoreOnce) {
  constexpr int kRequests = 8;
  std::vector<std::future<testing::Answer>> answers;
  for (int i = 0; i < kRequests; ++i) {
    answers.push_back(std::async(std::launch::async, [this] {
      return api_.Call("POST", "/api/v1/events", integrator_, kSms,
                       {{"Content-Type", "application/json"}, {"Idempotency-Key", "same"}});
    }));
  }
  std::vector<testing::Answer> got;
  for (auto& a : answers) got.push_back(a.get());
  for (const auto& a : got) {
    EXPECT_EQ(a.status, 202) << a.raw;
    EXPECT_EQ(a.body, got[0].body);
  }
  EXPECT_EQ(api_.Events().size(), 1u);
}

}  // namespace
}  // namespace omnihub::api
