// The API's tenant and min_position: read from the query string and the Omni-Min-Position
// header, taken out of the query string, bad values answered with 400 naming the parameter.
#include "services/api/core/query_route_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace omnihub::api {
namespace {

using ::testing::HasSubstr;

http::HttpRequest Get(std::string query) {
  http::HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/customers/x";
  r.query = std::move(query);
  r.target = r.path + (r.query.empty() ? "" : "?" + r.query);
  return r;
}

TEST(QueryRouteParamsTest, TakesTenantAndMinPositionOutOfTheQuery) {
  http::HttpRequest r = Get("limit=5&tenant=acme&min_position=1%3A42&channel=sms");
  auto route = TakeQueryRoute(&r);
  ASSERT_TRUE(std::holds_alternative<bus::QueryRoute>(route));
  const auto& got = std::get<bus::QueryRoute>(route);
  EXPECT_EQ(got.tenant, "acme");
  ASSERT_TRUE(got.min_position.has_value());
  EXPECT_EQ(got.min_position->position, 42u);
  EXPECT_EQ(r.query, "limit=5&channel=sms");
  EXPECT_EQ(r.target, "/api/v1/customers/x?limit=5&channel=sms");
}

TEST(QueryRouteParamsTest, TheHeaderGivesThePositionAndNothingChangesWithoutParams) {
  http::HttpRequest r = Get("");
  r.headers.emplace_back("Omni-Min-Position", "0:7");
  auto route = TakeQueryRoute(&r);
  ASSERT_TRUE(std::holds_alternative<bus::QueryRoute>(route));
  EXPECT_EQ(std::get<bus::QueryRoute>(route).tenant, "default");
  EXPECT_EQ(std::get<bus::QueryRoute>(route).min_position->position, 7u);
  EXPECT_EQ(r.target, "/api/v1/customers/x");
}

TEST(QueryRouteParamsTest, BadValuesAre400NamingTheParameter) {
  http::HttpRequest a = Get("tenant=a.b");
  auto bad_tenant = TakeQueryRoute(&a);
  ASSERT_TRUE(std::holds_alternative<http::HttpResponse>(bad_tenant));
  EXPECT_EQ(std::get<http::HttpResponse>(bad_tenant).status, 400);
  EXPECT_THAT(std::get<http::HttpResponse>(bad_tenant).body, HasSubstr("\"field\":\"tenant\""));
  http::HttpRequest b = Get("");
  b.headers.emplace_back("Omni-Min-Position", "soon");
  auto bad_position = TakeQueryRoute(&b);
  ASSERT_TRUE(std::holds_alternative<http::HttpResponse>(bad_position));
  EXPECT_THAT(std::get<http::HttpResponse>(bad_position).body, HasSubstr("\"field\":\"min_position\""));
}

}  // namespace
}  // namespace omnihub::api
