// A process's metrics: counters, gauges and histograms, optionally split by a small fixed set
// of label values (a channel, a status code), rendered in the Prometheus text exposition format
// 0.0.4 for GET /metrics (admin_server.h). docs/operations.md lists the series every process
// exposes; each process declares its own in one header (e.g. services/unifier/unifier_metrics.h).
//
// Cost: a series is found or created once (a component keeps the reference it got); after
// that, Increment / Set / Observe are a few relaxed atomic operations, no lock. Looking a
// labelled series up again (Family::With) is a lock-free scan over the family's few series.
//
// Thread-safety: everything is thread-safe. Registration (Add*) usually happens once at start;
// Render may run concurrently with updates and sees each value as of some moment during the call.
// References returned by the registry stay valid for the registry's lifetime.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omnihub::service {

// Bucket bounds (upper bounds, seconds) for request and commit latencies: 0.5 ms to 10 s.
inline constexpr std::array<double, 14> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// Bucket bounds for counts of things per batch (frames in a committed batch).
inline constexpr std::array<double, 12> kBatchSizeBuckets = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};

// A monotonically increasing count.
class Counter {
 public:
  void Increment(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into fixed buckets, with their sum and count.
class Histogram {
 public:
  // `bounds`: strictly increasing finite upper bounds; +Inf is implied. Must outlive the
  // histogram (the registry keeps them in the family).
  explicit Histogram(std::span<const double> bounds);

  // Counts `v` into the first bucket whose bound is >= v (the "le" rule).
  void Observe(double v) { Observe(v, 1); }
  // `count` observations of the same value (a batch of frames acknowledged together).
  void Observe(double v, uint64_t count);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
  };
  Snapshot Read() const;
  std::span<const double> bounds() const { return bounds_; }

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// The series of one metric, one per combination of label values. At most kMaxSeries - 1
// combinations get a series of their own; any further combination is counted in one series
// whose every label value is "other", so a label fed from outside (a status code) can never
// grow the output without bound.
template <typename Series>
class Family {
 public:
  static constexpr size_t kMaxSeries = 64;

  // The series for `values` (one per label name, in the family's order), created on first use.
  // REQUIRES: values.size() == label_names().size().
  Series& With(std::initializer_list<std::string_view> values) {
    return With(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Series& With(std::span<const std::string_view> values);

  const std::vector<std::string>& label_names() const { return label_names_; }

  // Every series with its label values, ordered by label values. For rendering and tests.
  std::vector<std::pair<std::vector<std::string>, const Series*>> Collect() const;

 private:
  friend class Registry;
  struct Entry {
    std::vector<std::string> values;
    Series series;
  };
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Entry>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}
  Series* Find(std::span<const std::string_view> values, size_t from, size_t to) const;

  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Entry>()> make_;
  // Published entries: slots_[0 .. size_) are set and never change; a new one is written under
  // mu_ before size_ is raised (release), so readers scan without locking.
  std::array<std::atomic<Entry*>, kMaxSeries> slots_{};
  std::atomic<size_t> size_{0};
  std::mutex mu_;                               // serializes creation
  std::vector<std::unique_ptr<Entry>> owned_;   // guarded by mu_
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registers a metric. `name` must be a valid Prometheus metric name and unique in this
  // registry, label names valid and not "le" for histograms; a violation is a programming
  // error and aborts the process with a message (registration happens at start).
  Counter& AddCounter(std::string_view name, std::string_view help);
  Gauge& AddGauge(std::string_view name, std::string_view help);
  Histogram& AddHistogram(std::string_view name, std::string_view help, std::span<const double> bounds);
  CounterFamily& AddCounterFamily(std::string_view name, std::string_view help, std::vector<std::string> labels);
  GaugeFamily& AddGaugeFamily(std::string_view name, std::string_view help, std::vector<std::string> labels);
  HistogramFamily& AddHistogramFamily(std::string_view name, std::string_view help, std::vector<std::string> labels,
                                      std::span<const double> bounds);

  // A gauge or counter whose value `read` computes at scrape time (an outbox's depth, a
  // RocksDB property). `read` runs on the scraping thread, inside Render; it must be
  // thread-safe and stay callable for as long as Render may be called.
  void AddGaugeCallback(std::string_view name, std::string_view help, std::function<double()> read);
  void AddCounterCallback(std::string_view name, std::string_view help, std::function<double()> read);
  // As AddGaugeCallback, its one series carrying fixed labels (name, value), e.g.
  // {{"path", "/var/lib/omnihub/unifier"}}: what the series is about, known at registration.
  void AddGaugeCallback(std::string_view name, std::string_view help,
                        std::vector<std::pair<std::string, std::string>> labels, std::function<double()> read);
  // A gauge whose series `read` lists at scrape time, each with its label values (one per name
  // in `labels`): one computation can give several series (quantiles), and a figure that does
  // not exist yet (nothing to count) is simply not listed. With no series, the metric is left
  // out of the output altogether.
  using GaugeSeries = std::vector<std::pair<std::vector<std::string>, double>>;
  void AddGaugeSeriesCallback(std::string_view name, std::string_view help, std::vector<std::string> labels,
                              std::function<GaugeSeries()> read);

  // Every metric, ordered by name, in the text exposition format 0.0.4.
  std::string Render() const;

 private:
  struct Metric;
  Metric& Add(std::string_view name, std::string_view help, std::string_view type, const std::vector<std::string>& labels);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Metric>, std::less<>> metrics_;  // guarded by mu_
};

// The value as Prometheus writes it: integers without a fraction, "+Inf", "-Inf", "NaN",
// otherwise the shortest text that reads back as the same double.
std::string FormatMetricValue(double v);
// Label value escaping: backslash, double quote and line feed.
std::string EscapeLabelValue(std::string_view value);
// HELP text escaping: backslash and line feed.
std::string EscapeHelp(std::string_view help);

}  // namespace omnihub::service
