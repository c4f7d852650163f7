// LogSender against a MemoryPartitionLog, an in-memory blob store and shard map, and a
// ManualClock: what cluster mode's sender appends, under which ids, and when it trims; with
// tenants on two partitions, how the frames are chained (partition_prev, acked_floor) and how
// the partitions' acks combine into the trim.
#include "common/bus/log_sender/log_sender.h"

#include <map>
#include <mutex>
#include <set>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/base/env.h"
#include "common/base/sha256.h"
#include "common/bus/memory_partition_log.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/event.pb.h"
#include "tests/support/test_outbox.h"

namespace omnihub::bus {
namespace {

constexpr int64_t kResendTimeoutUs = 2'000'000;

// What happened, in order, across the blob store and the log.
using Journal = std::vector<std::string>;

class JournalBlobs final : public BlobSink {
 public:
  explicit JournalBlobs(Journal& journal) : journal_(journal) {}
  base::Result<std::string> Put(std::string_view bytes) override {
    if (fail) return base::Status::Unavailable("blob store down");
    const std::string sha = base::Sha256Hex(bytes);
    stored[sha] = std::string(bytes);
    journal_.push_back("put " + sha);
    return sha;
  }
  std::map<std::string, std::string> stored;
  bool fail = false;

 private:
  Journal& journal_;
};

// The memory log, with every append (duplicates too) written to the journal. Thread-safe, as
// every PartitionLogWriter must be: the sender keeps several appends in flight.
class JournalLog final : public PartitionLogWriter {
 public:
  JournalLog(MemoryPartitionLog& log, Journal& journal) : log_(log), journal_(journal) {}
  base::Result<LogAppendAck> Append(uint32_t partition, std::string_view message_id, std::string_view frame) override {
    base::Result<LogAppendAck> ack = log_.Append(partition, message_id, frame);
    std::lock_guard<std::mutex> lock(mutex_);
    if (ack.ok()) journal_.push_back("append " + std::string(message_id) + (ack->duplicate ? " dup" : ""));
    return ack;
  }
  uint32_t partition_count() const override { return log_.partition_count(); }

 private:
  MemoryPartitionLog& log_;
  std::mutex mutex_;  // guards journal_ against the parallel appends
  Journal& journal_;
};

class MapSource final : public ShardMapSource {
 public:
  base::Result<std::optional<uint32_t>> Get(std::string_view tenant_id) override {
    ++reads;
    auto it = map.find(std::string(tenant_id));
    if (it == map.end()) return std::optional<uint32_t>();
    return std::optional<uint32_t>(it->second);
  }
  std::map<std::string, uint32_t> map = {{"default", 0}};
  int reads = 0;
};

OutboxItem Event(std::string bytes) { return OutboxItem{std::move(bytes), std::nullopt}; }

std::string EventOf(const std::string& tenant, const std::string& id = "e") {
  v1::Event event;
  event.set_event_id(id);
  event.set_tenant_id(tenant);
  return event.SerializeAsString();
}

class LogSenderTest : public ::testing::Test {
 protected:
  LogSenderTest() : log_(2), journal_log_(log_, journal_), blobs_(journal_), cache_(source_, clock_) {}

  void MakeSender(size_t parallel_appends = 1) {
    PublisherOptions options{.window = 4096, .resend_timeout_us = kResendTimeoutUs, .acks_grant_credit = false};
    sender_ = std::make_unique<LogSender>(outbox_.outbox(), clock_, options, journal_log_, cache_, blobs_,
                                          LogSenderOptions{.parallel_appends = parallel_appends,
                                                           .max_round = 256,
                                                           .positions = &positions_},
                                          [this](const std::string& error) { errors_.push_back(error); });
  }

  std::vector<uint64_t> Append(std::vector<OutboxItem> items) {
    auto sequences = outbox_.outbox().Append(std::move(items));
    EXPECT_TRUE(sequences.ok()) << sequences.status().ToString();
    return sequences.ok() ? *sequences : std::vector<uint64_t>{};
  }

  v1::Ack ReplicaAck(uint64_t cumulative, uint32_t partition = 0) {
    v1::Ack ack;
    ack.set_protocol_version(v1::BusVersion::CURRENT);
    ack.set_publisher_id(outbox_.outbox().publisher_id());
    ack.set_cumulative_ack(cumulative);
    ack.set_partition(partition);
    ack.set_replica_id("r1");
    ack.set_applied_position(cumulative);
    return ack;
  }

  std::string Id(uint32_t partition, uint64_t sequence) {
    return LogMessageId{outbox_.outbox().publisher_id(), partition, sequence}.ToString();
  }

  // The records of a partition, read from the start.
  std::vector<LogRecord> Records(uint32_t partition) {
    auto reader = log_.OpenReader(partition, {});
    EXPECT_TRUE(reader.ok());
    auto records = (*reader)->Read(10'000, std::chrono::milliseconds(0));
    EXPECT_TRUE(records.ok());
    return records.ok() ? *records : std::vector<LogRecord>{};
  }

  testing::TestOutbox outbox_{"email"};
  base::ManualClock clock_;
  MemoryPartitionLog log_;
  Journal journal_;
  JournalLog journal_log_;
  JournalBlobs blobs_;
  MapSource source_;
  ShardMapCache cache_;
  std::vector<std::string> errors_;
  AppendedPositions positions_;
  std::unique_ptr<LogSender> sender_;
};

TEST_F(LogSenderTest, PutsEveryBlobBeforeAppendingTheFrameThatNamesIt) {
  MakeSender();
  const std::string attachment(300'000, 'a');
  v1::Blob blob;
  blob.set_sha256(base::Sha256(attachment));
  blob.set_data(attachment);
  blob.set_size_bytes(attachment.size());
  blob.set_media_type("application/pdf");
  Append({OutboxItem{EventOf("default"), std::nullopt, {blob}}});

  sender_->SendRound();

  const std::string sha = base::Sha256Hex(attachment);
  EXPECT_EQ(journal_, (Journal{"put " + sha, "append " + Id(0, 1)}));
  EXPECT_EQ(blobs_.stored.at(sha), attachment);
  const std::vector<LogRecord> records = Records(0);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message_id, Id(0, 1));
  v1::BusFrame frame;
  ASSERT_TRUE(frame.ParseFromString(records[0].frame));
  ASSERT_EQ(frame.blobs_size(), 1);
  EXPECT_TRUE(frame.blobs(0).in_blob_store());
  EXPECT_TRUE(frame.blobs(0).data().empty());
  EXPECT_EQ(frame.blobs(0).sha256(), blob.sha256());
  EXPECT_EQ(frame.blobs(0).size_bytes(), attachment.size());
  EXPECT_LT(records[0].frame.size(), 1000u);  // the frame stays small, whatever the attachment
  EXPECT_EQ(frame.sequence(), 1u);
  EXPECT_EQ(frame.event(), EventOf("default"));
}

TEST_F(LogSenderTest, ABlobThatCannotBeStoredHoldsItsFrameBack) {
  MakeSender();
  v1::Blob blob;
  blob.set_sha256(base::Sha256("raw"));
  blob.set_data("raw");
  Append({OutboxItem{EventOf("default"), std::nullopt, {blob}}});
  blobs_.fail = true;
  sender_->SendRound();
  EXPECT_TRUE(Records(0).empty());
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("blob store down"), std::string::npos) << errors_[0];

  blobs_.fail = false;
  sender_->SendRound();
  EXPECT_EQ(journal_, (Journal{"put " + base::Sha256Hex("raw"), "append " + Id(0, 1)}));
}

TEST_F(LogSenderTest, TrimsOnlyOnReplicaAcksAndADuplicateAckIsHarmless) {
  MakeSender();
  Append({Event(EventOf("default", "a")), Event(EventOf("", "b")), Event(EventOf("default", "c"))});
  sender_->SendRound();
  EXPECT_EQ(Records(0).size(), 3u);
  // The log holds them, but no replica said so: nothing is trimmed.
  EXPECT_EQ(outbox_.outbox().pending(), 3u);
  EXPECT_EQ(outbox_.outbox().acked_through(), 0u);

  sender_->OnAck(ReplicaAck(2));
  EXPECT_EQ(outbox_.outbox().acked_through(), 2u);
  EXPECT_EQ(outbox_.outbox().pending(), 1u);
  // Another replica acking the same, and an older ack arriving late, change nothing.
  sender_->OnAck(ReplicaAck(2));
  sender_->OnAck(ReplicaAck(1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 2u);
  EXPECT_EQ(sender_->core().acked(), 2u);
  sender_->OnAck(ReplicaAck(3));
  EXPECT_EQ(outbox_.outbox().pending(), 0u);
  EXPECT_TRUE(sender_->core().AllAcked());
  // Acks move nothing in the log.
  EXPECT_EQ(Records(0).size(), 3u);
  // A replica's ack carries no credit (0): it does not stop what comes next.
  Append({Event(EventOf("default", "d"))});
  sender_->SendRound();
  EXPECT_EQ(Records(0).size(), 4u);
}

TEST_F(LogSenderTest, ResendsTheUnackedEntriesAfterTheTimeoutUnderTheSameIds) {
  MakeSender();
  Append({Event(EventOf("default", "a")), Event(EventOf("default", "b"))});
  sender_->SendRound();
  sender_->OnAck(ReplicaAck(1));
  journal_.clear();

  clock_.Advance(kResendTimeoutUs - 1);
  sender_->OnTick();
  sender_->SendRound();
  EXPECT_TRUE(journal_.empty());

  clock_.Advance(1);
  sender_->OnTick();
  sender_->SendRound();
  // Entry 2 goes again with its id; the log keeps one copy.
  EXPECT_EQ(journal_, (Journal{"append " + Id(0, 2) + " dup"}));
  EXPECT_EQ(Records(0).size(), 2u);
  EXPECT_EQ(outbox_.outbox().pending(), 1u);

  sender_->OnAck(ReplicaAck(2));
  EXPECT_EQ(outbox_.outbox().pending(), 0u);
  journal_.clear();
  clock_.Advance(10 * kResendTimeoutUs);
  sender_->OnTick();
  sender_->SendRound();
  EXPECT_TRUE(journal_.empty());  // everything acked: nothing more to send
}

TEST_F(LogSenderTest, AnEntryOfAnUnmappedTenantWaitsAndEntriesBehindItWaitInOrder) {
  MakeSender();
  Append({Event(EventOf("default", "a")), Event(EventOf("acme", "b")), Event(EventOf("", "c"))});
  sender_->SendRound();
  EXPECT_EQ(journal_, (Journal{"append " + Id(0, 1)}));
  EXPECT_EQ(sender_->unmapped_tenant_entries(), 2u);
  EXPECT_TRUE(errors_.empty());  // logged once per tenant by the sender itself, not a round error

  // Rounds before the retry interval do not ask the map again, and send nothing else.
  const int reads = source_.reads;
  for (int i = 0; i < 5; ++i) sender_->SendRound();
  EXPECT_EQ(source_.reads, reads);
  EXPECT_EQ(journal_.size(), 1u);
  // Past the resend timeout it still waits: not lost, not sent elsewhere.
  clock_.Advance(kResendTimeoutUs);
  sender_->OnTick();
  sender_->SendRound();
  EXPECT_EQ(journal_, (Journal{"append " + Id(0, 1), "append " + Id(0, 1) + " dup"}));
  EXPECT_TRUE(Records(1).empty());

  source_.map["acme"] = 1;
  clock_.Advance(1'000'000);
  sender_->SendRound();
  EXPECT_EQ(sender_->unmapped_tenant_entries(), 0u);
  const std::vector<LogRecord> p1 = Records(1);
  ASSERT_EQ(p1.size(), 1u);
  EXPECT_EQ(p1[0].message_id, Id(1, 2));
  const std::vector<LogRecord> p0 = Records(0);
  ASSERT_EQ(p0.size(), 2u);
  EXPECT_EQ(p0[1].message_id, Id(0, 3));
  EXPECT_EQ(outbox_.outbox().pending(), 3u);  // still only acks trim
}

TEST_F(LogSenderTest, CommandsGoToTheirTenantsPartition) {
  MakeSender();
  source_.map["globex"] = 1;
  v1::Command command;
  command.set_tenant_id("globex");
  OutboxItem item;
  item.command_bytes = command.SerializeAsString();
  Append({item});
  sender_->SendRound();
  const std::vector<LogRecord> records = Records(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message_id, Id(1, 1));
}

TEST_F(LogSenderTest, RecordsWhereTheLogPutEachEntryOnceItAcknowledgedIt) {
  MakeSender();
  source_.map["globex"] = 1;
  Append({Event(EventOf("default", "a")), Event(EventOf("globex", "b")), Event(EventOf("default", "c"))});
  const std::vector<uint64_t> first{1};
  EXPECT_FALSE(positions_.WaitFor(first, std::chrono::milliseconds(0)).has_value()) << "not appended yet";
  sender_->SendRound();
  const std::vector<uint64_t> on_zero{1, 3};
  const std::optional<ReadPosition> zero = positions_.WaitFor(on_zero, std::chrono::milliseconds(0));
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->partition, 0u);
  EXPECT_EQ(zero->position, 2u);  // the second frame of OMNI_P00
  const std::vector<uint64_t> on_one{2};
  const std::optional<ReadPosition> one = positions_.WaitFor(on_one, std::chrono::milliseconds(0));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->partition, 1u);
  EXPECT_EQ(one->position, 1u);
}

TEST_F(LogSenderTest, AFailedAppendRecordsNoPosition) {
  MakeSender();
  Append({Event(EventOf("default", "a"))});
  log_.SetUnreachable(true);
  sender_->SendRound();
  const std::vector<uint64_t> entry{1};
  EXPECT_FALSE(positions_.WaitFor(entry, std::chrono::milliseconds(0)).has_value());
  log_.SetUnreachable(false);
  sender_->SendRound();
  const std::optional<ReadPosition> got = positions_.WaitFor(entry, std::chrono::milliseconds(0));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->position, 1u);
}

TEST_F(LogSenderTest, AnUnreachableLogKeepsEntriesAndTheyGoOnceItIsBack) {
  MakeSender();
  Append({Event(EventOf("default", "a"))});
  log_.SetUnreachable(true);
  sender_->SendRound();
  EXPECT_FALSE(errors_.empty());
  EXPECT_EQ(outbox_.outbox().pending(), 1u);
  log_.SetUnreachable(false);
  sender_->SendRound();
  EXPECT_EQ(journal_, (Journal{"append " + Id(0, 1)}));
}

TEST_F(LogSenderTest, ParallelAppendsPutEveryEntryInTheLogOnce) {
  MakeSender(/*parallel_appends=*/8);
  std::vector<OutboxItem> items;
  for (int i = 0; i < 600; ++i) items.push_back(Event(EventOf("default", std::to_string(i))));
  Append(std::move(items));
  while (sender_->SendRound()) {
  }
  sender_->SendRound();
  const std::vector<LogRecord> records = Records(0);
  ASSERT_EQ(records.size(), 600u);
  std::set<std::string> ids;
  for (const LogRecord& record : records) ids.insert(record.message_id);
  EXPECT_EQ(ids.size(), 600u);
  EXPECT_TRUE(ids.count(Id(0, 1)) && ids.count(Id(0, 600)));
  sender_->OnAck(ReplicaAck(600));
  EXPECT_EQ(outbox_.outbox().pending(), 0u);
}

// Where a frame stands among its publisher's frames of its partition.
struct Order {
  uint64_t sequence;
  uint64_t prev;
  uint64_t floor;
  bool operator==(const Order&) const = default;
};
std::ostream& operator<<(std::ostream& out, const Order& o) {
  return out << "{" << o.sequence << " prev " << o.prev << " floor " << o.floor << "}";
}

class TwoPartitionTest : public LogSenderTest {
 protected:
  TwoPartitionTest() { source_.map["acme"] = 1; }

  // The frames of a partition, in log order, as (sequence, partition_prev, acked_floor).
  std::vector<Order> Orders(uint32_t partition) {
    std::vector<Order> orders;
    for (const LogRecord& record : Records(partition)) {
      v1::BusFrame frame;
      EXPECT_TRUE(frame.ParseFromString(record.frame));
      EXPECT_TRUE(frame.has_partition_prev()) << record.message_id;
      EXPECT_EQ(record.message_id, Id(partition, frame.sequence()));
      orders.push_back({frame.sequence(), frame.partition_prev(), frame.acked_floor()});
    }
    return orders;
  }

  // Sequences 1..6: default, acme, default, default, acme, acme.
  void AppendInterleaved() {
    Append({Event(EventOf("default", "1")), Event(EventOf("acme", "2")), Event(EventOf("default", "3")),
            Event(EventOf("default", "4")), Event(EventOf("acme", "5")), Event(EventOf("acme", "6"))});
  }
};

TEST_F(TwoPartitionTest, EachFrameNamesThePreviousSequenceOfItsPartition) {
  MakeSender();
  AppendInterleaved();
  sender_->SendRound();
  EXPECT_EQ(Orders(0), (std::vector<Order>{{1, 0, 0}, {3, 1, 0}, {4, 3, 0}}));
  EXPECT_EQ(Orders(1), (std::vector<Order>{{2, 0, 0}, {5, 2, 0}, {6, 5, 0}}));
  // The payload is the outbox entry's, untouched.
  v1::BusFrame frame;
  ASSERT_TRUE(frame.ParseFromString(Records(1)[0].frame));
  EXPECT_EQ(frame.event(), EventOf("acme", "2"));
  EXPECT_EQ(frame.publisher_id(), outbox_.outbox().publisher_id());
}

TEST_F(TwoPartitionTest, TrimsExactlyAsFarAsEveryEntryIsCoveredByItsPartitionsAck) {
  MakeSender();
  AppendInterleaved();
  sender_->SendRound();
  // Partition 0 has applied all it was sent through 4 (1, 3, 4); 2 went to partition 1.
  sender_->OnAck(ReplicaAck(4, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 1u);
  EXPECT_EQ(outbox_.outbox().pending(), 5u);
  // Partition 1 has 2 (not 5 yet): 2, 3, 4 are covered now.
  sender_->OnAck(ReplicaAck(2, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 4u);
  // A duplicate ack, and a late older one of either partition, change nothing.
  sender_->OnAck(ReplicaAck(2, 1));
  sender_->OnAck(ReplicaAck(1, 0));
  sender_->OnAck(ReplicaAck(0, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 4u);
  sender_->OnAck(ReplicaAck(6, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 6u);
  EXPECT_EQ(outbox_.outbox().pending(), 0u);
  EXPECT_TRUE(sender_->core().AllAcked());

  // What goes next carries the floor: everything through 6 is applied.
  Append({Event(EventOf("acme", "7")), Event(EventOf("default", "8"))});
  sender_->SendRound();
  EXPECT_EQ(Orders(1).back(), (Order{7, 6, 6}));
  EXPECT_EQ(Orders(0).back(), (Order{8, 6, 6}));
}

TEST_F(TwoPartitionTest, AnAckOfTheLaterPartitionAloneTrimsNothing) {
  MakeSender();
  AppendInterleaved();
  sender_->SendRound();
  sender_->OnAck(ReplicaAck(6, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 0u);  // 1 went to partition 0, which said nothing
  sender_->OnAck(ReplicaAck(3, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 3u);  // 4 is partition 0's and not covered
  sender_->OnAck(ReplicaAck(4, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 6u);
}

TEST_F(TwoPartitionTest, AResendAfterTheTimeoutSkipsWhatItsPartitionApplied) {
  MakeSender();
  AppendInterleaved();
  sender_->SendRound();
  sender_->OnAck(ReplicaAck(4, 0));  // partition 1 is silent
  journal_.clear();
  clock_.Advance(kResendTimeoutUs);
  sender_->OnTick();
  sender_->SendRound();
  // Only partition 1's entries go again, under their ids (the log keeps one copy of each).
  EXPECT_EQ(journal_, (Journal{"append " + Id(1, 2) + " dup", "append " + Id(1, 5) + " dup",
                               "append " + Id(1, 6) + " dup"}));
  sender_->OnAck(ReplicaAck(6, 1));
  EXPECT_EQ(outbox_.outbox().pending(), 0u);
}

TEST_F(TwoPartitionTest, AnEntrySentBeforeATenantMovedKeepsItsPartitionUntilAcked) {
  MakeSender();
  AppendInterleaved();
  sender_->SendRound();
  source_.map["acme"] = 0;  // acme moves to partition 0
  clock_.Advance(10 * kResendTimeoutUs);  // past the cache's refresh too
  sender_->OnTick();
  journal_.clear();
  sender_->SendRound();
  // The resends keep partition 1 (one copy in the log), never a second copy in partition 0.
  EXPECT_EQ(journal_, (Journal{"append " + Id(0, 1) + " dup", "append " + Id(1, 2) + " dup",
                               "append " + Id(0, 3) + " dup", "append " + Id(0, 4) + " dup",
                               "append " + Id(1, 5) + " dup", "append " + Id(1, 6) + " dup"}));
  // A new acme entry goes to partition 0, chained after partition 0's last one.
  Append({Event(EventOf("acme", "7"))});
  sender_->SendRound();
  EXPECT_EQ(Orders(0).back(), (Order{7, 4, 0}));
  sender_->OnAck(ReplicaAck(7, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 1u);  // 2 is partition 1's
  sender_->OnAck(ReplicaAck(6, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 7u);
}

TEST_F(TwoPartitionTest, AnUnmappedTenantsEntryHoldsTheTrimBackUntilItIsSentAndApplied) {
  MakeSender();
  Append({Event(EventOf("default", "1")), Event(EventOf("globex", "2")), Event(EventOf("default", "3"))});
  sender_->SendRound();
  EXPECT_EQ(Orders(0), (std::vector<Order>{{1, 0, 0}}));
  sender_->OnAck(ReplicaAck(1, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 1u);
  source_.map["globex"] = 1;
  clock_.Advance(1'000'000);
  sender_->SendRound();
  EXPECT_EQ(Orders(1), (std::vector<Order>{{2, 1, 1}}));
  EXPECT_EQ(Orders(0).back(), (Order{3, 1, 1}));
  sender_->OnAck(ReplicaAck(3, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 1u);  // 2 is not applied yet
  sender_->OnAck(ReplicaAck(2, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 3u);
}

TEST_F(TwoPartitionTest, ARestartedSenderChainsFromTheAckedMarkAndOldAcksAreHarmless) {
  MakeSender();
  AppendInterleaved();
  sender_->SendRound();
  sender_->OnAck(ReplicaAck(4, 0));
  sender_->OnAck(ReplicaAck(2, 1));
  ASSERT_EQ(outbox_.outbox().acked_through(), 4u);
  // The adapter restarts: 5 and 6 were sent but not acknowledged.
  sender_.reset();
  outbox_.Reopen();
  MakeSender();
  // An ack from before the restart arrives first: it covers nothing sent by this sender yet.
  sender_->OnAck(ReplicaAck(4, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 4u);
  Append({Event(EventOf("default", "7"))});
  journal_.clear();
  sender_->SendRound();
  EXPECT_EQ(journal_, (Journal{"append " + Id(1, 5) + " dup", "append " + Id(1, 6) + " dup",
                               "append " + Id(0, 7)}));
  // 7 is the first this sender gives partition 0: it chains from the acked mark.
  EXPECT_EQ(Orders(0).back(), (Order{7, 4, 4}));
  sender_->OnAck(ReplicaAck(7, 0));
  EXPECT_EQ(outbox_.outbox().acked_through(), 4u);
  sender_->OnAck(ReplicaAck(6, 1));
  EXPECT_EQ(outbox_.outbox().acked_through(), 7u);
  EXPECT_EQ(outbox_.outbox().pending(), 0u);
}

}  // namespace
}  // namespace omnihub::bus
