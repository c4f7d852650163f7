// An erasure receipt as omnihubctl customer erase prints it and the API answers it
// (docs/erasure.md).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

nlohmann::json ReceiptJson(const v1::ErasureReceipt& r);

}  // namespace omnihub::client
