// LeaderMessageIds against a real nats-server (a run longer than the requests
// kept in flight, a deleted position, positions past the end, a stream that
// does not exist), the parsing of JetStream's STREAM.MSG.GET replies, and the
// comparison the replica reader makes between what its consumer delivered and
// what the leader holds.
#include "common/bus/nats/leader_message_ids.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_status.h"
#include "tests/support/nats_solo_test.h"

namespace omnihub::bus::nats {
namespace {

std::string Id(uint64_t sequence) {
  return LogMessageId{.publisher_id = "sms-00bb", .partition = 0, .sequence = sequence}.ToString();
}

class LeaderMessageIdsTest : public testing::NatsSoloTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(NatsSoloTest::SetUp());
    log_ = std::make_unique<NatsPartitionLog>(*connection_, NatsLogOptions{.partitions = 1, .replicas = 1});
    ASSERT_TRUE(log_->EnsureStreams().ok());
  }
  std::unique_ptr<NatsPartitionLog> log_;
};

TEST_F(LeaderMessageIdsTest, NamesEveryPositionOfARunLongerThanTheRequestsInFlight) {
  constexpr uint64_t kCount = 600;
  for (uint64_t i = 1; i <= kCount; ++i) ASSERT_TRUE(log_->Append(0, Id(i), "frame").ok());
  jsErrCode jerr = kNoJsError;
  ASSERT_EQ(js_DeleteMsg(connection_->jetstream(), "OMNI_P00", 300, nullptr, &jerr), NATS_OK);

  LeaderMessageIds leader(*connection_, "OMNI_P00");
  auto held = leader.At(1, kCount + 2);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  ASSERT_EQ(held->size(), kCount + 2);
  for (uint64_t position = 1; position <= kCount; ++position) {
    if (position == 300) {
      EXPECT_FALSE((*held)[position - 1].has_value()) << "a deleted position holds nothing";
    } else {
      EXPECT_EQ((*held)[position - 1], Id(position)) << position;
    }
  }
  EXPECT_FALSE((*held)[kCount].has_value()) << "past the stream's end";
  EXPECT_FALSE((*held)[kCount + 1].has_value());

  // The next lookup on the same subscription gets its own replies.
  auto again = leader.At(5, 7);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, (std::vector<HeldMessageId>{Id(5), Id(6), Id(7)}));
}

TEST_F(LeaderMessageIdsTest, AStreamThatDoesNotExistIsNotFound) {
  auto held = LeaderMessageIds(*connection_, "OMNI_P07").At(1, 3);
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.status().code(), base::StatusCode::kNotFound) << held.status().ToString();
  EXPECT_NE(held.status().message().find("OMNI_P07"), std::string::npos) << held.status().ToString();
}

TEST(FirstRecordNotHeldTest, FindsAnotherMessageAnywhereInTheRead) {
  const std::vector<LogRecord> records = {{.position = 10, .message_id = Id(1), .frame = ""},
                                          {.position = 11, .message_id = Id(2), .frame = ""},
                                          {.position = 13, .message_id = Id(3), .frame = ""},  // 12 was deleted
                                          {.position = 14, .message_id = Id(4), .frame = ""}};
  std::vector<HeldMessageId> held = {Id(1), Id(2), std::nullopt, Id(3), Id(4)};
  EXPECT_EQ(FirstRecordNotHeld(records, held), nullptr);

  held[1] = Id(9);  // the middle of the read differs, its ends agree
  EXPECT_EQ(FirstRecordNotHeld(records, held), &records[1]);

  held[1] = Id(2);
  held[3] = std::nullopt;  // the leader holds nothing where the consumer
                           // delivered a frame
  EXPECT_EQ(FirstRecordNotHeld(records, held), &records[2]);

  held.pop_back();  // the leader's answer does not reach the last record
  held[3] = Id(3);
  EXPECT_EQ(FirstRecordNotHeld(records, held), &records[3]);
}

}  // namespace
}  // namespace omnihub::bus::nats
