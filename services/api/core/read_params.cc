#include "services/api/core/read_params.h"

#include <algorithm>

#include "common/client/query_values.h"
#include "common/event/enum_names.h"
#include "services/api/core/api_response.h"
#include "services/unifier/unifier_config.h"

namespace omnihub::api {

uint32_t PageMax(const ApiServices& services) {
  return std::max<uint32_t>(1, services.config.Get<unifier::UnifierConfig>().page_max);
}

Parsed<PageFilter> PageFilterParams(const http::Params& params, const ApiServices& services, uint32_t default_limit) {
  const uint32_t page_max = PageMax(services);
  auto limit = LimitParam(params, std::min(default_limit, page_max), page_max);
  if (auto* refused = Failed(limit)) return std::move(*refused);
  auto channels = ChannelsParam(params);
  if (auto* refused = Failed(channels)) return std::move(*refused);
  auto range = TimeRangeParams(params);
  if (auto* refused = Failed(range)) return std::move(*refused);
  auto direction = DirectionParam(params);
  if (auto* refused = Failed(direction)) return std::move(*refused);
  return PageFilter{.limit = std::get<uint32_t>(limit),
                    .channels = std::move(std::get<std::vector<v1::Channel>>(channels)),
                    .range = std::get<TimeRange>(range),
                    .direction = std::get<v1::Direction>(direction),
                    .cursor = std::string(http::ParamOrEmpty(params, "cursor"))};
}

std::optional<http::HttpResponse> UnknownParam(const http::Params& params,
                                               std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : params) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string takes = "no parameters";
    if (known.size() > 0) {
      takes.clear();
      for (std::string_view k : known) takes += (takes.empty() ? "" : ", ") + std::string(k);
    }
    return ApiError(400, "bad_request", "unknown parameter '" + name + "' (this endpoint takes " + takes + ")", name);
  }
  return std::nullopt;
}

Parsed<v1::CustomerSelector> PathCustomer(const ApiCall& call, const ApiServices& services) {
  return CustomerArgument(call.request.param("id"), "id", services.config.identity.default_region);
}

Parsed<v1::Direction> DirectionParam(const http::Params& params) {
  const std::string* value = http::FindParam(params, "direction");
  if (value == nullptr || value->empty()) return v1::DIRECTION_UNSPECIFIED;
  auto direction = event::ParseDirection(*value);
  if (!direction.ok()) return ApiError(400, "bad_request", direction.status().message(), "direction");
  return *direction;
}

Parsed<std::vector<v1::EventKind>> KindsParam(const http::Params& params) {
  std::vector<v1::EventKind> kinds;
  for (const auto& [name, value] : params) {
    if (name != "kind") continue;
    if (auto s = client::ParseKindList(value, &kinds); !s.ok()) return ApiError(400, "bad_request", s.message(), "kind");
  }
  return kinds;
}

Parsed<TimeRange> TimeRangeParams(const http::Params& params) {
  TimeRange range;
  auto since = TimeParam(params, "since");
  if (auto* refused = Failed(since)) return std::move(*refused);
  auto until = TimeParam(params, "until");
  if (auto* refused = Failed(until)) return std::move(*refused);
  range.since_us = std::get<int64_t>(since);
  range.until_us = std::get<int64_t>(until);
  if (range.since_us != 0 && range.until_us != 0 && range.until_us <= range.since_us) {
    return ApiError(400, "bad_request", "until must be later than since", "until");
  }
  return range;
}

Parsed<bool> FlagParam(const http::Params& params, std::string_view field) {
  const std::string* value = http::FindParam(params, field);
  if (value == nullptr) return false;
  if (value->empty() || *value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  return ApiError(400, "bad_request", std::string(field) + " must be true or false", field);
}

nlohmann::json NextCursorJson(const std::string& cursor) {
  return cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(cursor);
}

Parsed<std::string> RequiredParam(const http::Params& params, std::string_view field, std::string_view what) {
  const std::string* value = http::FindParam(params, field);
  if (value == nullptr || value->empty()) {
    return ApiError(400, "bad_request", std::string(field) + " is required: " + std::string(what), field);
  }
  return *value;
}

}  // namespace omnihub::api
