// A customer's export and erasure over the API (endpoints/export_erasure.cc) against a fake
// hub and command client: the export document, and the erasure procedure run with the token's
// name as actor, the API's own outbox among the scanned directories, and the receipt answered.
#include <filesystem>
#include <algorithm>
#include <atomic>
#include <fstream>

#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/api_test_harness.h"

namespace omnihub::api {
namespace {

using testing::ApiHarness;
using testing::Scopes;

constexpr char kCustomer[] = "01a20672-9cbf-7000-86af-863ec973c825";
constexpr char kErasure[] = "01a20672-9cbf-7000-86af-863ec973c830";
constexpr char kSecret[] = "my card number is 4111 1111";

// No adapter admin listener: the tests purge nothing over the network.
constexpr char kNoAdapters[] = R"(
[email]
admin_listen = ""
[sms]
admin_listen = ""
[social]
admin_listen = ""
)";

v1::Customer Jane() {
  v1::Customer c;
  c.set_customer_id(kCustomer);
  auto* email = c.add_identities();
  email->set_kind(v1::Identity::EMAIL);
  email->set_value("jane.erasable@example.com");
  c.add_link_reasons()->set_rule(v1::LinkReason::FIRST_SIGHT);
  c.set_event_count(1);
  return c;
}

v1::Event Message() {
  v1::Event e;
  e.set_event_id(std::string(16, '\x01'));
  e.set_channel(v1::EMAIL);
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_occurred_at_us(1'790'000'000'000'000);
  *e.mutable_sender() = Jane().identities(0);
  e.set_text(kSecret);
  return e;
}

class ExportErasureEndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_dir_ = api_.dir() / "store";
    std::filesystem::create_directories(store_dir_);
    api_.hub().Set([this](const v1::QueryRequest& q) -> base::Result<v1::QueryResponse> {
      v1::QueryResponse r;
      if (q.has_get_customer()) {
        if (erased_ || q.get_customer().customer().customer_id() != kCustomer) return base::Status::NotFound("no customer");
        *r.mutable_get_customer()->mutable_customer() = Jane();
      } else if (q.has_explain()) {
        return base::Status::InvalidArgument("this hub has no identity graph");
      } else if (q.has_timeline()) {
        *r.mutable_timeline()->add_events() = Message();
      } else if (q.has_purge()) {
        r.mutable_purge()->add_directories(store_dir_.string());
      } else if (q.has_erasures()) {
        r.mutable_erasures();
      } else {
        return base::Status::InvalidArgument("unexpected query");
      }
      return r;
    });
    api_.commands().Set([this](const v1::Command& c) {
      v1::CommandResult r;
      r.set_applied(true);
      r.mutable_receipt()->set_erasure_id(kErasure);
      r.mutable_receipt()->set_customer_id(kCustomer);
      r.mutable_receipt()->set_reason(c.reason());
      if (c.has_erase()) erased_ = true;
      if (c.has_erasure_verified()) *r.mutable_receipt()->mutable_verification() = c.erasure_verified().verification();
      return r;
    });
  }

  ApiHarness api_{AddExportErasureRoutes, kNoAdapters};
  std::string admin_ = api_.Token("dpo", Scopes({auth::Scope::kAdmin}));
  std::filesystem::path store_dir_;
  std::atomic<bool> erased_{false};
};

TEST_F(ExportErasureEndpointsTest, ExportAnswersTheCustomerDocument) {
  auto r = api_.Call("GET", std::string("/api/v1/customers/") + kCustomer + "/export", admin_);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["format"], "omnihub-export");
  EXPECT_EQ(r.body["version"], 1);
  EXPECT_EQ(r.body["customer"]["customer_id"], kCustomer);
  EXPECT_EQ(r.body["identity_reasons_from"], "get_customer");
  ASSERT_EQ(r.body["events"].size(), 1u);
  EXPECT_EQ(r.body["events"][0]["text"], kSecret);

  auto missing = api_.Call("GET", "/api/v1/customers/email:nobody@example.com/export", admin_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["field"], "id");
  auto reader = api_.Token("reader", Scopes({auth::Scope::kRead, auth::Scope::kWrite}));
  EXPECT_EQ(api_.Call("GET", std::string("/api/v1/customers/") + kCustomer + "/export", reader).status, 403);
}

TEST_F(ExportErasureEndpointsTest, EraseRunsTheProcedureAndAnswersTheReceipt) {
  auto r = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/erase", admin_,
                     R"({"reason": "data subject request"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["erasure_id"], kErasure);
  EXPECT_EQ(r.body["reason"], "data subject request");
  EXPECT_TRUE(r.body["verification"]["clean"]);
  EXPECT_GE(r.body["verification"]["needles"].get<int>(), 2);  // the identity and the text
  const auto& dirs = r.body["verification"]["directories"];
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), store_dir_.string()), dirs.end()) << dirs;
  EXPECT_NE(std::find(dirs.begin(), dirs.end(), api_.outbox().outbox().directory()), dirs.end())
      << "the API's own outbox is scanned: " << dirs;

  auto sent = api_.commands().sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].actor, "dpo");
  EXPECT_EQ(sent[0].command.erase().customer().customer_id(), kCustomer) << "by id, never by identity";
  EXPECT_TRUE(sent[1].command.has_erasure_verified());
  EXPECT_EQ(sent[1].actor, "dpo");
}

TEST_F(ExportErasureEndpointsTest, ACopyLeftBehindIsAFinding) {
  std::ofstream(store_dir_ / "left.sst") << "xx" << kSecret << "yy";
  auto r = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/erase", admin_, R"({"reason": "dsr"})");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_FALSE(r.body["verification"]["clean"]);
  ASSERT_EQ(r.body["verification"]["findings"].size(), 1u);
  EXPECT_EQ(r.body["verification"]["findings"][0].get<std::string>().find(kSecret), std::string::npos)
      << "a finding names where, never the bytes";
}

TEST_F(ExportErasureEndpointsTest, EraseRefusals) {
  auto no_reason = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/erase", admin_, "{}");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.body["error"]["field"], "reason");
  auto unknown = api_.Call("POST", "/api/v1/customers/email:nobody@example.com/erase", admin_, R"({"reason": "r"})");
  EXPECT_EQ(unknown.status, 404);
  auto writer = api_.Token("agent", Scopes({auth::Scope::kWrite}));
  EXPECT_EQ(api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/erase", writer, R"({"reason": "r"})").status,
            403);
  EXPECT_TRUE(api_.commands().sent().empty());
}

}  // namespace
}  // namespace omnihub::api
