// GET /api/v1/search: the parameters as the hub's SearchRequest, hits as client::HitToJson,
// and the 4xx answers naming the parameter.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr int64_t kT0 = 1'750'000'000'000'000;

class SearchTest : public testing::EndpointHarness {
 protected:
  SearchTest() { EXPECT_TRUE(AddSearchRoutes(routes(), services()).ok()); }

  static v1::QueryResponse Hits(const std::string& next_cursor) {
    v1::QueryResponse r;
    v1::SearchResponse* s = r.mutable_search();
    v1::SearchHit* hit = s->add_hits();
    hit->set_event_id(std::string(16, '\x02'));
    hit->set_customer_id("0190b3a2-7c4e-7d10-8a5b-0123456789ab");
    hit->set_channel(v1::EMAIL);
    hit->set_direction(v1::INBOUND);
    hit->set_occurred_at_us(kT0);
    hit->set_snippet("the [[invoice]] is attached");
    hit->set_score(0.75);
    s->set_next_cursor(next_cursor);
    s->set_indexed_change_seq(41);
    s->set_last_change_seq(42);
    s->set_estimated_matches(3);
    return r;
  }
};

TEST_F(SearchTest, ParametersBecomeTheSearchRequest) {
  hub.Answer(Hits("MORE"));
  auto r = Get("/api/v1/search?q=invoice%20%22due%20date%22&customer=email:ana@example.com&channel=email"
               "&since=2026-01-01&until=2026-02-01&direction=inbound&order=relevance&limit=5&cursor=C1");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(hub.requests.size(), 1u);
  const v1::SearchRequest& s = hub.requests[0].search();
  EXPECT_EQ(s.query(), "invoice \"due date\"");
  EXPECT_EQ(s.customer().identity().kind(), v1::Identity::EMAIL);
  ASSERT_EQ(s.channels_size(), 1);
  EXPECT_EQ(s.direction(), v1::INBOUND);
  EXPECT_EQ(s.order(), v1::SearchRequest::RELEVANCE);
  EXPECT_EQ(s.limit(), 5u);
  EXPECT_EQ(s.cursor(), "C1");
  EXPECT_GT(s.until_us(), s.since_us());
  auto j = Json(r);
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["snippet"], "the [[invoice]] is attached");
  EXPECT_EQ(j["hits"][0]["score"], 0.75);
  EXPECT_EQ(j["next_cursor"], "MORE");
  EXPECT_EQ(j["indexed_change_seq"], 41);
  EXPECT_EQ(j["last_change_seq"], 42);
}

TEST_F(SearchTest, NewestFirstByDefaultWithoutScores) {
  hub.Answer(Hits(""));
  auto j = Json(Get("/api/v1/search?q=invoice"));
  EXPECT_EQ(hub.requests[0].search().order(), v1::SearchRequest::NEWEST);
  EXPECT_EQ(hub.requests[0].search().limit(), 20u);
  EXPECT_FALSE(j["hits"][0].contains("score"));
  EXPECT_TRUE(j["next_cursor"].is_null());
}

TEST_F(SearchTest, BadParametersAreRefusedNamingThem) {
  ExpectError(Get("/api/v1/search"), 400, "bad_request", "q");
  ExpectError(Get("/api/v1/search?q="), 400, "bad_request", "q");
  ExpectError(Get("/api/v1/search?q=x&order=oldest"), 400, "bad_request", "order");
  ExpectError(Get("/api/v1/search?q=x&customer=fax:1"), 400, "bad_request", "customer");
  ExpectError(Get("/api/v1/search?q=x&direction=up"), 400, "bad_request", "direction");
  ExpectError(Get("/api/v1/search?q=x&limit=1000"), 400, "bad_request", "limit");
  ExpectError(Get("/api/v1/search?query=x"), 400, "bad_request", "query");
  EXPECT_TRUE(hub.requests.empty());
  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  ExpectError(Get("/api/v1/search?q=x&customer=email:nobody@example.com"), 404, "not_found", "customer");
  hub.Fail(base::Status::InvalidArgument("cursor is not a cursor of a search in relevance order"));
  ExpectError(Get("/api/v1/search?q=x&order=relevance&cursor=abc"), 400, "invalid_cursor", "cursor");
}

}  // namespace
}  // namespace omnihub::api
