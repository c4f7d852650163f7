// --tenant of the commands that change something (services/ctl/command_sender.h): absent is
// the default tenant; a value that is not a tenant id is refused naming the option.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/ctl/command_sender.h"

namespace omnihub::ctl {
namespace {

using ::testing::HasSubstr;

ParsedArgs WithTenant(const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{kTenantOption}, {}, 0, 0, "test"});
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return *parsed;
}

TEST(CommandTenantTest, AbsentIsTheDefaultTenant) {
  auto tenant = TenantOf(WithTenant({}));
  ASSERT_TRUE(tenant.ok());
  EXPECT_EQ(*tenant, "default");
}

TEST(CommandTenantTest, GivenIsTaken) {
  auto tenant = TenantOf(WithTenant({"--tenant", "acme"}));
  ASSERT_TRUE(tenant.ok());
  EXPECT_EQ(*tenant, "acme");
}

TEST(CommandTenantTest, AnInvalidTenantNamesTheOption) {
  for (const char* bad : {"acme.eu", ""}) {
    auto tenant = TenantOf(WithTenant({"--tenant", bad}));
    ASSERT_FALSE(tenant.ok()) << bad;
    EXPECT_EQ(tenant.status().code(), base::StatusCode::kInvalidArgument);
    EXPECT_THAT(tenant.status().message(), HasSubstr("--tenant '" + std::string(bad) + "' is not a tenant id"));
  }
}

}  // namespace
}  // namespace omnihub::ctl
