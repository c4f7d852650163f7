// The recent_customers query: customers by newest activity from the change log, newest first,
// each once per page, paged with next_before_seq, a merged customer shown as its survivor.
#include "services/unifier/query/recent_customers.h"

#include <gtest/gtest.h>

#include "services/unifier/query/query_service.h"
#include "tests/services/unifier/graph/graph_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::GraphHarness;
using testing::Phone;

class RecentCustomersTest : public ::testing::Test {
 protected:
  v1::RecentCustomersResponse Ask(uint32_t limit, uint64_t before = 0) {
    QueryService q(g_.harness().store(), g_.harness().normalizer(), {});
    v1::QueryRequest req;
    req.mutable_recent_customers()->set_limit(limit);
    req.mutable_recent_customers()->set_before_seq(before);
    v1::QueryResponse resp = q.Handle(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.recent_customers();
  }

  static std::string FirstIdentity(const v1::RecentCustomer& c) { return c.customer().identities(0).value(); }

  GraphHarness g_;
};

TEST_F(RecentCustomersTest, NewestActivityFirstEachCustomerOnce) {
  g_.Event(v1::SMS, Phone("+12025550101"));
  g_.Event(v1::EMAIL, Email("ana@example.com"));
  g_.Event(v1::SMS, Phone("+12025550101"));

  const auto page = Ask(10);
  ASSERT_EQ(page.customers_size(), 2);
  EXPECT_EQ(FirstIdentity(page.customers(0)), "+12025550101");
  EXPECT_EQ(page.customers(0).last_activity_us(), testing::kGraphT0 + 3000);
  EXPECT_EQ(page.customers(0).customer().event_count(), 2u);
  EXPECT_EQ(FirstIdentity(page.customers(1)), "ana@example.com");
  EXPECT_EQ(page.next_before_seq(), 0u) << "the whole log was read";
}

TEST_F(RecentCustomersTest, PagesContinueBeforeTheLastChangeShown) {
  for (int i = 0; i < 5; ++i) g_.Event(v1::SMS, Phone("+1202555010" + std::to_string(i)));
  const auto first = Ask(2);
  ASSERT_EQ(first.customers_size(), 2);
  EXPECT_EQ(FirstIdentity(first.customers(0)), "+12025550104");
  EXPECT_EQ(FirstIdentity(first.customers(1)), "+12025550103");
  ASSERT_NE(first.next_before_seq(), 0u);

  const auto second = Ask(2, first.next_before_seq());
  ASSERT_EQ(second.customers_size(), 2);
  EXPECT_EQ(FirstIdentity(second.customers(0)), "+12025550102");
  EXPECT_EQ(FirstIdentity(second.customers(1)), "+12025550101");

  const auto third = Ask(2, second.next_before_seq());
  ASSERT_EQ(third.customers_size(), 1);
  EXPECT_EQ(FirstIdentity(third.customers(0)), "+12025550100");
  EXPECT_EQ(third.next_before_seq(), 0u);
}

TEST_F(RecentCustomersTest, AMergedCustomerShowsAsItsSurvivor) {
  const auto phone = Phone("+12025550101");
  const auto email = Email("ana@example.com");
  g_.Event(v1::SMS, phone);
  g_.Event(v1::EMAIL, email);
  const std::string survivor = g_.CustomerId(phone);
  ASSERT_TRUE(g_.Merge(survivor, g_.CustomerId(email)).applied());

  const auto after = Ask(10);
  ASSERT_EQ(after.customers_size(), 1) << "both events now belong to one customer";
  EXPECT_EQ(after.customers(0).customer().customer_id(), survivor);
  EXPECT_EQ(after.customers(0).last_activity_us(), testing::kGraphT0 + 2000);
}

}  // namespace
}  // namespace omnihub::unifier
