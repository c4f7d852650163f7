#include "services/social/telegram/telegram_mapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/services/social/telegram/telegram_test_fixture.h"

namespace omnihub::social {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// channel-formats.md section 6's example update.
constexpr std::string_view kTextMessage = R"({"update_id":87654321,"message":{"message_id":42,"date":1718000000,"text":"Hello, my invoice is wrong",
 "from":{"id":123456789,"is_bot":false,"first_name":"Ana","username":"ana_k","language_code":"pt"},
 "chat":{"id":123456789,"type":"private","first_name":"Ana","username":"ana_k"},
 "reply_to_message":{"message_id":40,"date":1717990000,"chat":{"id":123456789,"type":"private"},"text":"How can we help?"}}})";

void ExpectBot(const v1::Identity& id) {
  EXPECT_EQ(id.kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(id.platform(), "telegram");
  EXPECT_EQ(id.account(), "main");
  EXPECT_EQ(id.value(), "main");
}

TEST_F(TelegramMapperTest, TextMessageIsInboundFromTheGlobalUserToTheBot) {
  MappedDelivery events = Events(kTextMessage);
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.channel(), v1::TELEGRAM);
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.account(), "main");
  EXPECT_EQ(e.provider_message_id(), "123456789:42");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'000'000);
  EXPECT_EQ(e.received_at_us(), 0);  // the HTTP side stamps it
  EXPECT_TRUE(e.event_id().empty());
  EXPECT_EQ(e.sender().kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(e.sender().platform(), "telegram");
  EXPECT_EQ(e.sender().account(), "");
  EXPECT_EQ(e.sender().value(), "123456789");
  EXPECT_EQ(e.sender().handle(), "@ana_k");
  EXPECT_EQ(e.sender().display_name(), "Ana");
  ASSERT_EQ(e.recipients_size(), 1);
  ExpectBot(e.recipients(0));
  EXPECT_EQ(e.conversation(), "telegram:main:123456789");
  EXPECT_EQ(e.text(), "Hello, my invoice is wrong");
  EXPECT_EQ(e.attachments_size(), 0);
  EXPECT_EQ(e.flags_size(), 0);
  EXPECT_EQ(e.party_links_size(), 0);
  EXPECT_EQ(e.provider_fields_size(), 2);
  EXPECT_EQ(e.provider_fields().at(kAccountNameField), "main");
  EXPECT_EQ(e.provider_fields().at(kReplyToField), "123456789:40");
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(kTextMessage)));
}

TEST_F(TelegramMapperTest, DisplayNameJoinsFirstAndLastName) {
  v1::Event e = One(R"({"update_id":1,"message":{"message_id":7,"date":1718000000,"text":"hi",
    "from":{"id":5,"first_name":"Ana","last_name":"Kowalski"},"chat":{"id":5,"type":"private"}}})");
  EXPECT_EQ(e.sender().display_name(), "Ana Kowalski");
  EXPECT_EQ(e.sender().handle(), "");
}

TEST_F(TelegramMapperTest, ConversationEscapesColonsInTheBotName) {
  ctx_.account_name = "support:eu";
  v1::Event e = One(kTextMessage);
  EXPECT_EQ(e.conversation(), "telegram:support%3Aeu:123456789");
  EXPECT_EQ(e.account(), "support:eu");
  EXPECT_EQ(e.provider_fields().at(kAccountNameField), "support:eu");
}

TEST_F(TelegramMapperTest, EditIsItsOwnEventNamingTheEditedMessage) {
  v1::Event e = One(R"({"update_id":87654322,"edited_message":{"message_id":42,"date":1718000000,"edit_date":1718000300,
    "text":"Hello, my invoice 1234 is wrong","from":{"id":123456789,"first_name":"Ana"},"chat":{"id":123456789,"type":"private"}}})");
  EXPECT_EQ(e.kind(), v1::EDIT);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.refers_to_provider_message_id(), "123456789:42");
  EXPECT_EQ(e.provider_message_id(), "123456789:42:edit:1718000300");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'300'000'000);
  EXPECT_EQ(e.text(), "Hello, my invoice 1234 is wrong");
  EXPECT_EQ(e.sender().value(), "123456789");
  EXPECT_EQ(e.conversation(), "telegram:main:123456789");
}

TEST_F(TelegramMapperTest, EditedCaptionWithoutEditDateUsesTheDateAndTheUpdateId) {
  v1::Event e = One(R"({"update_id":900,"edited_channel_post":{"message_id":3,"date":1718000000,
    "caption":"new caption","chat":{"id":-1001234567890,"type":"channel","title":"Acme News"}}})");
  EXPECT_EQ(e.kind(), v1::EDIT);
  EXPECT_EQ(e.refers_to_provider_message_id(), "-1001234567890:3");
  EXPECT_EQ(e.provider_message_id(), "-1001234567890:3:edit:update:900");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'000'000);
  EXPECT_EQ(e.text(), "new caption");
}

TEST_F(TelegramMapperTest, ChannelPostWithoutFromIsFromTheChannel) {
  v1::Event e = One(R"({"update_id":2,"channel_post":{"message_id":11,"date":1718000000,"text":"Sale today",
    "chat":{"id":-1001234567890,"type":"channel","title":"Acme News","username":"acmenews"}}})");
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.provider_message_id(), "-1001234567890:11");
  EXPECT_EQ(e.sender().platform(), "telegram");
  EXPECT_EQ(e.sender().account(), "");
  EXPECT_EQ(e.sender().value(), "-1001234567890");
  EXPECT_EQ(e.sender().display_name(), "Acme News");
  EXPECT_EQ(e.sender().handle(), "@acmenews");
  EXPECT_EQ(e.conversation(), "telegram:main:-1001234567890");
  ExpectBot(e.recipients(0));
}

TEST_F(TelegramMapperTest, ChannelPostSignedByAnotherChatIsFromThatChat) {
  v1::Event e = One(R"({"update_id":3,"channel_post":{"message_id":12,"date":1718000000,"text":"x",
    "sender_chat":{"id":-1009,"type":"channel","title":"Acme Group"},"chat":{"id":-1001234567890,"type":"channel","title":"Acme News"}}})");
  EXPECT_EQ(e.sender().value(), "-1009");
  EXPECT_EQ(e.sender().display_name(), "Acme Group");
  EXPECT_EQ(e.conversation(), "telegram:main:-1001234567890");
}

TEST_F(TelegramMapperTest, AnonymousGroupAdminWritesAsTheGroupNotAsThePlaceholderUser) {
  v1::Event e = One(R"({"update_id":5,"message":{"message_id":13,"date":1718000000,"text":"we're on it",
    "from":{"id":1087968824,"is_bot":true,"first_name":"Group","username":"GroupAnonymousBot"},
    "sender_chat":{"id":-100300,"type":"supergroup","title":"Acme Support Team"},"chat":{"id":-100300,"type":"supergroup","title":"Acme Support Team"}}})");
  EXPECT_EQ(e.sender().value(), "-100300");
  EXPECT_EQ(e.sender().display_name(), "Acme Support Team");
}

TEST_F(TelegramMapperTest, MissingDateTakesTheReceiveTimeAndSaysSo) {
  v1::Event e = One(R"({"update_id":4,"message":{"message_id":1,"text":"x","from":{"id":5},"chat":{"id":5}}})");
  EXPECT_EQ(e.occurred_at_us(), kTelegramReceivedUs);
  EXPECT_THAT(e.flags(), ElementsAre(kTimeMissingFlag));
  v1::Event huge = One(R"({"update_id":4,"message":{"message_id":1,"date":9223372036854775807,"from":{"id":5},"chat":{"id":5}}})");
  EXPECT_EQ(huge.occurred_at_us(), kTelegramReceivedUs);
}

TEST_F(TelegramMapperTest, CallbackQueryIsAnActivityOfItsUserKeepingTheUpdate) {
  constexpr std::string_view body = R"({"update_id":10,"callback_query":{"id":"4382bfdwdsb323b2d9","chat_instance":"-71",
    "data":"order:42","from":{"id":123456789,"first_name":"Ana","username":"ana_k"},
    "message":{"message_id":43,"date":1718000000,"chat":{"id":123456789,"type":"private"},"text":"Pick one"}}})";
  MappedDelivery events = Events(body);
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "callback_query");
  EXPECT_EQ(e.provider_message_id(), "update:10");
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.sender().value(), "123456789");
  EXPECT_EQ(e.sender().handle(), "@ana_k");
  ExpectBot(e.recipients(0));
  EXPECT_EQ(e.conversation(), "telegram:main:123456789");
  // A callback query has no time of its own.
  EXPECT_EQ(e.occurred_at_us(), kTelegramReceivedUs);
  EXPECT_THAT(e.flags(), ElementsAre(kTimeMissingFlag));
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(body)));
}

TEST_F(TelegramMapperTest, MyChatMemberIsAnActivityInItsChat) {
  v1::Event e = One(R"({"update_id":11,"my_chat_member":{"chat":{"id":-500,"type":"group","title":"Team"},
    "from":{"id":77,"first_name":"Bo"},"date":1718000500,
    "old_chat_member":{"status":"left","user":{"id":999,"is_bot":true,"first_name":"AcmeBot"}},
    "new_chat_member":{"status":"member","user":{"id":999,"is_bot":true,"first_name":"AcmeBot"}}}})");
  EXPECT_EQ(e.activity(), "my_chat_member");
  EXPECT_EQ(e.sender().value(), "77");
  EXPECT_EQ(e.conversation(), "telegram:main:-500");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'500'000'000);
  EXPECT_EQ(e.flags_size(), 0);
}

TEST_F(TelegramMapperTest, UnknownUpdateWithoutAUserIsAnActivityOfTheBot) {
  constexpr std::string_view body =
      R"({"update_id":12,"chat_boost":{"chat":{"id":-100777,"type":"channel"},"boost":{"boost_id":"b1","add_date":1718000000}}})";
  MappedDelivery events = Events(body);
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "chat_boost");
  EXPECT_EQ(e.provider_message_id(), "update:12");
  ExpectBot(e.sender());
  EXPECT_THAT(e.flags(), ElementsAre(kTimeMissingFlag, kBusinessPartyFlag));
  EXPECT_EQ(e.conversation(), "telegram:main:-100777");
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(body)));
}

TEST_F(TelegramMapperTest, PollAnswerIsFromItsUserInTheirPrivateChat) {
  v1::Event e = One(R"({"update_id":13,"poll_answer":{"poll_id":"p1","user":{"id":5,"first_name":"Ana"},"option_ids":[1]}})");
  EXPECT_EQ(e.activity(), "poll_answer");
  EXPECT_EQ(e.sender().value(), "5");
  EXPECT_EQ(e.conversation(), "telegram:main:5");
}

TEST_F(TelegramMapperTest, UpdateWithNothingButItsIdIsStillKept) {
  v1::Event e = One(R"({"update_id":14})");
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "update");
  EXPECT_EQ(e.provider_message_id(), "update:14");
  ExpectBot(e.sender());
  EXPECT_EQ(e.conversation(), "");
}

TEST_F(TelegramMapperTest, MissingFieldsAreRefusedNamingTheirPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"message":{"message_id":1,"chat":{"id":1}}})", "update_id is missing"},
      {R"({"update_id":"x1"})", "update_id must be a non-negative integer (or its decimal digits as a string)"},
      {R"({"update_id":1,"message":{"message_id":1,"date":1}})", "message.chat is missing"},
      {R"({"update_id":1,"message":{"message_id":1,"chat":{"type":"private"}}})", "message.chat.id is missing"},
      {R"({"update_id":1,"channel_post":{"chat":{"id":-1}}})", "channel_post.message_id is missing"},
      {R"({"update_id":1,"message":"hello"})", "message must be a JSON object"},
      {R"({"update_id":1,"message":{"message_id":1,"chat":{"id":1},"from":{"first_name":"A"}}})",
       "message.from.id is missing"},
      {R"({"update_id":1,"edited_message":{"message_id":1,"chat":{"id":1},"from":[]}})",
       "edited_message.from must be a JSON object"},
      {R"({"update_id":1,"message_reaction":{"chat":{"id":1},"date":1}})", "message_reaction.message_id is missing"},
      {R"({"update_id":1,"message_reaction":{"message_id":1}})", "message_reaction.chat is missing"},
      {R"({"update_id":1,"message_reaction":{"chat":{"id":1},"message_id":2,"user":{"first_name":"A"}}})",
       "message_reaction.user.id is missing"},
  };
  for (const auto& [body, message] : cases) EXPECT_EQ(Error(body), message) << body;
}

TEST_F(TelegramMapperTest, BodyThatIsNotOneJsonObjectIsRefused) {
  EXPECT_EQ(Error("[1]"), "request body must be a JSON object, got array");
  EXPECT_THAT(Error(R"({"update_id":1,"update_id":2})"), HasSubstr("duplicate field"));
}

}  // namespace
}  // namespace omnihub::social
