// omnihubctl suggestions and suggestions dismiss against a fake hub: the requests they send,
// the JSON lines they print, the command they put on the durable path, and the exit codes.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "omnihub/v1/command.pb.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

constexpr char kId[] = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr char kJane[] = "01a20672-9cbf-7000-86af-863ec973c825";
constexpr char kBob[] = "01a20672-9cbf-7000-86af-863ec973c826";

v1::Suggestion MakeSuggestion(const std::string& id, const std::string& state) {
  v1::Suggestion s;
  s.set_suggestion_id(id);
  s.set_state(state);
  s.set_customer_id(kJane);
  s.set_other_customer_id(kBob);
  v1::SuggestionRecord* r = s.mutable_record();
  r->set_suggestion_id(id);
  r->mutable_mentioned()->set_kind(v1::Identity::EMAIL);
  r->mutable_mentioned()->set_value("jane@example.com");
  r->mutable_author()->set_kind(v1::Identity::PHONE);
  r->mutable_author()->set_value("+4915112345678");
  r->set_first_seen_us(1'790'000'000'000'000);
  auto* e = r->add_evidence();
  e->set_event_id(std::string(base::kUuidBytes, '\x01'));
  e->set_text("Jane@Example.com");
  e->set_occurred_at_us(1'790'000'000'000'000);
  return s;
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class SuggestionsCommandTest : public testing::CtlTest {
 protected:
  void AnswerResult(bool applied, const std::string& code = "", const std::string& message = "") {
    v1::QueryResponse resp;
    v1::CommandResult* r = resp.mutable_command_result()->mutable_result();
    r->set_applied(applied);
    r->set_command_id(std::string(base::kUuidBytes, '\x07'));
    r->set_change_seq(42);
    r->set_error_code(code);
    r->set_error_message(message);
    hub_.Answer(resp);
  }
  v1::Command Published() {
    EXPECT_EQ(published_.size(), 1u);
    v1::Command c;
    EXPECT_TRUE(!published_.empty() && c.ParseFromString(published_.back().command_bytes));
    return c;
  }
};

TEST_F(SuggestionsCommandTest, ListPrintsOneObjectPerSuggestionAcrossPages) {
  v1::QueryResponse first;
  *first.mutable_suggestions()->add_suggestions() = MakeSuggestion(kId, "open");
  first.mutable_suggestions()->set_next_cursor(kId);
  hub_.Answer(first);
  v1::QueryResponse second;
  v1::Suggestion dismissed = MakeSuggestion("ffffffffffffffffffffffffffffffff", "dismissed");
  dismissed.mutable_record()->set_dismissed(true);
  dismissed.mutable_record()->set_dismissed_by("agent-7");
  dismissed.mutable_record()->set_dismiss_reason("family mailbox");
  dismissed.mutable_record()->set_dismissed_at_us(1'790'000'000'000'001);
  *second.mutable_suggestions()->add_suggestions() = dismissed;
  hub_.Answer(second);

  ASSERT_EQ(Run(RunSuggestions, {"--all", "--customer", "email:Jane@Example.com"}), kExitOk) << err();
  ASSERT_EQ(hub_.requests.size(), 2u);
  const auto& req = hub_.requests[0].suggestions();
  EXPECT_TRUE(req.include_resolved());
  EXPECT_EQ(req.customer().identity().value(), "jane@example.com");
  EXPECT_TRUE(req.cursor().empty());
  EXPECT_EQ(hub_.requests[1].suggestions().cursor(), kId);

  const auto lines = JsonLines(out());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["suggestion_id"], kId);
  EXPECT_EQ(lines[0]["state"], "open");
  EXPECT_EQ(lines[0]["customer_id"], kJane);
  EXPECT_EQ(lines[0]["other_customer_id"], kBob);
  EXPECT_EQ(lines[0]["mentioned"], "email:jane@example.com");
  EXPECT_EQ(lines[0]["author"], "phone:+4915112345678");
  ASSERT_EQ(lines[0]["evidence"].size(), 1u);
  EXPECT_EQ(lines[0]["evidence"][0]["event_id"], "01010101-0101-0101-0101-010101010101");
  EXPECT_EQ(lines[0]["evidence"][0]["text"], "Jane@Example.com");
  EXPECT_EQ(lines[0]["evidence"][0]["occurred_at"], "2026-09-21T14:13:20.000000Z");
  EXPECT_FALSE(lines[0].contains("dismissed_by"));
  EXPECT_EQ(lines[1]["state"], "dismissed");
  EXPECT_EQ(lines[1]["dismissed_by"], "agent-7");
  EXPECT_EQ(lines[1]["dismiss_reason"], "family mailbox");
}

TEST_F(SuggestionsCommandTest, ListByDefaultAsksForOpenOnesOfEveryCustomer) {
  hub_.Answer(v1::QueryResponse());
  ASSERT_EQ(Run(RunSuggestions, {}), kExitOk) << err();
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_FALSE(hub_.requests[0].suggestions().include_resolved());
  EXPECT_FALSE(hub_.requests[0].suggestions().has_customer());
  EXPECT_EQ(out(), "");
}

TEST_F(SuggestionsCommandTest, BadArgumentsSayWhatToFix) {
  EXPECT_EQ(Run(RunSuggestions, {"--customer", "nonsense"}), kExitUsage);
  EXPECT_NE(err().find("--customer"), std::string::npos) << err();
  EXPECT_EQ(Run(RunSuggestions, {"--bogus"}), kExitUsage);
  EXPECT_EQ(Run(RunSuggestions, {"dismiss", "xyz", "--reason", "r"}), kExitUsage);
  EXPECT_NE(err().find("32 hex digits"), std::string::npos) << err();
  EXPECT_EQ(Run(RunSuggestions, {"dismiss", kId}), kExitUsage);
  EXPECT_NE(err().find("--reason"), std::string::npos) << err();
  EXPECT_EQ(Run(RunSuggestions, {"dismiss"}), kExitUsage);
  EXPECT_TRUE(hub_.requests.empty());
  EXPECT_TRUE(published_.empty());
}

TEST_F(SuggestionsCommandTest, DismissSendsTheCommandAndPrintsItsResult) {
  AnswerResult(true);
  ASSERT_EQ(Run(RunSuggestions, {"dismiss", "0F1E2D3C4B5A69788796A5B4C3D2E1F0", "--reason", "family mailbox", "--actor",
                                 "agent-7"}),
            kExitOk)
      << err();
  const v1::Command c = Published();
  EXPECT_EQ(c.dismiss_suggestion().suggestion_id(), kId);
  EXPECT_EQ(c.reason(), "family mailbox");
  EXPECT_EQ(c.actor(), "agent-7");
  EXPECT_EQ(c.issued_at_us(), clock_.NowMicros());
  EXPECT_EQ(c.command_id().size(), base::kUuidBytes);
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].command_result().command_id(), c.command_id());
  const auto lines = JsonLines(out());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["suggestion_id"], kId);
  EXPECT_EQ(lines[0]["state"], "dismissed");
  EXPECT_EQ(lines[0]["change_seq"], 42);
}

TEST_F(SuggestionsCommandTest, RejectedDismissalsExitWithTheirCode) {
  AnswerResult(false, "failed_precondition", "suggestion 0f1e... was already dismissed by agent-7: family mailbox");
  EXPECT_EQ(Run(RunSuggestions, {"dismiss", kId, "--reason", "again"}), kExitFailed);
  EXPECT_NE(err().find("already dismissed"), std::string::npos) << err();
  AnswerResult(false, "not_found", "no suggestion with id " + std::string(kId));
  EXPECT_EQ(Run(RunSuggestions, {"dismiss", kId, "--reason", "gone"}), kExitNotFound);
  EXPECT_NE(err().find("no suggestion"), std::string::npos) << err();
}

TEST_F(SuggestionsCommandTest, DismissWaitsNoLongerThanItsTimeout) {
  acks_on_wait_ = 0;  // the unifier never commits
  EXPECT_EQ(Run(RunSuggestions, {"dismiss", kId, "--reason", "r", "--timeout", "3"}), kExitUnavailable);
  EXPECT_NE(err().find("gave up waiting"), std::string::npos) << err();
  EXPECT_TRUE(hub_.requests.empty());
}

}  // namespace
}  // namespace omnihub::ctl
