#include "common/config/paths.h"

#include <filesystem>
#include <utility>
#include <vector>

namespace omnihub::config {
namespace {

constexpr std::string_view kIpc = "ipc://";

bool IsRelative(std::string_view path) { return !path.empty() && !std::filesystem::path(path).is_absolute(); }

// True when relative `path` begins with the components of relative `data_dir`.
bool RepeatsDataDir(std::string_view data_dir, std::string_view path) {
  const std::filesystem::path root = std::filesystem::path(data_dir).lexically_normal();
  if (!IsRelative(data_dir) || root == "." || root.empty() || !IsRelative(path)) return false;
  const std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end() && !r->empty(); ++r, ++q) {
    if (q == p.end() || *q != *r) return false;
  }
  return true;
}

}  // namespace

std::string ResolveUnderDataDir(std::string_view data_dir, std::string_view path) {
  if (!IsRelative(path)) return std::string(path);
  return (std::filesystem::path(data_dir) / std::filesystem::path(path)).lexically_normal().string();
}

std::string ResolveEndpointUnderDataDir(std::string_view data_dir, std::string_view endpoint) {
  if (!endpoint.starts_with(kIpc)) return std::string(endpoint);
  const std::string_view path = endpoint.substr(kIpc.size());
  if (path.starts_with("@")) return std::string(endpoint);  // Linux abstract namespace: no file
  return std::string(kIpc) + ResolveUnderDataDir(data_dir, path);
}

void ResolveConfigPaths(Config* config, ConfigErrors& errors) {
  const std::string& root = config->data_dir;
  struct Entry {
    std::string key;
    std::string* value;
    bool endpoint;
  };
  std::vector<Entry> entries = {
      {"bus.ingest", &config->bus.ingest, true},
      {"bus.changes", &config->bus.changes, true},
      {"bus.query", &config->bus.query, true},
      {"log.file", &config->log.file, false},  // "" stays "": stderr
  };
  for (auto& [name, section] : config->sections) {
    for (const PathKey& p : section.section->Paths(section.value.get())) {
      entries.push_back({name + "." + std::string(p.key), p.value, false});
    }
  }
  for (const Entry& e : entries) {
    std::string_view path = *e.value;
    if (e.endpoint) {
      if (!path.starts_with(kIpc)) continue;
      path.remove_prefix(kIpc.size());
    }
    if (RepeatsDataDir(root, path)) {
      const std::string under = std::filesystem::path(root).lexically_normal().string();
      const std::string rest =
          std::filesystem::path(path).lexically_normal().lexically_relative(under).string();
      errors.Add(0, e.key + " '" + *e.value +
                                     "' starts with data_dir '" + root +
                                     "', but relative paths are under data_dir, so it would mean '" +
                                     ResolveUnderDataDir(root, path) + "': write '" +
                                     (e.endpoint ? std::string(kIpc) : std::string()) + rest +
                                     "' (or an absolute path); see docs/configuration.md");
    }
  }
  for (const Entry& e : entries) {
    *e.value = e.endpoint ? ResolveEndpointUnderDataDir(root, *e.value) : ResolveUnderDataDir(root, *e.value);
  }
}

}  // namespace omnihub::config
