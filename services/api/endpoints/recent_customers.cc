#include <charconv>
#include <string>

#include "common/base/time_format.h"
#include "common/client/customer_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/read_params.h"
#include "services/api/core/request_params.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

// Customers per page when the request names no limit: one screen of the console's list.
constexpr uint32_t kDefaultLimit = 50;
constexpr uint32_t kMaxLimit = 500;

http::HttpResponse RecentCustomersPage(ApiServices& services, const ApiCall& call) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  auto limit = LimitParam(p, kDefaultLimit, kMaxLimit);
  if (auto* refused = Failed(limit)) return std::move(*refused);

  v1::QueryRequest request;
  auto& req = *request.mutable_recent_customers();
  req.set_limit(std::get<uint32_t>(limit));
  // The cursor is the change sequence to continue before, as decimal text.
  if (const std::string* cursor = http::FindParam(p, "cursor"); cursor != nullptr && !cursor->empty()) {
    uint64_t before = 0;
    const char* end = cursor->data() + cursor->size();
    auto [stop, ec] = std::from_chars(cursor->data(), end, before);
    if (ec != std::errc() || stop != end || before == 0) {
      return ApiError(400, "invalid_cursor", "cursor is not one this listing handed out", "cursor");
    }
    req.set_before_seq(before);
  }
  auto response = services.hub.Call(request, bus::kQueryTimeout);
  if (!response.ok()) return StatusResponse(response.status());
  nlohmann::json customers = nlohmann::json::array();
  for (const auto& entry : response->recent_customers().customers()) {
    nlohmann::json j = client::CustomerToJson(entry.customer());
    j["last_activity_at"] = base::FormatRfc3339Micros(entry.last_activity_us());
    customers.push_back(std::move(j));
  }
  const uint64_t next = response->recent_customers().next_before_seq();
  return JsonResponse(200, {{"customers", std::move(customers)},
                            {"next_cursor", NextCursorJson(next == 0 ? "" : std::to_string(next))}});
}

}  // namespace

base::Status AddRecentCustomerRoutes(ApiRoutes& routes, ApiServices& services) {
  return routes.Add("GET", "/api/v1/customers/recent", auth::Scope::kRead,
                    [&services](const ApiCall& call) { return RecentCustomersPage(services, call); });
}

}  // namespace omnihub::api
