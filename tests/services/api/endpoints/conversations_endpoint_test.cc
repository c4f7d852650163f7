// GET /api/v1/conversations/{id}: the key as the path gives it, the entries as omnihubctl
// conversation prints them, and the hub's answers as statuses.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

const std::string kCustomerId = "0190b3a2-7c4e-7d10-8a5b-0123456789ab";

class ConversationsTest : public testing::EndpointHarness {
 protected:
  ConversationsTest() { EXPECT_TRUE(AddConversationRoutes(routes(), services()).ok()); }
};

TEST_F(ConversationsTest, AnEncodedKeyReachesTheHubAndEntriesComeBackInOrder) {
  v1::QueryResponse r;
  v1::ConversationResponse* c = r.mutable_conversation();
  c->set_conversation("<thread/42@example.com>");
  for (int i = 0; i < 2; ++i) {
    v1::ConversationEntry* entry = c->add_entries();
    entry->set_customer_id(kCustomerId);
    entry->mutable_event()->set_event_id(std::string(16, static_cast<char>(i + 1)));
    entry->mutable_event()->set_kind(v1::MESSAGE);
    entry->mutable_event()->set_text("part " + std::to_string(i));
  }
  c->mutable_entries(1)->mutable_amendments()->set_deleted(true);
  c->set_next_cursor("NEXT");
  hub.Answer(r);

  auto resp = Get("/api/v1/conversations/%3Cthread%2F42%40example.com%3E?limit=2&cursor=PREV");
  ASSERT_EQ(resp.status, 200) << resp.body;
  ASSERT_EQ(hub.requests.size(), 1u);
  EXPECT_EQ(hub.requests[0].conversation().conversation(), "<thread/42@example.com>");
  EXPECT_EQ(hub.requests[0].conversation().limit(), 2u);
  EXPECT_EQ(hub.requests[0].conversation().cursor(), "PREV");
  auto j = Json(resp);
  EXPECT_EQ(j["conversation"], "<thread/42@example.com>");
  ASSERT_EQ(j["entries"].size(), 2u);
  EXPECT_EQ(j["entries"][0]["text"], "part 0");
  EXPECT_EQ(j["entries"][0]["customer_id"], kCustomerId);
  EXPECT_EQ(j["entries"][1]["deleted"], true);
  EXPECT_EQ(j["next_cursor"], "NEXT");
}

TEST_F(ConversationsTest, UnknownConversationBadLimitAndBadCursor) {
  hub.Fail(base::Status::NotFound("no conversation 'nope'"));
  ExpectError(Get("/api/v1/conversations/nope"), 404, "not_found", "id");
  ExpectError(Get("/api/v1/conversations/c1?limit=-1"), 400, "bad_request", "limit");
  ExpectError(Get("/api/v1/conversations/c1?page=2"), 400, "bad_request", "page");
  hub.Fail(base::Status::InvalidArgument("cursor 'x' is not a timeline cursor"));
  ExpectError(Get("/api/v1/conversations/c1?cursor=x"), 400, "invalid_cursor", "cursor");
  EXPECT_EQ(hub.requests.size(), 2u);
}

}  // namespace
}  // namespace omnihub::api
