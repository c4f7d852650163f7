// A token as omnihubctl prints it and the API answers it (docs/api.md "Auth"): never the
// secret, nor its hash.
//   {"token_id", "name", "scopes": [...], "created_at", "expires_at" (null = never),
//    "revoked_at" (null = active), "created_by", "rate_limit_per_s" (0 = api.rate_limit_per_s)}
// A new token adds "token", the secret text, shown only in the answer that creates it.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "services/api/auth/token_store.h"

namespace omnihub::api::auth {

nlohmann::json TokenRecordToJson(const TokenRecord& record);
nlohmann::json NewTokenToJson(const NewToken& made);

}  // namespace omnihub::api::auth
