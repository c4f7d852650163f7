// GET /api/v1/stream and /api/v1/customers/{id}/stream up to the change hub: the event-stream
// response with its headers, which partition's hub serves it (the tenant's), where the stream
// starts (Last-Event-ID, ?last_event_id=, or from now), the tenant and customer the filter
// keeps, and the 4xx answers naming the parameter at fault.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

const std::string kAna = "0190b3a2-7c4e-7d10-8a5b-0123456789ab";
const std::string kBen = "0190b3a2-7c4e-7d10-8a5b-00000000000b";

v1::ChangeNotification EventOf(const std::string& customer_id, const std::string& tenant = "") {
  v1::ChangeNotification c;
  c.set_kind(v1::EVENT_ADDED);
  c.set_customer_id(customer_id);
  c.set_tenant_id(tenant);
  return c;
}

class StreamsTest : public testing::EndpointHarness {
 protected:
  StreamsTest() { EXPECT_TRUE(AddStreamRoutes(routes(), services()).ok()); }

  static v1::QueryResponse CustomerAnswer(const std::string& id) {
    v1::QueryResponse r;
    r.mutable_get_customer()->mutable_customer()->set_customer_id(id);
    return r;
  }
};

TEST_F(StreamsTest, AStreamIsAnUncachedEventStreamHandedToTheHub) {
  auto r = Call("GET", "/api/v1/stream", reader_, "", {{"Last-Event-ID", "41"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/event-stream");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(r, "X-Accel-Buffering"), "no");
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  ASSERT_EQ(changes.opened.size(), 1u);
  EXPECT_EQ(changes.opened[0].after_seq, 41u);
  EXPECT_EQ(changes.opened[0].partition, 0u);
  // The whole stream takes every change of its tenant (the default), and no other tenant's.
  stream::ChangeFilter& filter = changes.opened[0].filter;
  ASSERT_TRUE(filter);
  EXPECT_TRUE(filter(EventOf(kAna)));
  EXPECT_TRUE(filter(EventOf(kBen)));
  EXPECT_FALSE(filter(EventOf(kBen, "acme")));
}

TEST_F(StreamsTest, ATenantsStreamIsServedByItsPartitionsHubAndKeepsItsChanges) {
  ASSERT_EQ(Get("/api/v1/stream?tenant=acme&last_event_id=5").status, 200);
  ASSERT_EQ(Get("/api/v1/stream?tenant=acme").status, 200);
  ASSERT_EQ(changes.opened.size(), 2u);
  EXPECT_EQ(changes.opened[0].partition, 1u);
  EXPECT_EQ(changes.opened[0].after_seq, 5u) << "the partition's change_seq";
  stream::ChangeFilter& filter = changes.opened[0].filter;
  ASSERT_TRUE(filter);
  EXPECT_TRUE(filter(EventOf(kAna, "acme")));
  EXPECT_FALSE(filter(EventOf(kAna))) << "the default tenant's change";
  EXPECT_FALSE(filter(EventOf(kAna, "globex"))) << "another tenant of the same partition";
  // One hub per partition, started by its first stream; another partition's by its own.
  EXPECT_EQ(hubs_started, std::vector<uint32_t>{1});
  ASSERT_EQ(Get("/api/v1/stream?tenant=default").status, 200);
  EXPECT_EQ(hubs_started, (std::vector<uint32_t>{1, 0}));
  EXPECT_EQ(changes.opened.back().partition, 0u);
}

TEST_F(StreamsTest, ATenantsCustomerStreamKeepsThatCustomersChangesInTheTenant) {
  changes.last = 900;
  hub.Answer(CustomerAnswer(kAna));
  auto r = Get("/api/v1/customers/" + kAna + "/stream?tenant=acme");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(changes.opened.size(), 1u);
  EXPECT_EQ(changes.opened[0].partition, 1u);
  EXPECT_EQ(changes.opened[0].after_seq, 900u);
  stream::ChangeFilter& filter = changes.opened[0].filter;
  ASSERT_TRUE(filter);
  EXPECT_TRUE(filter(EventOf(kAna, "acme")));
  EXPECT_FALSE(filter(EventOf(kBen, "acme")));
  EXPECT_FALSE(filter(EventOf(kAna)));
}

TEST_F(StreamsTest, WhereAStreamStarts) {
  changes.last = 900;
  ASSERT_EQ(Get("/api/v1/stream").status, 200);
  ASSERT_EQ(Get("/api/v1/stream?last_event_id=7").status, 200);
  // The header wins over the parameter (an EventSource reconnecting sends both).
  ASSERT_EQ(Call("GET", "/api/v1/stream?last_event_id=7", reader_, "", {{"Last-Event-ID", "8"}}).status, 200);
  ASSERT_EQ(changes.opened.size(), 3u);
  EXPECT_EQ(changes.opened[0].after_seq, 0u) << "from now";
  EXPECT_EQ(changes.opened[1].after_seq, 7u);
  EXPECT_EQ(changes.opened[2].after_seq, 8u);
}

TEST_F(StreamsTest, ACustomersStreamFollowsTheCustomerTheHubNames) {
  changes.last = 900;
  hub.Answer(CustomerAnswer(kAna));
  auto r = Get("/api/v1/customers/phone%3A%2B14155550100/stream");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(hub.requests.size(), 1u);
  EXPECT_EQ(hub.requests[0].get_customer().customer().identity().value(), "+14155550100");
  ASSERT_EQ(changes.opened.size(), 1u);
  // From the hub's last change before the lookup, so a merge committed meanwhile is followed.
  EXPECT_EQ(changes.opened[0].after_seq, 900u);
  stream::ChangeFilter& filter = changes.opened[0].filter;
  ASSERT_TRUE(filter);
  EXPECT_TRUE(filter(EventOf(kAna)));
  EXPECT_FALSE(filter(EventOf(kBen)));
}

TEST_F(StreamsTest, BadInputIsAnErrorNamingTheField) {
  ExpectError(Call("GET", "/api/v1/stream", reader_, "", {{"Last-Event-ID", "twelve"}}), 400, "bad_request",
              "Last-Event-ID");
  ExpectError(Get("/api/v1/stream?last_event_id=-1"), 400, "bad_request", "last_event_id");
  ExpectError(Get("/api/v1/stream?last_event_id="), 400, "bad_request", "last_event_id");
  ExpectError(Get("/api/v1/stream?lastEventId=3"), 400, "bad_request", "lastEventId");
  ExpectError(Get("/api/v1/customers/fax%3A123/stream"), 400, "bad_request", "id");
  // A tenant that is not a tenant id, or that the shard map puts on no partition.
  ExpectError(Get("/api/v1/stream?tenant=no%20such"), 400, "bad_request", "tenant");
  ExpectError(Get("/api/v1/stream?tenant=globex"), 400, "bad_request", "tenant");
  ExpectError(Get("/api/v1/customers/" + kAna + "/stream?tenant=globex"), 400, "bad_request", "tenant");
  hub.Fail(base::Status::NotFound("no customer has the identity phone:+19995550000"));
  ExpectError(Get("/api/v1/customers/phone%3A%2B19995550000/stream"), 404, "not_found", "id");
  hub.Fail(base::Status::Unavailable("the hub does not answer"));
  EXPECT_EQ(Get("/api/v1/customers/" + kAna + "/stream").status, 503);
  EXPECT_TRUE(changes.opened.empty());
  EXPECT_EQ(Call("GET", "/api/v1/stream", "").status, 401);
}

}  // namespace
}  // namespace omnihub::api
