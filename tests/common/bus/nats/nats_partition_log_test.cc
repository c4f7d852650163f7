// NatsPartitionLog against a real nats-server (started by the test on loopback, JetStream
// on, killed by pid): publish and read back in order, dedup by Nats-Msg-Id, the per-publish
// timeout of a server that hangs (SIGSTOP), a recreated stream stopping its reader, a
// deleted position passed over, and a frame too large for the server refused before it is
// sent.
#include "common/bus/nats/nats_partition_log.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/bus/nats/nats_connection.h"
#include "tests/support/nats_server.h"
#include "tests/support/nats_solo_test.h"

namespace omnihub::bus::nats {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

std::string Id(uint32_t partition, uint64_t sequence) {
  return LogMessageId{.publisher_id = "email-00aa", .partition = partition, .sequence = sequence}.ToString();
}

class NatsPartitionLogTest : public testing::NatsSoloTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(NatsSoloTest::SetUp());
    log_ = std::make_unique<NatsPartitionLog>(
        *connection_, NatsLogOptions{.partitions = 2, .replicas = 1, .publish_timeout_ms = kPublishTimeoutMs});
    ASSERT_TRUE(log_->EnsureStreams().ok());
  }

  // Reads `count` records (or what comes within 10 s).
  std::vector<LogRecord> ReadAll(PartitionLogReader& reader, size_t count) {
    std::vector<LogRecord> out;
    const auto deadline = steady_clock::now() + std::chrono::seconds(10);
    while (out.size() < count && steady_clock::now() < deadline) {
      auto records = reader.Read(count - out.size(), milliseconds(500));
      EXPECT_TRUE(records.ok()) << records.status().ToString();
      if (!records.ok()) break;
      for (auto& record : *records) out.push_back(std::move(record));
    }
    return out;
  }

  static constexpr int64_t kPublishTimeoutMs = 1500;
  std::unique_ptr<NatsPartitionLog> log_;
};

TEST_F(NatsPartitionLogTest, NamesStreamsAndSubjectsByPartition) {
  EXPECT_EQ(PartitionStreamName(0), "OMNI_P00");
  EXPECT_EQ(PartitionStreamName(7), "OMNI_P07");
  EXPECT_EQ(PartitionStreamName(123), "OMNI_P123");
  EXPECT_EQ(PartitionSubject(3), "omni.p03.events");
  // Creating the streams again is a no-op.
  EXPECT_TRUE(log_->EnsureStreams().ok());
}

TEST_F(NatsPartitionLogTest, AStreamMadeOtherwiseIsReportedNotChanged) {
  ASSERT_EQ(js_DeleteStream(connection_->jetstream(), "OMNI_P01", nullptr, nullptr), NATS_OK);
  const char* subjects[] = {"omni.p01.events"};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = "OMNI_P01";
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_MemoryStorage;
  jsStreamInfo* info = nullptr;
  ASSERT_EQ(js_AddStream(&info, connection_->jetstream(), &config, nullptr, nullptr), NATS_OK);
  jsStreamInfo_Destroy(info);
  auto ensured = log_->EnsureStreams();
  ASSERT_FALSE(ensured.ok());
  EXPECT_EQ(ensured.code(), base::StatusCode::kFailedPrecondition) << ensured.ToString();
  EXPECT_NE(ensured.message().find("create stream OMNI_P01: the stream exists with a different configuration"),
            std::string::npos)
      << ensured.message();
}

TEST_F(NatsPartitionLogTest, PublishesAndReadsBackInOrderFromAPosition) {
  for (uint64_t i = 1; i <= 50; ++i) {
    auto ack = log_->Append(1, Id(1, i), "frame-" + std::to_string(i));
    ASSERT_TRUE(ack.ok()) << ack.status().ToString();
    EXPECT_EQ(ack->position, i);
    EXPECT_FALSE(ack->duplicate);
  }
  auto reader = log_->OpenReader(1, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto records = ReadAll(**reader, 50);
  ASSERT_EQ(records.size(), 50u);
  for (uint64_t i = 1; i <= 50; ++i) {
    EXPECT_EQ(records[i - 1].position, i);
    EXPECT_EQ(records[i - 1].message_id, Id(1, i));
    EXPECT_EQ(records[i - 1].frame, "frame-" + std::to_string(i));
  }
  EXPECT_EQ((*reader)->next_position(), 51u);
  EXPECT_NE((*reader)->created_ns(), 0);

  // A replica restarting after position 40 gets 41.. and nothing of partition 0.
  auto from41 = log_->OpenReader(1, {.next_position = 41, .created_ns = (*reader)->created_ns()});
  ASSERT_TRUE(from41.ok()) << from41.status().ToString();
  auto rest = ReadAll(**from41, 10);
  ASSERT_EQ(rest.size(), 10u);
  EXPECT_EQ(rest.front().position, 41u);
  EXPECT_EQ(rest.back().frame, "frame-50");
  auto none = (*from41)->Read(10, milliseconds(200));
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
}

TEST_F(NatsPartitionLogTest, SameMessageIdTwiceIsOneMessage) {
  auto first = log_->Append(0, Id(0, 1), "once");
  auto resent = log_->Append(0, Id(0, 1), "once");
  auto next = log_->Append(0, Id(0, 2), "twice");
  ASSERT_TRUE(first.ok() && resent.ok() && next.ok()) << resent.status().ToString();
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(resent->duplicate);
  EXPECT_EQ(resent->position, first->position);
  EXPECT_EQ(next->position, 2u);
  auto state = log_->State(0);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->last_position, 2u);
}

TEST_F(NatsPartitionLogTest, BadArgumentsAreRefusedBeforeSending) {
  auto wrong_partition = log_->Append(0, Id(1, 1), "x");
  ASSERT_FALSE(wrong_partition.ok());
  EXPECT_TRUE(wrong_partition.status().IsInvalidArgument());
  EXPECT_FALSE(log_->Append(2, Id(2, 1), "x").ok());
  EXPECT_FALSE(log_->OpenReader(2, {}).ok());
  auto too_large = log_->Append(0, Id(0, 1), std::string(2 << 20, 'x'));
  ASSERT_FALSE(too_large.ok());
  EXPECT_NE(too_large.status().message().find("max_payload"), std::string::npos) << too_large.status().message();
}

TEST_F(NatsPartitionLogTest, PublishToAHungServerTimesOutAfterTheConfiguredTime) {
  ASSERT_TRUE(log_->Append(0, Id(0, 1), "before").ok());
  ASSERT_TRUE(server_.Pause());
  const auto start = steady_clock::now();
  auto ack = log_->Append(0, Id(0, 2), "while hung");
  const auto elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count();
  ASSERT_TRUE(server_.Resume());
  std::cout << "publish to a stopped server returned after " << elapsed << " ms (timeout " << kPublishTimeoutMs
            << " ms)\n";
  ASSERT_FALSE(ack.ok());
  EXPECT_TRUE(ack.status().IsUnavailable()) << ack.status().ToString();
  EXPECT_NE(ack.status().message().find("timeout 1500 ms"), std::string::npos) << ack.status().message();
  // The client times its wait in whole milliseconds from just before the request is
  // written, so it may end a millisecond or two before ours; the 1 s pings must not have
  // cut it short (they give up after 2 unanswered, 2-3 s in).
  EXPECT_GE(elapsed, kPublishTimeoutMs - 20);
  EXPECT_LT(elapsed, kPublishTimeoutMs + 500);

  // Once the server runs again the same id goes through, exactly once.
  base::Result<LogAppendAck> retried = base::Status::Unavailable("not tried");
  const auto deadline = steady_clock::now() + std::chrono::seconds(15);
  while (!retried.ok() && steady_clock::now() < deadline) retried = log_->Append(0, Id(0, 2), "while hung");
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->position, 2u);
  auto state = log_->State(0);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->last_position, 2u);
}

TEST_F(NatsPartitionLogTest, ALostConsumerIsMadeAgainFromTheNextPosition) {
  for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(log_->Append(0, Id(0, i), "f" + std::to_string(i)).ok());
  auto reader = log_->OpenReader(0, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ(ReadAll(**reader, 3).size(), 3u);

  // The server loses the reader's consumer (as when the server holding it dies).
  jsConsumerNamesList* names = nullptr;
  ASSERT_EQ(js_ConsumerNames(&names, connection_->jetstream(), "OMNI_P00", nullptr, nullptr), NATS_OK);
  ASSERT_EQ(names->Count, 1);
  ASSERT_EQ(js_DeleteConsumer(connection_->jetstream(), "OMNI_P00", names->List[0], nullptr, nullptr), NATS_OK);
  jsConsumerNamesList_Destroy(names);
  for (uint64_t i = 4; i <= 6; ++i) ASSERT_TRUE(log_->Append(0, Id(0, i), "f" + std::to_string(i)).ok());

  auto rest = ReadAll(**reader, 3);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest.front().position, 4u);
  EXPECT_EQ(rest.back().frame, "f6");
}

TEST_F(NatsPartitionLogTest, APositionTheStreamDeletedIsPassedOver) {
  for (uint64_t i = 1; i <= 4; ++i) ASSERT_TRUE(log_->Append(0, Id(0, i), "f" + std::to_string(i)).ok());
  // An operator deleted position 2: the leader says it is gone, so the gap is not a
  // consumer that skipped (that one would be made again from 2, forever waiting for it).
  jsErrCode jerr = static_cast<jsErrCode>(0);
  ASSERT_EQ(js_DeleteMsg(connection_->jetstream(), "OMNI_P00", 2, nullptr, &jerr), NATS_OK);
  auto reader = log_->OpenReader(0, {});
  ASSERT_TRUE(reader.ok());
  auto records = ReadAll(**reader, 3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].position, 1u);
  EXPECT_EQ(records[1].position, 3u);
  EXPECT_EQ(records[2].frame, "f4");
  EXPECT_EQ((*reader)->next_position(), 5u);
}

TEST_F(NatsPartitionLogTest, AReplicaReadsOnOnlyWhileTheLeaderHoldsWhatItApplied) {
  for (uint64_t i = 1; i <= 4; ++i) ASSERT_TRUE(log_->Append(0, Id(0, i), "f" + std::to_string(i)).ok());
  // The replica applied position 2 as the stream holds it: it reads 3 and 4.
  auto same = log_->OpenReader(0, {.next_position = 3, .created_ns = 0, .last_message_id = Id(0, 2)});
  ASSERT_TRUE(same.ok());
  auto records = ReadAll(**same, 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].frame, "f3");

  // It applied another message at 2 (another server's copy, as a deposed leader keeps): the
  // leader's copy is another history, and nothing of it is handed out.
  auto other = log_->OpenReader(0, {.next_position = 3, .created_ns = 0, .last_message_id = "sms-9/0/7"});
  ASSERT_TRUE(other.ok());
  auto refused = (*other)->Read(10, milliseconds(2000));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), base::StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message(),
            "the leader of stream OMNI_P00 holds " + Id(0, 2) +
                " at position 2, where this replica applied sms-9/0/7: the servers' copies of the stream differ; "
                "waiting for a leader whose copy holds what was applied (docs/cluster.md, \"A stream leader cut off "
                "or stopped\")");
  EXPECT_EQ((*other)->next_position(), 3u);  // nothing was handed out
  auto again = (*other)->Read(10, milliseconds(500));
  EXPECT_FALSE(again.ok());  // and it stays so while the leader's copy is this one
}

TEST_F(NatsPartitionLogTest, RecreatedStreamStopsItsReader) {
  for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(log_->Append(0, Id(0, i), "old").ok());
  auto reader = log_->OpenReader(0, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ(ReadAll(**reader, 3).size(), 3u);
  const int64_t followed = (*reader)->created_ns();

  jsErrCode jerr = static_cast<jsErrCode>(0);
  ASSERT_EQ(js_DeleteStream(connection_->jetstream(), "OMNI_P00", nullptr, &jerr), NATS_OK);
  ASSERT_TRUE(log_->EnsureStreams().ok());
  for (uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(log_->Append(0, "other-pub/0/" + std::to_string(i), "new").ok());

  // The running reader: its consumer went with the old stream; it must stop, not read
  // the new stream's 4 and 5 as if they followed the old 3.
  base::Result<std::vector<LogRecord>> records = std::vector<LogRecord>{};
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (records.ok() && records->empty() && steady_clock::now() < deadline) {
    records = (*reader)->Read(10, milliseconds(200));
  }
  ASSERT_FALSE(records.ok()) << "read " << records->size() << " records of the new stream";
  EXPECT_EQ(records.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(records.status().message().find("stream OMNI_P00 was recreated"), std::string::npos)
      << records.status().message();

  // A replica restarting with what it stored is refused at once.
  auto reopened = log_->OpenReader(0, {.next_position = 4, .created_ns = followed});
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), base::StatusCode::kFailedPrecondition);
}

TEST_F(NatsPartitionLogTest, PurgedPositionsAReplicaNeedsStopIt) {
  for (uint64_t i = 1; i <= 4; ++i) ASSERT_TRUE(log_->Append(0, Id(0, i), "x").ok());
  auto state = log_->State(0);
  ASSERT_TRUE(state.ok());
  jsErrCode jerr = static_cast<jsErrCode>(0);
  ASSERT_EQ(js_PurgeStream(connection_->jetstream(), "OMNI_P00", nullptr, &jerr), NATS_OK);
  ASSERT_TRUE(log_->Append(0, Id(0, 5), "y").ok());
  // Applied through 2: positions 3 and 4 are gone.
  auto reader = log_->OpenReader(0, {.next_position = 3, .created_ns = state->created_ns});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("no longer holds position 3"), std::string::npos)
      << reader.status().message();
}

TEST(NatsConnectionTest, NoServerIsUnavailableNamingIt) {
  const std::string url = "nats://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  auto connection = NatsConnection::Connect({.servers = {url}, .connect_timeout_ms = 500});
  ASSERT_FALSE(connection.ok());
  EXPECT_TRUE(connection.status().IsUnavailable()) << connection.status().ToString();
  EXPECT_NE(connection.status().message().find(url), std::string::npos) << connection.status().message();
}

}  // namespace
}  // namespace omnihub::bus::nats
