// GET /api/v1/customers/{id}/timeline: every filter reaches the hub's TimelineRequest, the page
// comes back as {customer, events, next_cursor}, and each bad parameter is a 400 naming it.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr int64_t kT0 = 1'750'000'000'000'000;
const std::string kCustomerId = "0190b3a2-7c4e-7d10-8a5b-0123456789ab";

class TimelineTest : public testing::EndpointHarness {
 protected:
  TimelineTest() { EXPECT_TRUE(AddTimelineRoutes(routes(), services()).ok()); }

  static v1::QueryResponse Page(const std::string& next_cursor) {
    v1::QueryResponse r;
    v1::TimelineResponse* t = r.mutable_timeline();
    t->mutable_customer()->set_customer_id(kCustomerId);
    t->mutable_customer()->set_event_count(2);
    for (int i = 0; i < 2; ++i) {
      v1::Event* e = t->add_events();
      e->set_event_id(std::string(16, static_cast<char>('\x10' + i)));
      e->set_channel(v1::SMS);
      e->set_kind(v1::MESSAGE);
      e->set_direction(v1::INBOUND);
      e->set_occurred_at_us(kT0 - i);
      e->set_text("hello " + std::to_string(i));
    }
    v1::MessageStatuses* s = t->add_statuses();
    s->set_event_id(t->events(0).event_id());
    v1::Event* delivered = s->add_statuses();
    delivered->set_kind(v1::STATUS);
    delivered->mutable_delivery_status()->set_state("delivered");
    t->set_next_cursor(next_cursor);
    return r;
  }
};

TEST_F(TimelineTest, EveryFilterReachesTheHub) {
  hub.Answer(Page("CURSOR2"));
  auto r = Get("/api/v1/customers/" + kCustomerId +
               "/timeline?limit=10&cursor=CURSOR1&channel=sms,whatsapp&channel=email&since=2026-01-01"
               "&until=2026-02-01T00:00:00Z&direction=inbound&kind=message,note&conversation=thread-1");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(hub.requests.size(), 1u);
  const v1::TimelineRequest& t = hub.requests[0].timeline();
  EXPECT_EQ(t.customer().customer_id(), kCustomerId);
  EXPECT_EQ(t.limit(), 10u);
  EXPECT_EQ(t.cursor(), "CURSOR1");
  ASSERT_EQ(t.channels_size(), 3);
  EXPECT_EQ(t.channels(2), v1::EMAIL);
  EXPECT_EQ(t.since_us(), 1'767'225'600'000'000);
  EXPECT_EQ(t.until_us(), 1'769'904'000'000'000);
  EXPECT_EQ(t.direction(), v1::INBOUND);
  ASSERT_EQ(t.kinds_size(), 2);
  EXPECT_EQ(t.kinds(0), v1::MESSAGE);
  EXPECT_EQ(t.kinds(1), v1::NOTE_ADDED);
  EXPECT_EQ(t.conversation(), "thread-1");

  auto j = Json(r);
  EXPECT_EQ(j["customer"]["customer_id"], kCustomerId);
  ASSERT_EQ(j["events"].size(), 2u);
  EXPECT_EQ(j["events"][0]["text"], "hello 0");
  EXPECT_EQ(j["events"][0]["customer_id"], kCustomerId);
  EXPECT_TRUE(j["events"][0].contains("statuses")) << j["events"][0].dump();
  EXPECT_EQ(j["next_cursor"], "CURSOR2");
}

TEST_F(TimelineTest, DefaultsToFiftyNewestAndTheLastPageHasANullCursor) {
  hub.Answer(Page(""));
  auto j = Json(Get("/api/v1/customers/email%3Aana%40example.com/timeline"));
  ASSERT_EQ(hub.requests.size(), 1u);
  EXPECT_EQ(hub.requests[0].timeline().limit(), 50u);
  EXPECT_EQ(hub.requests[0].timeline().direction(), v1::DIRECTION_UNSPECIFIED);
  EXPECT_TRUE(hub.requests[0].timeline().kinds().empty());
  EXPECT_TRUE(j["next_cursor"].is_null());
}

TEST_F(TimelineTest, BadParametersAreRefusedNamingThem) {
  const std::string base = "/api/v1/customers/" + kCustomerId + "/timeline?";
  ExpectError(Get(base + "limit=0"), 400, "bad_request", "limit");
  ExpectError(Get(base + "limit=101"), 400, "bad_request", "limit");  // page_max is 100 here
  ExpectError(Get(base + "limit=ten"), 400, "bad_request", "limit");
  ExpectError(Get(base + "channel=fax"), 400, "bad_request", "channel");
  ExpectError(Get(base + "since=yesterday"), 400, "bad_request", "since");
  ExpectError(Get(base + "since=2026-02-01&until=2026-01-01"), 400, "bad_request", "until");
  ExpectError(Get(base + "direction=sideways"), 400, "bad_request", "direction");
  ExpectError(Get(base + "kind=message,poke"), 400, "bad_request", "kind");
  ExpectError(Get(base + "chanel=sms"), 400, "bad_request", "chanel");
  ExpectError(Get("/api/v1/customers/nobody/timeline"), 400, "bad_request", "id");
  EXPECT_TRUE(hub.requests.empty());
}

TEST_F(TimelineTest, ACursorTheHubRefusesIsAnInvalidCursor) {
  hub.Fail(base::Status::InvalidArgument("cursor 'abc' is not a timeline cursor"));
  ExpectError(Get("/api/v1/customers/" + kCustomerId + "/timeline?cursor=abc"), 400, "invalid_cursor", "cursor");
}

TEST_F(TimelineTest, AnUnknownCustomerIsNotFound) {
  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  ExpectError(Get("/api/v1/customers/email:nobody@example.com/timeline"), 404, "not_found", "id");
}

}  // namespace
}  // namespace omnihub::api
