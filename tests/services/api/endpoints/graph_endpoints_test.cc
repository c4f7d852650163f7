// The identity graph endpoints (endpoints/graph.cc) over a fake hub and command client: the
// commands they send (with the token's name as actor and the reason given), the JSON they
// answer, and how refusals map to HTTP errors naming the field.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/api_test_harness.h"

namespace omnihub::api {
namespace {

using testing::ApiHarness;
using testing::Scopes;

constexpr char kCustomer[] = "01a20672-9cbf-7000-86af-863ec973c825";
constexpr char kOther[] = "01a20672-9cbf-7000-86af-863ec973c826";
constexpr char kMerge[] = "01a20672-9cbf-7000-86af-863ec973c827";

v1::CommandResult Applied(const std::string& customer_id) {
  v1::CommandResult r;
  r.set_applied(true);
  r.set_customer_id(customer_id);
  return r;
}

v1::CommandResult Rejected(const std::string& code, const std::string& message) {
  v1::CommandResult r;
  r.set_applied(false);
  r.set_error_code(code);
  r.set_error_message(message);
  return r;
}

class GraphEndpointsTest : public ::testing::Test {
 protected:
  ApiHarness api_{AddGraphRoutes};
  std::string writer_ = api_.Token("ana.agent", Scopes({auth::Scope::kWrite, auth::Scope::kRead}));
  std::string reader_ = api_.Token("reader", Scopes({auth::Scope::kRead}));
};

TEST_F(GraphEndpointsTest, LinkSendsTheCommandWithTheTokenNameAsActor) {
  api_.commands().Set([](const v1::Command&) { return Applied(kCustomer); });
  auto r = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/identities", writer_,
                     R"({"identity": "email:Ana@Example.com", "reason": "same person, confirmed by phone"})");
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body, nlohmann::json({{"customer_id", kCustomer}}));
  auto sent = api_.commands().sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].actor, "ana.agent");
  EXPECT_EQ(sent[0].command.reason(), "same person, confirmed by phone");
  EXPECT_EQ(sent[0].command.link().customer().customer_id(), kCustomer);
  EXPECT_EQ(sent[0].command.link().identity().kind(), v1::Identity::EMAIL);
}

TEST_F(GraphEndpointsTest, LinkRefusesWhatIsNotOneIdentityNamingTheField) {
  const std::string path = std::string("/api/v1/customers/") + kCustomer + "/identities";
  auto customer_id = api_.Call("POST", path, writer_, std::string(R"({"identity": ")") + kOther + R"(", "reason": "r"})");
  EXPECT_EQ(customer_id.status, 400);
  EXPECT_EQ(customer_id.body["error"]["field"], "identity");
  EXPECT_NE(customer_id.body["error"]["message"].get<std::string>().find("is a customer id"), std::string::npos);

  auto handle = api_.Call("POST", path, writer_, R"({"identity": "x:@ana_k", "reason": "r"})");
  EXPECT_EQ(handle.status, 400);
  EXPECT_EQ(handle.body["error"]["field"], "identity");

  auto no_reason = api_.Call("POST", path, writer_, R"({"identity": "email:ana@example.com"})");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.body["error"]["field"], "reason");

  auto not_json = api_.Call("POST", path, writer_, "reason=r");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.body["error"]["field"], "body");

  auto bad_customer = api_.Call("POST", "/api/v1/customers/nobody/identities", writer_,
                                R"({"identity": "email:ana@example.com", "reason": "r"})");
  EXPECT_EQ(bad_customer.status, 400);
  EXPECT_EQ(bad_customer.body["error"]["field"], "id");
  EXPECT_TRUE(api_.commands().sent().empty());
}

TEST_F(GraphEndpointsTest, RejectionsMapToStatusesAndFields) {
  api_.commands().Set([](const v1::Command& c) {
    if (c.has_link()) return Rejected("failed_precondition", "identity email:ana@example.com is already linked to customer x");
    if (c.has_unlink()) return Rejected("not_found", "unlink.identity: no customer has identity email:zoe@example.com");
    if (c.has_merge()) return Rejected("failed_precondition", "merge.survivor and merge.other are the same customer x");
    return Rejected("failed_precondition", "merge " + std::string(kMerge) + " was already split (by ana)");
  });
  auto link = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/identities", writer_,
                        R"({"identity": "email:ana@example.com", "reason": "r"})");
  EXPECT_EQ(link.status, 409) << link.raw;
  EXPECT_EQ(link.body["error"]["code"], "conflict");
  EXPECT_EQ(link.body["error"]["field"], "identity");

  auto unlink = api_.Call("DELETE", "/api/v1/identities/email:zoe@example.com?reason=wrong", writer_);
  EXPECT_EQ(unlink.status, 404) << unlink.raw;
  EXPECT_EQ(unlink.body["error"]["field"], "identity");

  auto merge = api_.Call("POST", "/api/v1/merges", writer_,
                         std::string(R"({"survivor": ")") + kCustomer + R"(", "other": ")" + kCustomer + R"(", "reason": "r"})");
  EXPECT_EQ(merge.status, 409) << merge.raw;
  EXPECT_EQ(merge.body["error"]["field"], "other");

  auto split = api_.Call("POST", std::string("/api/v1/merges/") + kMerge + "/split", writer_, R"({"reason": "r"})");
  EXPECT_EQ(split.status, 409) << split.raw;
  EXPECT_EQ(split.body["error"]["code"], "conflict");
}

TEST_F(GraphEndpointsTest, UnlinkTakesTheReasonFromTheQueryOrTheBody) {
  api_.commands().Set([](const v1::Command&) { return Applied(kOther); });
  auto by_query = api_.Call("DELETE", "/api/v1/identities/phone:+14155550100?reason=not%20hers", writer_);
  ASSERT_EQ(by_query.status, 201) << by_query.raw;
  EXPECT_EQ(by_query.body, nlohmann::json({{"customer_id", kOther}}));
  auto by_body = api_.Call("DELETE", "/api/v1/identities/phone:+14155550100", writer_, R"({"reason": "typo"})");
  ASSERT_EQ(by_body.status, 201) << by_body.raw;
  auto none = api_.Call("DELETE", "/api/v1/identities/phone:+14155550100", writer_);
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.body["error"]["field"], "reason");

  auto sent = api_.commands().sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].command.reason(), "not hers");
  EXPECT_EQ(sent[0].command.unlink().identity().value(), "+14155550100");
  EXPECT_EQ(sent[1].command.reason(), "typo");
}

TEST_F(GraphEndpointsTest, MergePreviewQueriesAndWritesNothing) {
  api_.hub().Set([](const v1::QueryRequest& q) -> base::Result<v1::QueryResponse> {
    EXPECT_TRUE(q.has_merge_preview());
    v1::QueryResponse r;
    r.mutable_merge_preview();
    return r;
  });
  auto r = api_.Call("POST", "/api/v1/merges", writer_,
                     std::string(R"({"survivor": ")") + kCustomer + R"(", "other": "email:zoe@example.com", "preview": true})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body.is_object());
  EXPECT_TRUE(api_.commands().sent().empty());
  ASSERT_EQ(api_.hub().requests().size(), 1u);
  EXPECT_EQ(api_.hub().requests()[0].merge_preview().survivor().customer_id(), kCustomer);
  EXPECT_EQ(api_.hub().requests()[0].merge_preview().other().identity().value(), "zoe@example.com");

  auto bad = api_.Call("POST", "/api/v1/merges", writer_,
                       std::string(R"({"survivor": ")") + kCustomer + R"(", "other": ")" + kOther + R"(", "preview": "yes"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "preview");
}

TEST_F(GraphEndpointsTest, MergeAndSplitAnswerTheirIds) {
  api_.commands().Set([](const v1::Command& c) {
    v1::CommandResult r = Applied(kCustomer);
    r.set_merge_id(kMerge);
    if (c.has_split()) {
      r.add_customer_ids(kCustomer);
      r.add_customer_ids(kOther);
    }
    return r;
  });
  auto merge = api_.Call("POST", "/api/v1/merges", writer_,
                         std::string(R"({"survivor": ")") + kCustomer + R"(", "other": ")" + kOther + R"(", "reason": "dup"})");
  ASSERT_EQ(merge.status, 201) << merge.raw;
  EXPECT_EQ(merge.body, nlohmann::json({{"merge_id", kMerge}, {"customer_id", kCustomer}}));

  auto split = api_.Call("POST", std::string("/api/v1/merges/") + kMerge + "/split", writer_, R"({"reason": "not dup"})");
  ASSERT_EQ(split.status, 201) << split.raw;
  EXPECT_EQ(split.body, nlohmann::json({{"merge_id", kMerge}, {"customer_ids", {kCustomer, kOther}}}));
  auto sent = api_.commands().sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].command.split().merge_id(), kMerge);

  auto bad_id = api_.Call("POST", "/api/v1/merges/not-a-merge/split", writer_, R"({"reason": "r"})");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(bad_id.body["error"]["field"], "merge_id");
}

TEST_F(GraphEndpointsTest, ANotAppliedInTimeCommandIsUnavailable) {
  api_.commands().Set([](const v1::Command&) -> base::Result<v1::CommandResult> {
    return base::Status::Unavailable("the unifier did not apply the command in time");
  });
  auto r = api_.Call("POST", "/api/v1/merges", writer_,
                     std::string(R"({"survivor": ")") + kCustomer + R"(", "other": ")" + kOther + R"(", "reason": "dup"})");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body["error"]["code"], "unavailable");
}

TEST_F(GraphEndpointsTest, WritesNeedTheWriteScopeAndExplainTheReadScope) {
  auto link = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/identities", reader_,
                        R"({"identity": "email:ana@example.com", "reason": "r"})");
  EXPECT_EQ(link.status, 403);
  EXPECT_TRUE(api_.commands().sent().empty());

  api_.hub().Set([](const v1::QueryRequest& q) -> base::Result<v1::QueryResponse> {
    if (q.explain().customer().customer_id() != kCustomer) return base::Status::NotFound("no customer");
    v1::QueryResponse r;
    r.mutable_explain()->mutable_customer()->set_customer_id(kCustomer);
    return r;
  });
  auto explain = api_.Call("GET", std::string("/api/v1/customers/") + kCustomer + "/explain", reader_);
  ASSERT_EQ(explain.status, 200) << explain.raw;
  EXPECT_EQ(explain.body["customer"]["customer_id"], kCustomer);
  auto missing = api_.Call("GET", std::string("/api/v1/customers/") + kOther + "/explain", reader_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["field"], "id");
}

}  // namespace
}  // namespace omnihub::api
