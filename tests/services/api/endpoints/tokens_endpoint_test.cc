// GET/POST /api/v1/tokens and DELETE /api/v1/tokens/{id} through the real router and
// authenticator: admin scope only, the secret in the 201 answer only, the acting token's name as
// created_by and in the audit log, and each refusal naming its field.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

class TokensTest : public testing::EndpointHarness {
 protected:
  TokensTest() {
    EXPECT_TRUE(AddTokenRoutes(routes(), services()).ok());
    auto admin = services().tokens.Create("ops-admin", static_cast<uint8_t>(auth::Scope::kAdmin), 0, "test");
    EXPECT_TRUE(admin.ok());
    admin_ = admin.ok() ? admin->token : "";
  }
  std::vector<nlohmann::json> Audit() {
    std::ifstream in(services().tokens.dir() + "/audit.jsonl");
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }
  std::string admin_;
};

TEST_F(TokensTest, CreateAnswersTheSecretOnceAndRecordsTheActor) {
  auto r = Call("POST", "/api/v1/tokens", admin_,
                R"({"name": "agent-cy", "scopes": ["read", "ingest"], "expires_in_s": 60, "rate_limit_per_s": 9})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto made = Json(r);
  EXPECT_EQ(made["name"], "agent-cy");
  EXPECT_EQ(made["scopes"], nlohmann::json({"read", "ingest"}));
  EXPECT_EQ(made["created_by"], "ops-admin");
  EXPECT_EQ(made["rate_limit_per_s"], 9);
  EXPECT_FALSE(made["expires_at"].is_null());
  auto who = services().tokens.Verify(made["token"].get<std::string>());
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->scopes, static_cast<uint8_t>(auth::Scope::kRead) | static_cast<uint8_t>(auth::Scope::kIngest));

  auto listed = Call("GET", "/api/v1/tokens", admin_);
  ASSERT_EQ(listed.status, 200);
  const auto tokens = Json(listed)["tokens"];
  ASSERT_EQ(tokens.size(), 4u);  // agent-ana, agent-bo, ops-admin, agent-cy
  EXPECT_EQ(tokens[3]["name"], "agent-cy");
  for (const auto& t : tokens) EXPECT_FALSE(t.contains("token"));

  const auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["action"], "create");
  EXPECT_EQ(audit[0]["actor"], "ops-admin");
  EXPECT_EQ(audit[0]["via"], "api");
  EXPECT_EQ(audit[0]["name"], "agent-cy");
}

TEST_F(TokensTest, RevokeByIdOrNameAndTheTokenStopsWorking) {
  ASSERT_EQ(Get("/api/v1/tokens").status, 403) << "a read token is not an admin";
  auto r = Call("DELETE", "/api/v1/tokens/agent-ana", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Json(r)["revoked_at"].is_null());
  EXPECT_EQ(Get("/api/v1/tokens").status, 401);
  const std::string id = Json(r)["token_id"];
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + id, admin_).status, 200) << "revoking twice answers the record";
  ExpectError(Call("DELETE", "/api/v1/tokens/nobody", admin_), 404, "not_found", "id");
  EXPECT_EQ(Audit().size(), 2u);
}

TEST_F(TokensTest, RefusalsNameTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"scopes": ["read"]})", "name"},
      {R"({"name": "", "scopes": ["read"]})", "name"},
      {R"({"name": "two words", "scopes": ["read"]})", "name"},
      {R"({"name": "ops-admin", "scopes": ["read"]})", "name"},
      {R"({"name": "x"})", "scopes"},
      {R"({"name": "x", "scopes": []})", "scopes"},
      {R"({"name": "x", "scopes": ["read", 1]})", "scopes"},
      {R"({"name": "x", "scopes": ["owner"]})", "scopes"},
      {R"({"name": "x", "scopes": ["read"], "expires_in_s": 0})", "expires_in_s"},
      {R"({"name": "x", "scopes": ["read"], "expires_in_s": 1.5})", "expires_in_s"},
      {R"({"name": "x", "scopes": ["read"], "expires_in_s": 4000000000})", "expires_in_s"},
      {R"({"name": "x", "scopes": ["read"], "rate_limit_per_s": "fast"})", "rate_limit_per_s"},
      {R"({"name": "x", "scopes": ["read"], "rate_limit_per_s": 1000001})", "rate_limit_per_s"},
      {R"(["x"])", "body"},
      {R"({"name": )", "body"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    const auto r = Call("POST", "/api/v1/tokens", admin_, body);
    ExpectError(r, field == "name" && body.find("ops-admin") != std::string::npos ? 409 : 400,
                body.find("ops-admin") != std::string::npos ? "conflict" : "bad_request", field);
  }
  EXPECT_TRUE(Audit().empty());
  ExpectError(Post("/api/v1/tokens", R"({"name": "x", "scopes": ["read"]})"), 403, "forbidden", "");
}

}  // namespace
}  // namespace omnihub::api
