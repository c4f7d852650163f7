// Layout 1 -> 2 (store_migrations.cc, docs/storage-format.md "Tenants"): a store this build's
// writer left at layout 1, holding the default tenant's customer, opens at layout 2 with every
// key and value as it was and takes events of another tenant beside it; a layout-1 store with
// a key under a tenant prefix (which layout 1 never wrote) is refused, naming the key.
#include <string>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "common/event/identity.h"
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/store/state_digest.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/store/store_migrations.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;

uint64_t Layout(Store& store) {
  auto raw = store.GetRaw(store.meta(), kMetaLayoutVersion);
  EXPECT_TRUE(raw.ok() && raw->has_value());
  return raw.ok() && raw->has_value() ? base::DecodeFixed64BE(**raw) : 0;
}

// Every key and value of the identities and customers column families, in order.
std::string Dump(Store& store) {
  std::string out;
  for (auto* cf : {store.identities(), store.customers(), store.identity_ids()}) {
    std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out += base::HexEncode(it->key().ToString()) + "=" + base::HexEncode(it->value().ToString()) + "\n";
    }
  }
  return out;
}

class TenantLayoutMigrationTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  const std::string path_ = dir_.path() + "/db";
  const StoreLayoutPlan layout1_{.version = 1, .migrations = {}};
};

TEST_F(TenantLayoutMigrationTest, ALayout1StoreIsTheDefaultTenantsAndKeepsEveryKey) {
  const std::string key = event::IdentityKey(Email("ana@example.com"));
  const std::string customer_id = DerivedCustomerId("default", key);
  std::string before;
  {
    auto store = Store::Open(path_, {.layout = &layout1_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_EQ(Layout(**store), 1u);
    v1::IdentityRecord identity;
    identity.set_identity_id(1);
    *identity.mutable_identity() = Email("ana@example.com");
    identity.set_customer_id(customer_id);
    v1::CustomerRecord customer;
    customer.set_customer_id(customer_id);
    customer.add_identity_ids(1);
    *customer.add_identities() = Email("ana@example.com");
    rocksdb::WriteBatch batch;
    batch.Put((*store)->identities(), key, EncodeValue(identity)).PermitUncheckedError();
    batch.Put((*store)->identity_ids(), base::EncodeFixed64BE(1), EncodeRawValue(key)).PermitUncheckedError();
    batch.Put((*store)->customers(), customer_id, EncodeValue(customer)).PermitUncheckedError();
    ASSERT_TRUE((*store)->db()->Write(rocksdb::WriteOptions(), &batch).ok());
    before = Dump(**store);
  }
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Layout(**store), kLayoutVersion);
  EXPECT_EQ(kLayoutVersion, 2u);
  EXPECT_EQ(Dump(**store), before);
  auto identity = (*store)->GetIdentity(TenantIdentityKey("default", Email("ana@example.com")));
  ASSERT_TRUE(identity.ok() && identity->has_value());
  EXPECT_EQ((*identity)->customer_id(), customer_id);
  auto customer = (*store)->GetCustomer(customer_id);
  ASSERT_TRUE(customer.ok() && customer->has_value());
  EXPECT_EQ((*customer)->tenant_id(), "");  // the default tenant
  EXPECT_FALSE((*store)->GetIdentity(TenantIdentityKey("acme", Email("ana@example.com")))->has_value());
}

TEST_F(TenantLayoutMigrationTest, ATenantKeyInALayout1StoreIsRefused) {
  {
    auto store = Store::Open(path_, {.layout = &layout1_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)
                    ->db()
                    ->Put(rocksdb::WriteOptions(), (*store)->identities(),
                          TenantIdentityKey("acme", Email("ana@example.com")), "x")
                    .ok());
  }
  auto store = Store::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), base::StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("migration from layout 1: the identities column family of a layout-1 store "
                                          "holds a key with a tenant prefix (ff61636d6500"),
            std::string::npos)
      << store.status().message();
  // Left at layout 1, as it was.
  auto again = Store::Open(path_, {.layout = &layout1_});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Layout(**again), 1u);
}

}  // namespace
}  // namespace omnihub::unifier
