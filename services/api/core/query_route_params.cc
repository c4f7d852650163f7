#include "services/api/core/query_route_params.h"

#include "common/event/tenant_id.h"
#include "common/http/form_params.h"
#include "services/api/core/api_response.h"

namespace omnihub::api {
namespace {

constexpr std::string_view kTenantParam = "tenant";
constexpr std::string_view kMinPositionParam = "min_position";

// The raw query string without the route's parameters (other pieces kept byte for byte).
std::string WithoutRouteParams(std::string_view query) {
  std::string kept;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::string_view key = piece.substr(0, piece.find('='));
    if (key == kTenantParam || key == kMinPositionParam) continue;
    if (!kept.empty()) kept += '&';
    kept += piece;
  }
  return kept;
}

}  // namespace

Parsed<bus::QueryRoute> TakeQueryRoute(http::HttpRequest* request) {
  auto params = http::ParseFormParams(request->query);
  if (!params.ok()) return StatusResponse(params.status());
  bus::QueryRoute route;
  if (const std::string* tenant = http::FindParam(*params, kTenantParam)) {
    if (auto s = event::CheckTenantId(*tenant); !s.ok()) return StatusResponse(s, kTenantParam);
    route.tenant = *tenant;
  }
  std::optional<std::string> min_position;
  if (auto header = request->header(kMinPositionHeader)) min_position = std::string(*header);
  if (const std::string* param = http::FindParam(*params, kMinPositionParam)) min_position = *param;
  if (min_position) {
    auto position = bus::ParseReadPosition(*min_position);
    if (!position.ok()) return StatusResponse(position.status(), kMinPositionParam);
    route.min_position = *position;
  }
  const std::string query = WithoutRouteParams(request->query);
  if (query != request->query) {
    request->query = query;
    request->target = request->path + (query.empty() ? "" : "?" + query);
  }
  return route;
}

}  // namespace omnihub::api
