// Tenant ids (common/event/tenant_id.h): the one rule every tenant id follows, and the default
// tenant's two spellings.
#include "common/event/tenant_id.h"

#include <string>

#include <gtest/gtest.h>

namespace omnihub::event {
namespace {

TEST(TenantIdTest, LettersDigitsDashUnderscoreAndEqualsUpTo128Characters) {
  EXPECT_TRUE(IsValidTenantId("default"));
  EXPECT_TRUE(IsValidTenantId("Acme-EU_2=x"));
  EXPECT_TRUE(IsValidTenantId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidTenantId(std::string(129, 'a')));
  EXPECT_FALSE(IsValidTenantId(""));
  for (const char* bad : {"acme.eu", "acme eu", "acme/eu", "acme*", "acme>", "ünï"}) {
    EXPECT_FALSE(IsValidTenantId(bad)) << bad;
  }
}

TEST(TenantIdTest, CheckNamesTheValueAndTheRule) {
  EXPECT_TRUE(CheckTenantId("acme").ok());
  base::Status s = CheckTenantId("acme.eu");
  EXPECT_EQ(s.code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "tenant id 'acme.eu' is not valid: use 1..128 characters of A-Z a-z 0-9 - _ =");
}

TEST(TenantIdTest, TheDefaultTenantIsEmptyOnTheWire) {
  EXPECT_EQ(TenantOrDefault(""), "default");
  EXPECT_EQ(TenantOrDefault("acme"), "acme");
  EXPECT_EQ(WireTenant("default"), "");
  EXPECT_EQ(WireTenant("acme"), "acme");
}

}  // namespace
}  // namespace omnihub::event
