// The parts of finding and showing a customer that follow the identity graph: a handle
// reference ("x:@ana_k") resolved through the handle index, a merged customer's id redirected
// to the customer it was merged into, and why each identity belongs to the customer. Kept
// apart from QueryService so that each rule has one place (docs/identities.md).
//
// Thread-safety: pure reads through the thread-safe Store, each from the given snapshot.
#pragma once

#include <string>
#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// The customer id of the one identity listed under the reference's (platform, handle)
// (event::IsHandleReference). NotFound naming the handle when nobody has it; InvalidArgument
// listing the candidates' user id arguments when several identities have it.
// Within `tenant` ("" = the default tenant).
base::Result<std::string> CustomerIdByHandle(Store& store, const v1::Identity& reference,
                                             const rocksdb::Snapshot* snapshot, std::string_view tenant = {});

// The live customer `selector` names: by id (any case; a merged customer's id answers the
// customer it was merged into) or by any identity in any spelling (normalized as ingest does)
// or handle reference. InvalidArgument for a malformed selector, NotFound when nobody matches.
// `snapshot` may be nullptr (the latest committed state, as command handlers read it).
// For a query of `tenant` (QueryRequest.tenant_id): identities are looked up in that tenant.
// For the default tenant ("" or "default") a customer id may name any tenant's customer, as
// before tenants; for another tenant it is FindTenantCustomer.
base::Result<v1::CustomerRecord> FindCustomer(Store& store, const event::IdentityNormalizer& normalizer,
                                              const v1::CustomerSelector& selector,
                                              const rocksdb::Snapshot* snapshot, std::string_view tenant = {});

// The same within one tenant (a command's: "" or "default" = the default tenant): identities
// are looked up in `tenant`, and a customer of another tenant is NotFound, naming the tenant,
// as if it did not exist.
base::Result<v1::CustomerRecord> FindTenantCustomer(Store& store, const event::IdentityNormalizer& normalizer,
                                                    const v1::CustomerSelector& selector,
                                                    const rocksdb::Snapshot* snapshot, std::string_view tenant);

// The customer stored under `customer_id`, or, when it was merged into another, the customer
// at the end of its merged_into chain. NotFound when there is no such customer.
base::Result<v1::CustomerRecord> ReadLiveCustomer(Store& store, const std::string& customer_id,
                                                  const rocksdb::Snapshot* snapshot);

// The API form of `record` (ToApiCustomer) with each identity's link reason, read from its
// identities record. Corruption when a listed identity has no record.
base::Result<v1::Customer> CustomerForClient(Store& store, const v1::CustomerRecord& record,
                                             const rocksdb::Snapshot* snapshot);

}  // namespace omnihub::unifier
