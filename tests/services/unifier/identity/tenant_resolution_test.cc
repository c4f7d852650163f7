// Identity resolution per tenant (identity/tenant_identity_keys.h, customer_ids.h): the same
// address under two tenants is two identities of two customers with their own timelines and
// ids derived in their own tenant; the default tenant's keys and ids are those of a store from
// before tenants; a command of one tenant cannot see, link, merge or erase another's customers;
// a query of one tenant (QueryRequest.tenant_id) finds that tenant's customers by identity,
// cannot read another tenant's by id, and lists only its own recent customers.
#include <gtest/gtest.h>

#include <string>

#include "common/event/identity.h"
#include "omnihub/v1/command.pb.h"
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'780'000'000'000'000;

std::string CommandFrame(uint64_t seq, const v1::Command& command) {
  v1::BusFrame f;
  f.set_protocol_version(v1::BusVersion::CURRENT);
  f.set_publisher_id("ctl");
  f.set_sequence(seq);
  f.set_command(command.SerializeAsString());
  return f.SerializeAsString();
}

class TenantResolutionTest : public ::testing::Test {
 protected:
  // An email from `from` to a mailbox of `tenant` ("" = default); the changes it made.
  std::vector<v1::ChangeNotification> Write(const std::string& tenant, const std::string& from,
                                            const std::string& provider_id) {
    v1::Event e = h_.MakeEvent(v1::EMAIL, provider_id, Email(from), kT0 + ++n_ * 1'000'000);
    e.set_account(tenant.empty() ? "support@example.com" : "support@" + tenant + ".test");
    e.set_tenant_id(tenant);
    return h_.Process({UnifierHarness::Frame("email", ++seq_, e)}).changes;
  }

  v1::CommandResult Send(v1::Command c) {
    c.set_command_id(std::string(15, '\x01') + static_cast<char>(++commands_));
    c.set_actor("agent-7");
    c.set_issued_at_us(kT0 + 500'000'000 + commands_);
    h_.Process({CommandFrame(commands_, c)});
    v1::QueryRequest req;
    req.mutable_command_result()->set_command_id(c.command_id());
    QueryService q(h_.store(), h_.normalizer(), {});
    return q.Handle(req).command_result().result();
  }

  std::optional<v1::IdentityRecord> IdentityIn(const std::string& tenant, const std::string& address) {
    auto rec = h_.store().GetIdentity(TenantIdentityKey(tenant, Email(address)));
    EXPECT_TRUE(rec.ok());
    return rec.ok() ? *rec : std::nullopt;
  }

  UnifierHarness h_;
  int n_ = 0;
  uint64_t seq_ = 0;
  int commands_ = 0;
};

TEST(TenantIdentityKeysTest, TheDefaultTenantHasNoPrefix) {
  const v1::Identity ana = Email("ana@example.com");
  EXPECT_EQ(TenantIdentityKey("", ana), event::IdentityKey(ana));
  EXPECT_EQ(TenantIdentityKey("default", ana), event::IdentityKey(ana));
  EXPECT_EQ(TenantIdentityKey("acme", ana), std::string("\xff" "acme") + '\0' + event::IdentityKey(ana));
  EXPECT_EQ(TenantOfStoredKey(TenantIdentityKey("acme", ana)), "acme");
  EXPECT_EQ(TenantOfStoredKey(event::IdentityKey(ana)), "default");
  // A tenant's handle index entries are in the tenant's range too.
  const std::string entry = HandleIndexKey("x", "@ana", TenantIdentityKey("acme", ana));
  EXPECT_EQ(entry.rfind(TenantKeyPrefix("acme"), 0), 0u);
  EXPECT_EQ(HandleIndexKey("x", "@ana", event::IdentityKey(ana))[0], '\0');
}

TEST(TenantIdentityKeysTest, TheTenantOfDerivedIdsIsTheMessages) {
  v1::Event e;
  EXPECT_EQ(TenantOfDerivedIds(e), "default");
  e.set_tenant_id("acme");
  EXPECT_EQ(TenantOfDerivedIds(e), "acme");
  v1::Command c;
  EXPECT_EQ(TenantOfDerivedIds(c), "default");
  c.set_tenant_id("globex");
  EXPECT_EQ(TenantOfDerivedIds(c), "globex");
}

TEST_F(TenantResolutionTest, OneAddressUnderTwoTenantsIsTwoCustomers) {
  Write("", "ana@example.com", "m1");
  Write("acme", "ana@example.com", "m2");
  Write("acme", "ana@example.com", "m3");
  auto in_default = IdentityIn("", "ana@example.com");
  auto in_acme = IdentityIn("acme", "ana@example.com");
  ASSERT_TRUE(in_default.has_value());
  ASSERT_TRUE(in_acme.has_value());
  EXPECT_NE(in_default->identity_id(), in_acme->identity_id());
  EXPECT_NE(in_default->customer_id(), in_acme->customer_id());
  // The default tenant's id is the one a store from before tenants has.
  const std::string key = event::IdentityKey(Email("ana@example.com"));
  EXPECT_EQ(in_default->customer_id(), DerivedCustomerId("default", key));
  EXPECT_EQ(in_acme->customer_id(), DerivedCustomerId("acme", key));

  auto acme = h_.store().GetCustomer(in_acme->customer_id());
  ASSERT_TRUE(acme.ok() && acme->has_value());
  EXPECT_EQ((*acme)->tenant_id(), "acme");
  EXPECT_EQ((*acme)->event_count(), 2u);
  auto def = h_.store().GetCustomer(in_default->customer_id());
  ASSERT_TRUE(def.ok() && def->has_value());
  EXPECT_EQ((*def)->tenant_id(), "");
  EXPECT_EQ((*def)->event_count(), 1u);
}

TEST_F(TenantResolutionTest, ACommandActsOnlyWithinItsTenant) {
  Write("", "ana@example.com", "m1");
  Write("acme", "ana@example.com", "m2");
  Write("acme", "bob@example.com", "m3");
  const std::string acme_ana = IdentityIn("acme", "ana@example.com")->customer_id();
  const std::string acme_bob = IdentityIn("acme", "bob@example.com")->customer_id();
  const std::string default_ana = IdentityIn("", "ana@example.com")->customer_id();

  // The default tenant's command does not see acme's customer, even by id.
  v1::Command erase;
  erase.set_reason("asked to be forgotten");
  erase.mutable_erase()->mutable_customer()->set_customer_id(acme_ana);
  v1::CommandResult refused = Send(erase);
  EXPECT_FALSE(refused.applied());
  EXPECT_EQ(refused.error_code(), "not_found");
  EXPECT_NE(refused.error_message().find("in tenant 'default'"), std::string::npos) << refused.error_message();
  ASSERT_TRUE(IdentityIn("acme", "ana@example.com").has_value());

  // Acme's merge by identity picks acme's Ana, not the default tenant's.
  v1::Command merge;
  merge.set_tenant_id("acme");
  merge.set_reason("same person");
  *merge.mutable_merge()->mutable_survivor()->mutable_identity() = Email("ana@example.com");
  *merge.mutable_merge()->mutable_other()->mutable_identity() = Email("bob@example.com");
  v1::CommandResult merged = Send(merge);
  ASSERT_TRUE(merged.applied()) << merged.error_message();
  EXPECT_TRUE(merged.customer_id() == acme_ana || merged.customer_id() == acme_bob);
  EXPECT_EQ(IdentityIn("acme", "bob@example.com")->customer_id(), merged.customer_id());
  EXPECT_EQ(IdentityIn("", "ana@example.com")->customer_id(), default_ana);

  // Acme's erasure of Ana leaves the default tenant's Ana alone.
  erase.set_tenant_id("acme");
  erase.mutable_erase()->mutable_customer()->set_customer_id(merged.customer_id());
  v1::CommandResult erased = Send(erase);
  ASSERT_TRUE(erased.applied()) << erased.error_message();
  EXPECT_FALSE(IdentityIn("acme", "ana@example.com").has_value());
  EXPECT_FALSE(IdentityIn("acme", "bob@example.com").has_value());
  ASSERT_TRUE(IdentityIn("", "ana@example.com").has_value());
  EXPECT_EQ(IdentityIn("", "ana@example.com")->customer_id(), default_ana);
}

// A partition holds several tenants: a live stream of one keeps the changes naming it
// (docs/cluster.md "The live feed"), so every change names its frame's tenant.
TEST_F(TenantResolutionTest, EveryChangeNamesTheTenantOfItsFrame) {
  auto changes = Write("acme", "ana@example.com", "m1");
  ASSERT_EQ(changes.size(), 2u);  // CUSTOMER_CREATED, EVENT_ADDED
  for (const auto& c : changes) EXPECT_EQ(c.tenant_id(), "acme") << c.ShortDebugString();
  // The default tenant's changes name none, so they are the bytes of a store before tenants;
  // "default" spelled out on the wire is the same tenant.
  for (const auto& c : Write("", "ana@example.com", "m2")) EXPECT_EQ(c.tenant_id(), "") << c.ShortDebugString();
  for (const auto& c : Write("default", "bob@example.com", "m3")) EXPECT_EQ(c.tenant_id(), "") << c.ShortDebugString();

  // A command's changes name the command's tenant, also when it is rejected.
  v1::Command erase;
  erase.set_tenant_id("acme");
  erase.set_command_id(std::string(15, '\x02') + '\x01');
  erase.set_actor("agent-7");
  erase.set_issued_at_us(kT0 + 900'000'000);
  erase.set_reason("asked to be forgotten");
  *erase.mutable_erase()->mutable_customer()->mutable_identity() = Email("ana@example.com");
  auto erased = h_.Process({CommandFrame(1, erase)}).changes;
  ASSERT_FALSE(erased.empty());
  for (const auto& c : erased) EXPECT_EQ(c.tenant_id(), "acme") << c.ShortDebugString();
  erase.set_command_id(std::string(15, '\x02') + '\x02');
  *erase.mutable_erase()->mutable_customer()->mutable_identity() = Email("nobody@example.com");
  auto rejected = h_.Process({CommandFrame(2, erase)}).changes;
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].kind(), v1::COMMAND_REJECTED);
  EXPECT_EQ(rejected[0].tenant_id(), "acme");

  // The change log keeps the tenant, also in the tombstones the erasure left of Ana's changes
  // (a tenant's stream passes over another tenant's tombstones too).
  v1::QueryRequest req;
  req.mutable_change_log()->set_from_seq(1);
  QueryService q(h_.store(), h_.normalizer(), {});
  const auto logged = q.Handle(req).change_log().changes();
  ASSERT_GE(logged.size(), 2);
  EXPECT_EQ(logged[0].kind(), v1::CUSTOMER_CREATED);
  EXPECT_TRUE(logged[0].customer_id().empty()) << "a tombstone";
  for (int i = 0; i < 2; ++i) EXPECT_EQ(logged[i].tenant_id(), "acme") << logged[i].ShortDebugString();
  // The default tenant's Ana has the same address but is another person: her changes stay.
  ASSERT_GE(logged.size(), 4);
  for (int i = 2; i < 4; ++i) {
    EXPECT_EQ(logged[i].tenant_id(), "") << logged[i].ShortDebugString();
    EXPECT_FALSE(logged[i].customer_id().empty()) << "not a tombstone: " << logged[i].ShortDebugString();
  }
  EXPECT_EQ(logged[2].kind(), v1::CUSTOMER_CREATED);
}

TEST_F(TenantResolutionTest, AQueryReadsItsTenantsCustomers) {
  Write("acme", "ana@example.com", "m1");
  Write("", "ana@example.com", "m2");
  Write("", "bob@example.com", "m3");
  QueryService q(h_.store(), h_.normalizer(), {});
  auto get = [&](const std::string& tenant, const std::string& address) {
    v1::QueryRequest req;
    req.set_tenant_id(tenant);
    *req.mutable_get_customer()->mutable_customer()->mutable_identity() = Email(address);
    return q.Handle(req);
  };
  const auto acme_ana = get("acme", "ana@example.com");
  ASSERT_FALSE(acme_ana.has_error()) << acme_ana.error().message();
  EXPECT_EQ(acme_ana.get_customer().customer().customer_id(), IdentityIn("acme", "ana@example.com")->customer_id());
  const auto default_ana = get("", "ana@example.com");
  ASSERT_FALSE(default_ana.has_error()) << default_ana.error().message();
  EXPECT_EQ(default_ana.get_customer().customer().customer_id(), IdentityIn("", "ana@example.com")->customer_id());
  EXPECT_NE(acme_ana.get_customer().customer().customer_id(), default_ana.get_customer().customer().customer_id());
  // Bob writes to the default tenant only.
  const auto acme_bob = get("acme", "bob@example.com");
  ASSERT_TRUE(acme_bob.has_error());
  EXPECT_EQ(acme_bob.error().code(), "not_found");
  EXPECT_NE(acme_bob.error().message().find("in tenant 'acme'"), std::string::npos) << acme_bob.error().message();

  // A customer id of another tenant is not acme's to read; the default tenant's queries read
  // any customer by id, as before tenants.
  v1::QueryRequest timeline;
  timeline.set_tenant_id("acme");
  timeline.mutable_timeline()->mutable_customer()->set_customer_id(default_ana.get_customer().customer().customer_id());
  EXPECT_EQ(q.Handle(timeline).error().code(), "not_found");
  timeline.clear_tenant_id();
  timeline.mutable_timeline()->mutable_customer()->set_customer_id(acme_ana.get_customer().customer().customer_id());
  const auto acme_timeline = q.Handle(timeline);
  ASSERT_FALSE(acme_timeline.has_error()) << acme_timeline.error().message();
  ASSERT_EQ(acme_timeline.timeline().events_size(), 1);
  EXPECT_EQ(acme_timeline.timeline().events(0).tenant_id(), "acme");

  // Recent customers: each tenant's own, newest first.
  auto recent = [&](const std::string& tenant) {
    v1::QueryRequest req;
    req.set_tenant_id(tenant);
    req.mutable_recent_customers();
    std::vector<std::string> ids;
    const v1::QueryResponse resp = q.Handle(req);
    for (const auto& c : resp.recent_customers().customers()) ids.push_back(c.customer().customer_id());
    return ids;
  };
  EXPECT_EQ(recent("acme"), std::vector<std::string>{acme_ana.get_customer().customer().customer_id()});
  EXPECT_EQ(recent("default").size(), 2u);
  EXPECT_EQ(recent(""), recent("default"));

  v1::QueryRequest bad;
  bad.set_tenant_id("no such");
  bad.mutable_stats();
  EXPECT_EQ(q.Handle(bad).error().code(), "invalid_argument");
}

}  // namespace
}  // namespace omnihub::unifier
