// The services that keep copies of what they handled in an outbox of their own (the channel
// adapters and omnihub-api), as an erasure purges and scans them
// (common/client/erasure_procedure.h): their names, admin listeners and outbox directories from
// the config. One list for omnihubctl customer erase and the API's POST /customers/{id}/erase,
// in a library of its own (omnihub_purge_targets) because both link it.
//
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "common/client/erasure_procedure.h"
#include "common/config/config.h"

namespace omnihub::api {

// The API's own entry: its erase compacts its outbox itself instead of asking itself to purge.
inline constexpr char kApiPurgeTarget[] = "api";

// Email, SMS, social and the API (kApiPurgeTarget), in that order.
std::vector<client::PurgeTarget> ServicePurgeTargets(const config::Config& config);

}  // namespace omnihub::api
