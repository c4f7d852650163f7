#include "services/social/x/x_tweets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/services/social/x/x_test_fixture.h"

namespace omnihub::social {
namespace {

using ::testing::ElementsAre;
using XTweetsTest = XMapperTest;

constexpr std::string_view kAnaUser = R"({"id":3805104374,"id_str":"3805104374","name":"Ana","screen_name":"ana_k"})";
constexpr std::string_view kAcmeUser = R"({"id":2244994945,"id_str":"2244994945","name":"Acme Support","screen_name":"AcmeHelp"})";

std::string TweetDelivery(std::string_view tweet) { return XDeliveryWith(R"("tweet_create_events":[)" + std::string(tweet) + "]"); }

TEST_F(XTweetsTest, MentionIsAnInboundMessageFromItsAuthor) {
  const std::string tweet = R"({"created_at":"Mon Jun 10 06:13:20 +0000 2024","id":1800000000000000001,"id_str":"1800000000000000001",
    "text":"@AcmeHelp my order never came","timestamp_ms":"1718000000456","in_reply_to_status_id_str":"1799999999999999999",
    "entities":{"user_mentions":[{"id_str":"2244994945","screen_name":"AcmeHelp","name":"Acme Support"}]},"user":)" +
                            std::string(kAnaUser) + "}";
  MappedDelivery events = Events(TweetDelivery(tweet));
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.provider_message_id(), "1800000000000000001");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'456'000);
  ExpectUser(e.sender(), kAnaId, "@ana_k", "Ana");
  ASSERT_EQ(e.recipients_size(), 1);
  ExpectUser(e.recipients(0), kAcmeId);
  EXPECT_EQ(e.conversation(), "x:tweets:2244994945:3805104374");
  EXPECT_EQ(e.text(), "@AcmeHelp my order never came");
  EXPECT_THAT(e.flags(), ElementsAre(kXMentionFlag));
  EXPECT_EQ(e.provider_fields().at(kReplyToField), "1799999999999999999");
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(tweet)));
}

TEST_F(XTweetsTest, LongTweetsKeepTheirFullText) {
  v1::Event extended = One(TweetDelivery(R"({"id_str":"1","text":"short...","extended_tweet":{"full_text":"the whole long text"},"user":)" +
                                         std::string(kAnaUser) + "}"));
  EXPECT_EQ(extended.text(), "the whole long text");
  v1::Event full = One(TweetDelivery(R"({"id_str":"2","full_text":"full","text":"short","user":)" + std::string(kAnaUser) + "}"));
  EXPECT_EQ(full.text(), "full");
}

TEST_F(XTweetsTest, TweetWithoutTimestampTakesTheReceiveTime) {
  v1::Event e = One(TweetDelivery(R"({"id_str":"3","created_at":"Mon Jun 10 06:13:20 +0000 2024","text":"x","user":)" +
                                  std::string(kAnaUser) + "}"));
  EXPECT_EQ(e.occurred_at_us(), kXReceivedUs);
  EXPECT_THAT(e.flags(), ElementsAre(kTimeMissingFlag, kXMentionFlag));
}

TEST_F(XTweetsTest, AccountsReplyIsAnOutboundEchoToTheUserItAnswers) {
  v1::Event e = One(TweetDelivery(R"({"id_str":"1800000000000000002","text":"@ana_k sorry, DM us","timestamp_ms":"1718000100000",
    "in_reply_to_status_id_str":"1800000000000000001","in_reply_to_user_id_str":"3805104374","user":)" +
                                  std::string(kAcmeUser) + "}"));
  EXPECT_EQ(e.kind(), v1::MESSAGE);
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  ExpectUser(e.sender(), kAcmeId, "@AcmeHelp", "Acme Support");
  ASSERT_EQ(e.recipients_size(), 1);
  ExpectUser(e.recipients(0), kAnaId);
  EXPECT_EQ(e.conversation(), "x:tweets:2244994945:3805104374");
  EXPECT_THAT(e.flags(), ElementsAre(kXMentionFlag, kEchoFlag));
  EXPECT_EQ(e.provider_fields().at(kReplyToField), "1800000000000000001");
}

TEST_F(XTweetsTest, AccountsTweetMentioningSomebodyIsForTheFirstOtherUserItMentions) {
  v1::Event e = One(TweetDelivery(R"({"id_str":"4","text":"@AcmeHelp thread: @bo_b @ana_k fixed","in_reply_to_user_id_str":"2244994945",
    "entities":{"user_mentions":[{"id_str":"2244994945","screen_name":"AcmeHelp"},{"id_str":"77","screen_name":"bo_b","name":"Bo"},
                                 {"id_str":"3805104374","screen_name":"ana_k"}]},"user":)" +
                                  std::string(kAcmeUser) + "}"));
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  ExpectUser(e.recipients(0), "77", "@bo_b", "Bo");
  EXPECT_EQ(e.conversation(), "x:tweets:2244994945:77");
}

TEST_F(XTweetsTest, AccountsTweetForNobodyIsAnActivityOfTheAccount) {
  v1::Event e = One(TweetDelivery(R"({"id_str":"5","text":"We are back online","timestamp_ms":"1718000200000","user":)" +
                                  std::string(kAcmeUser) + "}"));
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "own_tweet");
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  EXPECT_EQ(e.provider_message_id(), "5");
  ExpectUser(e.sender(), kAcmeId, "@AcmeHelp", "Acme Support");
  ASSERT_EQ(e.recipients_size(), 1);
  ExpectAccountItself(e.recipients(0));
  EXPECT_THAT(e.flags(), ElementsAre(kXMentionFlag, kBusinessPartyFlag));
  EXPECT_EQ(e.text(), "We are back online");
  EXPECT_EQ(e.conversation(), "x:tweets:2244994945:2244994945");
}

TEST_F(XTweetsTest, CustomersLikeIsAReactionOnTheLikedTweet) {
  const std::string favorite = R"({"id":"a7ef5c3a8c2b1d0e","created_at":"Mon Jun 10 06:20:00 +0000 2024","timestamp_ms":1718000400000,
    "favorited_status":{"id_str":"1800000000000000002","text":"@ana_k sorry, DM us","user":)" +
                               std::string(kAcmeUser) + R"(},"user":)" + std::string(kAnaUser) + "}";
  MappedDelivery events = Events(XDeliveryWith(R"("favorite_events":[)" + favorite + "]"));
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::REACTION);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.provider_message_id(), "a7ef5c3a8c2b1d0e");
  EXPECT_EQ(e.refers_to_provider_message_id(), "1800000000000000002");
  EXPECT_EQ(e.reaction().emoji(), "\xE2\x9D\xA4\xEF\xB8\x8F");
  EXPECT_EQ(e.reaction().name(), "like");
  EXPECT_FALSE(e.reaction().removed());
  ExpectUser(e.sender(), kAnaId, "@ana_k", "Ana");
  ExpectUser(e.recipients(0), kAcmeId, "@AcmeHelp", "Acme Support");
  EXPECT_EQ(e.conversation(), "x:tweets:2244994945:3805104374");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'400'000'000);
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(favorite)));
}

TEST_F(XTweetsTest, AccountLikingACustomersTweetIsOutbound) {
  v1::Event e = One(XDeliveryWith(R"("favorite_events":[{"id":"b1","favorited_status":{"id_str":"9","user":)" +
                                  std::string(kAnaUser) + R"(},"user":)" + std::string(kAcmeUser) + "}]"));
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  ExpectUser(e.sender(), kAcmeId, "@AcmeHelp", "Acme Support");
  ExpectUser(e.recipients(0), kAnaId, "@ana_k", "Ana");
}

TEST_F(XTweetsTest, DeletedTweetIsADeleteOfIt) {
  const std::string deletion = R"("tweet_delete_events":[{"status":{"id":"1800000000000000001","user_id":"3805104374"},"timestamp_ms":"1718000500000"}])";
  v1::Event e = One(XDeliveryWith(deletion));
  EXPECT_EQ(e.kind(), v1::DELETE);
  EXPECT_EQ(e.direction(), v1::INBOUND);
  EXPECT_EQ(e.provider_message_id(), "delete:1800000000000000001");
  EXPECT_EQ(e.refers_to_provider_message_id(), "1800000000000000001");
  ExpectUser(e.sender(), kAnaId);
  EXPECT_EQ(e.conversation(), "x:tweets:2244994945:3805104374");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'500'000'000);
  EXPECT_EQ(e.flags_size(), 0);

  ctx_.keep_deleted_text = true;
  v1::Event kept = One(XDeliveryWith(deletion));
  EXPECT_THAT(kept.flags(), ElementsAre(kKeepDeletedTextFlag));
}

TEST_F(XTweetsTest, AccountDeletingItsOwnTweetIsTheAccountsEvent) {
  v1::Event e = One(XDeliveryWith(R"("tweet_delete_events":[{"status":{"id":"5","user_id":"2244994945"},"timestamp_ms":"1718000500000"}])"));
  EXPECT_EQ(e.kind(), v1::DELETE);
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  ExpectUser(e.sender(), kAcmeId);
  ExpectAccountItself(e.recipients(0));
  EXPECT_THAT(e.flags(), ElementsAre(kBusinessPartyFlag));
}

TEST_F(XTweetsTest, MissingFieldsAreRefusedNamingTheirPath) {
  EXPECT_EQ(Error(TweetDelivery(R"({"text":"x","user":{"id_str":"1"}})")), "tweet_create_events[0].id_str is missing");
  EXPECT_EQ(Error(TweetDelivery(R"({"id_str":"1","text":"x"})")), "tweet_create_events[0].user is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("tweet_create_events":[{"id_str":"1","user":)" + std::string(kAnaUser) +
                                R"(},{"id_str":"2","user":{"screen_name":"x"}}])")),
            "tweet_create_events[1].user.id_str is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("favorite_events":[{"id":"f","user":{"id_str":"1"}}])")),
            "favorite_events[0].favorited_status is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("favorite_events":[{"id":"f","favorited_status":{"id_str":"1"}}])")),
            "favorite_events[0].user is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("tweet_delete_events":[{"status":{"user_id":"1"}}])")),
            "tweet_delete_events[0].status.id is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("tweet_delete_events":[{"status":{"id":"1"}}])")),
            "tweet_delete_events[0].status.user_id is missing");
}

}  // namespace
}  // namespace omnihub::social
