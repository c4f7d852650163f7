#include "common/service/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace omnihub::service {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool ValidMetricName(std::string_view name) {
  if (name.empty() || !(IsNameStart(name[0]) || name[0] == ':')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return IsNameChar(c) || c == ':'; });
}

bool ValidLabelName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0]) || name.starts_with("__")) return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

// Registration mistakes are the code's own, found at start: fail loudly rather than render an
// exposition that scrapers reject.
[[noreturn]] void Misuse(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "metrics: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(name.size()), name.data());
  std::abort();
}

void AppendLabels(std::string* out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                  std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  *out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) *out += ',';
    *out += names[i] + "=\"" + EscapeLabelValue(values[i]) + '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) *out += ',';
    *out += std::string(extra_name) + "=\"" + std::string(extra_value) + '"';
  }
  *out += '}';
}

}  // namespace

std::string FormatMetricValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Integral values up to 2^53 print as integers ("3", not "3e+00"); the rest as the
  // shortest round-tripping form in %g style ("0.0005", "1e-05"), as Prometheus' Go client does.
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
  return std::string(buf, end);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// -- Histogram ---------------------------------------------------------------

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double v, uint64_t count) {
  if (count == 0) return;
  const size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[i].fetch_add(count, std::memory_order_relaxed);
  sum_.fetch_add(v * static_cast<double>(count), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = total;
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

// -- Family ------------------------------------------------------------------

template <typename Series>
Series* Family<Series>::Find(std::span<const std::string_view> values, size_t from, size_t to) const {
  for (size_t i = from; i < to; ++i) {
    const Entry* e = slots_[i].load(std::memory_order_acquire);
    if (std::equal(e->values.begin(), e->values.end(), values.begin(), values.end())) {
      return const_cast<Series*>(&e->series);
    }
  }
  return nullptr;
}

template <typename Series>
Series& Family<Series>::With(std::span<const std::string_view> values) {
  if (values.size() != label_names_.size()) Misuse("wrong number of label values", label_names_.empty() ? "" : label_names_[0]);
  const size_t published = size_.load(std::memory_order_acquire);
  if (Series* s = Find(values, 0, published)) return *s;

  std::lock_guard lock(mu_);
  const size_t now = size_.load(std::memory_order_relaxed);
  if (Series* s = Find(values, published, now)) return *s;
  std::vector<std::string> wanted(values.begin(), values.end());
  if (now == kMaxSeries - 1) {
    // The last slot is the overflow series.
    wanted.assign(label_names_.size(), "other");
    if (Series* s = Find(std::vector<std::string_view>(wanted.begin(), wanted.end()), 0, now)) return *s;
  } else if (now == kMaxSeries) {
    return const_cast<Series&>(slots_[kMaxSeries - 1].load(std::memory_order_acquire)->series);
  }
  std::unique_ptr<Entry> entry = make_();
  entry->values = std::move(wanted);
  Entry* raw = entry.get();
  owned_.push_back(std::move(entry));
  slots_[now].store(raw, std::memory_order_release);
  size_.store(now + 1, std::memory_order_release);
  return raw->series;
}

template <typename Series>
std::vector<std::pair<std::vector<std::string>, const Series*>> Family<Series>::Collect() const {
  std::vector<std::pair<std::vector<std::string>, const Series*>> out;
  const size_t n = size_.load(std::memory_order_acquire);
  for (size_t i = 0; i < n; ++i) {
    const Entry* e = slots_[i].load(std::memory_order_acquire);
    out.emplace_back(e->values, &e->series);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// -- Registry ----------------------------------------------------------------

struct Registry::Metric {
  std::string name;
  std::string help;
  std::string type;  // counter, gauge, histogram
  std::vector<std::string> labels;
  std::vector<double> bounds;  // histograms; the series' spans point here
  std::unique_ptr<CounterFamily> counters;
  std::unique_ptr<GaugeFamily> gauges;
  std::unique_ptr<HistogramFamily> histograms;
  std::function<double()> read;  // callback metrics
  std::vector<std::string> label_values;  // callback metrics: one per label name
  std::function<Registry::GaugeSeries()> read_series;  // series callback metrics
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Metric& Registry::Add(std::string_view name, std::string_view help, std::string_view type,
                                const std::vector<std::string>& labels) {
  if (!ValidMetricName(name)) Misuse("invalid metric name", name);
  for (const std::string& label : labels) {
    if (!ValidLabelName(label) || (type == "histogram" && label == "le")) Misuse("invalid label name", label);
  }
  std::lock_guard lock(mu_);
  auto metric = std::make_unique<Metric>();
  metric->name = std::string(name);
  metric->help = std::string(help);
  metric->type = std::string(type);
  metric->labels = labels;
  auto [it, inserted] = metrics_.emplace(std::string(name), std::move(metric));
  if (!inserted) Misuse("metric registered twice", name);
  return *it->second;
}

CounterFamily& Registry::AddCounterFamily(std::string_view name, std::string_view help,
                                          std::vector<std::string> labels) {
  Metric& m = Add(name, help, "counter", labels);
  m.counters.reset(new CounterFamily(std::move(labels), [] { return std::make_unique<CounterFamily::Entry>(); }));
  return *m.counters;
}

GaugeFamily& Registry::AddGaugeFamily(std::string_view name, std::string_view help, std::vector<std::string> labels) {
  Metric& m = Add(name, help, "gauge", labels);
  m.gauges.reset(new GaugeFamily(std::move(labels), [] { return std::make_unique<GaugeFamily::Entry>(); }));
  return *m.gauges;
}

HistogramFamily& Registry::AddHistogramFamily(std::string_view name, std::string_view help,
                                              std::vector<std::string> labels, std::span<const double> bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) Misuse("bad bucket bounds", name);
  }
  Metric& m = Add(name, help, "histogram", labels);
  m.bounds.assign(bounds.begin(), bounds.end());
  std::span<const double> kept(m.bounds);
  m.histograms.reset(new HistogramFamily(std::move(labels), [kept] {
    return std::unique_ptr<HistogramFamily::Entry>(new HistogramFamily::Entry{{}, Histogram(kept)});
  }));
  return *m.histograms;
}

Counter& Registry::AddCounter(std::string_view name, std::string_view help) {
  return AddCounterFamily(name, help, {}).With({});
}

Gauge& Registry::AddGauge(std::string_view name, std::string_view help) {
  return AddGaugeFamily(name, help, {}).With({});
}

Histogram& Registry::AddHistogram(std::string_view name, std::string_view help, std::span<const double> bounds) {
  return AddHistogramFamily(name, help, {}, bounds).With({});
}

void Registry::AddGaugeCallback(std::string_view name, std::string_view help, std::function<double()> read) {
  Add(name, help, "gauge", {}).read = std::move(read);
}

void Registry::AddGaugeCallback(std::string_view name, std::string_view help,
                                std::vector<std::pair<std::string, std::string>> labels, std::function<double()> read) {
  std::vector<std::string> names;
  std::vector<std::string> values;
  for (auto& [label, value] : labels) {
    names.push_back(std::move(label));
    values.push_back(std::move(value));
  }
  Metric& m = Add(name, help, "gauge", names);
  m.label_values = std::move(values);
  m.read = std::move(read);
}

void Registry::AddGaugeSeriesCallback(std::string_view name, std::string_view help, std::vector<std::string> labels,
                                      std::function<GaugeSeries()> read) {
  Add(name, help, "gauge", labels).read_series = std::move(read);
}

void Registry::AddCounterCallback(std::string_view name, std::string_view help, std::function<double()> read) {
  Add(name, help, "counter", {}).read = std::move(read);
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, m] : metrics_) {
    GaugeSeries series;
    if (m->read_series) {
      series = m->read_series();
      if (series.empty()) continue;
    }
    out += "# HELP " + name + " " + EscapeHelp(m->help) + "\n";
    out += "# TYPE " + name + " " + m->type + "\n";
    if (m->read_series) {
      for (const auto& [values, value] : series) {
        if (values.size() != m->labels.size()) Misuse("series callback gave the wrong number of label values", name);
        out += name;
        AppendLabels(&out, m->labels, values);
        out += " " + FormatMetricValue(value) + "\n";
      }
    } else if (m->read) {
      out += name;
      AppendLabels(&out, m->labels, m->label_values);
      out += " " + FormatMetricValue(m->read()) + "\n";
    } else if (m->counters) {
      for (const auto& [values, c] : m->counters->Collect()) {
        out += name;
        AppendLabels(&out, m->labels, values);
        out += " " + std::to_string(c->value()) + "\n";
      }
    } else if (m->gauges) {
      for (const auto& [values, g] : m->gauges->Collect()) {
        out += name;
        AppendLabels(&out, m->labels, values);
        out += " " + FormatMetricValue(g->value()) + "\n";
      }
    } else if (m->histograms) {
      for (const auto& [values, h] : m->histograms->Collect()) {
        const Histogram::Snapshot s = h->Read();
        for (size_t i = 0; i <= m->bounds.size(); ++i) {
          out += name + "_bucket";
          AppendLabels(&out, m->labels, values, "le", i < m->bounds.size() ? FormatMetricValue(m->bounds[i]) : "+Inf");
          out += " " + std::to_string(s.cumulative[i]) + "\n";
        }
        out += name + "_sum";
        AppendLabels(&out, m->labels, values);
        out += " " + FormatMetricValue(s.sum) + "\n";
        out += name + "_count";
        AppendLabels(&out, m->labels, values);
        // The +Inf bucket, so that _count always equals it even while observations arrive.
        out += " " + std::to_string(s.cumulative.back()) + "\n";
      }
    }
  }
  return out;
}

}  // namespace omnihub::service
