// A customer's profile (query.proto CustomerProfileResponse) as GET /api/v1/customers/{id}
// answers it (docs/api.md "Reading customers and timelines"): the CustomerToJson fields, each
// identity with its reason object (the one ExplainToJson gives every identity) and its first
// and last contact, the customer's first and last contact, the channels and counts of its
// newest timeline page, and the conversations awaiting a reply.
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

nlohmann::json CustomerProfileToJson(const v1::CustomerProfileResponse& profile);

}  // namespace omnihub::client
