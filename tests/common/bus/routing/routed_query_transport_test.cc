// The routed query transport's choice and failover with a manual clock and fake replicas:
// which replica answers, how long a dead one costs, read-your-writes waits and refusals.
#include "common/bus/routing/routed_query_transport.h"

#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/bus/routing/partition_query_transport.h"
#include "common/bus/routing/replica_choice.h"

namespace omnihub::bus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using std::chrono::milliseconds;

// A replica that answers (with its endpoint as the response's marker) or is dead: a dead one
// lets the whole attempt timeout pass on the manual clock, then reports Unavailable, as a
// ZeroMQ client to a killed process does.
class FakeReplicas final : public EndpointTransports {
 public:
  explicit FakeReplicas(base::ManualClock& clock) : clock_(clock) {}

  class Replica final : public QueryTransport {
   public:
    Replica(FakeReplicas& owner, std::string endpoint) : owner_(owner), endpoint_(std::move(endpoint)) {}
    base::Result<v1::QueryResponse> Call(const v1::QueryRequest&, milliseconds timeout) override {
      owner_.calls.emplace_back(endpoint_, timeout);
      if (owner_.dead.contains(endpoint_)) {
        owner_.clock_.Advance(timeout.count() * 1000);
        return base::Status::Unavailable("the hub does not answer at " + endpoint_);
      }
      if (owner_.not_found.contains(endpoint_)) return base::Status::NotFound("no such customer");
      owner_.clock_.Advance(2000);  // a live replica answers in 2 ms
      v1::QueryResponse response;
      response.mutable_error()->set_message(endpoint_);  // which replica answered
      return response;
    }

   private:
    FakeReplicas& owner_;
    std::string endpoint_;
  };

  QueryTransport& For(const std::string& endpoint) override {
    auto& r = replicas_[endpoint];
    if (!r) r = std::make_unique<Replica>(*this, endpoint);
    return *r;
  }

  std::set<std::string> dead;
  std::set<std::string> not_found;
  std::vector<std::pair<std::string, milliseconds>> calls;

 private:
  base::ManualClock& clock_;
  std::map<std::string, std::unique_ptr<Replica>> replicas_;
};

class FakeShardMap final : public PartitionResolver {
 public:
  base::Result<uint32_t> PartitionOf(std::string_view tenant) override {
    auto it = map.find(std::string(tenant));
    if (it == map.end()) return base::Status::NotFound("tenant '" + std::string(tenant) + "' is on no partition");
    return it->second;
  }
  std::map<std::string, uint32_t> map = {{"default", 0}, {"acme", 1}};
};

class RoutedQueryTransportTest : public ::testing::Test {
 protected:
  RoutedQueryTransportTest()
      : replicas_(clock_),
        directory_(clock_),
        routed_(directory_, shards_, replicas_, clock_, QueryRoute{},
                RoutingOptions{.sleep = [this](milliseconds d) { clock_.Advance(d.count() * 1000); }}) {}

  // A registry entry written just now.
  void Register(const std::string& id, uint32_t partition, uint64_t applied) {
    directory_.Put(ReplicaKey(partition, id),
                   ReplicaEntry{.replica_id = id,
                                .partition = partition,
                                .query_endpoint = "tcp://" + id + ":7000",
                                .applied_position = applied,
                                .updated_ms = clock_.NowMicros() / 1000});
  }

  // Which replica answered, or the error.
  std::string Ask(milliseconds timeout = kQueryTimeout) {
    auto r = routed_.Call(v1::QueryRequest(), timeout);
    return r.ok() ? r->error().message() : "error: " + r.status().ToString();
  }

  int64_t ElapsedMs(int64_t since_us) { return (clock_.MonotonicMicros() - since_us) / 1000; }

  base::ManualClock clock_;
  FakeReplicas replicas_;
  FakeShardMap shards_;
  ReplicaDirectory directory_;
  RoutedQueryTransport routed_;
};

TEST_F(RoutedQueryTransportTest, AsksTheMostCaughtUpReplicaOfTheTenantsPartition) {
  Register("a", 0, 40);
  Register("b", 0, 42);
  Register("c", 1, 99);  // another partition
  EXPECT_EQ(Ask(), "tcp://b:7000");
  EXPECT_EQ(Ask(), "tcp://b:7000");
  ScopedQueryRoute acme({.tenant = "acme"});
  EXPECT_EQ(Ask(), "tcp://c:7000");
}

TEST_F(RoutedQueryTransportTest, EquallyCaughtUpReplicasTakeTurns) {
  Register("a", 0, 42);
  Register("b", 0, 42);
  std::set<std::string> answered;
  for (int i = 0; i < 4; ++i) answered.insert(Ask());
  EXPECT_THAT(answered, ElementsAre("tcp://a:7000", "tcp://b:7000"));
}

TEST_F(RoutedQueryTransportTest, ADeadReplicaCostsOneAttemptThenTheOtherAnswers) {
  Register("a", 0, 43);
  Register("b", 0, 42);
  replicas_.dead.insert("tcp://a:7000");
  const int64_t start = clock_.MonotonicMicros();
  EXPECT_EQ(Ask(), "tcp://b:7000");
  EXPECT_LE(ElapsedMs(start), 2000);
  EXPECT_EQ(ElapsedMs(start), 1002);  // the 1 s attempt, then b's 2 ms
  ASSERT_EQ(replicas_.calls.size(), 2u);
  EXPECT_EQ(replicas_.calls[0].second, milliseconds(1000));
  EXPECT_EQ(replicas_.calls[1].second, milliseconds(4000));  // the last one left gets the rest

  // The next queries go straight to b while a's entry still looks live ...
  replicas_.calls.clear();
  EXPECT_EQ(Ask(), "tcp://b:7000");
  EXPECT_EQ(replicas_.calls.size(), 1u);
  // ... and a is tried first again once it answers (after the 3 s it is tried last).
  replicas_.dead.clear();
  clock_.Advance(3'000'000);
  Register("a", 0, 43);
  Register("b", 0, 42);
  EXPECT_EQ(Ask(), "tcp://a:7000");
}

TEST_F(RoutedQueryTransportTest, AReplicaWhoseEntryIsOlderThanThreeSecondsIsDown) {
  Register("a", 0, 50);
  clock_.Advance(2'500'000);
  Register("b", 0, 42);
  EXPECT_EQ(Ask(), "tcp://a:7000");  // 2.5 s old: live
  clock_.Advance(600'000);
  EXPECT_EQ(Ask(), "tcp://b:7000");  // 3.1 s old: down, not even tried
  EXPECT_EQ(replicas_.calls.back().first, "tcp://b:7000");
  EXPECT_EQ(replicas_.calls.size(), 2u);
}

TEST_F(RoutedQueryTransportTest, AnAnswerThatIsAnErrorIsNotFailedOver) {
  Register("a", 0, 43);
  Register("b", 0, 42);
  replicas_.not_found.insert("tcp://a:7000");
  EXPECT_THAT(Ask(), HasSubstr("not_found"));
  EXPECT_EQ(replicas_.calls.size(), 1u);
}

TEST_F(RoutedQueryTransportTest, EveryReplicaDeadIsUnavailableNamingThem) {
  Register("a", 0, 43);
  Register("b", 0, 42);
  replicas_.dead = {"tcp://a:7000", "tcp://b:7000"};
  const int64_t start = clock_.MonotonicMicros();
  const std::string error = Ask();
  EXPECT_THAT(error, HasSubstr("unavailable"));
  EXPECT_THAT(error, HasSubstr("no replica of partition 0 answered"));
  EXPECT_EQ(ElapsedMs(start), 5000);  // never longer than the caller's timeout
}

TEST_F(RoutedQueryTransportTest, NoLiveReplicaWaitsTwoSecondsThenSaysWhy) {
  const int64_t start = clock_.MonotonicMicros();
  const std::string error = Ask();
  EXPECT_THAT(error, HasSubstr("no live replica of partition 0 for tenant 'default'"));
  EXPECT_THAT(error, HasSubstr("OMNI_REPLICAS has no entry of p00"));
  EXPECT_GE(ElapsedMs(start), 2000);
  EXPECT_LT(ElapsedMs(start), 2100);
}

TEST_F(RoutedQueryTransportTest, MinPositionSkipsAReplicaBehindIt) {
  Register("a", 0, 40);
  Register("b", 0, 45);
  replicas_.dead.insert("tcp://b:7000");
  ScopedQueryRoute route({.min_position = ReadPosition{0, 44}});
  // a is live but behind: b is the only candidate, so it gets the whole timeout.
  EXPECT_THAT(Ask(), HasSubstr("replica b"));
  for (const auto& [endpoint, timeout] : replicas_.calls) EXPECT_EQ(endpoint, "tcp://b:7000");
}

TEST_F(RoutedQueryTransportTest, MinPositionWaitsForAReplicaToCatchUp) {
  Register("a", 0, 40);
  ScopedQueryRoute route({.min_position = ReadPosition{0, 41}});
  RoutedQueryTransport routed(directory_, shards_, replicas_, clock_, QueryRoute{},
                              RoutingOptions{.sleep = [this](milliseconds d) {
                                clock_.Advance(d.count() * 1000);
                                // a applies 41 after 500 ms
                                if (clock_.MonotonicMicros() >= 1'700'000'000'500'000) Register("a", 0, 41);
                              }});
  const int64_t start = clock_.MonotonicMicros();
  auto r = routed.Call(v1::QueryRequest(), kQueryTimeout);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->error().message(), "tcp://a:7000");
  EXPECT_GE(ElapsedMs(start), 500);
  EXPECT_LT(ElapsedMs(start), 600);
}

TEST_F(RoutedQueryTransportTest, MinPositionNotReachedInTwoSecondsIsUnavailableNamingIt) {
  Register("a", 0, 40);
  ScopedQueryRoute route({.min_position = ReadPosition{0, 41}});
  const int64_t start = clock_.MonotonicMicros();
  // The registry keeps a's entry fresh meanwhile (its sleep re-registers it).
  RoutedQueryTransport routed(directory_, shards_, replicas_, clock_, QueryRoute{},
                              RoutingOptions{.sleep = [this](milliseconds d) {
                                clock_.Advance(d.count() * 1000);
                                Register("a", 0, 40);
                              }});
  auto r = routed.Call(v1::QueryRequest(), kQueryTimeout);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsUnavailable());
  EXPECT_THAT(r.status().message(), HasSubstr("min_position 0:41 not reached within 2000 ms"));
  EXPECT_THAT(r.status().message(), HasSubstr("a at 40"));
  EXPECT_TRUE(r.status().message().starts_with(kMinPositionNotReached));
  EXPECT_GE(ElapsedMs(start), 2000);
  EXPECT_LT(ElapsedMs(start), 2100);
  EXPECT_TRUE(replicas_.calls.empty());
}

TEST_F(RoutedQueryTransportTest, MinPositionOfAnotherPartitionIsTheCallersMistake) {
  Register("a", 0, 40);
  ScopedQueryRoute route({.tenant = "acme", .min_position = ReadPosition{0, 41}});
  EXPECT_THAT(Ask(), HasSubstr("min_position 0:41 names partition 0, but tenant 'acme' is on partition 1"));
}

TEST_F(RoutedQueryTransportTest, ATenantOnNoPartitionIsNotFound) {
  ScopedQueryRoute route({.tenant = "globex"});
  EXPECT_THAT(Ask(), HasSubstr("tenant 'globex' is on no partition"));
}

// The live feed of a partition reads it as a whole, whatever tenant the request was for.
TEST_F(RoutedQueryTransportTest, APartitionTransportAsksItsPartitionWhateverTheTenant) {
  Register("a", 0, 40);
  Register("c", 1, 99);
  PartitionQueryTransport p1(routed_, 1);
  auto ask = [&](QueryTransport& t) {
    auto r = t.Call(v1::QueryRequest(), kQueryTimeout);
    return r.ok() ? r->error().message() : "error: " + r.status().ToString();
  };
  EXPECT_EQ(ask(p1), "tcp://c:7000");
  {
    // Neither the request's tenant (on another partition, or on none) nor its min_position
    // of another partition applies to the feed's reads.
    ScopedQueryRoute globex({.tenant = "globex", .min_position = ReadPosition{0, 41}});
    EXPECT_EQ(ask(p1), "tcp://c:7000");
    // And the request's own route is back after the call.
    EXPECT_THAT(Ask(), HasSubstr("tenant 'globex' is on no partition"));
  }
  PartitionQueryTransport p2(routed_, 2);
  EXPECT_THAT(ask(p2), HasSubstr("no live replica of partition 2 ("));
}

TEST(OrderReplicasTest, MostCaughtUpFirstUnresponsiveLastBehindLeftOut) {
  const auto entry = [](std::string id, uint64_t applied) {
    return ReplicaEntry{.replica_id = std::move(id), .query_endpoint = "e", .applied_position = applied};
  };
  const auto ids = [](const std::vector<ReplicaEntry>& v) {
    std::vector<std::string> out;
    for (const auto& e : v) out.push_back(e.replica_id);
    return out;
  };
  const auto none = [](const ReplicaEntry&) { return false; };
  EXPECT_THAT(ids(OrderReplicas({entry("a", 1), entry("b", 3), entry("c", 2)}, 0, 0, none)),
              ElementsAre("b", "c", "a"));
  EXPECT_THAT(ids(OrderReplicas({entry("a", 1), entry("b", 3), entry("c", 2)}, 2, 0, none)), ElementsAre("b", "c"));
  EXPECT_THAT(ids(OrderReplicas({entry("a", 3), entry("b", 3), entry("c", 2)}, 0, 1, none)),
              ElementsAre("b", "a", "c"));
  EXPECT_THAT(ids(OrderReplicas({entry("a", 1), entry("b", 3)}, 0, 0,
                                [](const ReplicaEntry& e) { return e.replica_id == "b"; })),
              ElementsAre("a", "b"));
}

TEST(ReplicaEntryTest, ParsesTheRegistryJsonAndChecksTheKey) {
  const ReplicaEntry in{.replica_id = "host1-data",
                        .partition = 3,
                        .query_endpoint = "tcp://10.0.0.1:7101",
                        .admin_url = "http://10.0.0.1:7102",
                        .applied_position = 1042,
                        .stream_created_ns = 17,
                        .digest_position = 1000,
                        .digest = "ab12",
                        .updated_ms = 1700000000123};
  EXPECT_EQ(ReplicaKey(3, "host1-data"), "p03.host1-data");
  auto out = ParseReplicaEntry("p03.host1-data", ReplicaEntryJson(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->query_endpoint, in.query_endpoint);
  EXPECT_EQ(out->applied_position, 1042u);
  EXPECT_EQ(out->updated_ms, 1700000000123);
  EXPECT_EQ(out->digest, "ab12");
  EXPECT_THAT(ParseReplicaEntry("p04.host1-data", ReplicaEntryJson(in)).status().message(),
              HasSubstr("the key does not match partition 3"));
  EXPECT_THAT(ParseReplicaEntry("p03.x", "{\"replica_id\":\"x\"}").status().message(),
              HasSubstr("OMNI_REPLICAS entry p03.x: replica_id, partition, query_endpoint"));
  EXPECT_THAT(ParseReplicaEntry("p03.x", "not json").status().message(), HasSubstr("not a JSON object"));
}

TEST(ReadPositionTest, ParsesPartitionColonPosition) {
  auto p = ParseReadPosition("2:1042");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->partition, 2u);
  EXPECT_EQ(p->position, 1042u);
  EXPECT_EQ(FormatReadPosition(*p), "2:1042");
  for (const char* bad : {"", "2", "2:", ":5", "a:1", "1:-1", "1:2:3", "1: 2"}) {
    EXPECT_THAT(ParseReadPosition(bad).status().message(), HasSubstr("is not PARTITION:POSITION")) << bad;
  }
}

TEST(TenantIdTest, OneCheckForEveryEntryPoint) {
  EXPECT_TRUE(event::CheckTenantId("acme-eu_1=").ok());
  EXPECT_TRUE(event::CheckTenantId(std::string(128, 'a')).ok());
  for (const std::string& bad : {std::string(), std::string(129, 'a'), std::string("acme.eu"), std::string("a/b"),
                                std::string("a b")}) {
    EXPECT_THAT(event::CheckTenantId(bad).message(), HasSubstr("is not valid: use 1..128 characters")) << bad;
  }
}
}  // namespace
}  // namespace omnihub::bus
