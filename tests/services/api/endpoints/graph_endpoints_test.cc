// The identity graph endpoints (endpoints/graph.cc) over a canned hub and a recording command
// client: the commands they send (with the token's name as actor and the reason given), the
// JSON they answer, and how refusals map to HTTP errors naming the field.
#include <gtest/gtest.h>

#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr char kCustomer[] = "01a20672-9cbf-7000-86af-863ec973c825";
constexpr char kOther[] = "01a20672-9cbf-7000-86af-863ec973c826";
constexpr char kMerge[] = "01a20672-9cbf-7000-86af-863ec973c827";

v1::CommandResult Applied(const std::string& customer_id, const std::string& merge_id = "") {
  v1::CommandResult r;
  r.set_applied(true);
  r.set_customer_id(customer_id);
  r.set_merge_id(merge_id);
  return r;
}

v1::CommandResult Rejected(const std::string& code, const std::string& message) {
  v1::CommandResult r;
  r.set_applied(false);
  r.set_error_code(code);
  r.set_error_message(message);
  return r;
}

std::string Merge(const std::string& survivor, const std::string& other, const std::string& rest) {
  return R"({"survivor": ")" + survivor + R"(", "other": ")" + other + "\"" + rest + "}";
}

class GraphEndpointsTest : public testing::EndpointHarness {
 protected:
  GraphEndpointsTest() { EXPECT_TRUE(AddGraphRoutes(routes(), services()).ok()); }

  const std::string identities_ = std::string("/api/v1/customers/") + kCustomer + "/identities";
};

TEST_F(GraphEndpointsTest, LinkSendsTheCommandWithTheTokenNameAsActor) {
  commands.Answer(Applied(kCustomer));
  auto r = Post(identities_, R"({"identity": "email:Ana@Example.com", "reason": "same person, confirmed by phone"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r), nlohmann::json({{"customer_id", kCustomer}}));
  ASSERT_EQ(commands.commands.size(), 1u);
  EXPECT_EQ(commands.actors[0], "agent-bo");
  const v1::Command& sent = commands.commands[0];
  EXPECT_EQ(sent.reason(), "same person, confirmed by phone");
  EXPECT_EQ(sent.link().customer().customer_id(), kCustomer);
  EXPECT_EQ(sent.link().identity().kind(), v1::Identity::EMAIL);
}

TEST_F(GraphEndpointsTest, LinkRefusesWhatIsNotOneIdentityNamingTheField) {
  auto customer_id = Post(identities_, std::string(R"({"identity": ")") + kOther + R"(", "reason": "r"})");
  ExpectError(customer_id, 400, "bad_request", "identity");
  EXPECT_NE(Json(customer_id)["error"]["message"].get<std::string>().find("is a customer id"), std::string::npos);
  ExpectError(Post(identities_, R"({"identity": "x:@ana_k", "reason": "r"})"), 400, "bad_request", "identity");
  ExpectError(Post(identities_, R"({"identity": "email:ana@example.com"})"), 400, "bad_request", "reason");
  ExpectError(Post(identities_, "reason=r"), 400, "bad_request", "body");
  ExpectError(Post("/api/v1/customers/nobody/identities", R"({"identity": "email:ana@example.com", "reason": "r"})"),
              400, "bad_request", "id");
  EXPECT_TRUE(commands.commands.empty());
}

TEST_F(GraphEndpointsTest, RejectionsMapToStatusesAndFields) {
  commands.Answer(Rejected("failed_precondition", "identity email:ana@example.com is already linked to customer x"));
  ExpectError(Post(identities_, R"({"identity": "email:ana@example.com", "reason": "r"})"), 409, "conflict", "identity");

  commands.Answer(Rejected("not_found", "unlink.identity: no customer has identity email:zoe@example.com"));
  ExpectError(Call("DELETE", "/api/v1/identities/email:zoe@example.com?reason=wrong", writer_), 404, "not_found",
              "identity");

  commands.Answer(Rejected("failed_precondition", "merge.survivor and merge.other are the same customer x"));
  ExpectError(Post("/api/v1/merges", Merge(kCustomer, kCustomer, R"(, "reason": "r")")), 409, "conflict", "other");

  commands.Answer(Rejected("not_found", "merge.other: no customer has identity email:zoe@example.com"));
  ExpectError(Post("/api/v1/merges", Merge(kCustomer, "email:zoe@example.com", R"(, "reason": "r")")), 404,
              "not_found", "other");

  commands.Answer(Rejected("failed_precondition", "merge " + std::string(kMerge) + " was already split (by ana)"));
  ExpectError(Post(std::string("/api/v1/merges/") + kMerge + "/split", R"({"reason": "r"})"), 409, "conflict", "");

  commands.Answer(Rejected("not_found", "split.merge_id: no merge with id " + std::string(kMerge)));
  ExpectError(Post(std::string("/api/v1/merges/") + kMerge + "/split", R"({"reason": "r"})"), 404, "not_found",
              "merge_id");
}

TEST_F(GraphEndpointsTest, UnlinkTakesTheReasonFromTheQueryOrTheBody) {
  commands.Answer(Applied(kOther));
  commands.Answer(Applied(kOther));
  auto by_query = Call("DELETE", "/api/v1/identities/phone:+14155550100?reason=not%20hers", writer_);
  ASSERT_EQ(by_query.status, 201) << by_query.body;
  EXPECT_EQ(Json(by_query), nlohmann::json({{"customer_id", kOther}}));
  auto by_body = Call("DELETE", "/api/v1/identities/phone:+14155550100", writer_, R"({"reason": "typo"})");
  ASSERT_EQ(by_body.status, 201) << by_body.body;
  ExpectError(Call("DELETE", "/api/v1/identities/phone:+14155550100", writer_), 400, "bad_request", "reason");

  ASSERT_EQ(commands.commands.size(), 2u);
  EXPECT_EQ(commands.commands[0].reason(), "not hers");
  EXPECT_EQ(commands.commands[0].unlink().identity().value(), "+14155550100");
  EXPECT_EQ(commands.commands[1].reason(), "typo");
}

TEST_F(GraphEndpointsTest, MergePreviewQueriesAndWritesNothing) {
  v1::QueryResponse preview;
  preview.mutable_merge_preview()->mutable_survivor()->set_customer_id(kCustomer);
  preview.mutable_merge_preview()->set_event_count_after(7);
  hub.Answer(preview);
  auto r = Post("/api/v1/merges", Merge(kCustomer, "email:zoe@example.com", R"(, "preview": true)"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["survivor"]["customer_id"], kCustomer);
  EXPECT_EQ(Json(r)["event_count_after"], 7);
  EXPECT_TRUE(commands.commands.empty());
  ASSERT_EQ(hub.requests.size(), 1u);
  EXPECT_EQ(hub.requests[0].merge_preview().survivor().customer_id(), kCustomer);
  EXPECT_EQ(hub.requests[0].merge_preview().other().identity().value(), "zoe@example.com");

  hub.Fail(base::Status::FailedPrecondition("survivor and other are the same customer " + std::string(kCustomer)));
  ExpectError(Post("/api/v1/merges", Merge(kCustomer, kCustomer, R"(, "preview": true)")), 409, "conflict", "other");
  hub.Fail(base::Status::NotFound("survivor: no customer has identity email:nobody@example.com"));
  ExpectError(Post("/api/v1/merges", Merge("email:nobody@example.com", kOther, R"(, "preview": true)")), 404,
              "not_found", "survivor");
  EXPECT_TRUE(commands.commands.empty());
  ExpectError(Post("/api/v1/merges", Merge(kCustomer, kOther, R"(, "preview": "yes")")), 400, "bad_request", "preview");
  ExpectError(Post("/api/v1/merges", Merge(kCustomer, kOther, "")), 400, "bad_request", "reason");
}

TEST_F(GraphEndpointsTest, MergeAndSplitAnswerTheirIds) {
  commands.Answer(Applied(kCustomer, kMerge));
  v1::CommandResult split = Applied("", kMerge);
  split.add_customer_ids(kCustomer);
  split.add_customer_ids(kOther);
  commands.Answer(split);
  auto merged = Post("/api/v1/merges", Merge(kCustomer, kOther, R"(, "reason": "dup")"));
  ASSERT_EQ(merged.status, 201) << merged.body;
  EXPECT_EQ(Json(merged), nlohmann::json({{"merge_id", kMerge}, {"customer_id", kCustomer}}));

  auto undone = Post(std::string("/api/v1/merges/") + kMerge + "/split", R"({"reason": "not dup"})");
  ASSERT_EQ(undone.status, 201) << undone.body;
  EXPECT_EQ(Json(undone), nlohmann::json({{"merge_id", kMerge}, {"customer_ids", {kCustomer, kOther}}}));
  ASSERT_EQ(commands.commands.size(), 2u);
  EXPECT_EQ(commands.commands[0].merge().survivor().customer_id(), kCustomer);
  EXPECT_EQ(commands.commands[1].split().merge_id(), kMerge);

  ExpectError(Post("/api/v1/merges/not-a-merge/split", R"({"reason": "r"})"), 400, "bad_request", "merge_id");
}

TEST_F(GraphEndpointsTest, ACommandNotAppliedInTimeIsUnavailable) {
  commands.Answer(base::Status::Unavailable("the unifier did not apply the command in time"));
  ExpectError(Post("/api/v1/merges", Merge(kCustomer, kOther, R"(, "reason": "dup")")), 503, "unavailable", "");
}

TEST_F(GraphEndpointsTest, WritesNeedTheWriteScopeAndExplainTheReadScope) {
  ExpectError(Call("POST", identities_, reader_, R"({"identity": "email:ana@example.com", "reason": "r"})"), 403,
              "forbidden", "");
  EXPECT_TRUE(commands.commands.empty());

  v1::QueryResponse explain;
  explain.mutable_explain()->mutable_customer()->set_customer_id(kCustomer);
  hub.Answer(explain);
  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  auto r = Get(std::string("/api/v1/customers/") + kCustomer + "/explain");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["customer"]["customer_id"], kCustomer);
  EXPECT_EQ(hub.requests[0].explain().customer().customer_id(), kCustomer);
  ExpectError(Get("/api/v1/customers/email:nobody@example.com/explain"), 404, "not_found", "id");
}

TEST_F(GraphEndpointsTest, InClusterModeAnAppliedCommandAnswersItsLogPosition) {
  commands.position = {.logged = true, .position = {{1, 77}}};
  commands.Answer(Applied(kCustomer));
  auto r = Post(identities_, R"({"identity": "email:ana@example.com", "reason": "r"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Header(r, "Omni-Position"), "1:77");
  EXPECT_EQ(Json(r), nlohmann::json({{"customer_id", kCustomer}, {"position", "1:77"}}));
}

}  // namespace
}  // namespace omnihub::api
