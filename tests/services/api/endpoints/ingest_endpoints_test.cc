// POST /api/v1/events (endpoints/ingest.cc): one object or JSON Lines parsed as omnihubctl
// inject parses them, all or nothing, and Idempotency-Key: a repeat answers the first answer
// and stores nothing, also when the repeats arrive at once; the key with another body is
// refused; keys are per token. (The record read back after a restart: core/idempotency_test.)
#include <future>

#include <gtest/gtest.h>

#include "common/base/sha256.h"
#include "common/base/uuid.h"
#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr char kSms[] =
    R"({"channel":"sms","account":"+14155550000","direction":"inbound","occurred_at":"2026-11-23T10:00:00Z","from":{"phone":"+14155550100"},"text":"Is my order on its way?"})";
constexpr char kActivity[] =
    R"({"channel":"api","account":"shop","provider_message_id":"order-1042","kind":"activity","direction":"inbound","occurred_at":"2026-11-23T09:30:00Z","from":{"email":"jane.doe@example.com"},"text":"shipped"})";

class IngestEndpointsTest : public testing::EndpointHarness {
 protected:
  IngestEndpointsTest() { EXPECT_TRUE(AddIngestRoutes(routes(), services()).ok()); }

  // POST /api/v1/events with `content_type` and, when not empty, an Idempotency-Key.
  http::HttpResponse Ingest(const std::string& body, const std::string& content_type = "application/json",
                            const std::string& key = "", const std::string& token = "") {
    http::HttpHeaders headers{{"Content-Type", content_type}};
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return Call("POST", "/api/v1/events", token.empty() ? integrator_ : token, body, std::move(headers));
  }

  const std::string integrator_ = NewToken("shop-backend", static_cast<uint8_t>(auth::Scope::kIngest));
};

TEST_F(IngestEndpointsTest, OneObjectIsStoredAndItsIdAnswered) {
  auto r = Ingest(kSms);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Json(r)["accepted"], 1);
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Json(r)["event_ids"], nlohmann::json::array({base::UuidToString(events[0].event_id())}));
  EXPECT_EQ(events[0].text(), "Is my order on its way?");
  EXPECT_EQ(events[0].sender().value(), "+14155550100");
}

TEST_F(IngestEndpointsTest, JsonLinesAreStoredInOrderSkippingBlankLines) {
  auto r = Ingest(std::string(kSms) + "\r\n\n" + kActivity + "\n", "application/x-ndjson; charset=utf-8");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Json(r)["accepted"], 2);
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].provider_message_id(), "order-1042");
  EXPECT_EQ(Json(r)["event_ids"][1], base::UuidToString(events[1].event_id()));
}

TEST_F(IngestEndpointsTest, ABadLineRefusesTheWholeRequestNamingLineAndField) {
  const std::string no_to =
      R"({"channel":"sms","account":"+14155550000","direction":"outbound","occurred_at":"2026-11-23T10:00:00Z","from":{"phone":"+14155550000"},"text":"x"})";
  auto r = Ingest(std::string(kSms) + "\n\n" + no_to + "\n", "application/x-ndjson");
  ExpectError(r, 400, "bad_request", "to");
  EXPECT_EQ(Json(r)["error"]["message"].get<std::string>().rfind("line 3: ", 0), 0u) << r.body;
  ExpectError(Ingest("{nope"), 400, "bad_request", "body");
  ExpectError(Ingest("\n\n", "application/x-ndjson"), 400, "bad_request", "body");
  ExpectError(Ingest("a=b", "application/x-www-form-urlencoded"), 400, "bad_request", "Content-Type");
  EXPECT_TRUE(OutboxEvents().empty());
}

TEST_F(IngestEndpointsTest, IngestNeedsTheIngestScope) {
  ExpectError(Ingest(kSms, "application/json", "", writer_), 403, "forbidden", "");
  EXPECT_TRUE(OutboxEvents().empty());
}

TEST_F(IngestEndpointsTest, ARepeatedKeyAnswersTheFirstAnswerAndStoresNothing) {
  const std::string body = std::string(kSms) + "\n" + kActivity + "\n";
  auto first = Ingest(body, "application/x-ndjson", "batch-7");
  ASSERT_EQ(first.status, 202) << first.body;
  for (int i = 0; i < 2; ++i) {
    auto again = Ingest(body, "application/x-ndjson", "batch-7");
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(Json(again), Json(first));
  }
  EXPECT_EQ(OutboxEvents().size(), 2u);
  // One record, in the outbox with the events, keyed by the token and the key's hash.
  auto records = outbox().outbox().ScanMeta("idem/");
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(nlohmann::json::parse((*records)[0].second)["body_sha256"], base::Sha256Hex(body));
  EXPECT_TRUE((*records)[0].first.ends_with("/" + base::Sha256Hex("batch-7"))) << (*records)[0].first;

  auto reused = Ingest(std::string(kSms) + "\n", "application/x-ndjson", "batch-7");
  ExpectError(reused, 422, "idempotency_key_reused", "Idempotency-Key");
  EXPECT_EQ(OutboxEvents().size(), 2u);
}

TEST_F(IngestEndpointsTest, KeysArePerTokenAndARefusedRequestRecordsNothing) {
  const std::string other = NewToken("other-backend", static_cast<uint8_t>(auth::Scope::kIngest));
  ExpectError(Ingest("{}", "application/json", "k"), 400, "bad_request", "channel");
  auto mine = Ingest(kSms, "application/json", "k");
  ASSERT_EQ(mine.status, 202) << mine.body;
  auto theirs = Ingest(kSms, "application/json", "k", other);
  ASSERT_EQ(theirs.status, 202) << theirs.body;
  EXPECT_NE(Json(mine)["event_ids"], Json(theirs)["event_ids"]);
  EXPECT_EQ(OutboxEvents().size(), 2u);
  ExpectError(Ingest(kSms, "application/json", std::string(256, 'k')), 400, "bad_request", "Idempotency-Key");
}

TEST_F(IngestEndpointsTest, ConcurrentRequestsWithOneKeyStoreOnce) {
  constexpr int kRequests = 8;
  std::vector<std::future<http::HttpResponse>> answers;
  for (int i = 0; i < kRequests; ++i) {
    answers.push_back(std::async(std::launch::async, [this] { return Ingest(kSms, "application/json", "same"); }));
  }
  std::vector<http::HttpResponse> got;
  for (auto& a : answers) got.push_back(a.get());
  for (const auto& a : got) {
    EXPECT_EQ(a.status, 202) << a.body;
    EXPECT_EQ(Json(a), Json(got[0]));
  }
  EXPECT_EQ(OutboxEvents().size(), 1u);
}

TEST_F(IngestEndpointsTest, InClusterModeTheAnswerCarriesTheHighestPositionOfTheEvents) {
  bus::AppendedPositions positions;
  services().writes = WritePositions{&positions, std::chrono::milliseconds(0)};
  positions.Record(1, {0, 12});
  positions.Record(2, {0, 11});
  auto r = Ingest(std::string(kSms) + "\n" + kActivity + "\n", "application/x-ndjson");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Header(r, "Omni-Position"), "0:12");
  EXPECT_EQ(Json(r)["position"], "0:12");
  EXPECT_EQ(Json(r)["accepted"], 2);
}

}  // namespace
}  // namespace omnihub::api
