// omnihub-bench-log-sender: how fast one adapter's outbox goes into the partition log in
// cluster mode (docs/cluster.md, "Adapters in cluster mode"): N events of about 670 bytes
// already in a real outbox, then a LogPublisher (the adapters' cluster-mode sender: tenant ->
// partition from the shard map, blobs, appends under <publisher>/<partition>/<sequence>) on
// a 3-server cluster's R3 stream on this machine's loopback; timed from the publisher's start
// until the stream holds all N. Run once per --parallel value (appends in flight), each with
// a fresh outbox (a new publisher id). The servers are started and killed by pid
// (tests/support/nats_server.h).
//
//   omnihub-bench-log-sender [--messages N] [--parallel 1,16,32]
//
// Thread-safety: one main thread; the publisher has its own.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/base/env.h"
#include "common/bus/log_sender/log_publisher.h"
#include "common/bus/log_sender/nats_cluster_publisher.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_shard_map.h"
#include "common/bus/outbox.h"
#include "omnihub/v1/event.pb.h"
#include "tests/bench/new_nats_cluster.h"
#include "tests/support/nats_server.h"

namespace omnihub::bench {
namespace {

using std::chrono::steady_clock;

int Fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return 1;
}

int Run(uint64_t messages, const std::vector<size_t>& parallel) {
  testing::NatsCluster cluster;
  if (std::string error = cluster.Start(); !error.empty()) return Fail(error);
  auto conn = bus::nats::NatsConnection::Connect({.servers = cluster.urls(), .name = "bench-log-sender"});
  if (!conn.ok()) return Fail(conn.status().ToString());
  bus::nats::NatsPartitionLog log(**conn, {.partitions = 1, .replicas = 3, .publish_timeout_ms = 5000});
  if (base::Status made = EnsureStreamsOnNewCluster(log); !made.ok()) return Fail(made.ToString());
  bus::nats::NatsBlobStore store(**conn, {.replicas = 3});
  if (auto s = store.EnsureStream(); !s.ok()) return Fail(s.ToString());
  auto map = bus::nats::NatsShardMap::Open(**conn, {.partitions = 1, .replicas = 3});
  if (!map.ok()) return Fail(map.status().ToString());
  if (auto put = (*map)->Put("default", 0); !put.ok()) return Fail(put.status().ToString());
  bus::NatsShardMapSource source(**map);
  bus::NatsBlobSink blobs(store);
  base::SystemClock clock;
  base::SystemRandom random;

  v1::Event event;
  event.set_event_id("0190f0c8-0000-7000-8000-000000000000");
  event.set_text(std::string(560, 'x'));
  const std::string event_bytes = event.SerializeAsString();
  std::printf("%llu events of %zu bytes, 1 adapter, 3 servers, R3\n", static_cast<unsigned long long>(messages),
              event_bytes.size());
  for (size_t p : parallel) {
    const std::string dir = (std::filesystem::temp_directory_path() / ("omnihub-bench-ls-" + std::to_string(p))).string();
    std::filesystem::remove_all(dir);
    auto outbox = bus::Outbox::Open(dir, "bench", random);
    if (!outbox.ok()) return Fail(outbox.status().ToString());
    for (uint64_t done = 0; done < messages;) {
      std::vector<bus::OutboxItem> items;
      for (; done < messages && items.size() < 1000; ++done) items.push_back({event_bytes, std::nullopt});
      if (auto appended = (*outbox)->Append(std::move(items)); !appended.ok()) return Fail(appended.status().ToString());
    }
    auto before = log.State(0);
    if (!before.ok()) return Fail(before.status().ToString());
    const auto start = steady_clock::now();
    {
      bus::LogPublisher publisher(**outbox, clock, {.window = 1u << 30, .resend_timeout_us = 60'000'000},
                                  {.log = log, .shard_map = source, .blobs = blobs,
                                   .log_status = [] { return base::Status::Ok(); }, .log_name = "bench"},
                                  {.parallel_appends = p, .max_round = 1024});
      while (true) {
        auto state = log.State(0);
        if (state.ok() && state->last_position >= before->last_position + messages) break;
        if (steady_clock::now() - start > std::chrono::minutes(5)) return Fail("timed out");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    const double seconds = std::chrono::duration<double>(steady_clock::now() - start).count();
    std::printf("parallel appends %3zu: %8.0f entries/s (%.2f s)\n", p, static_cast<double>(messages) / seconds, seconds);
    std::fflush(stdout);
    outbox->reset();
    std::filesystem::remove_all(dir);
  }
  return 0;
}

}  // namespace
}  // namespace omnihub::bench

int main(int argc, char** argv) {
  uint64_t messages = 20000;
  std::vector<size_t> parallel = {1, 16, 32};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--messages") {
      messages = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--parallel") {
      parallel.clear();
      std::stringstream in(value);
      for (std::string item; std::getline(in, item, ',');) parallel.push_back(std::strtoull(item.c_str(), nullptr, 10));
    } else {
      return omnihub::bench::Fail("usage: omnihub-bench-log-sender [--messages N] [--parallel 1,16,32]");
    }
  }
  return omnihub::bench::Run(messages, parallel);
}
