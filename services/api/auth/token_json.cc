#include "services/api/auth/token_json.h"

#include "common/base/time_format.h"

namespace omnihub::api::auth {
namespace {

nlohmann::json TimeOrNull(int64_t us) {
  return us == 0 ? nlohmann::json(nullptr) : nlohmann::json(base::FormatRfc3339Micros(us));
}

}  // namespace

nlohmann::json TokenRecordToJson(const TokenRecord& r) {
  return {{"token_id", r.token_id},
          {"name", r.name},
          {"scopes", ScopeNames(r.scopes)},
          {"created_at", base::FormatRfc3339Micros(r.created_at_us)},
          {"expires_at", TimeOrNull(r.expires_at_us)},
          {"revoked_at", TimeOrNull(r.revoked_at_us)},
          {"created_by", r.created_by},
          {"rate_limit_per_s", r.rate_limit_per_s}};
}

nlohmann::json NewTokenToJson(const NewToken& made) {
  nlohmann::json j = TokenRecordToJson(made.record);
  j["token"] = made.token;
  return j;
}

}  // namespace omnihub::api::auth
