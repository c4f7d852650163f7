// Derived customer ids: pinned values (a change of the name space or of the name's layout
// would rename every future customer, so it must fail here), and what sets two ids apart.
#include "services/unifier/identity/customer_ids.h"

#include <gtest/gtest.h>

#include "common/event/identity.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

TEST(CustomerIdsTest, TheDefaultTenantsIdOfAPhoneIsPinned) {
  event::IdentityNormalizer normalizer("US");
  const std::string key = event::IdentityKey(*normalizer.Normalize(testing::Phone("+14155550100")));
  EXPECT_EQ(TenantOfDerivedIds(), "default");
  // Python: uuid.uuid5(UUID("9f5f082a-26df-4a3b-a067-b2feef69a19a"), "default\0\x02\x0c+14155550100")
  EXPECT_EQ(DerivedCustomerId("default", key), "385dbd0c-5f0e-5af5-99ef-5e54acca2e35");
}

TEST(CustomerIdsTest, TenantIdentityAndARecreationGiveDifferentIds) {
  const std::string a = DerivedCustomerId("default", "\x01\x0fjane@example.com");
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '5');  // version 5
  EXPECT_EQ(a, DerivedCustomerId("default", "\x01\x0fjane@example.com"));
  EXPECT_NE(a, DerivedCustomerId("shop-2", "\x01\x0fjane@example.com"));
  EXPECT_NE(a, DerivedCustomerId("default", "\x01\x0fjoan@example.com"));
  EXPECT_NE(a, DerivedCustomerId("default", "\x01\x0fjane@example.com", std::string(16, '\x07')));
  // The separator keeps a tenant's tail from passing for the key's head.
  EXPECT_NE(DerivedCustomerId("ab", "c"), DerivedCustomerId("a", "bc"));
}

}  // namespace
}  // namespace omnihub::unifier
