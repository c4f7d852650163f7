// watch against a fake hub and change feed: every change exactly once and in order,
// whether it comes live, from the change log after a gap, or from the log after a quiet
// spell (time on a manual clock).
#include <nlohmann/json.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

using ::testing::ElementsAre;

v1::ChangeNotification Change(uint64_t seq) {
  v1::ChangeNotification c;
  c.set_change_seq(seq);
  c.set_kind(v1::DEAD_LETTERED);
  c.set_committed_at_us(1'790'000'000'000'000);
  c.set_dead_letter_id(seq * 10);
  return c;
}

v1::QueryResponse Log(std::vector<uint64_t> seqs) {
  v1::QueryResponse resp;
  for (uint64_t seq : seqs) *resp.mutable_change_log()->add_changes() = Change(seq);
  return resp;
}

std::vector<uint64_t> FromSeqs(const std::vector<v1::QueryRequest>& requests) {
  std::vector<uint64_t> seqs;
  for (const auto& r : requests) seqs.push_back(r.has_change_log() ? r.change_log().from_seq() : 0);
  return seqs;
}

class WatchCommandTest : public testing::CtlTest {};

TEST_F(WatchCommandTest, FillsAGapInTheLiveFeedFromTheChangeLog) {
  hub_.Answer(Log({1}));  // catching up from --from 1
  hub_.Answer(Log({}));   // caught up
  changes_.Push(Change(2));
  changes_.Push(Change(4));  // 3 was dropped
  hub_.Answer(Log({3, 4}));

  EXPECT_EQ(Run(RunWatch, {"--from", "1", "--count", "4"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "{\"change_seq\":1,\"committed_at\":\"2026-09-21T14:13:20.000000Z\",\"dead_letter_id\":10,\"kind\":\"dead_lettered\"}\n"
            "{\"change_seq\":2,\"committed_at\":\"2026-09-21T14:13:20.000000Z\",\"dead_letter_id\":20,\"kind\":\"dead_lettered\"}\n"
            "{\"change_seq\":3,\"committed_at\":\"2026-09-21T14:13:20.000000Z\",\"dead_letter_id\":30,\"kind\":\"dead_lettered\"}\n"
            "{\"change_seq\":4,\"committed_at\":\"2026-09-21T14:13:20.000000Z\",\"dead_letter_id\":40,\"kind\":\"dead_lettered\"}\n");
  EXPECT_EQ(err(), "");
  EXPECT_EQ(changes_.subscriptions, 1);
  EXPECT_THAT(FromSeqs(hub_.requests), ElementsAre(1, 2, 3));
  EXPECT_EQ(hub_.unanswered(), 0u);
}

TEST_F(WatchCommandTest, StartsAtTheHubsLastChangeAndAsksTheLogWhenQuiet) {
  v1::QueryResponse stats;
  stats.mutable_stats()->set_last_change_seq(7);
  hub_.Answer(stats);
  hub_.Answer(Log({}));   // nothing after 7 yet
  hub_.Answer(Log({8}));  // after 2 s without a notification: 8's was dropped

  EXPECT_EQ(Run(RunWatch, {"--count", "1"}), kExitOk) << err();
  EXPECT_EQ(nlohmann::json::parse(out())["change_seq"], 8);
  ASSERT_EQ(hub_.requests.size(), 3u);
  EXPECT_TRUE(hub_.requests[0].has_stats());
  EXPECT_THAT(FromSeqs(hub_.requests), ElementsAre(0, 8, 8));
  // Waits of 500 ms: the log is asked only once more than 2 s passed without news.
  EXPECT_EQ(changes_.quiet_waits, 5);
}

TEST_F(WatchCommandTest, ALiveNotificationAlreadyPrintedIsSkipped) {
  hub_.Answer(Log({5, 6}));
  hub_.Answer(Log({}));
  changes_.Push(Change(6));  // published while the log was read
  changes_.Push(Change(7));
  EXPECT_EQ(Run(RunWatch, {"--from", "5", "--count", "3"}), kExitOk);
  std::istringstream lines(out());
  std::vector<uint64_t> seqs;
  for (std::string line; std::getline(lines, line);) seqs.push_back(nlohmann::json::parse(line)["change_seq"]);
  EXPECT_THAT(seqs, ElementsAre(5, 6, 7));
}

TEST_F(WatchCommandTest, PrintsMergesWithTheAbsorbedCustomer) {
  v1::ChangeNotification merged;
  merged.set_change_seq(1);
  merged.set_kind(v1::CUSTOMERS_MERGED);
  merged.set_committed_at_us(1'790'000'000'000'000);
  merged.set_customer_id("01a20672-9cbf-7000-86af-863ec973c825");
  merged.set_merged_customer_id("01a20672-b6f7-7000-b531-4fa46344ee49");
  merged.mutable_identity()->set_kind(v1::Identity::PLATFORM);
  merged.mutable_identity()->set_platform("whatsapp");
  merged.mutable_identity()->set_account("102290129340398");
  merged.mutable_identity()->set_value("US.123");
  v1::ChangeNotification linked = merged;
  linked.set_change_seq(2);
  linked.set_kind(v1::IDENTITY_LINKED);
  linked.clear_merged_customer_id();
  v1::QueryResponse log;
  *log.mutable_change_log()->add_changes() = merged;
  *log.mutable_change_log()->add_changes() = linked;
  hub_.Answer(log);

  EXPECT_EQ(Run(RunWatch, {"--from", "1", "--count", "2"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "{\"change_seq\":1,\"committed_at\":\"2026-09-21T14:13:20.000000Z\",\"customer_id\":"
            "\"01a20672-9cbf-7000-86af-863ec973c825\",\"identity\":\"whatsapp:102290129340398:US.123\",\"kind\":"
            "\"customers_merged\",\"merged_customer_id\":\"01a20672-b6f7-7000-b531-4fa46344ee49\"}\n"
            "{\"change_seq\":2,\"committed_at\":\"2026-09-21T14:13:20.000000Z\",\"customer_id\":"
            "\"01a20672-9cbf-7000-86af-863ec973c825\",\"identity\":\"whatsapp:102290129340398:US.123\",\"kind\":"
            "\"identity_linked\"}\n");
}

TEST_F(WatchCommandTest, WithATenantPrintsOnlyThatTenantsChanges) {
  // A partition's log holds two tenants' changes: acme's 1 and 3, the default tenant's 2.
  v1::QueryResponse log = Log({1, 2, 3});
  log.mutable_change_log()->mutable_changes(0)->set_tenant_id("acme");
  log.mutable_change_log()->mutable_changes(2)->set_tenant_id("acme");
  hub_.Answer(log);
  EXPECT_EQ(Run(RunWatch, {"--from", "1", "--count", "2", "--tenant", "acme"}), kExitOk) << err();
  std::istringstream lines(out());
  std::vector<uint64_t> seqs;
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["tenant"], "acme") << line;
    seqs.push_back(j["change_seq"]);
  }
  EXPECT_THAT(seqs, ElementsAre(1, 3));

  hub_.Answer(log);
  EXPECT_EQ(Run(RunWatch, {"--from", "1", "--count", "1", "--tenant", "default"}), kExitOk) << err();
  EXPECT_EQ(nlohmann::json::parse(out())["change_seq"], 2);

  EXPECT_EQ(Run(RunWatch, {"--tenant", "no such"}), kExitUsage);
  EXPECT_NE(err().find("--tenant 'no such' is not a tenant id"), std::string::npos) << err();
}

TEST_F(WatchCommandTest, AnUnreachableHubIsReported) {
  hub_.Fail(base::Status::Unavailable("the hub does not answer at ipc://q"));
  EXPECT_EQ(Run(RunWatch, {}), kExitUnavailable);
  EXPECT_EQ(err(), "omnihubctl: the hub does not answer at ipc://q\n");
  EXPECT_EQ(out(), "");
}

}  // namespace
}  // namespace omnihub::ctl
