// The `tenant` key of an account entry (an email mailbox or domain, an SMS provider account,
// a social platform account): which tenant the events received through it belong to
// (docs/configuration.md, "Tenants of accounts"). Every section reads it with these
// functions, so every account follows the same rule as the cluster's shard map keys
// (common/event/tenant_id.h).
//
// Thread-safety: as TableReader (one reader per thread).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/table_reader.h"

namespace omnihub::config {

// Reads the optional key `tenant` of `r` into `out` (left as it is, "default", when absent).
// A value that is not a tenant id is recorded as an error naming the key and its line.
void ReadTenant(TableReader& r, std::string* out);

// A list whose entries are either a string or an inline table { <field> = "...", tenant = "..." }:
//   mailboxes = ["support@example.com", { address = "sales@acme.test", tenant = "acme" }]
// Puts every value in `values` and, for an entry whose tenant is not the default one,
// `tenants[value] = tenant`. Returns false (and leaves both as they are) when the key is
// absent or an entry is wrong (recorded, naming "<table>.<key>[i].<field>" and its line).
bool ReadTenantList(TableReader& r, std::string_view key, std::string_view field, std::vector<std::string>* values,
                    std::map<std::string, std::string>* tenants);

}  // namespace omnihub::config
