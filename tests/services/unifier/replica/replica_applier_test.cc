// The replica's apply loop against MemoryPartitionLog, without sockets: a resend that lands
// out of order is applied once, a duplicate is skipped and still acked, position and marks
// commit with the data or not at all (a write-ahead log append that fails stands for a
// kill before the batch was written), blobs kept in the blob stream are fetched before the frame applies,
// a recreated log stops the replica (also after a restart), the recorded log of the
// deterministic apply tests gives one digest for batches of 1, 7 and 2000, and an adapter
// whose tenants are on two partitions (a real LogSender and outbox) is trimmed exactly as far
// as the two partitions' replicas applied, through a lost append, resends and a restart.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/bus/log_sender/log_sender.h"
#include "common/bus/log_sender/tenant_copy.h"
#include "common/bus/memory_partition_log.h"
#include "services/unifier/identity/tenant_identity_keys.h"
#include "services/unifier/replica/replica_applier.h"
#include "services/unifier/store/state_digest.h"
#include "tests/services/unifier/recorded_log.h"
#include "tests/services/unifier/unifier_test_util.h"
#include "tests/support/fault_injection_fs.h"
#include "tests/support/test_outbox.h"

namespace omnihub::unifier::replica {
namespace {

using testing::kSecret;
using testing::kT0;
using testing::Phone;
using testing::UnifierHarness;

class CollectedAcks final : public AckSink {
 public:
  void Send(const v1::Ack& ack) override { acks.push_back(ack); }
  std::vector<v1::Ack> acks;
};

// Blobs from memory; Get fails with Unavailable while `unavailable`.
class MemoryBlobs final : public BlobSource {
 public:
  base::Result<std::string> Get(std::string_view sha256_hex) override {
    if (unavailable) return base::Status::Unavailable("blob stream unreachable");
    auto it = blobs.find(std::string(sha256_hex));
    if (it == blobs.end()) return base::Status::NotFound("no blob " + std::string(sha256_hex));
    return it->second;
  }
  std::map<std::string, std::string> blobs;
  bool unavailable = false;
};

// One replica of a partition (0 unless said) of `log`, with its own store; Reopen is a restart.
class Replica {
 public:
  Replica(bus::MemoryPartitionLog& log, size_t batch_max, rocksdb::Env* env = nullptr, uint32_t partition = 0,
          uint64_t digest_every = 0)
      : log_(log), batch_max_(batch_max), env_(env), partition_(partition), digest_every_(digest_every) {
    Reopen();
  }

  void Reopen() {
    applier_.reset();
    reader_.reset();
    processor_.reset();
    admission_.reset();
    store_.reset();
    StoreOptions options;
    options.env = env_;
    options.erasure_secret = kSecret;
    auto store = Store::Open(dir_.path() + "/db", options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    admission_ = std::make_unique<ReplicaAdmission>();
    processor_ = std::make_unique<BatchProcessor>(*store_, normalizer_, *admission_, 100);
    ASSERT_TRUE(processor_->Init().ok());
    auto reader = log_.OpenReader(partition_, admission_->cursor().ReadStart());
    open_status_ = reader.status();
    if (reader.ok()) reader_ = std::move(*reader);
    applier_ = std::make_unique<ReplicaApplier>(*processor_, *admission_, normalizer_, &blobs_, acks_, clock_,
                                                metrics_, ApplierOptions{partition_, "r1", batch_max_, digest_every_});
  }

  base::Result<StepResult> Step() { return applier_->Step(*reader_, std::chrono::milliseconds(0)); }
  // Applies until the log has nothing more.
  void CatchUp() {
    for (;;) {
      auto step = Step();
      ASSERT_TRUE(step.ok()) << step.status().ToString();
      if (step->frames == 0) return;
    }
  }

  // Applies until the log has nothing more, and gives the digest at each checkpoint reported.
  std::map<uint64_t, std::string> CatchUpThroughCheckpoints() {
    std::map<uint64_t, std::string> digests;
    for (;;) {
      auto step = Step();
      EXPECT_TRUE(step.ok()) << step.status().ToString();
      if (!step.ok()) return digests;
      if (step->checkpoint.has_value()) {
        // Nothing past the checkpoint is applied yet.
        EXPECT_LE(StoredCursor().position, *step->checkpoint);
        EXPECT_EQ(digests.count(*step->checkpoint), 0u) << "reported twice: " << *step->checkpoint;
        digests[*step->checkpoint] = Digest();
      }
      if (step->frames == 0 && !step->checkpoint.has_value()) return digests;
    }
  }

  size_t TimelineEntries() {
    std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), store_->timeline()));
    size_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
    return n;
  }
  std::string Digest() {
    auto digest = ComputeStateDigest(*store_);
    EXPECT_TRUE(digest.ok()) << digest.status().ToString();
    return digest.ok() ? digest->digest : "";
  }
  ReplicaCursor StoredCursor() {
    auto cursor = ReadCursor(*store_);
    EXPECT_TRUE(cursor.ok());
    return cursor.ok() ? *cursor : ReplicaCursor{};
  }

  Store& store() { return *store_; }
  BatchProcessor& processor() { return *processor_; }
  std::vector<v1::Ack>& acks() { return acks_.acks; }
  MemoryBlobs& blobs() { return blobs_; }
  const base::Status& open_status() const { return open_status_; }
  ReplicaApplier& applier() { return *applier_; }
  UnifierMetrics& metrics() { return metrics_; }

 private:
  bus::MemoryPartitionLog& log_;
  const size_t batch_max_;
  rocksdb::Env* env_;
  const uint32_t partition_;
  const uint64_t digest_every_;
  testing::TempDir dir_;
  event::IdentityNormalizer normalizer_{"US"};
  CollectedAcks acks_;
  MemoryBlobs blobs_;
  base::ManualClock clock_;
  service::Registry registry_;
  UnifierMetrics metrics_{registry_};
  std::unique_ptr<Store> store_;
  std::unique_ptr<ReplicaAdmission> admission_;
  std::unique_ptr<BatchProcessor> processor_;
  std::unique_ptr<bus::PartitionLogReader> reader_;
  base::Status open_status_;
  std::unique_ptr<ReplicaApplier> applier_;
};

v1::Event Sms(int n) {
  v1::Event e;
  std::string id(16, '\0');
  id[0] = '\x01';
  id[6] = '\x70';
  id[8] = '\x80';
  id[15] = static_cast<char>(n);
  e.set_event_id(id);
  e.set_channel(v1::SMS);
  e.set_account("acct");
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_provider_message_id("SM" + std::to_string(n));
  e.set_occurred_at_us(kT0 + n * 1'000'000);
  e.set_received_at_us(kT0 + n * 1'000'000);
  *e.mutable_sender() = Phone("+1415555010" + std::to_string(n % 10));
  e.set_text("message " + std::to_string(n));
  return e;
}

// Appends publisher "sms"'s frame `sequence` under message id `id_sequence` (its own
// sequence, unless the test stands for a resend JetStream did not drop: after its
// duplicate window, which MemoryPartitionLog does not have, the copy gets a new position).
void Append(bus::MemoryPartitionLog& log, uint64_t sequence, uint64_t id_sequence = 0) {
  const std::string id = bus::LogMessageId{"sms", 0, id_sequence == 0 ? sequence : id_sequence}.ToString();
  auto appended = log.Append(0, id, UnifierHarness::Frame("sms", sequence, Sms(static_cast<int>(sequence))));
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
}

TEST(ReplicaApplierTest, AResendLandingOutOfOrderIsAppliedOnce) {
  bus::MemoryPartitionLog log(1);
  // 2's first publish was lost; 3 and 4 went on; 2 is resent, then 3 again after a timeout.
  Append(log, 1);
  Append(log, 3);
  Append(log, 4);
  Append(log, 2);
  Append(log, 3, 1003);
  Replica r(log, 1);  // one frame per batch: the marks carry across commits
  auto step = r.Step();
  ASSERT_TRUE(step.ok());
  ASSERT_EQ(r.acks().size(), 1u);
  EXPECT_EQ(r.acks().back().cumulative_ack(), 1u);
  ASSERT_TRUE(r.Step().ok());  // 3 applied above a hole: the ack cannot go past 1
  EXPECT_EQ(r.acks().back().cumulative_ack(), 1u);
  r.CatchUp();
  EXPECT_EQ(r.TimelineEntries(), 4u);
  EXPECT_EQ(r.processor().counters().events, 4u);
  EXPECT_EQ(r.metrics().events_committed.value(), 4u);  // counted as on one host
  EXPECT_EQ(r.metrics().frames_received.value(), 5u);
  EXPECT_EQ(r.acks().back().cumulative_ack(), 4u);
  EXPECT_EQ(r.StoredCursor().position, 5u);

  // The same log in one batch gives the same state.
  Replica whole(log, 2000);
  whole.CatchUp();
  EXPECT_EQ(whole.Digest(), r.Digest());
}

TEST(ReplicaApplierTest, ADuplicateIsSkippedAndAcked) {
  bus::MemoryPartitionLog log(1);
  Append(log, 1);
  Append(log, 2);
  Replica r(log, 2000);
  r.CatchUp();
  const size_t acks_before = r.acks().size();
  Append(log, 2, 1002);  // the publisher heard no ack and appended 2 again
  auto step = r.Step();
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->frames, 1u);
  ASSERT_EQ(r.acks().size(), acks_before + 1);
  const v1::Ack& ack = r.acks().back();
  EXPECT_EQ(ack.protocol_version(), 1u);
  EXPECT_EQ(ack.publisher_id(), "sms");
  EXPECT_EQ(ack.cumulative_ack(), 2u);
  EXPECT_EQ(ack.partition(), 0u);
  EXPECT_EQ(ack.replica_id(), "r1");
  EXPECT_EQ(ack.applied_position(), 3u);
  EXPECT_EQ(r.TimelineEntries(), 2u);
  const ReplicaCursor cursor = r.StoredCursor();
  EXPECT_EQ(cursor.position, 3u);
  EXPECT_EQ(cursor.message_id, "sms/0/1002");
  EXPECT_EQ(cursor.created_ns, log.State(0).created_ns);
}

TEST(ReplicaApplierTest, PositionAndMarksCommitWithTheDataOrNotAtAll) {
  omnihub::testing::SyncControl control;
  auto env = rocksdb::NewCompositeEnv(std::make_shared<omnihub::testing::WalSyncFileSystem>(control));
  bus::MemoryPartitionLog log(1);
  for (uint64_t s = 1; s <= 3; ++s) Append(log, s);
  Replica r(log, 2000, env.get());
  r.CatchUp();
  const size_t acks_before = r.acks().size();
  for (uint64_t s = 4; s <= 6; ++s) Append(log, s);
  control.drop_appends = true;  // the batch of 4..6 never reaches the disk: as if killed before its write
  ASSERT_FALSE(r.Step().ok());
  EXPECT_EQ(r.acks().size(), acks_before);  // nothing acked that is not durable

  control.drop_appends = false;
  r.Reopen();  // the restart reads position and marks from the store: both still at 3
  EXPECT_EQ(r.StoredCursor().position, 3u);
  EXPECT_EQ(r.TimelineEntries(), 3u);
  r.CatchUp();
  EXPECT_EQ(r.TimelineEntries(), 6u);
  EXPECT_EQ(r.StoredCursor().position, 6u);
  EXPECT_EQ(r.acks().back().cumulative_ack(), 6u);

  Replica never_failed(log, 2000);
  never_failed.CatchUp();
  EXPECT_EQ(never_failed.Digest(), r.Digest());
}

TEST(ReplicaApplierTest, BlobsInTheBlobStreamAreFetchedBeforeTheFrameApplies) {
  bus::MemoryPartitionLog log(1);
  const std::string bytes = "%PDF-1.4 an attachment";
  v1::BusFrame frame;
  ASSERT_TRUE(frame.ParseFromString(UnifierHarness::Frame("sms", 1, Sms(1))));
  v1::Blob* blob = frame.add_blobs();
  blob->set_sha256(base::Sha256(bytes));
  blob->set_size_bytes(bytes.size());
  blob->set_media_type("application/pdf");
  blob->set_in_blob_store(true);
  ASSERT_TRUE(log.Append(0, "sms/0/1", frame.SerializeAsString()).ok());
  Replica r(log, 2000);
  r.blobs().blobs[base::HexEncode(base::Sha256(bytes))] = bytes;
  r.blobs().unavailable = true;
  auto step = r.Step();
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.status().code(), base::StatusCode::kUnavailable);
  EXPECT_EQ(r.TimelineEntries(), 0u);  // never applied without its blob
  EXPECT_EQ(r.StoredCursor().position, 0u);

  r.blobs().unavailable = false;  // the next turn applies the frame it kept
  step = r.Step();
  ASSERT_TRUE(step.ok()) << step.status().ToString();
  EXPECT_EQ(step->frames, 1u);
  EXPECT_EQ(r.TimelineEntries(), 1u);
  auto stored = r.store().GetRaw(r.store().blobs(), base::Sha256(bytes));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(r.processor().counters().dead_letters, 0u);
}

TEST(ReplicaApplierTest, ARecreatedLogStopsTheReplicaAlsoAfterARestart) {
  bus::MemoryPartitionLog log(1);
  Append(log, 1);
  Replica r(log, 2000);
  r.CatchUp();
  log.Recreate(0);
  Append(log, 1);
  auto step = r.Step();
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.status().code(), base::StatusCode::kFailedPrecondition) << step.status().ToString();
  r.Reopen();  // a restart does not go on in the new history either
  EXPECT_EQ(r.open_status().code(), base::StatusCode::kFailedPrecondition) << r.open_status().ToString();
}

// Partition 0 of `log` gets the recorded log's frames, each under its publisher's next message id.
void AppendRecorded(bus::MemoryPartitionLog& log, const testing::LogBuilder& recorded) {
  std::map<std::string, uint64_t> ids;
  for (const std::string& bytes : recorded.frames) {
    v1::BusFrame f;
    f.ParseFromString(bytes);  // the garbage frame too: its publisher and sequence parse
    const std::string publisher = f.publisher_id().empty() ? "unknown" : f.publisher_id();
    ASSERT_TRUE(log.Append(0, bus::LogMessageId{publisher, 0, ++ids[publisher]}.ToString(), bytes).ok());
  }
}

TEST(ReplicaApplierTest, TheRecordedLogGivesOneDigestForBatchesOfOneSevenAndTwoThousand) {
  event::IdentityNormalizer normalizer("US");
  const testing::LogBuilder recorded = testing::RecordedLog(normalizer);
  bus::MemoryPartitionLog log(1);
  AppendRecorded(log, recorded);
  Replica one(log, 1);
  Replica seven(log, 7);
  Replica all(log, 2000);
  one.CatchUp();
  seven.CatchUp();
  all.CatchUp();
  EXPECT_EQ(all.StoredCursor().position, recorded.frames.size());
  EXPECT_EQ(all.processor().counters().dead_letters, 2u);
  EXPECT_EQ(one.Digest(), seven.Digest());
  EXPECT_EQ(one.Digest(), all.Digest());
}

TEST(ReplicaApplierTest, EveryCheckpointGivesOneDigestForBatchesOfOneSevenAndTwoThousand) {
  event::IdentityNormalizer normalizer("US");
  const testing::LogBuilder recorded = testing::RecordedLog(normalizer);
  bus::MemoryPartitionLog log(1);
  AppendRecorded(log, recorded);
  constexpr uint64_t kEvery = 5;
  Replica one(log, 1, nullptr, 0, kEvery);
  Replica seven(log, 7, nullptr, 0, kEvery);
  Replica all(log, 2000, nullptr, 0, kEvery);
  const auto at_one = one.CatchUpThroughCheckpoints();
  const auto at_seven = seven.CatchUpThroughCheckpoints();
  const auto at_all = all.CatchUpThroughCheckpoints();
  // Every multiple of 5 up to the end is a checkpoint, reached in every replica with one state.
  ASSERT_EQ(at_all.size(), recorded.frames.size() / kEvery);
  EXPECT_EQ(at_all.begin()->first, kEvery);
  EXPECT_EQ(at_one, at_all);
  EXPECT_EQ(at_seven, at_all);
  // Later checkpoints differ from earlier ones: the digests are of the state there, not the end.
  EXPECT_NE(at_all.begin()->second, at_all.rbegin()->second);
  EXPECT_EQ(all.StoredCursor().position, recorded.frames.size());
  EXPECT_EQ(all.Digest(), one.Digest());
}

TEST(ReplicaApplierTest, ARestartedReplicaReportsTheCheckpointsAheadOfIt) {
  bus::MemoryPartitionLog log(1);
  for (uint64_t n = 1; n <= 12; ++n) Append(log, n);
  Replica r(log, 2000, nullptr, 0, 5);
  auto first = r.Step();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->frames, 5u);  // the batch stopped at the checkpoint
  EXPECT_EQ(first->checkpoint, 5u);
  r.Reopen();  // restarted at 5: the next checkpoint is 10
  const auto digests = r.CatchUpThroughCheckpoints();
  ASSERT_EQ(digests.size(), 1u);
  EXPECT_EQ(digests.begin()->first, 10u);
  EXPECT_EQ(r.StoredCursor().position, 12u);
}

TEST(ReplicaApplierTest, ATenantsFramesCopiedToAnotherPartitionAreAppliedThereWithTheSameCustomers) {
  bus::MemoryPartitionLog log(2);
  for (uint64_t n = 1; n <= 30; ++n) {
    v1::Event e = Sms(static_cast<int>(n));
    if (n % 3 == 0) e.set_tenant_id("acme");
    ASSERT_TRUE(log.Append(0, bus::LogMessageId{"sms", 0, n}.ToString(), UnifierHarness::Frame("sms", n, e)).ok());
  }
  Replica old_home(log, 2000, nullptr, 0);
  old_home.CatchUp();
  bus::TenantCopyProgress progress;
  ASSERT_TRUE(bus::CopyTenantFrames(log, log, "acme", 0, 1, 30, progress, std::chrono::milliseconds(0)).ok());
  EXPECT_EQ(progress.frames_copied, 10u);
  Replica new_home(log, 7, nullptr, 1);
  new_home.CatchUp();
  EXPECT_EQ(new_home.TimelineEntries(), 10u);
  EXPECT_EQ(new_home.StoredCursor().position, 10u);
  // Customer ids derive from the tenant and the identity: the same in both homes.
  for (int n : {3, 6, 9}) {
    const std::string key = TenantIdentityKey("acme", Phone("+1415555010" + std::to_string(n)));
    auto there = old_home.store().GetIdentity(key);
    auto here = new_home.store().GetIdentity(key);
    ASSERT_TRUE(there.ok() && here.ok() && there->has_value() && here->has_value()) << n;
    EXPECT_EQ((*here)->customer_id(), (*there)->customer_id());
  }
  // The default tenant's identities stayed behind.
  auto stayed = new_home.store().GetIdentity(TenantIdentityKey("default", Phone("+14155550101")));
  ASSERT_TRUE(stayed.ok());
  EXPECT_FALSE(stayed->has_value());

  // The move run again: nothing new for the log, nothing new for the replica.
  bus::TenantCopyProgress again;
  ASSERT_TRUE(bus::CopyTenantFrames(log, log, "acme", 0, 1, 30, again, std::chrono::milliseconds(0)).ok());
  EXPECT_EQ(again.already_there, 10u);
  new_home.CatchUp();
  EXPECT_EQ(new_home.TimelineEntries(), 10u);
}

// Tenants default -> partition 0, acme -> partition 1.
class TwoTenantMap final : public bus::ShardMapSource {
 public:
  base::Result<std::optional<uint32_t>> Get(std::string_view tenant_id) override {
    return std::optional<uint32_t>(tenant_id == "acme" ? 1 : 0);
  }
};

class NoBlobs final : public bus::BlobSink {
 public:
  base::Result<std::string> Put(std::string_view) override { return base::Status::Unavailable("no blob store"); }
};

// The log, except that every append of one message id times out: the frames appended with it
// land, it does not, until the adapter restarts (on `log` itself) and appends it after them.
class LosingLog final : public bus::PartitionLogWriter {
 public:
  LosingLog(bus::MemoryPartitionLog& log, std::string lose) : log_(log), lose_(std::move(lose)) {}
  base::Result<bus::LogAppendAck> Append(uint32_t partition, std::string_view message_id,
                                         std::string_view frame) override {
    if (message_id == lose_) return base::Status::Unavailable("publish timed out");
    return log_.Append(partition, message_id, frame);
  }
  uint32_t partition_count() const override { return log_.partition_count(); }

 private:
  bus::MemoryPartitionLog& log_;
  std::string lose_;
};

TEST(ReplicaApplierTest, AnAdapterOnTwoPartitionsIsTrimmedExactlyAsFarAsTheirReplicasApplied) {
  bus::MemoryPartitionLog log(2);
  omnihub::testing::TestOutbox outbox("sms");
  base::ManualClock clock;
  TwoTenantMap map;
  bus::ShardMapCache cache(map, clock);
  NoBlobs blobs;
  // 40 entries, acme's every third; the append of acme's sequence 6 fails until the restart.
  std::vector<bus::OutboxItem> items;
  size_t acme_count = 0;
  for (int n = 1; n <= 40; ++n) {
    v1::Event e = Sms(n);
    if (n % 3 == 0) {
      e.set_tenant_id("acme");
      ++acme_count;
    }
    items.push_back(bus::OutboxItem{e.SerializeAsString(), std::nullopt});
  }
  auto first = outbox.outbox().Append(std::vector<bus::OutboxItem>(items.begin(), items.begin() + 25));
  ASSERT_TRUE(first.ok());
  LosingLog losing(log, bus::LogMessageId{outbox.outbox().publisher_id(), 1, 6}.ToString());
  const bus::PublisherOptions options{.window = 4096, .resend_timeout_us = 2'000'000, .acks_grant_credit = false};
  auto sender = std::make_unique<bus::LogSender>(outbox.outbox(), clock, options, losing, cache, blobs,
                                                 bus::LogSenderOptions{.parallel_appends = 1, .max_round = 8},
                                                 [](const std::string&) {});
  Replica p0(log, 3, nullptr, 0);
  Replica p1(log, 3, nullptr, 1);
  size_t delivered0 = 0;
  size_t delivered1 = 0;
  // One turn: a round of the sender, a step of each replica, their new acks to the sender.
  auto turn = [&] {
    sender->OnTick();
    sender->SendRound();
    for (Replica* r : {&p0, &p1}) ASSERT_TRUE(r->Step().ok());
    for (; delivered0 < p0.acks().size(); ++delivered0) sender->OnAck(p0.acks()[delivered0]);
    for (; delivered1 < p1.acks().size(); ++delivered1) sender->OnAck(p1.acks()[delivered1]);
  };
  for (int i = 0; i < 6; ++i) turn();
  // 6 is missing from partition 1 until resent: nothing from it on is trimmed.
  EXPECT_EQ(outbox.outbox().acked_through(), 5u);
  // Partition 1 applied 3, and 9 and 12 above the hole; 9 carried acked_floor 4.
  EXPECT_EQ(p1.acks().back().cumulative_ack(), 4u);

  // The adapter restarts with 6 and more unacknowledged, and gets more entries meanwhile.
  sender.reset();
  outbox.Reopen();
  ASSERT_TRUE(outbox.outbox().Append(std::vector<bus::OutboxItem>(items.begin() + 25, items.end())).ok());
  sender = std::make_unique<bus::LogSender>(outbox.outbox(), clock, options, log, cache, blobs,
                                            bus::LogSenderOptions{.parallel_appends = 1, .max_round = 8},
                                            [](const std::string&) {});
  for (int i = 0; i < 20 && outbox.outbox().pending() > 0; ++i) {
    clock.Advance(500'000);
    turn();
  }
  EXPECT_EQ(outbox.outbox().pending(), 0u);
  EXPECT_EQ(outbox.outbox().acked_through(), 40u);
  // Each partition applied its tenant's entries once: none lost, none twice.
  EXPECT_EQ(p1.TimelineEntries(), acme_count);
  EXPECT_EQ(p0.TimelineEntries(), 40u - acme_count);
  EXPECT_EQ(p0.acks().back().cumulative_ack(), 40u);  // 40 is partition 0's: every one it was sent
  EXPECT_EQ(p1.acks().back().cumulative_ack(), 39u);

  // The marks are a function of the stream: replicas applying it in other batches agree.
  Replica p1_one(log, 1, nullptr, 1);
  Replica p1_all(log, 2000, nullptr, 1);
  p1_one.CatchUp();
  p1_all.CatchUp();
  EXPECT_EQ(p1_one.Digest(), p1.Digest());
  EXPECT_EQ(p1_all.Digest(), p1.Digest());
}

}  // namespace
}  // namespace omnihub::unifier::replica
