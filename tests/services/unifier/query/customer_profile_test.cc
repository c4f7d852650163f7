#include "services/unifier/query/customer_profile.h"

#include <gtest/gtest.h>

#include "services/unifier/query/query_service.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kMinute = 60'000'000;

class CustomerProfileTest : public ::testing::Test {
 protected:
  void Inbound(v1::Channel ch, const std::string& id, const v1::Identity& from, int64_t at,
               const std::string& conversation) {
    v1::Event e = h_.MakeEvent(ch, id, from, at);
    e.set_conversation(conversation);
    h_.Process({UnifierHarness::Frame("p", ++seq_, e)});
  }
  void Outbound(v1::Channel ch, const std::string& id, const v1::Identity& to, int64_t at,
                const std::string& conversation) {
    v1::Event e = h_.MakeEvent(ch, id, to, at);
    e.set_direction(v1::OUTBOUND);
    e.clear_sender();
    *e.add_recipients() = to;
    e.set_conversation(conversation);
    h_.Process({UnifierHarness::Frame("p", ++seq_, e)});
  }
  void Activity(const v1::Identity& from, int64_t at) {
    v1::Event e = h_.MakeEvent(v1::API, "a" + std::to_string(at), from, at);
    e.set_kind(v1::ACTIVITY);
    e.set_activity("order placed");
    h_.Process({UnifierHarness::Frame("p", ++seq_, e)});
  }

  v1::QueryResponse Profile(const v1::Identity& who, uint32_t recent_limit = 0) {
    QueryService q(h_.store(), h_.normalizer(), {50, 1000});
    v1::QueryRequest req;
    *req.mutable_customer_profile()->mutable_customer()->mutable_identity() = who;
    req.mutable_customer_profile()->set_recent_limit(recent_limit);
    return q.Handle(req);
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
};

TEST_F(CustomerProfileTest, SummarizesContactsChannelsCountsAndOpenConversations) {
  const v1::Identity phone = Phone("+14155550100");
  Inbound(v1::SMS, "s1", phone, kT0, "sms-1");                    // answered below
  Outbound(v1::SMS, "s2", phone, kT0 + kMinute, "sms-1");
  Inbound(v1::WHATSAPP, "w1", phone, kT0 + 2 * kMinute, "wa-1");  // waits
  Activity(phone, kT0 + 3 * kMinute);
  Outbound(v1::WHATSAPP, "w2", phone, kT0 + 4 * kMinute, "wa-2");  // our last word
  Inbound(v1::SMS, "s3", phone, kT0 + 5 * kMinute, "sms-2");       // waits, newest

  auto resp = Profile(Phone("+1 415 555 0100"));
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  const auto& p = resp.customer_profile();
  EXPECT_EQ(p.customer().event_count(), 6u);
  ASSERT_EQ(p.identities_size(), 1);
  EXPECT_EQ(p.identities(0).reason().rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(p.identities(0).first_at_us(), kT0);
  EXPECT_EQ(p.identities(0).last_at_us(), kT0 + 5 * kMinute);
  EXPECT_EQ(p.first_contact_at_us(), kT0);
  EXPECT_EQ(p.last_contact_at_us(), kT0 + 5 * kMinute);

  const auto& r = p.recent();
  EXPECT_EQ(r.entries(), 6u);
  EXPECT_TRUE(r.complete());
  ASSERT_EQ(r.channels_size(), 3);  // enum order
  EXPECT_EQ(r.channels(0), v1::SMS);
  EXPECT_EQ(r.channels(1), v1::WHATSAPP);
  EXPECT_EQ(r.channels(2), v1::API);
  EXPECT_EQ(r.messages_inbound(), 3u);
  EXPECT_EQ(r.messages_outbound(), 2u);
  EXPECT_EQ(r.activities(), 1u);
  EXPECT_EQ(r.notes(), 0u);
  ASSERT_EQ(r.open_conversations_size(), 2);
  EXPECT_EQ(r.open_conversations(0).conversation(), "sms-2");
  EXPECT_EQ(r.open_conversations(0).waiting_since_us(), kT0 + 5 * kMinute);
  EXPECT_EQ(r.open_conversations(0).channel(), v1::SMS);
  EXPECT_EQ(r.open_conversations(1).conversation(), "wa-1");
  EXPECT_EQ(r.open_conversations(1).event_id().size(), 16u);
}

TEST_F(CustomerProfileTest, ContactBoundsSpanEveryIdentityWhileTheSummaryStaysOnePage) {
  const v1::Identity phone = Phone("+14155550100");
  for (int i = 0; i < 20; ++i) Inbound(v1::SMS, "s" + std::to_string(i), phone, kT0 + i * kMinute, "c");
  // One event carrying both addresses links the email to the phone's customer.
  v1::Event linked = h_.MakeEvent(v1::EMAIL, "<x@y>", Email("ana@example.com"), kT0 - 60 * kMinute);
  v1::IdentityLink* link = linked.add_party_links();
  *link->mutable_identity() = phone;
  link->set_reason("test: one message carried both");
  h_.Process({UnifierHarness::Frame("p", ++seq_, linked)});

  auto resp = Profile(Email("ana@example.com"), 5);
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  const auto& p = resp.customer_profile();
  ASSERT_EQ(p.identities_size(), 2);
  ASSERT_EQ(p.customer().identities_size(), 2);
  EXPECT_EQ(p.identities(1).reason().rule(), v1::LinkReason::PLATFORM_LINK);
  EXPECT_EQ(p.identities(1).first_at_us(), kT0 - 60 * kMinute);
  EXPECT_EQ(p.identities(1).last_at_us(), kT0 - 60 * kMinute);
  EXPECT_EQ(p.first_contact_at_us(), kT0 - 60 * kMinute);  // the email's, older than any SMS
  EXPECT_EQ(p.last_contact_at_us(), kT0 + 19 * kMinute);
  EXPECT_EQ(p.recent().entries(), 5u);
  EXPECT_FALSE(p.recent().complete());
  EXPECT_EQ(p.recent().messages_inbound(), 5u);
}

TEST_F(CustomerProfileTest, UnknownCustomerIsNotFound) {
  Inbound(v1::SMS, "s1", Phone("+14155550100"), kT0, "c");
  EXPECT_EQ(Profile(Email("nobody@example.com")).error().code(), "not_found");
}

}  // namespace
}  // namespace omnihub::unifier
