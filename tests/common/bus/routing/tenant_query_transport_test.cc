// TenantQueryTransport: every query names the tenant of the calling thread's route, or the
// transport's own without one; the default tenant's queries stay as they were before tenants,
// and a query that names a tenant keeps it.
#include "common/bus/routing/tenant_query_transport.h"

#include <gtest/gtest.h>

#include "common/bus/routing/query_route.h"
#include "tests/support/fake_query_transport.h"

namespace omnihub::bus {
namespace {

using std::chrono::milliseconds;

class TenantQueryTransportTest : public ::testing::Test {
 protected:
  // The tenant_id the inner transport received for one stats query sent through `outer`.
  std::string Sent(QueryTransport& outer, const std::string& own_tenant = "") {
    v1::QueryRequest req;
    req.mutable_stats();
    if (!own_tenant.empty()) req.set_tenant_id(own_tenant);
    inner_.Answer(v1::QueryResponse());
    EXPECT_TRUE(outer.Call(req, milliseconds(10)).ok());
    return inner_.requests.back().tenant_id();
  }

  testing::FakeQueryTransport inner_;
};

TEST_F(TenantQueryTransportTest, NamesTheRoutesTenantOrItsOwn) {
  TenantQueryTransport acme(inner_, "acme");
  EXPECT_EQ(Sent(acme), "acme");  // no route in scope: the transport's (omnihubctl --tenant)
  {
    ScopedQueryRoute route(QueryRoute{.tenant = "globex"});  // an API request's `tenant`
    EXPECT_EQ(Sent(acme), "globex");
    EXPECT_EQ(Sent(acme, "initech"), "initech");  // a query that names its tenant keeps it
  }
  TenantQueryTransport plain(inner_, "default");
  EXPECT_EQ(Sent(plain), "");  // the default tenant: the bytes of a query before tenants
  ScopedQueryRoute route(QueryRoute{.tenant = "default"});
  EXPECT_EQ(Sent(acme), "");
}

}  // namespace
}  // namespace omnihub::bus
