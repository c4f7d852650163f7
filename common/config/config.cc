#include "common/config/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "common/bus/endpoint.h"
#include "common/config/config_errors.h"
#include "common/config/paths.h"
#include "common/config/table_reader.h"
#include "common/event/identity.h"

namespace omnihub::config {
namespace {

constexpr std::string_view kDefaultToml =
#include "default_config.inc"
    ;

// Applies `fn(reader)` to section `name` if present, then records its unknown keys.
template <typename Fn>
void ReadSection(TableReader& root, std::string_view name, Fn fn) {
  const toml::table* table = root.Table(name);
  if (table == nullptr) return;
  TableReader reader(*table, std::string(name), root.errors());
  fn(reader);
  reader.CheckNoUnknownKeys();
}

// The bus joins processes, so an endpoint must be one another process can reach.
base::Status CheckBusEndpoint(const std::string& text) {
  auto endpoint = bus::ParseEndpoint(text);
  if (!endpoint.ok()) return endpoint.status();
  if (endpoint->transport == bus::Transport::kInproc) {
    return base::Status::InvalidArgument("inproc:// reaches only its own process; use ipc:// or tcp://");
  }
  return base::Status::Ok();
}

// The level names spdlog knows (common/service/logging.cc sets the level from it).
bool IsLogLevel(const std::string& level) {
  for (std::string_view known : {"trace", "debug", "info", "warn", "warning", "error", "err", "critical", "off"}) {
    if (level == known) return true;
  }
  return false;
}

}  // namespace

std::string_view DefaultConfigToml() { return kDefaultToml; }

base::Result<Config> ParseConfig(std::string_view toml_text, std::string_view origin, Sections sections) {
  toml::table root_table;
  try {
    root_table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    // The TOML itself is broken: nothing after this point can be read reliably.
    std::ostringstream msg;
    msg << "config " << origin << " (line " << e.source().begin.line << ", column " << e.source().begin.column
        << "): " << e.description();
    return base::Status::InvalidArgument(msg.str());
  }
  Config c;
  ConfigErrors errors{std::string(origin)};
  TableReader root(root_table, "", errors);
  root.String("data_dir", &c.data_dir);
  ReadSection(root, "log", [&](TableReader& r) {
    r.String("level", &c.log.level, IsLogLevel, "a log level (trace, debug, info, warn, error, critical, off)");
    r.OptionalString("file", &c.log.file);
    r.Bool("json", &c.log.json);
  });
  ReadSection(root, "service", [&](TableReader& r) {
    r.Uint32("shutdown_timeout_ms", &c.service.shutdown_timeout_ms, 100, 3600000);
  });
  int bus_lines[3] = {0, 0, 0};  // of ingest, changes, query: for the checks after path resolution
  ReadSection(root, "bus", [&](TableReader& r) {
    constexpr std::string_view kWhat = "a bus endpoint";
    const char* keys[3] = {"ingest", "changes", "query"};
    std::string* values[3] = {&c.bus.ingest, &c.bus.changes, &c.bus.query};
    for (size_t i = 0; i < 3; ++i) {
      // A wrong endpoint keeps the default, which passes the check under data_dir below.
      r.CheckedString(keys[i], values[i], CheckBusEndpoint, std::string(kWhat));
      bus_lines[i] = r.LineNumberOf(keys[i]);
    }
  });
  ReadSection(root, "identity", [&](TableReader& r) {
    r.String("default_region", &c.identity.default_region, event::IdentityNormalizer::IsSupportedRegion,
             "a region libphonenumber knows (ISO 3166 code such as US, DE, GB)");
  });
  ReadSection(root, "publisher", [&](TableReader& r) {
    r.Uint32("window", &c.publisher.window, 1, 1000000);
    r.Uint32("resend_timeout_ms", &c.publisher.resend_timeout_ms, 10, 3600000);
    r.Uint32("keep_acked_hours", &c.publisher.keep_acked_hours, 0, 24 * 366);
  });
  for (const Section* section : sections) {
    auto value = section->NewValue();
    ReadSection(root, section->name(), [&](TableReader& r) { section->Parse(r, value.get()); });
    c.sections.insert_or_assign(std::string(section->name()), Config::SectionValue{section, std::move(value)});
  }
  root.CheckNoUnknownKeys();
  ResolveConfigPaths(&c, errors);
  // A relative ipc:// path is only as long as it is once under data_dir.
  const std::pair<const char*, const std::string*> endpoints[] = {
      {"bus.ingest", &c.bus.ingest}, {"bus.changes", &c.bus.changes}, {"bus.query", &c.bus.query}};
  for (size_t i = 0; i < 3; ++i) {
    if (auto s = CheckBusEndpoint(*endpoints[i].second); !s.ok()) {
      const std::string line = bus_lines[i] == 0 ? "" : " (line " + std::to_string(bus_lines[i]) + ")";
      errors.Add(bus_lines[i], std::string(endpoints[i].first) + line + " '" + *endpoints[i].second +
                                   "' (under data_dir) is not a bus endpoint: " + s.message());
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return c;
}

std::string ConfigOrigin(const std::string& path) {
  if (!path.empty()) return path;
  if (const char* env = std::getenv("OMNIHUB_CONFIG"); env != nullptr && *env != '\0') return env;
  return "<default>";
}

base::Result<Config> LoadConfig(const std::string& path, Sections sections) {
  const std::string chosen = ConfigOrigin(path);
  if (path.empty() && chosen == "<default>") return ParseConfig(DefaultConfigToml(), chosen, sections);
  std::ifstream in(chosen, std::ios::binary);
  if (!in) return base::Status::NotFound("config " + chosen + ": cannot open the file (check --config or OMNIHUB_CONFIG)");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), chosen, sections);
}

}  // namespace omnihub::config
