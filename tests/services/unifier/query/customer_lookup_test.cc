// Finding customers across the identity graph, through the batch processor and the query
// service: identities linked by the platform (party_links) answer as one customer with each
// link's reason, a merged customer's old id leads to the customer it was merged into, and
// "x:@handle" names the one X user last seen with that handle.
#include "services/unifier/query/customer_lookup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/event/identity.h"
#include "services/unifier/query/query_service.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr char kBoth[] = "whatsapp: one message carried both wa_id and user_id";

class CustomerLookupTest : public ::testing::Test {
 protected:
  v1::Identity WhatsAppUser(const std::string& user_id) {
    return *h_.normalizer().Platform("whatsapp", "102290129340398", user_id);
  }
  v1::Identity XUser(const std::string& user_id, const std::string& handle) {
    return *h_.normalizer().Platform("x", "", user_id, handle);
  }

  v1::Event Linked(v1::Event e, const v1::Identity& identity, const std::string& reason) {
    v1::IdentityLink* link = e.add_party_links();
    *link->mutable_identity() = identity;
    link->set_reason(reason);
    return e;
  }

  // Processes each event in a batch of its own, one sequence after the other.
  BatchResult Send(const std::vector<v1::Event>& events) {
    BatchResult last;
    for (const auto& e : events) last = h_.Process({UnifierHarness::Frame("p1", ++seq_, e)});
    return last;
  }

  v1::QueryResponse Ask(const v1::CustomerSelector& selector) {
    QueryService q(h_.store(), h_.normalizer(), {});
    v1::QueryRequest req;
    *req.mutable_get_customer()->mutable_customer() = selector;
    return q.Handle(req);
  }
  v1::QueryResponse AskArgument(const std::string& arg) {
    auto identity = h_.normalizer().ParseArgument(arg);
    EXPECT_TRUE(identity.ok()) << identity.status().ToString();
    v1::CustomerSelector selector;
    *selector.mutable_identity() = *identity;
    return Ask(selector);
  }
  v1::Customer Customer(const std::string& arg) {
    auto resp = AskArgument(arg);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.get_customer().customer();
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
};

TEST_F(CustomerLookupTest, UserIdThenNumberWithUserIdIsOneCustomerAndTheLinkSaysWhy) {
  Send({h_.MakeEvent(v1::WHATSAPP, "wamid.1", WhatsAppUser("US.123"), kT0)});
  const std::string customer_a = Customer("whatsapp:102290129340398:US.123").customer_id();
  const v1::Event second = Linked(h_.MakeEvent(v1::WHATSAPP, "wamid.2", Phone("+16505551234"), kT0 + 10),
                                  WhatsAppUser("US.123"), kBoth);
  Send({second});

  const v1::Customer c = Customer("phone:+1 650 555 1234");
  EXPECT_EQ(c.customer_id(), customer_a);
  EXPECT_EQ(c.event_count(), 2u);
  ASSERT_EQ(c.identities_size(), 2);
  EXPECT_EQ(event::IdentityToArgument(c.identities(0)), "whatsapp:102290129340398:US.123");
  EXPECT_EQ(event::IdentityToArgument(c.identities(1)), "phone:+16505551234");
  ASSERT_EQ(c.link_reasons_size(), 2);
  EXPECT_EQ(c.link_reasons(0).rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(c.link_reasons(1).rule(), v1::LinkReason::PLATFORM_LINK);
  EXPECT_EQ(c.link_reasons(1).detail(), kBoth);
  EXPECT_EQ(c.link_reasons(1).event_id(), second.event_id());
  EXPECT_EQ(h_.processor().counters().customers, 1u);
}

TEST_F(CustomerLookupTest, NumberWithSmsHistoryMergesAndTheOldIdLeadsToTheMergedCustomer) {
  Send({h_.MakeEvent(v1::SMS, "SM1", Phone("+16505551234"), kT0),
        h_.MakeEvent(v1::SMS, "SM2", Phone("+16505551234"), kT0 + 1)});
  h_.clock().Advance(1000);
  Send({h_.MakeEvent(v1::WHATSAPP, "wamid.1", WhatsAppUser("US.123"), kT0 + 2)});
  const std::string customer_b = Customer("phone:+16505551234").customer_id();
  const std::string customer_a = Customer("whatsapp:102290129340398:US.123").customer_id();
  ASSERT_NE(customer_a, customer_b);

  const BatchResult r = Send({Linked(h_.MakeEvent(v1::WHATSAPP, "wamid.2", Phone("+16505551234"), kT0 + 3),
                                     WhatsAppUser("US.123"), kBoth)});
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].kind(), v1::CUSTOMERS_MERGED);
  EXPECT_EQ(r.changes[0].customer_id(), customer_b);  // the SMS customer is the older one
  EXPECT_EQ(r.changes[0].merged_customer_id(), customer_a);
  EXPECT_EQ(r.changes[1].kind(), v1::EVENT_ADDED);
  EXPECT_EQ(r.changes[1].change_seq(), r.changes[0].change_seq() + 1);

  const v1::Customer c = Customer("whatsapp:102290129340398:US.123");
  EXPECT_EQ(c.customer_id(), customer_b);
  EXPECT_EQ(c.event_count(), 4u);
  ASSERT_EQ(c.link_reasons_size(), 2);
  EXPECT_EQ(c.link_reasons(1).detail(), kBoth);
  EXPECT_EQ(c.link_reasons(1).merged_from(), customer_a);

  // The absorbed id is redirected, for lookups and timelines alike.
  v1::CustomerSelector by_old_id;
  by_old_id.set_customer_id(customer_a);
  auto resp = Ask(by_old_id);
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  EXPECT_EQ(resp.get_customer().customer().customer_id(), customer_b);
  QueryService q(h_.store(), h_.normalizer(), {});
  v1::QueryRequest timeline;
  *timeline.mutable_timeline()->mutable_customer() = by_old_id;
  auto page = q.Handle(timeline);
  ASSERT_FALSE(page.has_error()) << page.error().message();
  EXPECT_EQ(page.timeline().customer().customer_id(), customer_b);
  ASSERT_EQ(page.timeline().events_size(), 4);
  EXPECT_EQ(page.timeline().events(0).provider_message_id(), "wamid.2");
  EXPECT_EQ(page.timeline().events(3).provider_message_id(), "SM1");
}

TEST_F(CustomerLookupTest, AtHandleFindsTheOneUserLastSeenWithIt) {
  Send({h_.MakeEvent(v1::X, "dm1", XUser("42", "@Ana_K"), kT0)});
  const v1::Customer c = Customer("x:@ana_k");
  ASSERT_EQ(c.identities_size(), 1);
  EXPECT_EQ(event::IdentityToArgument(c.identities(0)), "x:42");
  EXPECT_EQ(Customer("X:@ANA_K").customer_id(), c.customer_id());

  // Renamed: the old handle names nobody now.
  Send({h_.MakeEvent(v1::X, "dm2", XUser("42", "@ana_new"), kT0 + 1)});
  EXPECT_EQ(Customer("x:@ana_new").customer_id(), c.customer_id());
  auto gone = AskArgument("x:@ana_k");
  EXPECT_EQ(gone.error().code(), "not_found");
  EXPECT_EQ(gone.error().message(), "no x user has handle @ana_k");
}

TEST_F(CustomerLookupTest, AtHandleOfSeveralUsersAsksForTheUserId) {
  // User 42 renamed away from @ana_k while we did not see it; user 43 took the handle.
  Send({h_.MakeEvent(v1::X, "dm1", XUser("42", "@ana_k"), kT0),
        h_.MakeEvent(v1::X, "dm2", XUser("43", "@Ana_K"), kT0 + 1)});
  auto resp = AskArgument("x:@ana_k");
  EXPECT_EQ(resp.error().code(), "invalid_argument");
  EXPECT_EQ(resp.error().message(),
            "handle @ana_k is ambiguous: 2 x users were last seen with it (x:42, x:43); select one by its user id");
  // Handles of another platform are another index.
  EXPECT_EQ(AskArgument("telegram:@ana_k").error().message(), "no telegram user has handle @ana_k");
}

TEST_F(CustomerLookupTest, UnknownCustomerIdIsNotFound) {
  v1::CustomerSelector selector;
  selector.set_customer_id("01a20672-9cbf-7000-86af-863ec973c825");
  auto resp = Ask(selector);
  EXPECT_EQ(resp.error().code(), "not_found");
  EXPECT_EQ(resp.error().message(), "no customer with id 01a20672-9cbf-7000-86af-863ec973c825");
}

}  // namespace
}  // namespace omnihub::unifier
