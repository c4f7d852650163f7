#include "services/unifier/metrics/relationship_gauges.h"

#include <optional>
#include <string>

#include "services/unifier/store/last_change_seq.h"

namespace omnihub::unifier {
namespace {

using Series = service::Registry::GaugeSeries;

// The headline as of this scrape; nullopt when the backend cannot give one (every headline
// gauge is then left out: a scrape must not fail, and the backend logs its own errors).
std::optional<MetricsHeadline> ReadHeadline(MetricsBackend& backend) {
  auto headline = backend.Headline();
  if (!headline.ok()) return std::nullopt;
  return *headline;
}

// One unlabelled series for `field` of the headline, none when it has nothing to count.
std::function<Series()> HeadlineFigure(MetricsBackend& backend, std::optional<double> MetricsHeadline::*field) {
  return [&backend, field]() -> Series {
    auto headline = ReadHeadline(backend);
    if (!headline || !((*headline).*field)) return {};
    return {{{}, *((*headline).*field)}};
  };
}

}  // namespace

void AddRelationshipMetrics(service::Registry& registry, Store& store, MetricsBackend& backend) {
  registry.AddGaugeSeriesCallback(
      "omnihub_relationship_first_response_seconds",
      "First response time of the episodes opened in the 30 days before as_of, by quantile (docs/metrics.md).",
      {"quantile"}, [&backend]() -> Series {
        auto headline = ReadHeadline(backend);
        Series series;
        if (!headline) return series;
        if (headline->first_response_p50_s) series.push_back({{"0.5"}, *headline->first_response_p50_s});
        if (headline->first_response_p90_s) series.push_back({{"0.9"}, *headline->first_response_p90_s});
        return series;
      });
  registry.AddGaugeSeriesCallback(
      "omnihub_relationship_first_contact_resolution_ratio",
      "Share of the closed episodes opened in the 30 days before as_of that were resolved at first contact.", {},
      HeadlineFigure(backend, &MetricsHeadline::first_contact_resolution_share));
  registry.AddGaugeSeriesCallback(
      "omnihub_relationship_returning_customers_ratio",
      "Share of the customers with an episode in the 30 days before as_of who have more than one episode.", {},
      HeadlineFigure(backend, &MetricsHeadline::returning_share));
  registry.AddGaugeCallback("omnihub_relationship_applied_change_seq",
                            "The change-log sequence the relationship metrics reflect.",
                            [&backend] { return static_cast<double>(backend.applied_change_seq()); });
  registry.AddGaugeCallback("omnihub_relationship_lag_changes",
                            "Changes committed to the store that the relationship metrics have not applied yet.",
                            [&store, &backend] {
                              return static_cast<double>(ChangesAfter(store, backend.applied_change_seq()));
                            });
}

}  // namespace omnihub::unifier
