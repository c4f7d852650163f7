// omnihubctl cluster: sets up and inspects cluster mode's NATS side (docs/cluster.md,
// docs/cli.md "cluster"): init creates the partition streams, the blob stream and the shard
// map bucket; shards lists and assign edits the shard map (tenant -> partition); move moves a
// tenant with its history (its frames copied from its old partition's stream to the new one's,
// common/bus/log_sender/tenant_copy.h); status shows each partition stream with its leader and
// replicas. Connects to [cluster] nats_urls itself:
// the rest of omnihubctl talks to the one-host unifier and needs no NATS.
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/time_format.h"
#include "common/bus/cluster_config.h"
#include "common/bus/log_sender/tenant_copy.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_cluster_options.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"
#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_replica_registry.h"
#include "common/bus/nats/nats_shard_map.h"
#include "common/bus/nats/nats_status.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {
namespace {

namespace nats = bus::nats;

constexpr char kUsage[] =
    "omnihubctl cluster init | cluster shards | cluster assign TENANT PARTITION | "
    "cluster move TENANT PARTITION [--settle SECONDS] [--from OLD_PARTITION] | cluster status";

// How long `move` lets the adapters follow the new assignment before it copies the last of the
// tenant's frames from the old partition: they re-read a tenant's partition every 5 s
// (ShardMapCache), and a publish under way when they do may take its timeout to land.
constexpr uint64_t kDefaultSettleSeconds = 15;

// The stream JetStream keeps a key-value bucket in.
const std::string kShardMapStream = std::string("KV_") + nats::kShardMapBucket;
const std::string kReplicaRegistryStream = std::string("KV_") + bus::kReplicaRegistryBucket;

void PrintJson(CtlContext& ctx, const nlohmann::ordered_json& j) { ctx.out << j.dump() << "\n"; }

const bus::ClusterConfig& Cluster(const CtlContext& ctx) { return ctx.config.Get<bus::ClusterConfig>(); }

// A connection to the configured NATS servers; the failures say which config keys to fix.
base::Result<std::unique_ptr<nats::NatsConnection>> Connect(const CtlContext& ctx) {
  auto options = nats::ConnectionOptionsFrom(Cluster(ctx), "omnihubctl");
  if (!options.ok()) return options.status();
  auto connection = nats::NatsConnection::Connect(*options);
  if (!connection.ok() && connection.status().IsUnavailable()) {
    return base::Status::Unavailable(connection.status().message() +
                                     " (check that nats-server runs there, and [cluster] nats_urls and credentials_file in the config)");
  }
  return connection;
}

// The stream's info; nullptr (not an error) when it does not exist.
base::Result<nats::NatsPtr<jsStreamInfo>> StreamInfo(nats::NatsConnection& connection, const std::string& stream) {
  jsStreamInfo* raw = nullptr;
  jsErrCode jerr = nats::kNoJsError;
  natsStatus s = js_GetStreamInfo(&raw, connection.jetstream(), stream.c_str(), nullptr, &jerr);
  if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) return nats::NatsPtr<jsStreamInfo>();
  if (s != NATS_OK) return nats::NatsError(s, jerr, "stream info of " + stream);
  return nats::NatsPtr<jsStreamInfo>(raw);
}

base::Result<bool> StreamExists(nats::NatsConnection& connection, const std::string& stream) {
  auto info = StreamInfo(connection, stream);
  if (!info.ok()) return info.status();
  return *info != nullptr;
}

// The shard map, which `init` creates: opening it elsewhere must not create it as a side
// effect of a typo'd server list or a forgotten init.
base::Result<std::unique_ptr<nats::NatsShardMap>> OpenShardMap(const CtlContext& ctx,
                                                               nats::NatsConnection& connection) {
  auto exists = StreamExists(connection, kShardMapStream);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    return base::Status::FailedPrecondition(std::string("the shard map (key-value bucket ") + nats::kShardMapBucket +
                                            ") does not exist: run `omnihubctl cluster init` first");
  }
  return nats::NatsShardMap::Open(connection, nats::ShardMapOptionsFrom(Cluster(ctx)));
}

// One line of init's output: the stream, what it holds, and whether it was there already.
void PrintStream(CtlContext& ctx, const std::string& stream, const std::string& holds, bool existed) {
  nlohmann::ordered_json j;
  j["stream"] = stream;
  j["holds"] = holds;
  j["result"] = existed ? "exists" : "created";
  PrintJson(ctx, j);
}

int Init(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 0, 0, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto connection = Connect(ctx);
  if (!connection.ok()) return ReportError(ctx, connection.status());
  nats::NatsConnection& conn = **connection;
  const bus::ClusterConfig& cluster = Cluster(ctx);

  // Which were there before: the Ensure calls below create what is missing and do not say.
  std::vector<std::string> partition_streams;
  std::vector<bool> existed;
  for (uint32_t p = 0; p < cluster.partitions; ++p) partition_streams.push_back(nats::PartitionStreamName(p));
  partition_streams.push_back(nats::kBlobStream);
  partition_streams.push_back(kShardMapStream);
  partition_streams.push_back(kReplicaRegistryStream);
  for (const auto& stream : partition_streams) {
    auto exists = StreamExists(conn, stream);
    if (!exists.ok()) return ReportError(ctx, exists.status());
    existed.push_back(*exists);
  }

  nats::NatsPartitionLog log(conn, nats::LogOptionsFrom(cluster));
  if (auto s = log.EnsureStreams(); !s.ok()) return ReportError(ctx, s);
  nats::NatsBlobStore blobs(conn, nats::BlobStoreOptionsFrom(cluster));
  if (auto s = blobs.EnsureStream(); !s.ok()) return ReportError(ctx, s);
  auto map = nats::NatsShardMap::Open(conn, nats::ShardMapOptionsFrom(cluster));
  if (!map.ok()) return ReportError(ctx, map.status());
  auto registry = nats::OpenReplicaRegistryBucket(conn, cluster.replicas);
  if (!registry.ok()) return ReportError(ctx, registry.status());

  for (uint32_t p = 0; p < cluster.partitions; ++p) {
    PrintStream(ctx, partition_streams[p], "partition " + std::to_string(p), existed[p]);
  }
  PrintStream(ctx, nats::kBlobStream, "blobs", existed[cluster.partitions]);
  PrintStream(ctx, kShardMapStream, std::string("shard map (key-value bucket ") + nats::kShardMapBucket + ")",
              existed[cluster.partitions + 1]);
  PrintStream(ctx, kReplicaRegistryStream,
              std::string("replica registry (key-value bucket ") + bus::kReplicaRegistryBucket + ")",
              existed[cluster.partitions + 2]);
  return kExitOk;
}

int Shards(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 0, 0, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto connection = Connect(ctx);
  if (!connection.ok()) return ReportError(ctx, connection.status());
  auto map = OpenShardMap(ctx, **connection);
  if (!map.ok()) return ReportError(ctx, map.status());
  auto tenants = (*map)->List();
  if (!tenants.ok()) return ReportError(ctx, tenants.status());
  for (const auto& [tenant, partition] : *tenants) {
    nlohmann::ordered_json j;
    j["tenant"] = tenant;
    j["partition"] = partition;
    PrintJson(ctx, j);
  }
  return kExitOk;
}

// A partition argument (`name` names it in the message), checked before anything connects: a
// mistake is named at once.
base::Result<uint32_t> PartitionArg(const CtlContext& ctx, const std::string& name, const std::string& text) {
  const uint32_t partitions = Cluster(ctx).partitions;
  auto partition = ParseNonNegative(name, text);
  if (!partition.ok()) {
    return base::Status::InvalidArgument(name + " must be a partition number 0.." + std::to_string(partitions - 1) +
                                         ", not '" + text + "'");
  }
  if (*partition >= partitions) {
    return base::Status::InvalidArgument(
        "partition " + text + " does not exist: [cluster] partitions = " + std::to_string(partitions) +
        ", so give 0.." + std::to_string(partitions - 1) +
        " (more partitions: raise the key, then run `omnihubctl cluster init`)");
  }
  return static_cast<uint32_t>(*partition);
}

// TENANT and PARTITION of assign and move.
base::Result<uint32_t> TenantAndPartition(const CtlContext& ctx, const ParsedArgs& parsed) {
  if (auto s = nats::CheckTenantKey(parsed.positional[0]); !s.ok()) return s;
  return PartitionArg(ctx, "PARTITION", parsed.positional[1]);
}

// What assign and move print first: the tenant, its partition now and before (null: none, or
// not read), and the shard map's revision of the change (null: the map was not changed).
nlohmann::ordered_json Assignment(const std::string& tenant, uint32_t partition, std::optional<uint32_t> previous,
                                  std::optional<uint64_t> revision) {
  nlohmann::ordered_json j;
  j["tenant"] = tenant;
  j["partition"] = partition;
  j["previous"] = previous.has_value() ? nlohmann::ordered_json(*previous) : nlohmann::ordered_json(nullptr);
  j["revision"] = revision.has_value() ? nlohmann::ordered_json(*revision) : nlohmann::ordered_json(nullptr);
  return j;
}

int Assign(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 2, 2, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  const std::string& tenant = parsed->positional[0];
  auto partition = TenantAndPartition(ctx, *parsed);
  if (!partition.ok()) return ReportError(ctx, partition.status());
  auto connection = Connect(ctx);
  if (!connection.ok()) return ReportError(ctx, connection.status());
  auto map = OpenShardMap(ctx, **connection);
  if (!map.ok()) return ReportError(ctx, map.status());
  auto previous = (*map)->Get(tenant);
  if (!previous.ok()) return ReportError(ctx, previous.status());
  auto revision = (*map)->Put(tenant, *partition);
  if (!revision.ok()) return ReportError(ctx, revision.status());
  PrintJson(ctx, Assignment(tenant, *partition, *previous, *revision));
  return kExitOk;
}

// Copies the tenant's frames of `from` up to its stream's last position now. A failure says
// how to go on: `again` is the command that does (what is copied is not copied twice).
base::Status CopyToNow(nats::NatsPartitionLog& log, const std::string& tenant, uint32_t from, uint32_t to,
                       bus::TenantCopyProgress& progress, const std::string& again) {
  auto state = log.State(from);
  base::Status s = state.ok() ? bus::CopyTenantFrames(log, log, tenant, from, to, state->last_position, progress)
                              : state.status();
  if (!s.ok()) {
    return base::Status(s.code(), s.message() + " (after copying " + std::to_string(progress.frames_copied) +
                                      " of the tenant's frames; run `" + again + "`: what is copied is not "
                                      "copied twice)");
  }
  return s;
}

void PrintMove(CtlContext& ctx, const std::string& tenant, uint32_t from, uint32_t to,
               std::optional<uint64_t> revision, const bus::TenantCopyProgress& progress) {
  nlohmann::ordered_json j = Assignment(tenant, to, from, revision);
  j["frames_read"] = progress.frames_read;
  j["frames_copied"] = progress.frames_copied;
  j["already_copied"] = progress.already_there;
  j["copied_up_to"] = progress.next_position - 1;  // the old partition's position
  j["publisher"] = bus::TenantMovePublisherId(tenant, from);
  PrintJson(ctx, j);
}

// The tenant's frames are copied before it is assigned (so that the new partition has its
// history when queries start going there), and once more after `--settle` seconds for what
// the adapters sent to the old partition before they followed the new assignment.
int Move(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"settle", "from"}, {}, 2, 2, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  const std::string& tenant = parsed->positional[0];
  auto to = TenantAndPartition(ctx, *parsed);
  if (!to.ok()) return ReportError(ctx, to.status());
  auto settle = ParseNonNegative("--settle", parsed->Get("settle", std::to_string(kDefaultSettleSeconds)));
  if (!settle.ok()) return ReportError(ctx, settle.status());
  std::optional<uint32_t> named_from;
  if (parsed->Has("from")) {
    auto from = PartitionArg(ctx, "--from", parsed->Get("from"));
    if (!from.ok()) return ReportError(ctx, from.status());
    named_from = *from;
  }
  auto connection = Connect(ctx);
  if (!connection.ok()) return ReportError(ctx, connection.status());
  auto map = OpenShardMap(ctx, **connection);
  if (!map.ok()) return ReportError(ctx, map.status());
  auto from = (*map)->Get(tenant);
  if (!from.ok()) return ReportError(ctx, from.status());
  if (!from->has_value()) {
    return ReportError(ctx, base::Status::FailedPrecondition(
                                "tenant " + tenant + " is on no partition yet, so it has nothing to move: use "
                                "`omnihubctl cluster assign " + tenant + " " + parsed->positional[1] + "`"));
  }
  const std::string command = "omnihubctl cluster move " + tenant + " " + std::to_string(*to);
  nats::NatsPartitionLog log(**connection, nats::LogOptionsFrom(Cluster(ctx)));
  bus::TenantCopyProgress progress;
  if (**from == *to) {
    // Moved already: with --from, copy again what reached the old partition since (an adapter
    // whose resends went on there longer than --settle); the copies already made are skipped.
    if (!named_from.has_value() || *named_from == *to) {
      return ReportError(ctx, base::Status::FailedPrecondition(
                                  "tenant " + tenant + " is on partition " + std::to_string(*to) +
                                  " already (to copy what reached its old partition since, add --from OLD_PARTITION)"));
    }
    const std::string again = command + " --from " + std::to_string(*named_from);
    if (auto s = CopyToNow(log, tenant, *named_from, *to, progress, again); !s.ok()) return ReportError(ctx, s);
    PrintMove(ctx, tenant, *named_from, *to, std::nullopt, progress);
    return kExitOk;
  }
  if (named_from.has_value() && *named_from != **from) {
    return ReportError(ctx, base::Status::FailedPrecondition("tenant " + tenant + " is on partition " +
                                                             std::to_string(**from) + ", not " +
                                                             std::to_string(*named_from) + " (--from)"));
  }
  if (auto s = CopyToNow(log, tenant, **from, *to, progress, command); !s.ok()) return ReportError(ctx, s);
  auto revision = (*map)->Put(tenant, *to);
  if (!revision.ok()) return ReportError(ctx, revision.status());
  ctx.err << "copied " << progress.frames_copied << " frames of " << tenant << " to partition " << *to
          << " and assigned it there; copying what the adapters send to partition " << **from << " in the next "
          << *settle << " s\n";
  std::this_thread::sleep_for(std::chrono::seconds(*settle));
  const std::string again = command + " --from " + std::to_string(**from);
  if (auto s = CopyToNow(log, tenant, **from, *to, progress, again); !s.ok()) return ReportError(ctx, s);
  PrintMove(ctx, tenant, **from, *to, *revision, progress);
  return kExitOk;
}

// The replicas of a stream as the stream leader sees them (jsStreamInfo's cluster info;
// a lone, unclustered server reports none: leader null, no replicas).
void AddClusterInfo(const jsClusterInfo* cluster, nlohmann::ordered_json* j) {
  (*j)["leader"] = cluster != nullptr && cluster->Leader != nullptr ? nlohmann::ordered_json(cluster->Leader)
                                                                      : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json replicas = nlohmann::ordered_json::array();
  for (int i = 0; cluster != nullptr && i < cluster->ReplicasLen; ++i) {
    const jsPeerInfo* peer = cluster->Replicas[i];
    nlohmann::ordered_json r;
    r["name"] = peer->Name != nullptr ? peer->Name : "";
    r["current"] = peer->Current;
    r["offline"] = peer->Offline;
    r["active_ms"] = peer->Active / 1'000'000;  // since the leader last heard from it
    r["lag"] = peer->Lag;                       // operations it is behind
    replicas.push_back(std::move(r));
  }
  (*j)["replicas"] = std::move(replicas);
}

int Status(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 0, 0, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto connection = Connect(ctx);
  if (!connection.ok()) return ReportError(ctx, connection.status());
  std::vector<std::string> missing;
  for (uint32_t p = 0; p < Cluster(ctx).partitions; ++p) {
    const std::string stream = nats::PartitionStreamName(p);
    auto info = StreamInfo(**connection, stream);
    if (!info.ok()) return ReportError(ctx, info.status());
    nlohmann::ordered_json j;
    j["partition"] = p;
    j["stream"] = stream;
    j["exists"] = *info != nullptr;
    if (*info == nullptr) {
      missing.push_back(stream);
    } else {
      const jsStreamInfo& i = **info;
      j["messages"] = i.State.Msgs;
      j["bytes"] = i.State.Bytes;
      j["first_sequence"] = i.State.FirstSeq;
      j["last_sequence"] = i.State.LastSeq;
      j["created"] = base::FormatRfc3339Micros(i.Created / 1000);
      j["configured_replicas"] = i.Config != nullptr ? i.Config->Replicas : 0;
      AddClusterInfo(i.Cluster, &j);
    }
    PrintJson(ctx, j);
  }
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
    return ReportError(ctx, base::Status::FailedPrecondition(names + " missing: run `omnihubctl cluster init`"));
  }
  return kExitOk;
}

}  // namespace

int RunCluster(CtlContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return ReportError(ctx, base::Status::InvalidArgument(std::string("usage: ") + kUsage));
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "init") return Init(ctx, rest);
  if (args[0] == "shards") return Shards(ctx, rest);
  if (args[0] == "assign") return Assign(ctx, rest);
  if (args[0] == "move") return Move(ctx, rest);
  if (args[0] == "status") return Status(ctx, rest);
  return ReportError(ctx, base::Status::InvalidArgument("unknown cluster command '" + args[0] + "' (usage: " +
                                                        std::string(kUsage) + ")"));
}

}  // namespace omnihub::ctl
