// omnihub-bench-nats: how fast frames of the partition log's size (670 bytes, a typical
// event) are appended through NatsPartitionLog::Append to a 1-server stream (R1) and to a
// 3-server cluster's R3 stream, all on this machine's loopback, with 1 and with several
// concurrent publishers (each its own publisher id, as adapters are). Every Append waits
// for the stream's acknowledgement, so one publisher's rate is bounded by the round trip.
// The servers are started and killed (by pid) by the benchmark (tests/support/nats_server.h).
//
//   omnihub-bench-nats [--messages N] [--bytes B] [--publishers 1,8]
//
// Thread-safety: one main thread; the publishers share the log (NatsPartitionLog is
// thread-safe).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "tests/support/nats_server.h"

namespace omnihub::bench {
namespace {

using std::chrono::steady_clock;

struct Flags {
  uint64_t messages = 20000;
  size_t bytes = 670;
  std::vector<int> publishers = {1, 8};
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (flag == "--messages") {
      flags->messages = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--bytes") {
      flags->bytes = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--publishers") {
      flags->publishers.clear();
      std::stringstream in(value);
      for (std::string item; std::getline(in, item, ',');) flags->publishers.push_back(std::atoi(item.c_str()));
    } else {
      return false;
    }
  }
  return flags->messages > 0 && !flags->publishers.empty();
}

// Appends `flags.messages` frames from `publishers` threads to partition 0; messages/s, or
// a negative number after printing the first failure.
double Measure(bus::nats::NatsPartitionLog& log, const Flags& flags, int publishers, const std::string& run) {
  const std::string frame(flags.bytes, 'x');
  const uint64_t per_publisher = flags.messages / static_cast<uint64_t>(publishers);
  std::vector<std::thread> threads;
  std::vector<std::string> errors(static_cast<size_t>(publishers));
  const auto start = steady_clock::now();
  for (int p = 0; p < publishers; ++p) {
    threads.emplace_back([&, p] {
      const std::string publisher = "bench-" + run + "-" + std::to_string(p);
      for (uint64_t sequence = 1; sequence <= per_publisher; ++sequence) {
        auto ack = log.Append(0, publisher + "/0/" + std::to_string(sequence), frame);
        if (!ack.ok()) {
          errors[static_cast<size_t>(p)] = ack.status().ToString();
          return;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(steady_clock::now() - start).count();
  for (const auto& error : errors) {
    if (!error.empty()) {
      std::fprintf(stderr, "append failed: %s\n", error.c_str());
      return -1;
    }
  }
  return static_cast<double>(per_publisher * static_cast<uint64_t>(publishers)) / seconds;
}

// Connects to `urls`, makes the stream (waiting for a cluster to elect its leaders) and
// prints one line per publisher count. False on a failure (printed).
bool RunTopology(const std::string& topology, const std::vector<std::string>& urls, int replicas, const Flags& flags) {
  auto connection = bus::nats::NatsConnection::Connect({.servers = urls, .name = "omnihub-bench-nats"});
  if (!connection.ok()) {
    std::fprintf(stderr, "%s\n", connection.status().ToString().c_str());
    return false;
  }
  bus::nats::NatsPartitionLog log(**connection, {.partitions = 1, .replicas = replicas});
  base::Status created = log.EnsureStreams();
  for (auto deadline = steady_clock::now() + std::chrono::seconds(30); !created.ok() && steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    created = log.EnsureStreams();
  }
  if (!created.ok()) {
    std::fprintf(stderr, "%s\n", created.ToString().c_str());
    return false;
  }
  for (int publishers : flags.publishers) {
    const double rate = Measure(log, flags, publishers, topology + "-" + std::to_string(publishers));
    if (rate < 0) return false;
    std::printf("%-22s %2d publisher(s): %8.0f messages/s of %zu bytes\n", topology.c_str(), publishers, rate,
                flags.bytes);
  }
  return true;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::fprintf(stderr, "usage: omnihub-bench-nats [--messages N] [--bytes B] [--publishers 1,8]\n");
    return 2;
  }
  {
    testing::NatsServerProcess solo({.name = "solo"});
    if (std::string error = solo.Start(); !error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    if (!RunTopology("1 server, R1", {solo.url()}, 1, flags)) return 1;
  }
  testing::NatsCluster cluster;
  if (std::string error = cluster.Start(); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  return RunTopology("3-server cluster, R3", cluster.urls(), 3, flags) ? 0 : 1;
}

}  // namespace
}  // namespace omnihub::bench

int main(int argc, char** argv) { return omnihub::bench::Main(argc, argv); }
