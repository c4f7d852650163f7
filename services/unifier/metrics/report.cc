// The relationship metrics report and headline (report.h, docs/metrics.md "The report (JSON)").
#include "services/unifier/metrics/report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/base/time_format.h"
#include "common/event/enum_names.h"

namespace omnihub::unifier::metrics {

namespace {

// Members in the order docs/metrics.md shows them.
using Json = nlohmann::ordered_json;

constexpr int64_t kMicrosPerDay = int64_t{24} * 3600 * 1000000;

std::optional<double> Share(uint64_t part, uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

Json OrNull(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// Nearest rank: the sorted values v1..vn give pP = v[ceil(P * n / 100)].
std::optional<int64_t> Percentile(const std::vector<int64_t>& sorted, int p) {
  if (sorted.empty()) return std::nullopt;
  const size_t rank = (static_cast<size_t>(p) * sorted.size() + 99) / 100;
  return sorted[std::max<size_t>(rank, 1) - 1];
}

std::optional<double> Seconds(const std::optional<int64_t>& us) {
  if (!us) return std::nullopt;
  return static_cast<double>(*us) / 1e6;
}

// {"count", "p50_s", "p90_s", "p99_s"} of durations (sorted here).
Json Distribution(std::vector<int64_t>& values) {
  std::sort(values.begin(), values.end());
  Json out;
  out["count"] = values.size();
  out["p50_s"] = OrNull(Seconds(Percentile(values, 50)));
  out["p90_s"] = OrNull(Seconds(Percentile(values, 90)));
  out["p99_s"] = OrNull(Seconds(Percentile(values, 99)));
  return out;
}

// The figures of one set of episodes: GROUP of the report.
class GroupFigures {
 public:
  void Add(const Episode& e, int64_t as_of_us, const EpisodeSettings& settings) {
    ++episodes_;
    switch (Status(e, as_of_us, settings)) {
      case EpisodeStatus::kClosed:
        ++closed_;
        closed_replies_ += e.replies;
        resolution_.push_back(e.last_reply_at_us - e.opened_at_us);
        if (FirstContactResolved(e, as_of_us, settings)) ++resolved_;
        break;
      case EpisodeStatus::kOpen:
        ++open_;
        break;
      case EpisodeStatus::kUnanswered:
        ++unanswered_;
        break;
    }
    if (e.replies > 0) {
      first_response_.push_back(e.first_response_us);
      by_inbound_[std::string(event::ChannelName(e.channel))].push_back(e.first_response_us);
      by_reply_[std::string(event::ChannelName(e.reply_channel))].push_back(e.first_response_us);
    }
    switches_ += e.channel_switches;
    if (e.channel_switches > 0) ++episodes_with_switch_;
  }

  // Appends the GROUP members to `out` (after a group's "key").
  void WriteTo(Json& out) {
    out["episodes"] = episodes_;
    out["closed"] = closed_;
    out["open"] = open_;
    out["unanswered"] = unanswered_;
    Json first_response = Distribution(first_response_);
    Json by_inbound = Json::object();
    // The consistency: the spread of the inbound channels' p50 (map order = name order, so
    // of two equally fast channels the first by name is the fastest).
    std::optional<std::pair<std::string, int64_t>> fastest, slowest;
    for (auto& [channel, values] : by_inbound_) {
      by_inbound[channel] = Distribution(values);
      const int64_t p50 = *Percentile(values, 50);
      if (!fastest || p50 < fastest->second) fastest = {channel, p50};
      if (!slowest || p50 > slowest->second) slowest = {channel, p50};
    }
    Json by_reply = Json::object();
    for (auto& [channel, values] : by_reply_) by_reply[channel] = Distribution(values);
    first_response["by_inbound_channel"] = std::move(by_inbound);
    first_response["by_reply_channel"] = std::move(by_reply);
    out["first_response"] = std::move(first_response);
    out["first_contact_resolution"] = {{"resolved", resolved_}, {"closed", closed_}, {"share", OrNull(Share(resolved_, closed_))}};
    out["resolution_time"] = Distribution(resolution_);
    out["replies_per_episode"] = OrNull(Share(closed_replies_, closed_));
    out["channel_switches"] = {{"total", switches_}, {"episodes_with_switch", episodes_with_switch_}};
    const bool spread = by_inbound_.size() >= 2;
    out["consistency"] = {
        {"first_response_p50_spread_s",
         spread ? Json(static_cast<double>(slowest->second - fastest->second) / 1e6) : Json(nullptr)},
        {"fastest_channel", spread ? Json(fastest->first) : Json(nullptr)},
        {"slowest_channel", spread ? Json(slowest->first) : Json(nullptr)}};
  }

  // For the headline.
  std::optional<int64_t> FirstResponsePercentile(int p) {
    std::sort(first_response_.begin(), first_response_.end());
    return Percentile(first_response_, p);
  }
  std::optional<double> FirstContactResolutionShare() const { return Share(resolved_, closed_); }

 private:
  uint64_t episodes_ = 0, closed_ = 0, open_ = 0, unanswered_ = 0;
  std::vector<int64_t> first_response_;
  std::map<std::string, std::vector<int64_t>> by_inbound_, by_reply_;
  uint64_t resolved_ = 0, closed_replies_ = 0;
  std::vector<int64_t> resolution_;
  uint64_t switches_ = 0, episodes_with_switch_ = 0;
};

// What an episode (by its opening) must match: [since, until), channel, account.
struct Filter {
  int64_t since_us = std::numeric_limits<int64_t>::min();
  int64_t until_us = std::numeric_limits<int64_t>::max();
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string account;

  bool MatchesWhere(v1::Channel c, const std::string& a) const {
    return (channel == v1::CHANNEL_UNSPECIFIED || c == channel) && (account.empty() || a == account);
  }
  bool Matches(int64_t at_us, v1::Channel c, const std::string& a) const {
    return at_us >= since_us && at_us < until_us && MatchesWhere(c, a);
  }
};

using sys_us = std::chrono::sys_time<std::chrono::microseconds>;

std::chrono::sys_days Day(int64_t us) { return std::chrono::floor<std::chrono::days>(sys_us(std::chrono::microseconds(us))); }

// "2026-W02": the ISO 8601 week (Monday first; week 1 holds the year's first Thursday).
std::string IsoWeekKey(int64_t us) {
  using namespace std::chrono;
  const sys_days day = Day(us);
  const unsigned iso_weekday = weekday(day).iso_encoding();  // Monday 1 ... Sunday 7
  const sys_days thursday = day - days(iso_weekday - 1) + days(3);
  const year y = year_month_day(thursday).year();
  const auto week = (thursday - sys_days(y / January / 1)).count() / 7 + 1;
  char key[32];
  std::snprintf(key, sizeof key, "%04d-W%02d", static_cast<int>(y), static_cast<int>(week));
  return key;
}

// "2026-01" of a month index (MonthIndex).
std::string MonthKey(int32_t month_index) {
  using namespace std::chrono;
  const year_month ym = year(1970) / January + months(month_index);
  char key[32];
  std::snprintf(key, sizeof key, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
  return key;
}

std::string GroupKey(std::string_view by, const Episode& e) {
  if (by == "day") return base::FormatRfc3339Micros(e.opened_at_us).substr(0, 10);
  if (by == "week") return IsoWeekKey(e.opened_at_us);
  if (by == "month") return MonthKey(MonthIndex(e.opened_at_us));
  if (by == "channel") return std::string(event::ChannelName(e.channel));
  return e.account;  // "account"
}

// The same time one calendar year earlier (29 February -> 28 February).
int64_t OneYearBefore(int64_t us) {
  using namespace std::chrono;
  const sys_days day = Day(us);
  const auto time_of_day = sys_us(microseconds(us)) - day;
  year_month_day ymd = year_month_day(day) - years(1);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return (sys_days(ymd) + time_of_day).time_since_epoch().count();
}

Json TimeOrNull(const std::optional<int64_t>& us) {
  return us ? Json(base::FormatRfc3339Micros(*us)) : Json(nullptr);
}

// Whole hours or days print as integers, as the configuration gives them.
Json Units(int64_t us, int64_t unit_us) {
  if (us % unit_us == 0) return us / unit_us;
  return static_cast<double>(us) / static_cast<double>(unit_us);
}

Json SettingsJson(const EpisodeSettings& settings) {
  Json out;
  out["quiet_hours"] = Units(settings.quiet_us, int64_t{3600} * 1000000);
  out["resolution_days"] = Units(settings.resolution_us, kMicrosPerDay);
  if (settings.business_hours) {
    Json hours;
    hours["zone"] = settings.business_hours->zone;
    for (int d = 0; d < 7; ++d) {
      hours[std::string(DayKey(d))] = FormatRange(settings.business_hours->days[static_cast<size_t>(d)]);
    }
    out["business_hours"] = std::move(hours);
  } else {
    out["business_hours"] = nullptr;
  }
  return out;
}

// docs/metrics.md "Customer figures": customers, returning, referred and return on
// relationship for `filter`, over customers whose openings fall in [ror_since, ror_until).
struct CustomerFigures {
  uint64_t customers = 0, returning = 0, referred = 0;
  uint64_t ror_customers = 0, ror_returning_or_referred = 0;

  void Add(const CustomerSummary& c, const Filter& filter, const Filter& ror) {
    const bool returning_customer = c.openings.size() > 1;
    const auto any = [&c](const Filter& f) {
      return std::any_of(c.openings.begin(), c.openings.end(),
                         [&f](const CustomerSummary::Opening& o) { return f.Matches(o.at_us, o.channel, o.account); });
    };
    if (any(filter)) {
      ++customers;
      if (returning_customer) ++returning;
      if (c.referred) ++referred;
    }
    if (any(ror)) {
      ++ror_customers;
      if (returning_customer || c.referred) ++ror_returning_or_referred;
    }
  }
};

// One cohort (the month of its customers' first episode).
struct Cohort {
  uint64_t customers = 0;
  std::vector<uint64_t> retained;  // by k: customers with a matching episode opened in month M+k
  std::vector<uint64_t> churned;   // by k: customers with none in M+k or later
};

void AddToCohorts(const CustomerSummary& c, const Filter& filter, int32_t as_of_month, std::map<int32_t, Cohort>& cohorts) {
  if (c.openings.empty()) return;
  const CustomerSummary::Opening& first = c.openings.front();
  if (!filter.Matches(first.at_us, first.channel, first.account)) return;
  const int32_t month = MonthIndex(first.at_us);
  const size_t months = static_cast<size_t>(std::max(as_of_month - month, 0)) + 1;
  Cohort& cohort = cohorts[month];
  ++cohort.customers;
  cohort.retained.resize(std::max(cohort.retained.size(), months));
  cohort.churned.resize(std::max(cohort.churned.size(), months));
  std::vector<bool> active(months, false);
  size_t last_active = 0;
  for (const auto& o : c.openings) {
    if (!filter.MatchesWhere(o.channel, o.account)) continue;
    const auto k = static_cast<size_t>(std::max(MonthIndex(o.at_us) - month, 0));
    if (k >= months) continue;
    active[k] = true;
    last_active = std::max(last_active, k);
  }
  for (size_t k = 0; k < months; ++k) {
    if (active[k]) ++cohort.retained[k];
    if (k > last_active) ++cohort.churned[k];
  }
}

Json CohortsJson(const std::map<int32_t, Cohort>& cohorts) {
  Json out = Json::array();
  for (const auto& [month, cohort] : cohorts) {
    Json retention = Json::array(), churn = Json::array();
    for (size_t k = 0; k < cohort.retained.size(); ++k) {
      retention.push_back(OrNull(Share(cohort.retained[k], cohort.customers)));
      churn.push_back(OrNull(Share(cohort.churned[k], cohort.customers)));
    }
    Json entry;
    entry["month"] = MonthKey(month);
    entry["customers"] = cohort.customers;
    entry["retained"] = cohort.retained;
    entry["retention"] = std::move(retention);
    entry["churn"] = std::move(churn);
    out.push_back(std::move(entry));
  }
  return out;
}

base::Status Validate(const v1::MetricsRequest& request) {
  const std::string& by = request.by();
  if (!by.empty() && by != "day" && by != "week" && by != "month" && by != "channel" && by != "account") {
    return base::Status::InvalidArgument("by: '" + by + "' is not one of day, week, month, channel, account");
  }
  if (request.has_since_us() && request.has_until_us() && request.until_us() <= request.since_us()) {
    return base::Status::InvalidArgument("until: " + base::FormatRfc3339Micros(request.until_us()) +
                                         " is not after since " + base::FormatRfc3339Micros(request.since_us()));
  }
  if (!v1::Channel_IsValid(request.channel()) || request.channel() == v1::NOTE) {
    return base::Status::InvalidArgument("channel: " + std::to_string(request.channel()) +
                                         " is not a channel messages are counted on");
  }
  return base::Status::Ok();
}

}  // namespace

base::Status BuildReport(EpisodeSource& source, const v1::MetricsRequest& request, const EpisodeSettings& settings,
                         v1::MetricsResponse* out) {
  OMNIHUB_RETURN_IF_ERROR(Validate(request));
  const int64_t as_of_us = source.as_of_us();
  const uint64_t applied = source.applied_change_seq();
  Filter filter;
  if (request.has_since_us()) filter.since_us = request.since_us();
  if (request.has_until_us()) filter.until_us = request.until_us();
  filter.channel = request.channel();
  filter.account = request.account();

  GroupFigures totals;
  std::map<std::string, GroupFigures> groups;
  OMNIHUB_RETURN_IF_ERROR(
      source.ForEachEpisode(filter.since_us, filter.until_us, [&](std::string_view, const Episode& e) {
        if (!filter.Matches(e.opened_at_us, e.channel, e.account)) return;
        totals.Add(e, as_of_us, settings);
        if (!request.by().empty()) groups[GroupKey(request.by(), e)].Add(e, as_of_us, settings);
      }));

  // Return on relationship: the 12 months before the report's end (until, exclusive; else
  // as_of, inclusive), whatever `since` says.
  const bool has_end = request.has_until_us() || as_of_us != 0;
  const int64_t end_us = request.has_until_us() ? request.until_us() : as_of_us;
  Filter ror = filter;
  ror.since_us = OneYearBefore(end_us);
  ror.until_us = request.has_until_us() ? end_us : end_us + 1;
  if (!has_end) ror.until_us = ror.since_us;  // nothing stored: nothing to count

  CustomerFigures customers;
  std::map<int32_t, Cohort> cohorts;
  const int32_t as_of_month = MonthIndex(as_of_us);
  OMNIHUB_RETURN_IF_ERROR(source.ForEachCustomer([&](const CustomerSummary& c) {
    customers.Add(c, filter, ror);
    AddToCohorts(c, filter, as_of_month, cohorts);
  }));

  Json report;
  report["as_of"] = TimeOrNull(as_of_us != 0 ? std::optional<int64_t>(as_of_us) : std::nullopt);
  report["since"] = TimeOrNull(request.has_since_us() ? std::optional<int64_t>(request.since_us()) : std::nullopt);
  report["until"] = TimeOrNull(request.has_until_us() ? std::optional<int64_t>(request.until_us()) : std::nullopt);
  report["channel"] =
      request.channel() == v1::CHANNEL_UNSPECIFIED ? Json(nullptr) : Json(event::ChannelName(request.channel()));
  report["account"] = request.account().empty() ? Json(nullptr) : Json(request.account());
  report["by"] = request.by().empty() ? Json(nullptr) : Json(request.by());
  report["settings"] = SettingsJson(settings);
  report["applied_change_seq"] = applied;
  Json totals_json;
  totals.WriteTo(totals_json);
  report["totals"] = std::move(totals_json);
  Json group_list = Json::array();
  for (auto& [key, figures] : groups) {
    Json entry;
    entry["key"] = key;
    figures.WriteTo(entry);
    group_list.push_back(std::move(entry));
  }
  report["groups"] = std::move(group_list);
  Json ror_json;
  ror_json["since"] = TimeOrNull(has_end ? std::optional<int64_t>(ror.since_us) : std::nullopt);
  ror_json["customers"] = customers.ror_customers;
  ror_json["returning_or_referred"] = customers.ror_returning_or_referred;
  ror_json["share"] = OrNull(Share(customers.ror_returning_or_referred, customers.ror_customers));
  report["customers"] = {{"customers", customers.customers},
                         {"returning", customers.returning},
                         {"returning_share", OrNull(Share(customers.returning, customers.customers))},
                         {"referred", customers.referred},
                         {"referral_share", OrNull(Share(customers.referred, customers.customers))},
                         {"return_on_relationship", std::move(ror_json)}};
  report["cohorts"] = CohortsJson(cohorts);

  out->set_report_json(report.dump());
  out->set_applied_change_seq(applied);
  return base::Status::Ok();
}

base::Status EpisodeSource::ForEachCustomerOf(const std::vector<std::string>& customer_ids,
                                              const std::function<void(const CustomerSummary&)>& fn) {
  return ForEachCustomer([&](const CustomerSummary& c) {
    if (std::binary_search(customer_ids.begin(), customer_ids.end(), c.customer_id)) fn(c);
  });
}

base::Result<MetricsHeadline> BuildHeadline(EpisodeSource& source, const EpisodeSettings& settings) {
  const int64_t as_of_us = source.as_of_us();
  Filter window;
  window.since_us = as_of_us - 30 * kMicrosPerDay;
  window.until_us = as_of_us + 1;  // as_of itself included
  GroupFigures figures;
  // Only a customer with an episode in the window counts in returning_share, so the window's
  // episodes name every customer to read.
  std::vector<std::string> window_customers;
  OMNIHUB_RETURN_IF_ERROR(
      source.ForEachEpisode(window.since_us, window.until_us, [&](std::string_view customer_id, const Episode& e) {
        if (!window.Matches(e.opened_at_us, e.channel, e.account)) return;
        figures.Add(e, as_of_us, settings);
        window_customers.emplace_back(customer_id);
      }));
  std::sort(window_customers.begin(), window_customers.end());
  window_customers.erase(std::unique(window_customers.begin(), window_customers.end()), window_customers.end());
  CustomerFigures customers;
  OMNIHUB_RETURN_IF_ERROR(
      source.ForEachCustomerOf(window_customers, [&](const CustomerSummary& c) { customers.Add(c, window, window); }));
  MetricsHeadline headline;
  headline.first_response_p50_s = Seconds(figures.FirstResponsePercentile(50));
  headline.first_response_p90_s = Seconds(figures.FirstResponsePercentile(90));
  headline.first_contact_resolution_share = figures.FirstContactResolutionShare();
  headline.returning_share = Share(customers.returning, customers.customers);
  return headline;
}

}  // namespace omnihub::unifier::metrics
