// What the read endpoints (customers, timelines, conversations, search, suggestions) take from
// a request beyond request_params.h, each failure a 400 naming the parameter: the customer in
// the path, the page bounds of the config, direction and kind filters, a time range, yes/no
// flags, and the check that no unknown parameter was passed (a typo such as ?chanel=sms is an
// error, never a silently unfiltered answer).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/api/core/api_routes.h"
#include "services/api/core/api_services.h"
#include "services/api/core/request_params.h"

namespace omnihub::api {

// The largest page the hub serves (config unifier.page_max): the bound of every `limit`.
uint32_t PageMax(const ApiServices& services);

// The refusal inside a failed Parsed, else nullptr:
//   if (auto* refused = Failed(limit)) return std::move(*refused);
template <typename T>
http::HttpResponse* Failed(Parsed<T>& parsed) {
  return std::get_if<http::HttpResponse>(&parsed);
}

// 400 naming the first parameter of `params` that is not in `known`; nullopt when all are.
std::optional<http::HttpResponse> UnknownParam(const http::Params& params,
                                               std::initializer_list<std::string_view> known);

// The {id} path parameter: a customer id or an identity argument (field "id").
Parsed<v1::CustomerSelector> PathCustomer(const ApiCall& call, const ApiServices& services);

// `direction`: inbound or outbound; absent -> DIRECTION_UNSPECIFIED (both).
Parsed<v1::Direction> DirectionParam(const http::Params& params);
// `kind`, repeated or comma-separated ("message,note"); absent -> empty (all kinds).
Parsed<std::vector<v1::EventKind>> KindsParam(const http::Params& params);

struct TimeRange {
  int64_t since_us = 0;  // inclusive; 0 = no bound
  int64_t until_us = 0;  // exclusive; 0 = no bound
};
// `since` and `until` (TimeParam); 400 naming "until" when it is not later than `since`.
Parsed<TimeRange> TimeRangeParams(const http::Params& params);

// The filters a page of events takes on every read that pages through them (timeline,
// search): limit (default `default_limit`, at most the config's page_max), channel, since/until,
// direction and cursor.
struct PageFilter {
  uint32_t limit = 0;
  std::vector<v1::Channel> channels;
  TimeRange range;
  v1::Direction direction = v1::DIRECTION_UNSPECIFIED;
  std::string cursor;
};
Parsed<PageFilter> PageFilterParams(const http::Params& params, const ApiServices& services, uint32_t default_limit);

// Copies a PageFilter into a request that pages events (v1::TimelineRequest, v1::SearchRequest:
// both name these fields alike).
template <typename PagedRequest>
void ApplyPageFilter(const PageFilter& filter, PagedRequest* request) {
  request->set_limit(filter.limit);
  for (v1::Channel ch : filter.channels) request->add_channels(ch);
  request->set_since_us(filter.range.since_us);
  request->set_until_us(filter.range.until_us);
  request->set_direction(filter.direction);
  request->set_cursor(filter.cursor);
}

// A yes/no parameter: absent -> false; "true", "1" or "" (present without a value) -> true;
// "false" or "0" -> false.
Parsed<bool> FlagParam(const http::Params& params, std::string_view field);

// A page's next_cursor as answered: the hub's cursor, or null on the last page.
nlohmann::json NextCursorJson(const std::string& cursor);

// A parameter that must be present and non-empty.
Parsed<std::string> RequiredParam(const http::Params& params, std::string_view field, std::string_view what);

}  // namespace omnihub::api
