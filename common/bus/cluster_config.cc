#include "common/bus/cluster_config.h"

#include <charconv>

#include "common/config/table_reader.h"

namespace omnihub::bus {
namespace {

constexpr std::string_view kScheme = "nats://";
// JetStream places at most 5 replicas of a stream.
constexpr uint32_t kMaxReplicas = 5;
// Stream names carry the partition in two digits at least; more than this is a mistake
// rather than a plan (each partition is a stream every replica applies on its own).
constexpr uint32_t kMaxPartitions = 1000;

void Parse(config::TableReader& r, ClusterConfig* c) {
  r.Bool("enabled", &c->enabled);
  if (r.StringList("nats_urls", &c->nats_urls)) {
    for (const std::string& url : c->nats_urls) {
      if (base::Status s = CheckNatsUrl(url); !s.ok()) r.Fail("nats_urls", "'" + url + "' " + s.message());
    }
  }
  r.Uint32("partitions", &c->partitions, 1, kMaxPartitions);
  r.Uint32("replicas", &c->replicas, 1, kMaxReplicas);
  r.Uint32("publish_timeout_ms", &c->publish_timeout_ms, 100, 600000);
  r.Uint32("ping_interval_ms", &c->ping_interval_ms, 100, 120000);
  r.OptionalString("credentials_file", &c->credentials_file);
  if (c->enabled && c->nats_urls.empty()) {
    r.Fail(r.Has("nats_urls") ? "nats_urls" : "enabled",
           "cluster mode needs nats_urls: list at least one nats://HOST:PORT of the NATS cluster");
  }
}

}  // namespace

base::Status CheckNatsUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return base::Status::InvalidArgument("is not nats://HOST:PORT: " + why);
  };
  if (url.substr(0, kScheme.size()) != kScheme) return bad("it must start with nats://");
  const std::string_view rest = url.substr(kScheme.size());
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return bad("the port is missing (NATS clients use 4222)");
  const std::string_view host = rest.substr(0, colon);
  const std::string_view port = rest.substr(colon + 1);
  if (host.empty()) return bad("the host is missing");
  if (host.find_first_of("/@?# ") != std::string_view::npos) return bad("'" + std::string(host) + "' is not a host");
  uint32_t number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
    return bad("the port must be a number 1..65535");
  }
  return base::Status::Ok();
}

const config::Section& ClusterConfigSection() {
  static const config::TypedSection<ClusterConfig> section(Parse);
  return section;
}

}  // namespace omnihub::bus
