// customer explain | link | unlink | merge | split against a fake hub: argument errors exit 2
// naming what to fix and send nothing; commands go out the durable way with the reason and
// actor; results and rejections print as documented.
#include <nlohmann/json.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "omnihub/v1/command.pb.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

using ::testing::HasSubstr;

constexpr char kA[] = "01a20672-9cbf-7000-86af-863ec973c825";
constexpr char kB[] = "01a20672-9cbf-7000-86af-863ec973c826";
constexpr char kMerge[] = "01a20672-9cbf-7abc-86af-863ec973c899";

class GraphCommandsTest : public testing::CtlTest {
 protected:
  // The hub's answer to the command_result query that follows a committed command.
  void AnswerResult(v1::CommandResult result) {
    v1::QueryResponse resp;
    *resp.mutable_command_result()->mutable_result() = std::move(result);
    hub_.Answer(resp);
  }
  v1::Command Sent() {
    v1::Command command;
    EXPECT_EQ(published_.size(), 1u);
    if (!published_.empty()) {
      EXPECT_TRUE(command.ParseFromString(published_.back().command_bytes));
    }
    return command;
  }
  // Runs an argument error: exit 2, the message names `what`, nothing sent or asked.
  void ExpectUsageError(Command command, std::vector<std::string> args, const std::string& what) {
    EXPECT_EQ(Run(command, std::move(args)), kExitUsage) << err();
    EXPECT_THAT(err(), HasSubstr(what));
    EXPECT_EQ(out(), "");
    EXPECT_TRUE(published_.empty());
    EXPECT_TRUE(hub_.requests.empty());
  }
};

TEST_F(GraphCommandsTest, ArgumentErrorsExitTwoNamingWhatToFix) {
  ExpectUsageError(RunCustomerLink, {kA, "email:ana@example.com"}, "--reason is required");
  ExpectUsageError(RunCustomerLink, {kA, "email:ana@example.com", "--reason", ""}, "--reason is required");
  ExpectUsageError(RunCustomerUnlink, {"email:ana@example.com"}, "--reason");
  ExpectUsageError(RunCustomerMerge, {kA, kB}, "--reason");
  ExpectUsageError(RunCustomerSplit, {kMerge}, "--reason");
  ExpectUsageError(RunCustomerLink, {kA, kB, "--reason", "r"}, "is a customer id; give an identity");
  ExpectUsageError(RunCustomerUnlink, {"x:@ana_k", "--reason", "r"}, "is a handle; give the user id");
  ExpectUsageError(RunCustomerLink, {kA, "--reason", "r"}, "customer link CUSTOMER IDENTITY");
  ExpectUsageError(RunCustomerMerge, {kA, "--reason", "r"}, "customer merge SURVIVOR OTHER");
  ExpectUsageError(RunCustomerSplit, {"not-a-uuid", "--reason", "r"}, "MERGE_ID 'not-a-uuid' is not a merge id");
  ExpectUsageError(RunCustomerMerge, {kA, "nonsense", "--reason", "r"}, "OTHER");
  ExpectUsageError(RunCustomerLink, {kA, "email:ana@example.com", "--reason", "r", "--force"}, "--force");
  ExpectUsageError(RunCustomerExplain, {}, "customer explain CUSTOMER|IDENTITY");
}

TEST_F(GraphCommandsTest, MergeSendsTheCommandAndPrintsTheMergeId) {
  v1::CommandResult result;
  result.set_applied(true);
  result.set_merge_id(kMerge);
  result.set_customer_id(kA);
  AnswerResult(result);
  ASSERT_EQ(Run(RunCustomerMerge, {kA, "phone:+1 415 555 0111", "--reason", "same person", "--actor", "dana"}), kExitOk)
      << err();
  const nlohmann::json printed = nlohmann::json::parse(out());
  EXPECT_EQ(printed["merge_id"], kMerge);
  EXPECT_EQ(printed["customer_id"], kA);

  const v1::Command sent = Sent();
  EXPECT_EQ(sent.command_id().size(), base::kUuidBytes);
  EXPECT_EQ(sent.actor(), "dana");
  EXPECT_EQ(sent.reason(), "same person");
  EXPECT_EQ(sent.issued_at_us(), clock_.NowMicros());
  EXPECT_EQ(sent.merge().survivor().customer_id(), kA);
  EXPECT_EQ(sent.merge().other().identity().value(), "+14155550111");
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].command_result().command_id(), sent.command_id());
}

// Cluster mode: the command's log position is printed as the token for --min-position; on one
// host (the test above) nothing is.
TEST_F(GraphCommandsTest, InClusterModeTheCommandsLogPositionIsPrinted) {
  position_ = bus::ReadPosition{1, 4242};
  v1::CommandResult result;
  result.set_applied(true);
  result.set_merge_id(kMerge);
  result.set_customer_id(kA);
  AnswerResult(result);
  ASSERT_EQ(Run(RunCustomerMerge, {kA, kB, "--reason", "same person"}), kExitOk) << err();
  EXPECT_THAT(err(), HasSubstr("position: 1:4242\n"));
  EXPECT_EQ(nlohmann::json::parse(out())["merge_id"], kMerge);
}

TEST_F(GraphCommandsTest, OnOneHostNoPositionIsPrinted) {
  v1::CommandResult result;
  result.set_applied(true);
  result.set_customer_id(kA);
  AnswerResult(result);
  ASSERT_EQ(Run(RunCustomerLink, {kA, "email:ana@example.com", "--reason", "r"}), kExitOk) << err();
  EXPECT_THAT(err(), ::testing::Not(HasSubstr("position:")));
}

TEST_F(GraphCommandsTest, PreviewAsksAndWritesNothing) {
  v1::QueryResponse resp;
  v1::MergePreviewResponse* p = resp.mutable_merge_preview();
  p->mutable_survivor()->set_customer_id(kA);
  p->mutable_survivor()->set_event_count(2);
  p->mutable_survivor()->add_conversations("sms:a");
  v1::IdentityExplanation* id = p->mutable_other()->add_identities();
  id->mutable_identity()->set_kind(v1::Identity::EMAIL);
  id->mutable_identity()->set_value("bo@example.com");
  id->set_identity_id(3);
  id->set_event_count(1);
  id->mutable_reason()->set_rule(v1::LinkReason::FIRST_SIGHT);
  p->mutable_other()->set_customer_id(kB);
  p->mutable_other()->set_event_count(1);
  p->set_event_count_after(3);
  hub_.Answer(resp);
  ASSERT_EQ(Run(RunCustomerMerge, {kA, kB, "--preview"}), kExitOk) << err();
  EXPECT_TRUE(published_.empty());
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].merge_preview().other().customer_id(), kB);
  const nlohmann::json printed = nlohmann::json::parse(out());
  EXPECT_EQ(printed["event_count_after"], 3);
  EXPECT_EQ(printed["survivor"]["conversations"], nlohmann::json::array({"sms:a"}));
  EXPECT_EQ(printed["other"]["identities"][0]["argument"], "email:bo@example.com");
  EXPECT_EQ(printed["other"]["identities"][0]["reason"]["rule"], "first_sight");
}

TEST_F(GraphCommandsTest, RejectionsPrintTheUnifiersMessage) {
  v1::CommandResult missing;
  missing.set_applied(false);
  missing.set_error_code("not_found");
  missing.set_error_message("split.merge_id: no merge with id 01a20672-9cbf-7abc-86af-863ec973c899");
  AnswerResult(missing);
  EXPECT_EQ(Run(RunCustomerSplit, {kMerge, "--reason", "wrong"}), kExitNotFound);
  EXPECT_EQ(err(), "omnihubctl: split.merge_id: no merge with id 01a20672-9cbf-7abc-86af-863ec973c899\n");
  EXPECT_EQ(out(), "");

  v1::CommandResult refused;
  refused.set_applied(false);
  refused.set_error_code("failed_precondition");
  refused.set_error_message("identity email:ana@example.com is the only identity of customer " + std::string(kA));
  AnswerResult(refused);
  EXPECT_EQ(Run(RunCustomerUnlink, {"email:ana@example.com", "--reason", "r"}), kExitFailed);
  EXPECT_THAT(err(), HasSubstr("is the only identity"));

  v1::CommandResult invalid;
  invalid.set_applied(false);
  invalid.set_error_code("invalid_argument");
  invalid.set_error_message("merge.survivor and merge.other are the same customer");
  AnswerResult(invalid);
  EXPECT_EQ(Run(RunCustomerMerge, {kA, kA, "--reason", "r"}), kExitFailed);
}

TEST_F(GraphCommandsTest, SplitAndLinkPrintTheirCustomers) {
  v1::CommandResult split;
  split.set_applied(true);
  split.set_merge_id(kMerge);
  split.add_customer_ids(kA);
  split.add_customer_ids(kB);
  AnswerResult(split);
  ASSERT_EQ(Run(RunCustomerSplit, {"01A20672-9CBF-7ABC-86AF-863EC973C899", "--reason", "wrong"}), kExitOk) << err();
  EXPECT_EQ(nlohmann::json::parse(out())["customer_ids"], nlohmann::json::array({kA, kB}));
  EXPECT_EQ(Sent().split().merge_id(), kMerge);

  published_.clear();
  v1::CommandResult linked;
  linked.set_applied(true);
  linked.set_customer_id(kA);
  AnswerResult(linked);
  ASSERT_EQ(Run(RunCustomerLink, {"email:ana@example.com", "phone:+1 415 555 0100", "--reason", "same"}), kExitOk)
      << err();
  EXPECT_EQ(nlohmann::json::parse(out())["customer_id"], kA);
  EXPECT_EQ(Sent().link().customer().identity().value(), "ana@example.com");
  EXPECT_EQ(Sent().link().identity().value(), "+14155550100");
}

TEST_F(GraphCommandsTest, ExplainPrintsEveryIdentitysReason) {
  v1::QueryResponse resp;
  v1::ExplainResponse* e = resp.mutable_explain();
  e->mutable_customer()->set_customer_id(kA);
  e->mutable_customer()->set_event_count(3);
  v1::IdentityExplanation* phone = e->add_identities();
  phone->mutable_identity()->set_kind(v1::Identity::PHONE);
  phone->mutable_identity()->set_value("+14155550100");
  phone->set_identity_id(1);
  phone->set_event_count(3);
  phone->mutable_reason()->set_rule(v1::LinkReason::FIRST_SIGHT);
  phone->mutable_reason()->set_event_id(std::string(base::kUuidBytes, '\x01'));
  v1::IdentityExplanation* mail = e->add_identities();
  mail->mutable_identity()->set_kind(v1::Identity::EMAIL);
  mail->mutable_identity()->set_value("ana@example.com");
  mail->set_identity_id(2);
  v1::LinkReason* linked = mail->mutable_reason();
  linked->set_rule(v1::LinkReason::AGENT_LINK);
  linked->set_agent("dana");
  linked->set_detail("same person");
  linked->set_linked_at_us(1'790'000'000'000'000);
  linked->set_anchor_identity_id(1);
  *mail->add_history() = phone->reason();
  v1::GraphHistoryEntry* h = e->add_history();
  h->set_kind(v1::GraphHistoryEntry::MERGED_IN);
  h->set_merge_id(kMerge);
  h->set_other_customer_id(kB);
  e->add_merges()->set_merge_id(kMerge);
  e->add_merged_customer_ids(kB);
  hub_.Answer(resp);

  ASSERT_EQ(Run(RunCustomerExplain, {"email:Ana@Example.com"}), kExitOk) << err();
  const nlohmann::json j = nlohmann::json::parse(out());
  EXPECT_EQ(j["customer"]["customer_id"], kA);
  ASSERT_EQ(j["identities"].size(), 2u);
  EXPECT_EQ(j["identities"][0]["reason"]["rule"], "first_sight");
  EXPECT_EQ(j["identities"][0]["reason"]["event_id"], "01010101-0101-0101-0101-010101010101");
  EXPECT_EQ(j["identities"][0]["reason"]["actor"], nullptr);
  const nlohmann::json& reason = j["identities"][1]["reason"];
  EXPECT_EQ(reason["rule"], "agent_link");
  EXPECT_EQ(reason["actor"], "dana");
  EXPECT_EQ(reason["reason"], "same person");
  EXPECT_EQ(reason["at"], "2026-09-21T14:13:20.000000Z");
  EXPECT_EQ(reason["anchor"]["argument"], "phone:+14155550100");
  for (const char* key : {"rule", "event_id", "actor", "reason", "at", "merge_id", "merged_from", "anchor"}) {
    EXPECT_TRUE(reason.contains(key)) << key;
  }
  EXPECT_EQ(j["identities"][1]["history"][0]["rule"], "first_sight");
  EXPECT_EQ(j["history"][0]["kind"], "merged_in");
  EXPECT_EQ(j["merges"][0]["merge_id"], kMerge);
  EXPECT_EQ(j["merges"][0]["split"], nullptr);
  EXPECT_EQ(j["merged_customer_ids"], nlohmann::json::array({kB}));
  EXPECT_EQ(hub_.requests[0].explain().customer().identity().value(), "ana@example.com");

  hub_.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  EXPECT_EQ(Run(RunCustomerExplain, {"email:nobody@example.com"}), kExitNotFound);
}

}  // namespace
}  // namespace omnihub::ctl
