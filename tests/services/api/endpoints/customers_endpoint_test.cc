// GET /api/v1/customers?identity= and /api/v1/customers/{id}: what reaches the hub, the profile
// JSON, and the 4xx answers naming the parameter at fault.
#include <gtest/gtest.h>

#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kMinute = 60'000'000;
const std::string kCustomerId = "0190b3a2-7c4e-7d10-8a5b-0123456789ab";

class CustomersTest : public testing::EndpointHarness {
 protected:
  CustomersTest() { EXPECT_TRUE(AddCustomerRoutes(routes(), services()).ok()); }

  static v1::QueryResponse Profile() {
    v1::QueryResponse r;
    v1::CustomerProfileResponse* p = r.mutable_customer_profile();
    v1::Customer* c = p->mutable_customer();
    c->set_customer_id(kCustomerId);
    c->set_event_count(7);
    c->set_created_at_us(kT0);
    v1::Identity* phone = c->add_identities();
    phone->set_kind(v1::Identity::PHONE);
    phone->set_value("+14155550100");
    c->add_link_reasons()->set_rule(v1::LinkReason::FIRST_SIGHT);
    v1::ProfileIdentity* pi = p->add_identities();
    pi->set_identity_id(3);
    pi->mutable_reason()->set_rule(v1::LinkReason::FIRST_SIGHT);
    pi->mutable_reason()->set_linked_at_us(kT0);
    pi->set_first_at_us(kT0);
    pi->set_last_at_us(kT0 + 9 * kMinute);
    p->set_first_contact_at_us(kT0);
    p->set_last_contact_at_us(kT0 + 9 * kMinute);
    v1::RecentSummary* recent = p->mutable_recent();
    recent->set_entries(7);
    recent->set_complete(true);
    recent->add_channels(v1::SMS);
    recent->add_channels(v1::WHATSAPP);
    recent->set_messages_inbound(4);
    recent->set_messages_outbound(2);
    recent->set_notes(1);
    v1::OpenConversation* open = recent->add_open_conversations();
    open->set_conversation("sms:+14155550100");
    open->set_channel(v1::SMS);
    open->set_event_id(std::string(16, '\x01'));
    open->set_waiting_since_us(kT0 + 9 * kMinute);
    return r;
  }
};

TEST_F(CustomersTest, LookupByIdentityAnswersTheProfile) {
  hub.Answer(Profile());
  auto r = Get("/api/v1/customers?identity=phone:%2B1%20(415)%20555-0100");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_EQ(hub.requests.size(), 1u);
  const auto& selector = hub.requests[0].customer_profile().customer();
  ASSERT_TRUE(selector.has_identity());
  EXPECT_EQ(selector.identity().kind(), v1::Identity::PHONE);

  auto j = Json(r);
  EXPECT_EQ(j["customer_id"], kCustomerId);
  EXPECT_EQ(j["event_count"], 7);
  ASSERT_EQ(j["identities"].size(), 1u);
  EXPECT_EQ(j["identities"][0]["argument"], "phone:+14155550100");
  EXPECT_EQ(j["identities"][0]["identity_id"], 3);
  EXPECT_EQ(j["identities"][0]["reason"]["rule"], "first_sight");
  EXPECT_TRUE(j["identities"][0]["reason"].contains("anchor"));
  EXPECT_EQ(j["identities"][0]["first_contact_at"], "2025-06-15T15:06:40.000000Z");
  EXPECT_EQ(j["first_contact_at"], "2025-06-15T15:06:40.000000Z");
  EXPECT_EQ(j["last_contact_at"], "2025-06-15T15:15:40.000000Z");
  EXPECT_EQ(j["channels"], nlohmann::json({"sms", "whatsapp"}));
  EXPECT_EQ(j["counts"], nlohmann::json({{"events", 7}, {"identities", 1}}));
  EXPECT_EQ(j["recent"]["messages_inbound"], 4);
  EXPECT_EQ(j["recent"]["complete"], true);
  ASSERT_EQ(j["open_conversations"].size(), 1u);
  EXPECT_EQ(j["open_conversations"][0]["conversation"], "sms:+14155550100");
  EXPECT_EQ(j["open_conversations"][0]["channel"], "sms");
  EXPECT_EQ(j["open_conversations"][0]["event_id"], "01010101-0101-0101-0101-010101010101");
}

TEST_F(CustomersTest, PathTakesACustomerIdOrAnEncodedIdentity) {
  hub.Answer(Profile());
  hub.Answer(Profile());
  EXPECT_EQ(Get("/api/v1/customers/" + kCustomerId).status, 200);
  EXPECT_EQ(Get("/api/v1/customers/email%3AAna%40Example.com").status, 200);
  ASSERT_EQ(hub.requests.size(), 2u);
  EXPECT_EQ(hub.requests[0].customer_profile().customer().customer_id(), kCustomerId);
  EXPECT_EQ(hub.requests[1].customer_profile().customer().identity().kind(), v1::Identity::EMAIL);
}

TEST_F(CustomersTest, ACustomerWithoutEntriesHasNullContactTimes) {
  v1::QueryResponse r = Profile();
  r.mutable_customer_profile()->clear_recent();
  r.mutable_customer_profile()->mutable_identities(0)->set_first_at_us(0);
  r.mutable_customer_profile()->mutable_identities(0)->set_last_at_us(0);
  hub.Answer(r);
  auto j = Json(Get("/api/v1/customers/" + kCustomerId));
  EXPECT_TRUE(j["first_contact_at"].is_null());
  EXPECT_TRUE(j["last_contact_at"].is_null());
  EXPECT_TRUE(j["identities"][0]["first_contact_at"].is_null());
  EXPECT_EQ(j["open_conversations"], nlohmann::json::array());
}

TEST_F(CustomersTest, BadArgumentsAreRefusedNamingTheParameterWithoutAskingTheHub) {
  ExpectError(Get("/api/v1/customers"), 400, "bad_request", "identity");
  ExpectError(Get("/api/v1/customers?identity="), 400, "bad_request", "identity");
  ExpectError(Get("/api/v1/customers?identity=fax:123"), 400, "bad_request", "identity");
  ExpectError(Get("/api/v1/customers?identity=email:ana@example.com&verbose=1"), 400, "bad_request", "verbose");
  ExpectError(Get("/api/v1/customers/not-a-customer"), 400, "bad_request", "id");
  EXPECT_TRUE(hub.requests.empty());
}

TEST_F(CustomersTest, HubAnswersBecomeTheirStatuses) {
  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  ExpectError(Get("/api/v1/customers?identity=email:nobody@example.com"), 404, "not_found", "identity");
  hub.Fail(base::Status::NotFound("no customer with id " + kCustomerId));
  ExpectError(Get("/api/v1/customers/" + kCustomerId), 404, "not_found", "id");
  hub.Fail(base::Status::Unavailable("the hub did not answer within 5000 ms"));
  ExpectError(Get("/api/v1/customers/" + kCustomerId), 503, "unavailable", "");
}

TEST_F(CustomersTest, NeedsAToken) {
  ExpectError(Call("GET", "/api/v1/customers/" + kCustomerId, ""), 401, "unauthorized", "");
  EXPECT_TRUE(hub.requests.empty());
}

}  // namespace
}  // namespace omnihub::api
