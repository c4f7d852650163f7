// The tenants of business addresses (RecipientPolicy::TenantOf): a mailbox's own tenant
// before its domain's, the configured spelling matched in normalized form, "" (the default
// tenant on the wire) for everything else.
#include <gtest/gtest.h>

#include "services/email/smtp/recipient_policy.h"

namespace omnihub::email {
namespace {

TEST(RecipientTenantsTest, AMailboxsTenantComesBeforeItsDomains) {
  RecipientPolicy policy({"Sales@Acme.TEST", "support@example.com", "boss@globex.test"},
                         {"acme.test", "globex.test", "example.com"},
                         {{"Sales@Acme.TEST", "acme-sales"}, {"acme.test", "acme"}, {"globex.test", "globex"},
                          {"boss@globex.test", "default"}});
  ASSERT_TRUE(policy.invalid_entries().empty());
  EXPECT_EQ(policy.TenantOf("sales@acme.test"), "acme-sales");
  EXPECT_EQ(policy.TenantOf("anyone@acme.test"), "acme");
  EXPECT_EQ(policy.TenantOf("anyone@globex.test"), "globex");
  // A mailbox put in the default tenant explicitly stays there, whatever its domain says.
  EXPECT_EQ(policy.TenantOf("boss@globex.test"), "");
  EXPECT_EQ(policy.TenantOf("support@example.com"), "");
  EXPECT_EQ(policy.TenantOf("stranger@elsewhere.test"), "");
  EXPECT_EQ(policy.TenantOf("no-at-sign"), "");
}

TEST(RecipientTenantsTest, WithoutTenantsEveryAddressIsTheDefaultTenants) {
  RecipientPolicy policy({"support@example.com"}, {"example.org"});
  EXPECT_EQ(policy.TenantOf("support@example.com"), "");
  EXPECT_EQ(policy.TenantOf("x@example.org"), "");
}

}  // namespace
}  // namespace omnihub::email
