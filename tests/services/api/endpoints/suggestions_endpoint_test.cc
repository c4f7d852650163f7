// GET /api/v1/suggestions and POST /api/v1/suggestions/{id}/dismiss: the listing's filters, the
// dismissal command with the token's name as actor, and the refusals.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

const std::string kSuggestionId = "0123456789abcdef0123456789abcdef";

class SuggestionsTest : public testing::EndpointHarness {
 protected:
  SuggestionsTest() { EXPECT_TRUE(AddSuggestionRoutes(routes(), services()).ok()); }
};

TEST_F(SuggestionsTest, ListPassesCustomerAndAllAndAnswersEachSuggestion) {
  v1::QueryResponse r;
  v1::Suggestion* s = r.mutable_suggestions()->add_suggestions();
  s->set_suggestion_id(kSuggestionId);
  s->set_state("open");
  s->set_customer_id("c1");
  s->set_other_customer_id("c2");
  s->mutable_record()->mutable_mentioned()->set_kind(v1::Identity::EMAIL);
  s->mutable_record()->mutable_mentioned()->set_value("ana@example.com");
  r.mutable_suggestions()->set_next_cursor(kSuggestionId);
  hub.Answer(r);
  auto resp = Get("/api/v1/suggestions?customer=email:ana@example.com&all=true&limit=1");
  ASSERT_EQ(resp.status, 200) << resp.body;
  const v1::SuggestionListRequest& req = hub.requests[0].suggestions();
  EXPECT_TRUE(req.include_resolved());
  EXPECT_EQ(req.customer().identity().value(), "ana@example.com");
  EXPECT_EQ(req.limit(), 1u);
  auto j = Json(resp);
  ASSERT_EQ(j["suggestions"].size(), 1u);
  EXPECT_EQ(j["suggestions"][0]["suggestion_id"], kSuggestionId);
  EXPECT_EQ(j["suggestions"][0]["mentioned"], "email:ana@example.com");
  EXPECT_EQ(j["next_cursor"], kSuggestionId);
}

TEST_F(SuggestionsTest, ListDefaultsToOpenOnesOfEveryCustomer) {
  hub.Answer(v1::QueryResponse());
  auto j = Json(Get("/api/v1/suggestions"));
  EXPECT_FALSE(hub.requests[0].suggestions().include_resolved());
  EXPECT_FALSE(hub.requests[0].suggestions().has_customer());
  EXPECT_EQ(j["suggestions"], nlohmann::json::array());
  EXPECT_TRUE(j["next_cursor"].is_null());
}

TEST_F(SuggestionsTest, ListRefusals) {
  ExpectError(Get("/api/v1/suggestions?all=maybe"), 400, "bad_request", "all");
  ExpectError(Get("/api/v1/suggestions?customer=fax:1"), 400, "bad_request", "customer");
  EXPECT_TRUE(hub.requests.empty());
  hub.Fail(base::Status::InvalidArgument("cursor 'zz' is not a suggestion id (use the previous page's next_cursor)"));
  ExpectError(Get("/api/v1/suggestions?cursor=zz"), 400, "invalid_cursor", "cursor");
}

TEST_F(SuggestionsTest, DismissSendsTheCommandAsTheTokensName) {
  v1::CommandResult applied;
  applied.set_applied(true);
  applied.set_command_id(std::string(16, '\x05'));
  applied.set_change_seq(77);
  commands.Answer(applied);
  auto r = Post("/api/v1/suggestions/" + std::string("0123456789ABCDEF0123456789ABCDEF") + "/dismiss",
                R"({"reason": "two different people"})");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(commands.commands.size(), 1u);
  EXPECT_EQ(commands.commands[0].dismiss_suggestion().suggestion_id(), kSuggestionId);
  EXPECT_EQ(commands.commands[0].reason(), "two different people");
  EXPECT_EQ(commands.actors[0], "agent-bo");
  auto j = Json(r);
  EXPECT_EQ(j["suggestion_id"], kSuggestionId);
  EXPECT_EQ(j["state"], "dismissed");
  EXPECT_EQ(j["command_id"], "05050505-0505-0505-0505-050505050505");
  EXPECT_EQ(j["change_seq"], 77);
}

TEST_F(SuggestionsTest, DismissRefusals) {
  const std::string path = "/api/v1/suggestions/" + kSuggestionId + "/dismiss";
  ExpectError(Call("POST", path, reader_, R"({"reason": "x"})"), 403, "forbidden", "");
  ExpectError(Post("/api/v1/suggestions/xyz/dismiss", R"({"reason": "x"})"), 400, "bad_request", "id");
  ExpectError(Post(path, R"({"why": "x"})"), 400, "bad_request", "reason");
  ExpectError(Post(path, "not json"), 400, "bad_request", "body");
  EXPECT_TRUE(commands.commands.empty());

  v1::CommandResult rejected;
  rejected.set_error_code("not_found");
  rejected.set_error_message("no suggestion " + kSuggestionId);
  commands.Answer(rejected);
  ExpectError(Post(path, R"({"reason": "x"})"), 404, "not_found", "id");
  commands.Answer(base::Status::Unavailable("no result within 10 s; the command is durable and will be applied"));
  ExpectError(Post(path, R"({"reason": "x"})"), 503, "unavailable", "");
}

}  // namespace
}  // namespace omnihub::api
