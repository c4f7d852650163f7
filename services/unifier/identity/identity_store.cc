#include "services/unifier/identity/identity_store.h"

#include <cstdlib>

#include "services/unifier/erasure/erased_keys.h"

namespace omnihub::unifier {

base::Result<std::optional<v1::IdentityRecord>> StoreIdentityReader::GetIdentity(const std::string& identity_key) {
  return store_.GetIdentity(identity_key);
}

base::Result<v1::IdentityRecord> StoreIdentityReader::GetIdentityById(uint64_t identity_id) {
  return store_.GetIdentityById(identity_id);
}

base::Result<std::optional<v1::CustomerRecord>> StoreIdentityReader::GetCustomer(const std::string& customer_id) {
  return store_.GetCustomer(customer_id);
}

base::Result<bool> StoreIdentityReader::WasErased(const std::string& identity_key) {
  return IsErased(store_, ErasedKind::kIdentity, identity_key);
}

namespace {

rocksdb::ColumnFamilyHandle* Handle(Store& store, IdentityColumn column) {
  switch (column) {
    case IdentityColumn::kIdentities:
      return store.identities();
    case IdentityColumn::kIdentityIds:
      return store.identity_ids();
    case IdentityColumn::kCustomers:
      return store.customers();
    case IdentityColumn::kMerges:
      return store.merges();
  }
  // The switch covers every IdentityColumn (-Werror=switch); a value outside the enum is a bug
  // here, and writing it to the default column family would hide it.
  std::abort();
}

}  // namespace

void PutIdentityWrites(Store& store, const std::vector<IdentityWrite>& writes, rocksdb::WriteBatch* batch) {
  for (const auto& w : writes) {
    if (w.erase) {
      batch->Delete(Handle(store, w.column), w.key).PermitUncheckedError();
    } else {
      batch->Put(Handle(store, w.column), w.key, w.value).PermitUncheckedError();
    }
  }
}

}  // namespace omnihub::unifier
