// conversation and attachment against a fake hub: paging by the conversation key the
// first answer names, and the stored bytes written unchanged.
#include <nlohmann/json.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

using ::testing::ElementsAre;

v1::ConversationEntry Entry(const std::string& provider_id) {
  v1::ConversationEntry entry;
  entry.set_customer_id("01a20672-9cbf-7000-86af-863ec973c825");
  entry.mutable_event()->set_event_id(std::string(base::kUuidBytes, '\x01'));
  entry.mutable_event()->set_provider_message_id(provider_id);
  return entry;
}

class ContentCommandsTest : public testing::CtlTest {};

TEST_F(ContentCommandsTest, ConversationOfAnIdentityPagesByTheKeyTheHubNamed) {
  v1::QueryResponse first;
  first.mutable_conversation()->set_conversation("+14155550100/+4915112345678");
  *first.mutable_conversation()->add_entries() = Entry("SM1");
  first.mutable_conversation()->set_next_cursor("k-1");
  v1::QueryResponse last;
  *last.mutable_conversation()->add_entries() = Entry("SM2");
  hub_.Answer(first);
  hub_.Answer(last);

  EXPECT_EQ(Run(RunConversation, {"phone:+4915112345678"}), kExitOk) << err();
  std::istringstream lines(out());
  std::string line;
  std::vector<std::string> ids;
  while (std::getline(lines, line)) ids.push_back(nlohmann::json::parse(line)["provider_message_id"]);
  EXPECT_THAT(ids, ElementsAre("SM1", "SM2"));
  EXPECT_EQ(err(), "");
  ASSERT_EQ(hub_.requests.size(), 2u);
  EXPECT_TRUE(hub_.requests[0].conversation().has_customer());
  EXPECT_EQ(hub_.requests[1].conversation().conversation(), "+14155550100/+4915112345678");
  EXPECT_EQ(hub_.requests[1].conversation().cursor(), "k-1");
}

TEST_F(ContentCommandsTest, ConversationKeyIsSentAsIsAndLimitBoundsThePrinting) {
  v1::QueryResponse resp;
  *resp.mutable_conversation()->add_entries() = Entry("SM1");
  hub_.Answer(resp);
  EXPECT_EQ(Run(RunConversation, {"thread-42", "--limit", "1"}), kExitOk);
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].conversation().conversation(), "thread-42");
  EXPECT_EQ(hub_.requests[0].conversation().limit(), 1u);

  hub_.Fail(base::Status::NotFound("no conversation 'thread-43'"));
  EXPECT_EQ(Run(RunConversation, {"thread-43"}), kExitNotFound);
  EXPECT_EQ(err(), "omnihubctl: no conversation 'thread-43'\n");
}

TEST_F(ContentCommandsTest, AttachmentWritesTheStoredBytesUnchanged) {
  const std::string sha(64, 'a');
  v1::QueryResponse resp;
  resp.mutable_get_blob()->set_data(std::string("%PDF\0\xff", 6));
  hub_.Answer(resp);
  EXPECT_EQ(Run(RunAttachment, {sha}), kExitOk);
  EXPECT_EQ(out(), std::string("%PDF\0\xff", 6));
  EXPECT_EQ(err(), "");
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].get_blob().sha256(), std::string(32, '\xaa'));
  EXPECT_EQ(hub_.timeouts[0], bus::kBulkQueryTimeout);
}

TEST_F(ContentCommandsTest, AttachmentRefusesWhatIsNotASha256WithoutAsking) {
  EXPECT_EQ(Run(RunAttachment, {"abc"}), kExitUsage);
  EXPECT_EQ(err(), "omnihubctl: 'abc' is not a SHA-256 (64 hex digits, as printed in a timeline's attachments)\n");
  EXPECT_TRUE(hub_.requests.empty());
}

}  // namespace
}  // namespace omnihub::ctl
