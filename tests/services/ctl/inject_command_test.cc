// inject against a fake publisher over a real outbox: lines are parsed, rejected ones
// kept as dead letters, and the command waits for the commit, reporting progress and
// giving up after --timeout (time on a manual clock).
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "omnihub/v1/event.pb.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

constexpr char kGood1[] =
    R"({"channel":"sms","account":"+12025550000","direction":"inbound","provider_message_id":"SM1",)"
    R"("occurred_at":"2026-11-20T10:00:00Z","from":{"phone":"+14155550100"},"text":"hi"})";
constexpr char kGood2[] =
    R"({"channel":"sms","account":"+12025550000","direction":"inbound","provider_message_id":"SM2",)"
    R"("occurred_at":"2026-11-20T10:01:00Z","from":{"phone":"+14155550100"},"text":"again"})";

class InjectCommandTest : public testing::CtlTest {
 protected:
  std::string WriteFile(const std::string& text) {
    const std::string path = Path("events.jsonl");
    std::ofstream(path) << text;
    return path;
  }
  std::vector<std::string> Args(const std::string& file, std::vector<std::string> more = {}) {
    std::vector<std::string> args{file, "--outbox", Path("outbox")};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};

TEST_F(InjectCommandTest, AcceptedLinesAreCommittedAndRejectedOnesKeptAsDeadLetters) {
  const std::string file = WriteFile(std::string(kGood1) + "\n{\"channel\":\"fax\"}\n\n" + kGood2 + "\n");
  EXPECT_EQ(Run(RunInject, Args(file)), kExitFailed);
  ASSERT_EQ(published_.size(), 3u);
  EXPECT_FALSE(published_[0].rejected.has_value());
  ASSERT_TRUE(published_[1].rejected.has_value());
  EXPECT_EQ(published_[1].rejected->source(), "inject:" + file + ":2");
  EXPECT_EQ(published_[1].rejected->raw(), "{\"channel\":\"fax\"}");
  EXPECT_FALSE(published_[2].rejected.has_value());
  EXPECT_THAT(err(), ::testing::StartsWith("line 2: "));
  EXPECT_THAT(err(), ::testing::EndsWith("\ninject: 2 accepted, 1 rejected (kept as dead letters); all committed\n"));
  EXPECT_EQ(out(), "");
}

TEST_F(InjectCommandTest, WaitsForTheCommitWithProgressLines) {
  acks_on_wait_ = 3;  // the unifier commits during the third 10 s wait
  EXPECT_EQ(Run(RunInject, Args(WriteFile(std::string(kGood1) + "\n"))), kExitOk);
  EXPECT_EQ(err(),
            "inject: waiting for the unifier at ipc://test/ingest.sock to commit (0 of 1 acknowledged; is "
            "omnihub-unifier running?)\n"
            "inject: waiting for the unifier at ipc://test/ingest.sock to commit (0 of 1 acknowledged; is "
            "omnihub-unifier running?)\n"
            "inject: 1 accepted, 0 rejected; all committed\n");
}

TEST_F(InjectCommandTest, GivesUpAfterTheTimeoutWithTheLinesSafeInTheOutbox) {
  acks_on_wait_ = 0;
  const int64_t start = clock_.MonotonicMicros();
  EXPECT_EQ(Run(RunInject, Args(WriteFile(std::string(kGood1) + "\n"), {"--timeout", "15"})), kExitUnavailable);
  const std::string waiting =
      "inject: waiting for the unifier at ipc://test/ingest.sock to commit (0 of 1 acknowledged; is "
      "omnihub-unifier running?)\n";
  EXPECT_EQ(err(), waiting + waiting +
                       "omnihubctl: gave up waiting after 15 s; the lines are safe in the outbox and are delivered by "
                       "the next inject run\n");
  EXPECT_EQ(clock_.MonotonicMicros() - start, 20'000'000);  // two 10 s waits
}

TEST_F(InjectCommandTest, ARerunSkipsTheLinesAlreadyInTheOutbox) {
  const std::string file = WriteFile(std::string(kGood1) + "\n" + kGood2 + "\n");
  acks_on_wait_ = 0;
  EXPECT_EQ(Run(RunInject, Args(file, {"--timeout", "1"})), kExitUnavailable);
  EXPECT_EQ(published_.size(), 2u);
  acks_on_wait_ = 1;
  EXPECT_EQ(Run(RunInject, Args(file)), kExitOk);
  EXPECT_EQ(published_.size(), 2u);  // nothing published twice
  EXPECT_EQ(err(),
            "inject: resuming " + file + " after line 2 (earlier lines are already in the outbox)\n"
            "inject: 2 accepted, 0 rejected; all committed\n");
}

TEST_F(InjectCommandTest, AMissingFileIsAUsageError) {
  EXPECT_EQ(Run(RunInject, Args(Path("nope.jsonl"))), kExitUsage);
  EXPECT_EQ(err(), "omnihubctl: cannot open " + Path("nope.jsonl") + " (check the path)\n");
  EXPECT_TRUE(published_.empty());
}

// A line may name its tenant (the chaos test injects per tenant); a bad one is refused with its
// line and field, and kept as a dead letter like any other bad line.
TEST_F(InjectCommandTest, ALineNamesItsTenantAndABadTenantIsRefusedNamingLineAndField) {
  std::string acme(kGood1);
  acme.insert(1, R"("tenant":"acme",)");
  std::string bad(kGood2);
  bad.insert(1, R"("tenant":"acme corp",)");
  const std::string file = WriteFile(acme + "\n" + bad + "\n");
  EXPECT_EQ(Run(RunInject, Args(file)), kExitFailed);
  ASSERT_EQ(published_.size(), 2u);
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(published_[0].event_bytes));
  EXPECT_EQ(event.tenant_id(), "acme");
  ASSERT_TRUE(published_[1].rejected.has_value());
  EXPECT_THAT(err(), ::testing::StartsWith("line 2: field 'tenant': tenant id 'acme corp' is not valid"));
}

}  // namespace
}  // namespace omnihub::ctl
