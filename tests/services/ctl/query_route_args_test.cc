// omnihubctl's --tenant and --min-position: read wherever they stand, checked; --min-position
// taken out, --tenant left for the commands that read it too.
#include "services/ctl/query_route_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace omnihub::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(QueryRouteArgsTest, ReadsTheOptionsWhereverTheyStand) {
  std::vector<std::string> args = {"timeline", "--tenant", "acme", "email:a@b.example", "--min-position", "1:42",
                                   "--limit", "5"};
  auto route = TakeQueryRoute(&args);
  ASSERT_TRUE(route.ok()) << route.status().ToString();
  EXPECT_EQ(route->tenant, "acme");
  ASSERT_TRUE(route->min_position.has_value());
  EXPECT_EQ(route->min_position->partition, 1u);
  EXPECT_EQ(route->min_position->position, 42u);
  EXPECT_THAT(args, ElementsAre("timeline", "--tenant", "acme", "email:a@b.example", "--limit", "5"));
}

TEST(QueryRouteArgsTest, DefaultsToTheDefaultTenantWithoutAPosition) {
  std::vector<std::string> args = {"stats"};
  auto route = TakeQueryRoute(&args);
  ASSERT_TRUE(route.ok());
  EXPECT_EQ(route->tenant, "default");
  EXPECT_FALSE(route->min_position.has_value());
}

TEST(QueryRouteArgsTest, BadValuesNameTheOption) {
  std::vector<std::string> a = {"stats", "--tenant", "acme.eu"};
  EXPECT_THAT(TakeQueryRoute(&a).status().message(), HasSubstr("--tenant 'acme.eu' is not a tenant id: use 1..128 characters"));
  std::vector<std::string> b = {"stats", "--min-position", "42"};
  EXPECT_THAT(TakeQueryRoute(&b).status().message(), HasSubstr("--min-position: min_position '42' is not PARTITION:POSITION"));
  std::vector<std::string> c = {"stats", "--tenant"};
  EXPECT_THAT(TakeQueryRoute(&c).status().message(), HasSubstr("--tenant needs a value"));
}

}  // namespace
}  // namespace omnihub::ctl
