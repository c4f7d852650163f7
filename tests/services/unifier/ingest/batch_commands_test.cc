// The command path of the ingest logic (batch_commands.cc): a command commits in a batch of
// its own between the events around it, a rejected command keeps nothing but its answer, and a
// command id is applied once. The operations themselves are tested in their folders' tests.
#include <gtest/gtest.h>

#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;

std::string CommandFrame(const std::string& publisher, uint64_t seq, const v1::Command& command) {
  v1::BusFrame f;
  f.set_protocol_version(v1::BusVersion::CURRENT);
  f.set_publisher_id(publisher);
  f.set_sequence(seq);
  f.set_command(command.SerializeAsString());
  return f.SerializeAsString();
}

// A dismissal of a suggestion nobody made: well-formed, and refused by its handler.
v1::Command DismissNothing(const std::string& command_id) {
  v1::Command c;
  c.set_command_id(command_id);
  c.set_actor("agent-7");
  c.set_reason("not the same person");
  c.set_issued_at_us(kT0);
  c.mutable_dismiss_suggestion()->set_suggestion_id("00000000000000000000000000000000");
  return c;
}

class BatchCommandsTest : public ::testing::Test {
 protected:
  v1::QueryResponse Query(const v1::QueryRequest& request) {
    QueryService q(h_.store(), h_.normalizer(), {});
    return q.Handle(request);
  }
  v1::CommandResult ResultOf(const std::string& command_id) {
    v1::QueryRequest req;
    req.mutable_command_result()->set_command_id(command_id);
    auto resp = Query(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.command_result().result();
  }

  UnifierHarness h_;
  const std::string id1_ = std::string("\x01\x90\x00\x00\x00\x00\x70\x00\x80\x00\x00\x00\x00\x00\x00\x01", 16);
  const std::string id2_ = std::string("\x01\x90\x00\x00\x00\x00\x70\x00\x80\x00\x00\x00\x00\x00\x00\x02", 16);
};

TEST_F(BatchCommandsTest, RejectedCommandKeepsOnlyItsAnswerAndIsAcked) {
  auto r = h_.Process({CommandFrame("ctl", 1, DismissNothing(id1_))});
  ASSERT_EQ(r.acks.size(), 1u);
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 1u);
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].kind(), v1::COMMAND_REJECTED);
  EXPECT_EQ(r.changes[0].command_id(), id1_);
  const v1::CommandResult result = ResultOf(id1_);
  EXPECT_FALSE(result.applied());
  EXPECT_FALSE(result.error_code().empty());
  EXPECT_FALSE(result.error_message().empty());
  EXPECT_EQ(result.command_id(), id1_);
  EXPECT_EQ(result.change_seq(), r.changes[0].change_seq());
  EXPECT_EQ(h_.processor().counters().events, 0u);
}

TEST_F(BatchCommandsTest, MalformedCommandsAreRefusedWithTheDefectNamed) {
  v1::Command no_actor = DismissNothing(id1_);
  no_actor.clear_actor();
  v1::Command no_op = DismissNothing(id2_);
  no_op.clear_op();
  h_.Process({CommandFrame("ctl", 1, no_actor), CommandFrame("ctl", 2, no_op)});
  EXPECT_EQ(ResultOf(id1_).error_code(), "invalid_argument");
  EXPECT_NE(ResultOf(id1_).error_message().find("actor"), std::string::npos);
  EXPECT_NE(ResultOf(id2_).error_message().find("no operation"), std::string::npos);
}

TEST_F(BatchCommandsTest, UnparsableCommandBytesBecomeADeadLetter) {
  v1::BusFrame f;
  f.set_protocol_version(v1::BusVersion::CURRENT);
  f.set_publisher_id("ctl");
  f.set_sequence(1);
  f.set_command("\xff\xff not a command");
  auto r = h_.Process({f.SerializeAsString()});
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 1u);
  EXPECT_EQ(h_.processor().counters().dead_letters, 1u);
}

TEST_F(BatchCommandsTest, CommandBetweenEventsCommitsInOrderWithGapFreeChanges) {
  auto r = h_.Process({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "m1", Phone("+14155550100"), kT0)),
                       CommandFrame("ctl", 1, DismissNothing(id1_)),
                       UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "m2", Phone("+14155550100"), kT0 + 1))});
  ASSERT_EQ(r.acks.size(), 2u);
  for (const auto& ack : r.acks) EXPECT_EQ(ack.ack.cumulative_ack(), ack.ack.publisher_id() == "p1" ? 2u : 1u);
  EXPECT_EQ(h_.processor().counters().events, 2u);
  // CUSTOMER_CREATED, EVENT_ADDED, COMMAND_REJECTED, EVENT_ADDED: the command's place in the log.
  ASSERT_EQ(r.changes.size(), 4u);
  for (size_t i = 0; i < r.changes.size(); ++i) EXPECT_EQ(r.changes[i].change_seq(), i + 1);
  EXPECT_EQ(r.changes[2].kind(), v1::COMMAND_REJECTED);
  EXPECT_EQ(r.changes[3].kind(), v1::EVENT_ADDED);
  // Everything survives a reopen: each part was committed.
  h_.Reopen();
  EXPECT_EQ(h_.processor().counters().events, 2u);
  EXPECT_EQ(h_.processor().counters().last_change_seq, 4u);
  EXPECT_FALSE(ResultOf(id1_).applied());
}

TEST_F(BatchCommandsTest, ACommandIdIsAnsweredOnce) {
  h_.Process({CommandFrame("ctl", 1, DismissNothing(id1_))});
  // The issuer crashed before it saw the ack and sent the same command from a new outbox.
  auto r = h_.Process({CommandFrame("ctl-2", 1, DismissNothing(id1_))});
  EXPECT_EQ(r.acks[0].ack.cumulative_ack(), 1u);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(h_.processor().counters().duplicates, 1u);
}

TEST_F(BatchCommandsTest, UncommittedCommandIsNotFound) {
  v1::QueryRequest req;
  req.mutable_command_result()->set_command_id(id2_);
  auto resp = Query(req);
  ASSERT_TRUE(resp.has_error());
  EXPECT_EQ(resp.error().code(), "not_found");
}

}  // namespace
}  // namespace omnihub::unifier
