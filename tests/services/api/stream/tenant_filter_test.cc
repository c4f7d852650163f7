// A live stream keeps its tenant's changes of a partition that carries several tenants, and
// only those reach the filter behind it.
#include "services/api/stream/tenant_filter.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/api/stream/customer_filter.h"

namespace omnihub::api::stream {
namespace {

v1::ChangeNotification Change(v1::ChangeKind kind, std::string tenant, std::string customer = "",
                              std::string merged = "") {
  v1::ChangeNotification c;
  c.set_kind(kind);
  c.set_tenant_id(std::move(tenant));
  c.set_customer_id(std::move(customer));
  c.set_merged_customer_id(std::move(merged));
  return c;
}

TEST(TenantFilterTest, KeepsTheTenantsChangesOfEveryKind) {
  ChangeFilter acme = TenantChangeFilter("acme", nullptr);
  EXPECT_TRUE(acme(Change(v1::EVENT_ADDED, "acme", "A")));
  EXPECT_TRUE(acme(Change(v1::COMMAND_REJECTED, "acme")));
  EXPECT_FALSE(acme(Change(v1::EVENT_ADDED, "globex", "G")));
  EXPECT_FALSE(acme(Change(v1::EVENT_ADDED, "", "D")));
  EXPECT_FALSE(acme(Change(v1::DEAD_LETTERED, "")));
  EXPECT_FALSE(TenantChangeFilter("acm", nullptr)(Change(v1::EVENT_ADDED, "acme", "A"))) << "no prefix match";
}

TEST(TenantFilterTest, TheDefaultTenantIsEmptyOnTheWireHoweverItIsNamed) {
  for (const char* name : {"default", ""}) {
    ChangeFilter f = TenantChangeFilter(name, nullptr);
    EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "", "D"))) << name;
    EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "default", "D"))) << name;
    EXPECT_TRUE(f(Change(v1::DEAD_LETTERED, ""))) << name;
    EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "acme", "A"))) << name;
  }
}

TEST(TenantFilterTest, TheInnerFilterSeesOnlyTheTenantsChanges) {
  std::vector<std::string> seen;
  ChangeFilter f = TenantChangeFilter("acme", [&](const v1::ChangeNotification& c) {
    seen.push_back(c.customer_id());
    return c.customer_id() == "A";
  });
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "acme", "A")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "acme", "B")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "globex", "A")));
  EXPECT_EQ(seen, (std::vector<std::string>{"A", "B"}));
}

// The customer filter keeps state (the survivors of merges): another tenant's merge naming the
// same id (ids are per tenant, but a filter must not rely on it) does not move it.
TEST(TenantFilterTest, AnotherTenantsMergeDoesNotMoveACustomerStream) {
  ChangeFilter f = TenantChangeFilter("acme", CustomerChangeFilter("A"));
  EXPECT_FALSE(f(Change(v1::CUSTOMERS_MERGED, "globex", "B", "A")));
  EXPECT_FALSE(f(Change(v1::EVENT_ADDED, "acme", "B")));
  EXPECT_TRUE(f(Change(v1::CUSTOMERS_MERGED, "acme", "C", "A")));
  EXPECT_TRUE(f(Change(v1::EVENT_ADDED, "acme", "C")));
}

}  // namespace
}  // namespace omnihub::api::stream
