// Unifier replicas against a real nats-server and real omnihub-unifier processes: a test
// writer appends bus frames (events of several channels, links, a merge, a note; built with
// the deterministic apply tests' LogBuilder) to partition 0's stream, as adapters would, with
// message ids publisher/partition/sequence. Two replicas apply it and publish equal digests
// in OMNI_REPLICAS; acks arrive on omni.acks.<publisher>; a replica SIGKILLed mid-stream and
// restarted reaches the same digest; a stream deleted and created again stops a replica
// (non-zero exit, at every start); a replica whose data directory is lost is rebuilt from its
// peer's backup and reaches the peer's digest with the tail of the stream; replicas whose
// digests differ at one position stop, naming both, the position and both digests; under a
// steady stream, replicas publish digests at every digest_every-th position while they apply,
// and the two replicas' digests at each of those positions are equal.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/bus/nats/nats_handles.h"
#include "common/bus/nats/nats_partition_log.h"
#include "services/unifier/replica/nats_ack_publisher.h"
#include "services/unifier/replica/nats_replica_registry.h"
#include "tests/services/unifier/recorded_log.h"
#include "tests/support/nats_solo_test.h"
#include "tests/support/unifier_replica_process.h"

namespace omnihub::unifier::replica {
namespace {

using omnihub::testing::UnifierReplicaProcess;
using testing::LogBuilder;

constexpr auto kWait = std::chrono::seconds(20);

// `count` frames: messages of five channels from a crowd that repeats, with a platform link,
// a note, and agent commands (a link and a merge) among them.
std::vector<std::string> ClusterFrames(int count, int first = 0) {
  event::IdentityNormalizer normalizer("US");
  LogBuilder log;
  const v1::Channel channels[] = {v1::SMS, v1::EMAIL, v1::WHATSAPP, v1::MESSENGER, v1::TELEGRAM};
  for (int i = first; i < first + count; ++i) {
    const v1::Channel channel = channels[i % 5];
    const std::string who = std::to_string(i % 17);
    v1::Identity party = channel == v1::EMAIL ? testing::Email("p" + who + "@example.org")
                         : channel == v1::MESSENGER ? *normalizer.Platform("messenger", "page-1", "psid-" + who)
                         : channel == v1::TELEGRAM ? *normalizer.Platform("telegram", "bot-1", who, "")
                                                   : testing::Phone("+1415555" + std::to_string(1000 + i % 17));
    if (i % 23 == 11) {
      v1::Command merge = log.NewCommand("same person");
      *merge.mutable_merge()->mutable_survivor() = LogBuilder::Of(testing::Phone("+14155551001"));
      *merge.mutable_merge()->mutable_other() = LogBuilder::Of(testing::Email("p1@example.org"));
      log.Add(merge);
      continue;
    }
    v1::Event e = log.NewEvent(channel, v1::INBOUND, party, "m-" + std::to_string(i));
    if (i % 13 == 5) {
      v1::IdentityLink* link = e.add_party_links();
      *link->mutable_identity() = testing::Phone("+1650555" + std::to_string(2000 + i));
      link->set_reason("the sender shared their contact");
    }
    log.Add(e, i % 19 == 7 ? "api" : "adapter");
  }
  return log.frames;
}

class ReplicaClusterTest : public omnihub::testing::NatsSoloTest {
 protected:
  void SetUp() override {
    NatsSoloTest::SetUp();
    bus::nats::NatsLogOptions options;
    options.partitions = 1;
    options.replicas = 1;
    log_ = std::make_unique<bus::nats::NatsPartitionLog>(*connection_, options);
    ASSERT_TRUE(log_->EnsureStreams().ok());
    auto registry = NatsReplicaRegistry::Open(*connection_, 1);
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_ = std::move(*registry);
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-replicas-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  void TearDown() override {
    if (HasFailure()) {
      for (auto& replica : replicas_) std::cerr << replica->replica_id() << " log:\n" << replica->Log();
    }
    replicas_.clear();
    NatsSoloTest::TearDown();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  UnifierReplicaProcess& StartReplica(const std::string& id, uint32_t digest_every = 10000) {
    replicas_.push_back(
        std::make_unique<UnifierReplicaProcess>(OMNIHUB_BIN_DIR, dir_ + "/" + id, id, server_.url(), digest_every));
    replicas_.back()->Start();
    return *replicas_.back();
  }

  // Appends `frames` as their publishers would: message id publisher/0/sequence.
  uint64_t Append(const std::vector<std::string>& frames) {
    uint64_t position = 0;
    for (const std::string& bytes : frames) {
      v1::BusFrame frame;
      EXPECT_TRUE(frame.ParseFromString(bytes));
      const std::string id = bus::LogMessageId{frame.publisher_id(), 0, frame.sequence()}.ToString();
      auto appended = log_->Append(0, id, bytes);
      EXPECT_TRUE(appended.ok()) << appended.status().ToString();
      if (appended.ok()) position = appended->position;
    }
    return position;
  }

  // Waits until every replica in `ids` published a digest at `position` (0: an entry with none yet); their digests.
  std::map<std::string, std::string> DigestsAt(const std::vector<std::string>& ids, uint64_t position) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    std::map<std::string, std::string> digests;
    while (std::chrono::steady_clock::now() < deadline) {
      digests.clear();
      auto entries = registry_->List(0);
      if (entries.ok()) {
        for (const ReplicaEntry& e : *entries) {
          if (e.digest_position == position) digests[e.replica_id] = e.digest;
        }
      }
      bool all = true;
      for (const auto& id : ids) all = all && digests.count(id) > 0;
      if (all) return digests;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no digest at position " << position << " from every replica within " << kWait.count() << " s";
    return digests;
  }

  std::unique_ptr<bus::nats::NatsPartitionLog> log_;
  std::unique_ptr<NatsReplicaRegistry> registry_;
  std::string dir_;
  std::vector<std::unique_ptr<UnifierReplicaProcess>> replicas_;
};

TEST_F(ReplicaClusterTest, TwoReplicasApplyTheStreamToOneDigestAndAckThePublishers) {
  natsSubscription* raw = nullptr;
  ASSERT_EQ(natsConnection_SubscribeSync(&raw, connection_->connection(), AckSubject("adapter").c_str()), NATS_OK);
  bus::nats::NatsPtr<natsSubscription> acks(raw);
  UnifierReplicaProcess& ra = StartReplica("ra");
  StartReplica("rb");
  const std::vector<std::string> frames = ClusterFrames(400);
  const uint64_t last = Append(frames);
  uint64_t adapter_last = 0;
  for (const std::string& bytes : frames) {
    v1::BusFrame f;
    f.ParseFromString(bytes);
    if (f.publisher_id() == "adapter") adapter_last = f.sequence();
  }

  auto digests = DigestsAt({"ra", "rb"}, last);
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests["ra"], digests["rb"]);
  EXPECT_EQ(digests["ra"].size(), 64u);

  // The registry entries follow the contract.
  auto entries = registry_->List(0);
  ASSERT_TRUE(entries.ok());
  for (const ReplicaEntry& e : *entries) {
    EXPECT_EQ(e.applied_position, last);
    EXPECT_EQ(e.stream_created_ns, log_->State(0)->created_ns);
    EXPECT_TRUE(e.query_endpoint.starts_with("ipc://")) << e.query_endpoint;
    EXPECT_TRUE(e.admin_url.starts_with("http://127.0.0.1:")) << e.admin_url;
  }

  // Its admin listener: caught up, so ready; the omnihub_replica_* series say where it is.
  const std::string metrics = ra.AdminGet("/metrics");
  EXPECT_NE(metrics.find("omnihub_replica_applied_position " + std::to_string(last) + "\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("omnihub_replica_lag_positions 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("omnihub_replica_diverged 0\n"), std::string::npos);
  EXPECT_NE(ra.AdminGet("/readyz"), "");

  // Acks on omni.acks.adapter, up to the adapter's last sequence.
  uint64_t highest = 0;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (highest < adapter_last && std::chrono::steady_clock::now() < deadline) {
    natsMsg* msg = nullptr;
    if (natsSubscription_NextMsg(&msg, acks.get(), 500) != NATS_OK) continue;
    v1::Ack ack;
    ASSERT_TRUE(ack.ParseFromArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)));
    natsMsg_Destroy(msg);
    EXPECT_EQ(ack.protocol_version(), 1u);
    EXPECT_EQ(ack.publisher_id(), "adapter");
    EXPECT_EQ(ack.partition(), 0u);
    EXPECT_TRUE(ack.replica_id() == "ra" || ack.replica_id() == "rb") << ack.replica_id();
    EXPECT_GT(ack.applied_position(), 0u);
    highest = std::max(highest, ack.cumulative_ack());
  }
  EXPECT_EQ(highest, adapter_last);
}

TEST_F(ReplicaClusterTest, AReplicaKilledMidStreamRestartsAndReachesTheSameDigest) {
  StartReplica("ra");
  UnifierReplicaProcess& rb = StartReplica("rb");
  const std::vector<std::string> frames = ClusterFrames(1500);
  const std::vector<std::string> first(frames.begin(), frames.begin() + 500);
  const std::vector<std::string> rest(frames.begin() + 500, frames.end());
  Append(first);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // rb is somewhere in its batches
  rb.Kill();
  const uint64_t last = Append(rest);
  rb.Start();
  auto digests = DigestsAt({"ra", "rb"}, last);
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests["ra"], digests["rb"]);  // same timeline: nothing applied twice, nothing lost
}

TEST_F(ReplicaClusterTest, AStreamDeletedAndCreatedAgainStopsTheReplicaAtEveryStart) {
  UnifierReplicaProcess& ra = StartReplica("ra");
  const uint64_t last = Append(ClusterFrames(20));
  DigestsAt({"ra"}, last);
  ASSERT_EQ(js_DeleteStream(connection_->jetstream(), bus::nats::PartitionStreamName(0).c_str(), nullptr, nullptr),
            NATS_OK);
  ASSERT_TRUE(log_->EnsureStreams().ok());
  Append(ClusterFrames(5, 100));
  auto code = ra.WaitExit(kWait);
  ASSERT_TRUE(code.has_value()) << "the replica did not stop";
  EXPECT_NE(*code, 0);
  EXPECT_NE(ra.Log().find("will not apply another history"), std::string::npos);
  ra.Start();  // a restart does not go on in the new history either
  code = ra.WaitExit(kWait);
  ASSERT_TRUE(code.has_value()) << "the restarted replica did not stop";
  EXPECT_NE(*code, 0);
}

TEST_F(ReplicaClusterTest, AReplicaRebuiltFromItsPeersBackupReachesThePeersDigest) {
  UnifierReplicaProcess& ra = StartReplica("ra");
  UnifierReplicaProcess& rb = StartReplica("rb");
  const std::vector<std::string> frames = ClusterFrames(600);
  uint64_t last = Append(std::vector<std::string>(frames.begin(), frames.begin() + 300));
  DigestsAt({"ra", "rb"}, last);
  rb.Kill();
  std::filesystem::remove_all(rb.data_dir() + "/unifier");  // rb's disk is lost
  std::filesystem::remove_all(rb.data_dir() + "/search");

  const std::string ctl = std::string(OMNIHUB_BIN_DIR) + "/omnihubctl";
  const std::string backups = dir_ + "/backups";
  ASSERT_EQ(std::system((ctl + " --config " + ra.config_path() + " backup create " + backups + " > " + dir_ +
                         "/backup.out 2>&1").c_str()),
            0);
  ASSERT_EQ(std::system((ctl + " --config " + rb.config_path() + " backup restore " + backups + " --to " +
                         rb.data_dir() + " > " + dir_ + "/restore.out 2>&1").c_str()),
            0);
  last = Append(std::vector<std::string>(frames.begin() + 300, frames.end()));
  rb.Start();  // goes on from the checkpoint's position with the tail of the stream
  auto digests = DigestsAt({"ra", "rb"}, last);
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests["ra"], digests["rb"]);
}

// Position -> digest, from the "replica <id>: digest at position N: <hex>" lines of `log`.
std::map<uint64_t, std::string> LoggedDigests(const std::string& log) {
  static const std::regex line(R"(: digest at position (\d+): ([0-9a-f]{64}))");
  std::map<uint64_t, std::string> out;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it) {
    out[std::stoull((*it)[1].str())] = (*it)[2].str();
  }
  return out;
}

TEST_F(ReplicaClusterTest, UnderASteadyStreamReplicasPublishEqualDigestsAtEveryCheckpoint) {
  constexpr uint64_t kEvery = 100;
  StartReplica("ra", kEvery);
  StartReplica("rb", kEvery);
  DigestsAt({"ra", "rb"}, 0);  // both are up and in the registry (no digest yet)
  // 1500 frames, 10 every 20 ms, while the test watches the registry: what each replica
  // published at a checkpoint while the stream was still growing past it.
  const std::vector<std::string> frames = ClusterFrames(1500);
  std::atomic<uint64_t> appended{0};
  std::thread writer([&] {
    for (size_t i = 0; i < frames.size(); i += 10) {
      const size_t end = std::min(frames.size(), i + 10);
      appended = Append(std::vector<std::string>(frames.begin() + static_cast<std::ptrdiff_t>(i),
                                                  frames.begin() + static_cast<std::ptrdiff_t>(end)));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::map<std::string, std::set<uint64_t>> published_under_load;
  while (appended.load() < frames.size()) {
    auto entries = registry_->List(0);
    const uint64_t stream_end = appended.load();
    if (entries.ok()) {
      for (const ReplicaEntry& e : *entries) {
        if (e.digest_position % kEvery == 0 && e.digest_position > 0 && e.digest_position < stream_end) {
          published_under_load[e.replica_id].insert(e.digest_position);
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  writer.join();
  const uint64_t last = appended.load();
  ASSERT_EQ(last, frames.size());
  auto at_end = DigestsAt({"ra", "rb"}, last);
  ASSERT_EQ(at_end.size(), 2u);
  EXPECT_EQ(at_end["ra"], at_end["rb"]);

  // (How many the registry shows depends on timing: it is written every 500 ms, and an idle
  // digest, at a position of its own, may be the newest in between.)
  for (const std::string id : {"ra", "rb"}) {
    EXPECT_GE(published_under_load[id].size(), 1u) << id << " published no checkpoint digest while the stream grew";
  }
  // Each replica's log has its digest at each checkpoint (a checkpoint is skipped only when the
  // previous scan still runs, which these small stores never make last that long).
  const auto ra = LoggedDigests(replicas_[0]->Log());
  const auto rb = LoggedDigests(replicas_[1]->Log());
  size_t compared = 0;
  for (uint64_t position = kEvery; position <= last; position += kEvery) {
    auto a = ra.find(position);
    auto b = rb.find(position);
    if (a == ra.end() || b == rb.end()) {
      ADD_FAILURE() << "no digest at checkpoint " << position << " from " << (a == ra.end() ? "ra" : "rb");
      continue;
    }
    EXPECT_EQ(a->second, b->second) << "checkpoint " << position;
    ++compared;
  }
  EXPECT_EQ(compared, last / kEvery);
}

TEST_F(ReplicaClusterTest, ReplicasWhoseDigestsDifferAtOnePositionStopAndSaySo) {
  // Two replicas started from empty directories make erasure secrets of their own (which is
  // why docs/cluster.md has later replicas made from a peer's backup): after an erasure the
  // hashes it leaves differ, so their states do.
  UnifierReplicaProcess& ra = StartReplica("ra");
  UnifierReplicaProcess& rb = StartReplica("rb");
  Append(ClusterFrames(10));
  LogBuilder agent;
  v1::Command erase = agent.NewCommand("the customer asked to be forgotten");
  *erase.mutable_erase()->mutable_customer() = LogBuilder::Of(testing::Email("p1@example.org"));
  v1::BusFrame frame;
  frame.set_protocol_version(v1::BusVersion::CURRENT);
  frame.set_publisher_id("agent");
  frame.set_sequence(1);
  frame.set_command(erase.SerializeAsString());
  Append({frame.SerializeAsString()});

  for (UnifierReplicaProcess* replica : {&ra, &rb}) {
    auto code = replica->WaitExit(kWait);
    ASSERT_TRUE(code.has_value()) << replica->replica_id() << " did not stop";
    EXPECT_NE(*code, 0);
    const std::string log = replica->Log();
    const std::string other = replica == &ra ? "rb" : "ra";
    EXPECT_NE(log.find("replica " + replica->replica_id() + " diverged from replica " + other + " at position 11: digest "),
              std::string::npos)
        << log;
  }
}

}  // namespace
}  // namespace omnihub::unifier::replica
