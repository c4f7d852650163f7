// One customer's changes, following it into the survivor of a merge and back out on a split.
#include <string>

#include <gtest/gtest.h>

#include "services/api/stream/customer_filter.h"

namespace omnihub::api::stream {
namespace {

v1::ChangeNotification Change(v1::ChangeKind kind, std::string customer, std::string merged = "") {
  v1::ChangeNotification c;
  c.set_kind(kind);
  c.set_customer_id(std::move(customer));
  c.set_merged_customer_id(std::move(merged));
  return c;
}

TEST(CustomerFilterTest, TakesOnlyTheCustomersChanges) {
  ChangeFilter f = CustomerChangeFilter("A");
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "A")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "B")));
  EXPECT_FALSE(f(Change(v1::DEAD_LETTERED, "")));
  // An unlink took an identity from A into a new customer C: A's news, C's later events are not.
  EXPECT_TRUE(f(Change(v1::IDENTITY_UNLINKED, "C", "A")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "C")));
}

TEST(CustomerFilterTest, FollowsTheSurvivorOfAMergeThatAbsorbedIt) {
  ChangeFilter f = CustomerChangeFilter("A");
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "B")));
  EXPECT_TRUE(f(Change(v1::CUSTOMERS_MERGED, "B", "A")));
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "B")));
  // And on, through a second merge of the survivor.
  EXPECT_TRUE(f(Change(v1::CUSTOMERS_MERGED, "D", "B")));
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "D")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "E")));
}

TEST(CustomerFilterTest, AMergeIntoItChangesNothingAndASplitEndsTheFollowing) {
  ChangeFilter f = CustomerChangeFilter("A");
  EXPECT_TRUE(f(Change(v1::CUSTOMERS_MERGED, "A", "X")));  // X absorbed into A: A keeps its id
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "X")));

  EXPECT_TRUE(f(Change(v1::CUSTOMERS_MERGED, "B", "A")));
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "B")));
  EXPECT_TRUE(f(Change(v1::CUSTOMERS_SPLIT, "B", "A")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "B")));
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "A")));
}

}  // namespace
}  // namespace omnihub::api::stream
