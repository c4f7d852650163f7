#include "services/social/telegram/telegram_reaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/services/social/telegram/telegram_test_fixture.h"

namespace omnihub::social {
namespace {

using TelegramReactionTest = TelegramMapperTest;

// A message_reaction update on message 42 of Ana's private chat.
std::string ReactionUpdate(std::string_view old_reaction, std::string_view new_reaction,
                           std::string_view reactor = R"("user":{"id":123456789,"first_name":"Ana"})") {
  return R"({"update_id":300,"message_reaction":{"chat":{"id":123456789,"type":"private"},"message_id":42,"date":1718000600,)" +
         std::string(reactor) + R"(,"old_reaction":)" + std::string(old_reaction) + R"(,"new_reaction":)" +
         std::string(new_reaction) + "}}";
}

TEST_F(TelegramReactionTest, OneEventPerReactionRemovedThenAdded) {
  const std::string body = ReactionUpdate(R"([{"type":"emoji","emoji":"\ud83d\udc4d"}])",
                                          R"([{"type":"emoji","emoji":"\u2764"},{"type":"custom_emoji","custom_emoji_id":"5368324170671202286"}])");
  MappedDelivery events = Events(body);
  ASSERT_EQ(events.size(), 3u);
  const v1::Event& removed = events[0].event;
  EXPECT_EQ(removed.kind(), v1::REACTION);
  EXPECT_EQ(removed.direction(), v1::INBOUND);
  EXPECT_EQ(removed.provider_message_id(), "update:300:0");
  EXPECT_EQ(removed.refers_to_provider_message_id(), "123456789:42");
  EXPECT_EQ(removed.reaction().emoji(), "\xF0\x9F\x91\x8D");
  EXPECT_EQ(removed.reaction().name(), "");
  EXPECT_TRUE(removed.reaction().removed());
  EXPECT_EQ(removed.sender().value(), "123456789");
  EXPECT_EQ(removed.recipients(0).value(), "main");
  EXPECT_EQ(removed.conversation(), "telegram:main:123456789");
  EXPECT_EQ(removed.occurred_at_us(), 1'718'000'600'000'000);
  EXPECT_EQ(removed.provider_fields().at(kAccountNameField), "main");

  const v1::Event& heart = events[1].event;
  EXPECT_EQ(heart.provider_message_id(), "update:300:1");
  EXPECT_EQ(heart.reaction().emoji(), "\xE2\x9D\xA4");
  EXPECT_FALSE(heart.reaction().removed());

  const v1::Event& custom = events[2].event;
  EXPECT_EQ(custom.provider_message_id(), "update:300:2");
  EXPECT_EQ(custom.reaction().emoji(), "");
  EXPECT_EQ(custom.reaction().name(), "custom:5368324170671202286");
  EXPECT_FALSE(custom.reaction().removed());
  for (const auto& m : events) EXPECT_EQ(m.raw_json, Dump(*ParseBody(body)));
}

TEST_F(TelegramReactionTest, KeptReactionsAreNoChange) {
  EXPECT_TRUE(Events(ReactionUpdate(R"([{"type":"emoji","emoji":"a"}])", R"([{"type":"emoji","emoji":"a"}])")).empty());
  EXPECT_TRUE(Events(ReactionUpdate("[]", "[]")).empty());
}

TEST_F(TelegramReactionTest, PaidReactionIsNamedByItsType) {
  MappedDelivery events = Events(ReactionUpdate("[]", R"([{"type":"paid"},{"type":"paid"}])"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.reaction().name(), "paid");
}

TEST_F(TelegramReactionTest, AnonymousAdminReactsAsTheirChat) {
  MappedDelivery events = Events(ReactionUpdate(
      "[]", R"([{"type":"emoji","emoji":"a"}])", R"("actor_chat":{"id":-100555,"type":"supergroup","title":"Acme Team"})"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.sender().value(), "-100555");
  EXPECT_EQ(events[0].event.sender().display_name(), "Acme Team");
  EXPECT_EQ(events[0].event.flags_size(), 0);
}

TEST_F(TelegramReactionTest, ReactionWithoutAReactorIsTheBots) {
  MappedDelivery events = Events(ReactionUpdate("[]", R"([{"type":"emoji","emoji":"a"}])", R"("note":1)"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.sender().value(), "main");
  EXPECT_EQ(events[0].event.sender().account(), "main");
  EXPECT_THAT(events[0].event.flags(), ::testing::ElementsAre(kBusinessPartyFlag));
}

}  // namespace
}  // namespace omnihub::social
