// A customer argument as omnihubctl and the HTTP API take it: any identity form the
// normalizer accepts (email:, phone:, whatsapp:, PLATFORM:ACCOUNT:USER_ID, telegram:USER_ID,
// x:USER_ID, and x:@handle, which the hub resolves to the one user last seen with that handle)
// or a customer id (a merged customer's id selects the customer it was merged into).
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "common/base/status.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::client {

// InvalidArgument, saying what is wrong with `arg`, when it is neither a customer id nor an
// identity. `default_region` is the config's identity.default_region (national phone numbers).
base::Result<v1::CustomerSelector> ParseCustomerSelector(const std::string& arg, const std::string& default_region);

}  // namespace omnihub::client
