#include "services/email/smtp/recipient_policy.h"

#include <gtest/gtest.h>

namespace omnihub::email {
namespace {

TEST(RecipientPolicyTest, AcceptsConfiguredMailboxesAndDomains) {
  RecipientPolicy policy({"Support@Example.COM", "\"sales\"@example.com."}, {"Example.ORG", "b\xC3\xBC" "cher.example"});
  EXPECT_TRUE(policy.invalid_entries().empty());
  EXPECT_TRUE(policy.Accepts("support@example.com"));
  EXPECT_TRUE(policy.Accepts("sales@example.com"));
  EXPECT_FALSE(policy.Accepts("billing@example.com"));
  EXPECT_TRUE(policy.Accepts("anyone@example.org"));
  EXPECT_FALSE(policy.Accepts("anyone@sub.example.org"));
  EXPECT_FALSE(policy.Accepts("anyone@example.org.evil.example"));
  EXPECT_TRUE(policy.Accepts("x@xn--bcher-kva.example"));
  EXPECT_FALSE(policy.Accepts("no-at-sign"));
  EXPECT_FALSE(policy.Accepts(""));
}

TEST(RecipientPolicyTest, ReportsInvalidEntries) {
  RecipientPolicy policy({"not an address", "ok@example.com"}, {"user@example.org", "bad..domain", "nodot"});
  EXPECT_EQ(policy.invalid_entries(),
            (std::vector<std::string>{"not an address", "user@example.org", "bad..domain", "nodot"}));
  EXPECT_TRUE(policy.Accepts("ok@example.com"));
  EXPECT_FALSE(policy.Accepts("user@example.org"));
}

TEST(RecipientPolicyTest, EmptyPolicyAcceptsNothing) {
  RecipientPolicy policy({}, {});
  EXPECT_FALSE(policy.Accepts("support@example.com"));
}

}  // namespace
}  // namespace omnihub::email
