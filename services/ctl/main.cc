// omnihubctl: the command line for agents and ops. Reads the same config as the
// services (--config PATH, $OMNIHUB_CONFIG, or the embedded default), so with no
// flags it talks to the hub that ./scripts/run.sh started in this directory. Here the
// real hub connections (ZeroMQ) and the dead-letter re-parsers are built and handed to
// the commands through their CtlContext.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/config/all_sections.h"
#include "common/base/env.h"
#include "common/base/secure_random.h"
#include "common/bus/nats/cluster_query.h"
#include "common/bus/query_client.h"
#include "common/bus/routing/log_polled_change_feed.h"
#include "common/bus/routing/tenant_query_transport.h"
#include "common/bus/zmq_change_feed.h"
#include "common/bus/zmq_publisher.h"
#include "common/config/config.h"
#include "common/service/logging.h"
#include "common/service/service_main.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/event_publisher.h"
#include "services/ctl/query_route_args.h"
#include "services/ctl/reparsers.h"

namespace {

constexpr char kUsage[] = R"(usage: omnihubctl [--config PATH] COMMAND [ARGS]
       omnihubctl [--config PATH] --check-config
                       check the config (every section, every mistake with its line): exit 0 clean, 2 not

commands:
  inject FILE|-        send ingest lines (docs/ingest-format.md) durably; exits 0 once all are committed
  lookup IDENTITY      print the customer: id, identities, event count
  timeline IDENTITY    print the unified timeline, newest first, one JSON object per line
       [--limit N] [--cursor C] [--channel CH[,CH]] [--since T] [--until T] [--conversation ID] [--all]
  watch [--from SEQ] [--count N]
                       follow committed changes live, catching up from the change log
  stats                print counts and per-publisher high-water marks
  export               print every stored event, one JSON object per line
  deadletter list      print the dead letters with their raw bytes
  deadletter replay ID [--outbox DIR] [--timeout SECONDS]
                       read a dead letter again with this build's parsers and commit the event
  conversation IDENTITY|CONVERSATION_ID [--limit N]
                       one conversation's messages, oldest first (for an identity: its latest conversation)
  attachment SHA256    write an attachment's (or raw message's) stored bytes to standard output
  customer explain CUSTOMER       each identity, how it came to belong, the merges and splits
  customer link CUSTOMER IDENTITY --reason TEXT     join an identity (existing or new) to the customer
  customer unlink IDENTITY --reason TEXT            move an identity (and its events) into a customer of its own
  customer merge SURVIVOR OTHER --reason TEXT [--preview]
                       merge OTHER into SURVIVOR (prints the merge_id; --preview writes nothing)
  customer split MERGE_ID --reason TEXT             undo a merge exactly
  customer export CUSTOMER --out DIR                write the customer's data and attachments (docs/export-format.md)
  customer erase CUSTOMER --reason TEXT             erase the customer's data for good and print the receipt
  suggestions [--customer CUSTOMER] [--all] | suggestions dismiss ID --reason TEXT
                       possible duplicates: an identity of one customer written in another's messages
                       (open ones; --all also dismissed and merged ones; docs/suggestions.md)
  search QUERY [--customer CUSTOMER] [--channel CH[,CH]] [--since T] [--until T] [--limit N] [--cursor C]
       [--direction inbound|outbound] [--order newest|relevance]
                       full-text search over subjects and message text, newest first
  metrics [--since T] [--until T] [--channel CH] [--account A] [--by day|week|month|channel|account]
                       the relationship metrics report as JSON (docs/metrics.md)
  token create --scope read[,write,ingest,admin] --name NAME [--expires DURATION] [--rate N] [--login]
                       a token for the agent API (printed once; DURATION like 30d, 12h, 90m)
  token list | token revoke ID|NAME | token login ID|NAME
                       the API's tokens (no secrets), end one, or print a one-time console login link
  backup create DIR [--keep N] [--timeout SECONDS]
                       the running unifier backs its store up into DIR (incremental; keeps the newest N)
  backup list DIR | backup verify DIR [--backup ID]
                       the backups in DIR (id, time, size, events); check every file's checksum
  backup restore DIR --to DATA_DIR [--backup ID]
                       verify, then restore the newest (or ID) into DATA_DIR/unifier, which must be empty
  digest               the digest of the unifier's whole applied state as JSON: equal on hubs that
                       applied the same input (docs/storage-format.md#deterministic-apply)
  cluster init | cluster shards | cluster assign TENANT PARTITION | cluster status
                       cluster mode's NATS side ([cluster] of the config, docs/cluster.md): create the
                       streams and the shard map, list or set a tenant's partition, show the streams
  cluster move TENANT PARTITION [--settle SECONDS] [--from OLD_PARTITION]
                       move a tenant with its history: copy its frames to PARTITION's stream, then
                       assign it there
  (commands that change something accept --actor NAME, default the login name, recorded with the change)
  (in cluster mode every query but backup and digest goes to a replica of the tenant's partition: --tenant T, default "default";
   --min-position P:N reads only from a replica that has applied position N of partition P)

IDENTITY: email:ADDR | phone:NUMBER | whatsapp:NUMBER | shortcode:REGION:CODE | sender:NAME
          | PLATFORM:ACCOUNT:USER_ID | a customer id
CUSTOMER: a customer id or any IDENTITY
exit codes: 0 ok, 1 failed, 2 bad arguments, 3 hub unavailable, 4 not found
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path;
  bool check_config = false;
  while (!args.empty() && (args[0].rfind("--config", 0) == 0 || args[0] == "--check-config")) {
    if (args[0] == "--check-config") {
      check_config = true;
      args.erase(args.begin());
    } else if (args[0] == "--config" && args.size() >= 2) {
      config_path = args[1];
      args.erase(args.begin(), args.begin() + 2);
    } else if (args[0].rfind("--config=", 0) == 0) {
      config_path = args[0].substr(9);
      args.erase(args.begin());
    } else {
      std::cerr << "omnihubctl: --config needs a path\n";
      return omnihub::ctl::kExitUsage;
    }
  }
  // The same load and checks as every service's --check-config (common/service/service_main.h).
  if (check_config) {
    if (!args.empty()) {
      std::cerr << "omnihubctl: --check-config takes no command (usage: omnihubctl [--config PATH] --check-config)\n";
      return omnihub::ctl::kExitUsage;
    }
    return omnihub::service::CheckConfig(config_path, omnihub::config::AllSections(), nullptr, std::cout, std::cerr);
  }
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout) << kUsage;
    return args.empty() ? omnihub::ctl::kExitUsage : omnihub::ctl::kExitOk;
  }
  const std::map<std::string, omnihub::ctl::Command> commands = {
      {"inject", omnihub::ctl::RunInject},   {"lookup", omnihub::ctl::RunLookup},
      {"timeline", omnihub::ctl::RunTimeline}, {"watch", omnihub::ctl::RunWatch},
      {"stats", omnihub::ctl::RunStats},     {"export", omnihub::ctl::RunExport},
      {"deadletter", omnihub::ctl::RunDeadLetterCommand}, {"conversation", omnihub::ctl::RunConversation},
      {"attachment", omnihub::ctl::RunAttachment}, {"customer", omnihub::ctl::RunCustomer},
      {"suggestions", omnihub::ctl::RunSuggestions}, {"search", omnihub::ctl::RunSearch},
      {"metrics", omnihub::ctl::RunMetrics},
      {"token", omnihub::ctl::RunToken},     {"backup", omnihub::ctl::RunBackup},
      {"digest", omnihub::ctl::RunDigest},
      {"cluster", omnihub::ctl::RunCluster},
  };
  auto route = omnihub::ctl::TakeQueryRoute(&args);
  if (!route.ok()) {
    std::cerr << "omnihubctl: " << route.status().message() << "\n";
    return omnihub::ctl::kExitUsage;
  }
  if (args.empty()) {
    std::cerr << "omnihubctl: --tenant and --min-position go with a command (run 'omnihubctl help' for the list)\n";
    return omnihub::ctl::kExitUsage;
  }
  const auto it = commands.find(args[0]);
  if (it == commands.end()) {
    std::cerr << "omnihubctl: unknown command '" << args[0] << "' (run 'omnihubctl help' for the list)\n";
    return omnihub::ctl::kExitUsage;
  }
  auto config = omnihub::config::LoadConfig(config_path, omnihub::config::AllSections());
  if (!config.ok()) {
    std::cerr << "omnihubctl: " << config.status().message() << "\n";
    return omnihub::ctl::kExitUsage;
  }
  // The CLI's own output is its result; library progress logs only warnings and worse.
  omnihub::config::LogConfig log = config->log;
  log.level = "warn";
  if (auto s = omnihub::service::SetupLogging(log, "omnihubctl"); !s.ok()) {
    std::cerr << "omnihubctl: " << s.message() << "\n";
    return omnihub::ctl::kExitUsage;
  }
  zmq::context_t zmq_ctx(1);
  omnihub::base::SystemClock clock;
  omnihub::base::SecureRandom random;
  // One host: the unifier's query endpoint and change publisher. Cluster mode: a replica of
  // the tenant's partition, found in the replica registry, and the change log instead of a feed.
  const bool cluster = config->Get<omnihub::bus::ClusterConfig>().enabled;
  if (!cluster && route->min_position) {
    std::cerr << "omnihubctl: --min-position needs cluster mode ([cluster] enabled = true): one host has no log positions\n";
    return omnihub::ctl::kExitUsage;
  }
  std::unique_ptr<omnihub::bus::nats::ClusterQuery> cluster_query;
  std::unique_ptr<omnihub::bus::QueryTransport> single_hub;
  std::unique_ptr<omnihub::bus::ChangeFeed> changes;
  // `backup` and `digest` are about one replica's store, not a tenant's data: they ask the
  // replica of this host's config ([bus] query), as on one host; `cluster` talks to NATS only.
  const bool routed = cluster && it->first != "cluster" && it->first != "backup" && it->first != "digest";
  if (routed) {
    auto started = omnihub::bus::nats::ClusterQuery::Start(config->Get<omnihub::bus::ClusterConfig>(), zmq_ctx,
                                                           "omnihubctl", *route);
    if (!started.ok()) {
      std::cerr << "omnihubctl: " << started.status().message() << "\n";
      return omnihub::ctl::kExitUnavailable;
    }
    cluster_query = std::move(*started);
    changes = std::make_unique<omnihub::bus::LogPolledChangeFeed>();
  } else {
    single_hub = std::make_unique<omnihub::bus::QueryClient>(zmq_ctx, config->bus.query);
    changes = std::make_unique<omnihub::bus::ZmqChangeFeed>(zmq_ctx, config->bus.changes);
  }
  // Every query names the tenant of --tenant (QueryRequest.tenant_id): whose customers it reads.
  omnihub::bus::TenantQueryTransport hub(cluster_query ? cluster_query->transport() : *single_hub, route->tenant);
  // What writes publish through: the ZeroMQ bus on one host, the partition log in cluster mode.
  const omnihub::bus::PublisherOptions publisher_options = omnihub::bus::PublisherOptionsFrom(config->publisher);
  const omnihub::ctl::PublisherFactory publishers =
      cluster ? omnihub::ctl::ClusterPublisherFactory(config->Get<omnihub::bus::ClusterConfig>(), publisher_options, clock)
              : omnihub::ctl::ZmqPublisherFactory(zmq_ctx, config->bus.ingest, publisher_options, clock);
  omnihub::ctl::ReparserRegistry reparsers;
  omnihub::ctl::RegisterReparsers(*config, &reparsers);
  omnihub::ctl::CtlContext ctx{std::move(*config), hub, *changes, publishers, reparsers, std::cout, std::cerr, clock, random};
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  return it->second(ctx, rest);
}
