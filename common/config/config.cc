#include "common/config/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "common/bus/endpoint.h"
#include "common/config/paths.h"
#include "common/config/table_reader.h"
#include "common/event/identity.h"

namespace omnihub::config {
namespace {

constexpr std::string_view kDefaultToml =
#include "default_config.inc"
    ;

// Applies `fn(reader)` to section `name` if present, then checks for unknown keys.
template <typename Fn>
base::Status ReadSection(TableReader& root, std::string_view name, Fn fn) {
  auto table = root.Table(name);
  if (!table.ok()) return table.status();
  if (*table == nullptr) return base::Status::Ok();
  TableReader reader(**table, std::string(name), root.origin());
  OMNIHUB_RETURN_IF_ERROR(fn(reader));
  return reader.CheckNoUnknownKeys();
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

base::Status ReadBus(TableReader& r, BusConfig* bus) {
  constexpr std::string_view kWhat = "a bus endpoint";
  OMNIHUB_RETURN_IF_ERROR(r.CheckedString("ingest", &bus->ingest, CheckBusEndpoint, std::string(kWhat)));
  OMNIHUB_RETURN_IF_ERROR(r.CheckedString("changes", &bus->changes, CheckBusEndpoint, std::string(kWhat)));
  return r.CheckedString("query", &bus->query, CheckBusEndpoint, std::string(kWhat));
}

}  // namespace

std::string_view DefaultConfigToml() { return kDefaultToml; }

base::Result<Config> ParseConfig(std::string_view toml_text, std::string_view origin, Sections sections) {
  toml::table root_table;
  try {
    root_table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "config " << origin << " (line " << e.source().begin.line << ", column " << e.source().begin.column
        << "): " << e.description();
    return base::Status::InvalidArgument(msg.str());
  }
  Config c;
  TableReader root(root_table, "", origin);
  OMNIHUB_RETURN_IF_ERROR(root.String("data_dir", &c.data_dir));
  OMNIHUB_RETURN_IF_ERROR(ReadSection(root, "log", [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(r.String("level", &c.log.level));
    return r.Bool("json", &c.log.json);
  }));
  std::string bus_lines[3];  // of ingest, changes, query: for the checks after path resolution
  OMNIHUB_RETURN_IF_ERROR(ReadSection(root, "bus", [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(ReadBus(r, &c.bus));
    bus_lines[0] = r.LineOf("ingest");
    bus_lines[1] = r.LineOf("changes");
    bus_lines[2] = r.LineOf("query");
    return base::Status::Ok();
  }));
  OMNIHUB_RETURN_IF_ERROR(ReadSection(root, "identity", [&](TableReader& r) {
    return r.String("default_region", &c.identity.default_region, event::IdentityNormalizer::IsSupportedRegion,
                    "a region libphonenumber knows (ISO 3166 code such as US, DE, GB)");
  }));
  OMNIHUB_RETURN_IF_ERROR(ReadSection(root, "publisher", [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("window", &c.publisher.window, 1, 1000000));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("resend_timeout_ms", &c.publisher.resend_timeout_ms, 10, 3600000));
    return r.Uint32("keep_acked_hours", &c.publisher.keep_acked_hours, 0, 24 * 366);
  }));
  for (const Section* section : sections) {
    auto value = section->NewValue();
    OMNIHUB_RETURN_IF_ERROR(
        ReadSection(root, section->name(), [&](TableReader& r) { return section->Parse(r, value.get()); }));
    c.sections.insert_or_assign(std::string(section->name()), Config::SectionValue{section, std::move(value)});
  }
  OMNIHUB_RETURN_IF_ERROR(root.CheckNoUnknownKeys());
  OMNIHUB_RETURN_IF_ERROR(ResolveConfigPaths(&c, origin));
  // A relative ipc:// path is only as long as it is once under data_dir.
  const std::pair<const char*, const std::string*> endpoints[] = {
      {"bus.ingest", &c.bus.ingest}, {"bus.changes", &c.bus.changes}, {"bus.query", &c.bus.query}};
  for (size_t i = 0; i < 3; ++i) {
    if (auto s = CheckBusEndpoint(*endpoints[i].second); !s.ok()) {
      return base::Status::InvalidArgument("config " + std::string(origin) + ": " + endpoints[i].first +
                                           bus_lines[i] + " '" + *endpoints[i].second +
                                           "' (under data_dir) is not a bus endpoint: " + s.message());
    }
  }
  return c;
}

base::Result<Config> LoadConfig(const std::string& path, Sections sections) {
  std::string chosen = path;
  if (chosen.empty()) {
    if (const char* env = std::getenv("OMNIHUB_CONFIG"); env != nullptr && *env != '\0') chosen = env;
  }
  if (chosen.empty()) return ParseConfig(DefaultConfigToml(), "<default>", sections);
  std::ifstream in(chosen, std::ios::binary);
  if (!in) return base::Status::NotFound("config " + chosen + ": cannot open the file (check --config or OMNIHUB_CONFIG)");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), chosen, sections);
}

}  // namespace omnihub::config
