#include "services/supervisor/manifest.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace omnihub::supervisor {
namespace {

// A grace period past this is a typo, not a plan (systemd's own default is 90 s).
constexpr int kMaxGraceSeconds = 3600;

std::vector<std::string_view> Columns(std::string_view line) {
  std::vector<std::string_view> columns;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) columns.push_back(line.substr(start, i - start));
  }
  return columns;
}

}  // namespace

base::Result<std::vector<ServiceSpec>> ParseManifest(std::string_view text) {
  std::vector<ServiceSpec> services;
  std::set<std::string, std::less<>> names;
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto columns = Columns(line);
    if (columns.empty() || columns[0].front() == '#') continue;
    auto fail = [line_number](std::string what) {
      return base::Status::InvalidArgument("manifest line " + std::to_string(line_number) + ": " + what);
    };
    if (columns.size() != 4) {
      return fail("expected 4 columns (name binary ready stop_grace_s), found " + std::to_string(columns.size()));
    }
    ServiceSpec spec;
    spec.name = std::string(columns[0]);
    spec.binary = std::string(columns[1]);
    if (!names.insert(spec.name).second) return fail("service " + spec.name + " is listed twice");
    auto probe = ParseProbe(columns[2]);
    if (!probe.ok()) return fail(probe.status().message());
    spec.ready = *probe;
    int grace = -1;
    auto [ptr, ec] = std::from_chars(columns[3].data(), columns[3].data() + columns[3].size(), grace);
    if (ec != std::errc() || ptr != columns[3].data() + columns[3].size() || grace < 0 || grace > kMaxGraceSeconds) {
      return fail("stop_grace_s must be whole seconds from 0 to " + std::to_string(kMaxGraceSeconds) + ", not '" +
                  std::string(columns[3]) + "'");
    }
    spec.stop_grace_us = int64_t{grace} * 1'000'000;
    services.push_back(std::move(spec));
  }
  if (services.empty()) return base::Status::InvalidArgument("manifest lists no service");
  return services;
}

base::Result<std::vector<ServiceSpec>> LoadManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Status::NotFound("cannot read manifest " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto services = ParseManifest(text.str());
  if (!services.ok()) return services.status().WithContext(path);
  return services;
}

}  // namespace omnihub::supervisor
