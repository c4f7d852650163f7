// `omnihubctl cluster` (services/ctl/cluster_command.cc) against a real nats-server
// (tests/support/nats_server.h, one server, replicas = 1): init twice (the second finds
// everything there), assign and shards, move (the tenant's frames copied to the new partition's
// stream, then assigned), status, and the errors: cluster mode off, NATS
// unreachable, a partition or tenant id that cannot be, a shard map not yet created. And
// status on a real 3-server cluster (replicas = 3): the leader and the two other copies, and a
// copy whose server was killed shown as no longer current.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nats/nats.h>
#include <nlohmann/json.hpp>

#include "common/bus/cluster_config.h"
#include "common/bus/nats/nats_cluster_options.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"
#include "common/config/config.h"
#include "services/ctl/ctl_context.h"
#include "tests/services/ctl/ctl_test_fixture.h"
#include "tests/support/nats_server.h"
#include "tests/support/tenant_event_frame.h"

namespace omnihub::ctl {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class ClusterCommandTest : public testing::CtlTest {
 protected:
  void SetUp() override {
    ASSERT_EQ(server_.Start(), "");
    UseConfig("enabled = true\nnats_urls = [\"" + server_.url() + "\"]\npartitions = 3\nreplicas = 1\n");
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "nats-server log:\n" << server_.Log();
  }

  // Replaces the fixture's config with one whose [cluster] table is `cluster_keys`.
  void UseConfig(const std::string& cluster_keys) {
    static const config::Section* const kSections[] = {&bus::ClusterConfigSection()};
    auto parsed = config::ParseConfig("[cluster]\n" + cluster_keys, "cluster.toml", kSections);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    config_ = std::move(*parsed);
  }

  // The output lines as JSON objects.
  std::vector<json> Lines() const {
    std::vector<json> lines;
    std::istringstream in(out());
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  omnihub::testing::NatsServerProcess server_{{.name = "solo"}};
};

TEST_F(ClusterCommandTest, InitCreatesTheStreamsOnceAndThenFindsThem) {
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  auto first = Lines();
  ASSERT_EQ(first.size(), 6u) << out();
  EXPECT_EQ(first[0], json::parse(R"({"stream":"OMNI_P00","holds":"partition 0","result":"created"})"));
  EXPECT_EQ(first[2], json::parse(R"({"stream":"OMNI_P02","holds":"partition 2","result":"created"})"));
  EXPECT_EQ(first[3], json::parse(R"({"stream":"OMNI_BLOBS","holds":"blobs","result":"created"})"));
  EXPECT_EQ(first[4]["stream"], "KV_OMNI_SHARDS");
  EXPECT_EQ(first[4]["result"], "created");
  EXPECT_EQ(first[5], json::parse(R"j({"stream":"KV_OMNI_REPLICAS","holds":"replica registry (key-value bucket OMNI_REPLICAS)","result":"created"})j"));

  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  auto second = Lines();
  ASSERT_EQ(second.size(), 6u) << out();
  for (const auto& line : second) EXPECT_EQ(line["result"], "exists") << line;

  // More partitions later: only the new stream is created.
  UseConfig("enabled = true\nnats_urls = [\"" + server_.url() + "\"]\npartitions = 4\nreplicas = 1\n");
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  auto grown = Lines();
  ASSERT_EQ(grown.size(), 7u) << out();
  EXPECT_EQ(grown[2]["result"], "exists");
  EXPECT_EQ(grown[3], json::parse(R"({"stream":"OMNI_P03","holds":"partition 3","result":"created"})"));
}

// The replicas and the query routers expect the registry as init makes it: file storage, the
// configured copies, only the latest entry of each replica.
TEST_F(ClusterCommandTest, InitCreatesTheReplicaRegistryAsTheReplicasExpectIt) {
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, server_.url().c_str()), NATS_OK);
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  jsStreamInfo* info = nullptr;
  ASSERT_EQ(js_GetStreamInfo(&info, js, "KV_OMNI_REPLICAS", nullptr, nullptr), NATS_OK);
  EXPECT_EQ(info->Config->Storage, js_FileStorage);
  EXPECT_EQ(info->Config->Replicas, 1);
  EXPECT_EQ(info->Config->MaxMsgsPerSubject, 1);
  EXPECT_THAT(std::string(info->Config->Subjects[0]), HasSubstr("$KV.OMNI_REPLICAS."));
  jsStreamInfo_Destroy(info);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);
}

TEST_F(ClusterCommandTest, AssignPutsTenantsAndShardsListsThem) {
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  ASSERT_EQ(Run(RunCluster, {"shards"}), kExitOk) << err();
  EXPECT_EQ(out(), "");

  ASSERT_EQ(Run(RunCluster, {"assign", "globex", "2"}), kExitOk) << err();
  auto put = Lines();
  ASSERT_EQ(put.size(), 1u);
  EXPECT_EQ(put[0]["tenant"], "globex");
  EXPECT_EQ(put[0]["partition"], 2);
  EXPECT_TRUE(put[0]["previous"].is_null());
  ASSERT_EQ(Run(RunCluster, {"assign", "acme", "0"}), kExitOk) << err();
  // Moved: the answer says where it was.
  ASSERT_EQ(Run(RunCluster, {"assign", "globex", "1"}), kExitOk) << err();
  auto moved = Lines();
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0]["previous"], 2);
  EXPECT_GT(moved[0]["revision"].get<uint64_t>(), put[0]["revision"].get<uint64_t>());

  ASSERT_EQ(Run(RunCluster, {"shards"}), kExitOk) << err();
  EXPECT_EQ(out(), "{\"tenant\":\"acme\",\"partition\":0}\n{\"tenant\":\"globex\",\"partition\":1}\n");
}

TEST_F(ClusterCommandTest, AssignRefusesWhatCannotBeWithWhatToFix) {
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  EXPECT_EQ(Run(RunCluster, {"assign", "acme", "3"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("partition 3 does not exist: [cluster] partitions = 3, so give 0..2"));
  EXPECT_EQ(Run(RunCluster, {"assign", "acme", "two"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("PARTITION must be a partition number 0..2, not 'two'"));
  EXPECT_EQ(Run(RunCluster, {"assign", "acme.eu", "1"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("tenant id 'acme.eu' is not valid: use 1..128 characters of A-Z a-z 0-9"));
  EXPECT_EQ(Run(RunCluster, {"assign", "acme"}), kExitUsage);
  EXPECT_EQ(Run(RunCluster, {"shards"}), kExitOk);
  EXPECT_EQ(out(), "");  // nothing was put
}

TEST_F(ClusterCommandTest, StatusShowsEachPartitionStream) {
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  // Two frames into partition 1, as an adapter would append them.
  jsCtx* js = nullptr;
  natsConnection* nc = nullptr;
  ASSERT_EQ(natsConnection_ConnectTo(&nc, server_.url().c_str()), NATS_OK);
  ASSERT_EQ(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
  for (int i = 0; i < 2; ++i) ASSERT_EQ(js_Publish(nullptr, js, "omni.p01.events", "frame", 5, nullptr, nullptr), NATS_OK);
  jsCtx_Destroy(js);
  natsConnection_Destroy(nc);

  ASSERT_EQ(Run(RunCluster, {"status"}), kExitOk) << err();
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 3u) << out();
  EXPECT_EQ(lines[0]["stream"], "OMNI_P00");
  EXPECT_EQ(lines[0]["messages"], 0);
  EXPECT_EQ(lines[1]["partition"], 1);
  EXPECT_EQ(lines[1]["messages"], 2);
  EXPECT_EQ(lines[1]["first_sequence"], 1);
  EXPECT_EQ(lines[1]["last_sequence"], 2);
  EXPECT_EQ(lines[1]["configured_replicas"], 1);
  EXPECT_TRUE(lines[1]["replicas"].is_array());
  // A lone server is not a cluster: no leader and no other copies to report.
  EXPECT_TRUE(lines[1]["leader"].is_null());
  EXPECT_TRUE(lines[1]["replicas"].empty());
  EXPECT_THAT(lines[1]["created"].get<std::string>(), HasSubstr("T"));

  // A partition added to the config but not initialised is named, with the fix.
  UseConfig("enabled = true\nnats_urls = [\"" + server_.url() + "\"]\npartitions = 4\nreplicas = 1\n");
  EXPECT_EQ(Run(RunCluster, {"status"}), kExitFailed);
  auto with_missing = Lines();
  ASSERT_EQ(with_missing.size(), 4u) << out();
  EXPECT_EQ(with_missing[3]["exists"], false);
  EXPECT_THAT(err(), HasSubstr("OMNI_P03 missing: run `omnihubctl cluster init`"));
}

TEST_F(ClusterCommandTest, MoveCopiesTheTenantsFramesToItsNewPartitionThenAssignsIt) {
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitOk) << err();
  ASSERT_EQ(Run(RunCluster, {"assign", "acme", "0"}), kExitOk) << err();
  auto connection = bus::nats::NatsConnection::Connect({.servers = {server_.url()}, .name = "test"});
  ASSERT_TRUE(connection.ok()) << connection.status().ToString();
  bus::nats::NatsPartitionLog log(**connection, bus::nats::LogOptionsFrom(config_.Get<bus::ClusterConfig>()));
  const std::vector<std::pair<std::string, std::string>> sent = {
      {"acme", "a1"}, {"", "d1"}, {"acme", "a2"}, {"globex", "g1"}, {"acme", "a3"}};
  for (size_t i = 0; i < sent.size(); ++i) {
    const uint64_t sequence = i + 1;
    ASSERT_TRUE(log.Append(0, bus::LogMessageId{"email-1", 0, sequence}.ToString(),
                           omnihub::testing::TenantEventFrame(sent[i].first, sent[i].second, sequence))
                    .ok());
  }

  ASSERT_EQ(Run(RunCluster, {"move", "acme", "2", "--settle", "0"}), kExitOk) << err();
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["tenant"], "acme");
  EXPECT_EQ(lines[0]["partition"], 2);
  EXPECT_EQ(lines[0]["previous"], 0);
  EXPECT_EQ(lines[0]["frames_read"], 5);
  EXPECT_EQ(lines[0]["frames_copied"], 3);
  EXPECT_EQ(lines[0]["already_copied"], 0);
  EXPECT_EQ(lines[0]["copied_up_to"], 5);
  EXPECT_EQ(lines[0]["publisher"], "move-acme-from-p00");
  EXPECT_THAT(err(), HasSubstr("copied 3 frames of acme to partition 2 and assigned it there"));
  ASSERT_EQ(Run(RunCluster, {"shards"}), kExitOk) << err();
  EXPECT_EQ(out(), "{\"tenant\":\"acme\",\"partition\":2}\n");

  // OMNI_P02 holds acme's frames, in their order, as the move's publisher.
  auto reader = log.OpenReader(2, bus::LogReadStart{});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto records = (*reader)->Read(10, std::chrono::seconds(2));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  std::vector<std::string> texts;
  for (const bus::LogRecord& r : *records) {
    v1::BusFrame frame;
    ASSERT_TRUE(frame.ParseFromString(r.frame));
    EXPECT_EQ(frame.publisher_id(), "move-acme-from-p00");
    v1::Event event;
    ASSERT_TRUE(event.ParseFromString(frame.event()));
    texts.push_back(event.text());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(records->back().message_id, "move-acme-from-p00/2/5");

  // Once there, it is there; with --from, what reached the old partition since is copied, and
  // only that.
  EXPECT_EQ(Run(RunCluster, {"move", "acme", "2", "--settle", "0"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("tenant acme is on partition 2 already (to copy what reached its old partition "
                               "since, add --from OLD_PARTITION)"));
  ASSERT_TRUE(log.Append(0, bus::LogMessageId{"email-1", 0, 6}.ToString(),
                         omnihub::testing::TenantEventFrame("acme", "a4 late", 6))
                  .ok());
  ASSERT_EQ(Run(RunCluster, {"move", "acme", "2", "--from", "0"}), kExitOk) << err();
  lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["frames_copied"], 4);
  EXPECT_EQ(lines[0]["already_copied"], 3);
  EXPECT_TRUE(lines[0]["revision"].is_null());  // the shard map is not touched
  auto late = (*reader)->Read(10, std::chrono::seconds(2));
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(late->front().message_id, "move-acme-from-p00/2/6");
  ASSERT_EQ(Run(RunCluster, {"assign", "globex", "0"}), kExitOk) << err();
  EXPECT_EQ(Run(RunCluster, {"move", "globex", "1", "--from", "2", "--settle", "0"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("tenant globex is on partition 0, not 2 (--from)"));
  // A tenant on no partition has nothing to move.
  EXPECT_EQ(Run(RunCluster, {"move", "initech", "1", "--settle", "0"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("tenant initech is on no partition yet, so it has nothing to move: use `omnihubctl "
                               "cluster assign initech 1`"));
  EXPECT_EQ(Run(RunCluster, {"move", "acme", "3"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("partition 3 does not exist"));
}

TEST_F(ClusterCommandTest, BeforeInitTheShardMapIsNotCreatedBehindTheOperatorsBack) {
  EXPECT_EQ(Run(RunCluster, {"shards"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("the shard map (key-value bucket OMNI_SHARDS) does not exist: run `omnihubctl cluster "
                               "init` first"));
  EXPECT_EQ(Run(RunCluster, {"assign", "acme", "1"}), kExitFailed);
  EXPECT_EQ(Run(RunCluster, {"status"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("OMNI_P00, OMNI_P01, OMNI_P02 missing"));
  EXPECT_EQ(Run(RunCluster, {"shards"}), kExitFailed);  // still none
}

TEST_F(ClusterCommandTest, ClusterModeOffSaysHowToTurnItOn) {
  UseConfig("enabled = false\n");
  for (const char* command : {"init", "shards", "status"}) {
    EXPECT_EQ(Run(RunCluster, {command}), kExitUsage) << command;
    EXPECT_THAT(err(), HasSubstr("cluster mode is off in this config: set [cluster] enabled = true and nats_urls"))
        << command;
  }
}

TEST_F(ClusterCommandTest, UnreachableNatsNamesTheServersAndTheKey) {
  server_.Kill();
  ASSERT_EQ(Run(RunCluster, {"init"}), kExitUnavailable);
  EXPECT_THAT(err(), HasSubstr("connect to NATS at " + server_.url()));
  EXPECT_THAT(err(), HasSubstr("[cluster] nats_urls and credentials_file in the config"));
}

TEST_F(ClusterCommandTest, UnreadableCredentialsFileNamesTheKey) {
  UseConfig("enabled = true\nnats_urls = [\"" + server_.url() + "\"]\nreplicas = 1\ncredentials_file = \"" +
            Path("missing.creds") + "\"\n");
  EXPECT_EQ(Run(RunCluster, {"init"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("cluster.credentials_file: cannot read '" + Path("missing.creds") + "'"));

  // A file that is there but holds no credentials: named before anything connects, and the
  // key is read (the server here takes anyone, so without the key the command would pass).
  const std::string bad = Path("bad.creds");
  std::ofstream(bad) << "not-a-seed-SUAGARBAGE\n";
  UseConfig("enabled = true\nnats_urls = [\"" + server_.url() + "\"]\nreplicas = 1\ncredentials_file = \"" + bad +
            "\"\n");
  EXPECT_EQ(Run(RunCluster, {"init"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("cluster.credentials_file: '" + bad + "' is not a NATS credentials file"));
  EXPECT_THAT(err(), ::testing::Not(HasSubstr("SUAGARBAGE")));  // never the content
}

// The default of 3 copies on one server: refused by JetStream, with the key to lower.
TEST_F(ClusterCommandTest, InitWithMoreReplicasThanServersSaysWhatToLower) {
  UseConfig("enabled = true\nnats_urls = [\"" + server_.url() + "\"]\n");
  EXPECT_EQ(Run(RunCluster, {"init"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("create stream OMNI_P00"));
  EXPECT_THAT(err(), HasSubstr("lower `replicas` for a single server"));
}

TEST_F(ClusterCommandTest, UnknownSubcommandShowsTheUsage) {
  EXPECT_EQ(Run(RunCluster, {"rebalance"}), kExitUsage);
  EXPECT_THAT(err(), HasSubstr("unknown cluster command 'rebalance' (usage: omnihubctl cluster init"));
  EXPECT_EQ(Run(RunCluster, {}), kExitUsage);
  EXPECT_EQ(Run(RunCluster, {"init", "extra"}), kExitUsage);
}

class ClusterStatusOnThreeServersTest : public testing::CtlTest {
 protected:
  void SetUp() override {
    ASSERT_EQ(cluster_.Start(), "");
    std::string urls;
    for (const auto& url : cluster_.urls()) urls += (urls.empty() ? "\"" : ", \"") + url + "\"";
    static const config::Section* const kSections[] = {&bus::ClusterConfigSection()};
    auto parsed = config::ParseConfig("[cluster]\nenabled = true\nnats_urls = [" + urls + "]\npartitions = 1\n",
                                      "cluster.toml", kSections);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    config_ = std::move(*parsed);
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_.Logs();
  }

  // Runs `args` until `done` holds for its exit code and output, or 30 s passed; true if it did.
  bool RunUntil(const std::vector<std::string>& args, const std::function<bool(int, const json&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const int code = Run(RunCluster, args);
      const std::string first_line = out().substr(0, out().find('\n'));
      if (done(code, first_line.empty() ? json() : json::parse(first_line))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  omnihub::testing::NatsCluster cluster_;
};

TEST_F(ClusterStatusOnThreeServersTest, StatusShowsTheLeaderAndTheReplicas) {
  // The servers elect a JetStream meta leader before a stream can be made.
  ASSERT_TRUE(RunUntil({"init"}, [](int code, const json&) { return code == kExitOk; })) << err();
  json status;
  ASSERT_TRUE(RunUntil({"status"}, [&](int code, const json& line) {
    status = line;
    if (code != kExitOk || !line["leader"].is_string() || line["replicas"].size() != 2) return false;
    for (const auto& r : line["replicas"]) {
      if (!r["current"].get<bool>()) return false;
    }
    return true;
  })) << out() << err();
  EXPECT_EQ(status["configured_replicas"], 3);
  const std::string leader = status["leader"];
  std::vector<std::string> names = {leader};
  for (const auto& r : status["replicas"]) names.push_back(r["name"]);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"n1", "n2", "n3"}));

  // A copy's server killed: the leader reports it as no longer current (or offline).
  const std::string victim = status["replicas"][0]["name"];
  cluster_.Named(victim)->Kill();
  const auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(RunUntil({"status"}, [&](int code, const json& line) {
    if (code != kExitOk) return false;
    for (const auto& r : line["replicas"]) {
      if (r["name"] == victim) return !r["current"].get<bool>() || r["offline"].get<bool>();
    }
    return false;
  })) << out() << err();
  std::cerr << "killed replica " << victim << " shown as not current after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed).count()
            << " ms: " << out();
}

}  // namespace
}  // namespace omnihub::ctl
