// A customer's export and erasure over the API (endpoints/export_erasure.cc) against a canned
// hub and a recording command client: the export document, and the erasure procedure run with
// the token's name as actor, the API's own outbox among the scanned directories, and the
// receipt answered.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr char kCustomer[] = "01a20672-9cbf-7000-86af-863ec973c825";
constexpr char kErasure[] = "01a20672-9cbf-7000-86af-863ec973c830";
constexpr char kSecret[] = "my card number is 4111 1111";

// No admin listener anywhere: the tests ask no adapter over the network.
constexpr char kNoAdminListeners[] = R"(
[email]
admin_listen = ""
[sms]
admin_listen = ""
[social]
admin_listen = ""
[api]
admin_listen = ""
)";

v1::QueryResponse Jane() {
  v1::QueryResponse r;
  v1::Customer& c = *r.mutable_get_customer()->mutable_customer();
  c.set_customer_id(kCustomer);
  auto* email = c.add_identities();
  email->set_kind(v1::Identity::EMAIL);
  email->set_value("jane.erasable@example.com");
  c.add_link_reasons()->set_rule(v1::LinkReason::FIRST_SIGHT);
  c.set_event_count(1);
  return r;
}

v1::QueryResponse Timeline() {
  v1::QueryResponse r;
  v1::Event& e = *r.mutable_timeline()->add_events();
  e.set_event_id(std::string(16, '\x01'));
  e.set_channel(v1::EMAIL);
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_occurred_at_us(1'790'000'000'000'000);
  *e.mutable_sender() = Jane().get_customer().customer().identities(0);
  e.set_text(kSecret);
  return r;
}

v1::CommandResult Receipt() {
  v1::CommandResult r;
  r.set_applied(true);
  r.mutable_receipt()->set_erasure_id(kErasure);
  r.mutable_receipt()->set_customer_id(kCustomer);
  r.mutable_receipt()->set_actor("agent-dpo");
  r.mutable_receipt()->set_reason("data subject request");
  return r;
}

class ExportErasureEndpointsTest : public testing::EndpointHarness {
 protected:
  ExportErasureEndpointsTest() : EndpointHarness(kNoAdminListeners) {
    EXPECT_TRUE(AddExportErasureRoutes(routes(), services()).ok());
    std::filesystem::create_directories(store_dir_);
  }

  // The hub's answers for one erasure, up to the purge (which lists the store's directory).
  void AnswerErasureQueries() {
    hub.Answer(Jane());
    hub.Answer(Timeline());
    v1::QueryResponse purged;
    purged.mutable_purge()->add_directories(store_dir_);
    hub.Answer(purged);
  }
  // The verification the procedure recorded (the second command).
  const v1::ErasureVerification& Recorded() const { return commands.commands.at(1).erasure_verified().verification(); }

  const std::string admin_ = NewToken("agent-dpo", static_cast<uint8_t>(auth::Scope::kAdmin));
  const std::string store_dir_ = dir() + "/store";
};

TEST_F(ExportErasureEndpointsTest, ExportAnswersTheCustomerDocument) {
  hub.Answer(Jane());
  hub.Fail(base::Status::InvalidArgument("this hub has no identity graph"));
  hub.Answer(Timeline());
  auto r = Call("GET", std::string("/api/v1/customers/") + kCustomer + "/export", admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto doc = Json(r);
  EXPECT_EQ(doc["format"], "omnihub-export");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["customer"]["customer_id"], kCustomer);
  EXPECT_EQ(doc["identity_reasons_from"], "get_customer");
  ASSERT_EQ(doc["events"].size(), 1u);
  EXPECT_EQ(doc["events"][0]["text"], kSecret);

  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  ExpectError(Call("GET", "/api/v1/customers/email:nobody@example.com/export", admin_), 404, "not_found", "id");
  ExpectError(Call("GET", std::string("/api/v1/customers/") + kCustomer + "/export", writer_), 403, "forbidden", "");
}

TEST_F(ExportErasureEndpointsTest, EraseRunsTheProcedureAndAnswersTheReceipt) {
  AnswerErasureQueries();
  commands.Answer(Receipt());
  commands.Answer(Receipt());
  auto r = Call("POST", std::string("/api/v1/customers/") + kCustomer + "/erase", admin_,
                R"({"reason": "data subject request"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["erasure_id"], kErasure);
  EXPECT_EQ(Json(r)["actor"], "agent-dpo");

  ASSERT_EQ(commands.commands.size(), 2u);
  EXPECT_EQ(commands.actors, std::vector<std::string>({"agent-dpo", "agent-dpo"}));
  EXPECT_EQ(commands.commands[0].erase().customer().customer_id(), kCustomer) << "by id, never by identity";
  EXPECT_EQ(commands.commands[0].reason(), "data subject request");
  EXPECT_EQ(commands.commands[1].erasure_verified().erasure_id(), kErasure);
  EXPECT_TRUE(Recorded().clean());
  EXPECT_EQ(Recorded().needles(), 2u);  // the address and the text
  const auto& dirs = Recorded().directories();
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), store_dir_), dirs.end());
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), outbox().outbox().directory()), dirs.end())
      << "the API's own outbox is compacted and scanned";
  EXPECT_EQ(hub.unanswered(), 0u);
}

TEST_F(ExportErasureEndpointsTest, ACopyLeftBehindIsAFinding) {
  std::ofstream(store_dir_ + "/left.sst") << "xx" << kSecret << "yy";
  AnswerErasureQueries();
  commands.Answer(Receipt());
  commands.Answer(Receipt());
  auto r = Call("POST", std::string("/api/v1/customers/") + kCustomer + "/erase", admin_, R"({"reason": "dsr"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Recorded().clean());
  ASSERT_EQ(Recorded().findings_size(), 1);
  EXPECT_EQ(Recorded().findings(0).find(kSecret), std::string::npos) << "a finding names where, never the bytes";
}

TEST_F(ExportErasureEndpointsTest, EraseRefusals) {
  const std::string path = std::string("/api/v1/customers/") + kCustomer + "/erase";
  ExpectError(Call("POST", path, admin_, "{}"), 400, "bad_request", "reason");
  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  v1::QueryResponse none;
  none.mutable_erasures();
  hub.Answer(none);
  ExpectError(Call("POST", "/api/v1/customers/email:nobody@example.com/erase", admin_, R"({"reason": "r"})"), 404,
              "not_found", "id");
  ExpectError(Call("POST", path, writer_, R"({"reason": "r"})"), 403, "forbidden", "");
  EXPECT_TRUE(commands.commands.empty());
}

}  // namespace
}  // namespace omnihub::api
