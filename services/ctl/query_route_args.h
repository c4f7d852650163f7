// omnihubctl's query route options, read wherever they stand among the arguments (they apply
// to every command): --tenant T (default "default"; left in place, because commands that act
// on a tenant's data read it as well, and every command's ParseArgs accepts it) and
// --min-position P:N (taken out) (read-your-writes in cluster mode: only a replica that has applied
// position N of partition P answers; docs/cli.md "Cluster mode").
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/bus/routing/query_route.h"

namespace omnihub::ctl {

// Reads both options, removes --min-position from `args`, and returns the route;
// InvalidArgument naming the option for a missing or bad value.
base::Result<bus::QueryRoute> TakeQueryRoute(std::vector<std::string>* args);

// The one check of a --tenant value: "--tenant 'X' is not a tenant id: use ..." otherwise.
base::Status CheckTenantOption(const std::string& tenant);

}  // namespace omnihub::ctl
