#include "services/social/x/x_activities.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/base/sha256.h"
#include "tests/services/social/x/x_test_fixture.h"

namespace omnihub::social {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;
using XActivitiesTest = XMapperTest;

const std::string kUsers = R"("users":{"3805104374":{"id":"3805104374","name":"Ana","screen_name":"ana_k"},
  "2244994945":{"id":"2244994945","name":"Acme Support","screen_name":"AcmeHelp"}})";

constexpr std::string_view kTyping =
    R"({"created_timestamp":"1718000000777","sender_id":"3805104374","target":{"recipient_id":"2244994945"}})";

TEST_F(XActivitiesTest, TypingIsAnActivityOfTheCustomerInTheirDm) {
  MappedDelivery events = Events(XDeliveryWith(R"("direct_message_indicate_typing_events":[)" + std::string(kTyping) + "]," + kUsers));
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "typing");
  EXPECT_EQ(e.direction(), v1::INBOUND);
  ExpectUser(e.sender(), kAnaId, "@ana_k", "Ana");
  ExpectUser(e.recipients(0), kAcmeId, "@AcmeHelp", "Acme Support");
  EXPECT_EQ(e.conversation(), "x:dm:2244994945:3805104374");
  EXPECT_EQ(e.occurred_at_us(), 1'718'000'000'777'000);
  EXPECT_EQ(e.provider_message_id(), "typing:" + base::Sha256Hex(Dump(*ParseBody(kTyping))).substr(0, 32));
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(kTyping)));
  EXPECT_EQ(e.flags_size(), 0);
}

TEST_F(XActivitiesTest, RetriedActivityKeepsItsIdAndAnotherOneGetsItsOwn) {
  const std::string body = XDeliveryWith(R"("direct_message_indicate_typing_events":[)" + std::string(kTyping) + "]");
  const std::string later = XDeliveryWith(
      R"("direct_message_indicate_typing_events":[{"created_timestamp":"1718000000778","sender_id":"3805104374","target":{"recipient_id":"2244994945"}}])");
  EXPECT_EQ(One(body).provider_message_id(), One(body).provider_message_id());
  EXPECT_NE(One(body).provider_message_id(), One(later).provider_message_id());
}

TEST_F(XActivitiesTest, AccountReadingTheDmIsOutboundToTheCustomer) {
  v1::Event e = One(XDeliveryWith(R"("direct_message_mark_read_events":[{"created_timestamp":"1718000000888","sender_id":"2244994945",
    "target":{"recipient_id":"3805104374"},"last_read_event_id":"1760000000000000001"}],)" + kUsers));
  EXPECT_EQ(e.activity(), "read");
  EXPECT_EQ(e.direction(), v1::OUTBOUND);
  ExpectUser(e.sender(), kAcmeId, "@AcmeHelp", "Acme Support");
  ExpectUser(e.recipients(0), kAnaId, "@ana_k", "Ana");
  EXPECT_EQ(e.conversation(), "x:dm:2244994945:3805104374");
  EXPECT_THAT(e.provider_message_id(), StartsWith("read:"));
}

TEST_F(XActivitiesTest, FollowAndUnfollowNameTheOtherSide) {
  MappedDelivery events = Events(XDeliveryWith(R"("follow_events":[
    {"type":"follow","created_timestamp":"1718000000999","target":{"id":"2244994945","screen_name":"AcmeHelp","name":"Acme Support"},
     "source":{"id":"3805104374","screen_name":"ana_k","name":"Ana"}},
    {"type":"unfollow","created_timestamp":"1718000001000","target":{"id":"77","screen_name":"bo_b","name":"Bo"},
     "source":{"id":"2244994945","screen_name":"AcmeHelp","name":"Acme Support"}}])"));
  ASSERT_EQ(events.size(), 2u);
  const v1::Event& follow = events[0].event;
  EXPECT_EQ(follow.activity(), "follow");
  EXPECT_EQ(follow.direction(), v1::INBOUND);
  ExpectUser(follow.sender(), kAnaId, "@ana_k", "Ana");
  ExpectUser(follow.recipients(0), kAcmeId, "@AcmeHelp", "Acme Support");
  EXPECT_EQ(follow.occurred_at_us(), 1'718'000'000'999'000);
  EXPECT_EQ(follow.conversation(), "");
  const v1::Event& unfollow = events[1].event;
  EXPECT_EQ(unfollow.activity(), "unfollow");
  EXPECT_EQ(unfollow.direction(), v1::OUTBOUND);
  ExpectUser(unfollow.sender(), kAcmeId, "@AcmeHelp", "Acme Support");
  ExpectUser(unfollow.recipients(0), "77", "@bo_b", "Bo");
  EXPECT_NE(follow.provider_message_id(), unfollow.provider_message_id());
}

TEST_F(XActivitiesTest, UnknownArrayIsAnActivityNamedByItsKey) {
  v1::Event e = One(XDeliveryWith(R"("block_events":[{"type":"block","created_timestamp":"1718000002000",
    "source":{"id":"3805104374","screen_name":"ana_k"},"target":{"id":"2244994945"}}])"));
  EXPECT_EQ(e.activity(), "block_events");
  ExpectUser(e.sender(), kAnaId, "@ana_k");
  EXPECT_THAT(e.provider_message_id(), StartsWith("block_events:"));
}

TEST_F(XActivitiesTest, ActivityWithoutUsersIsFromXAboutTheAccount) {
  constexpr std::string_view revoke =
      R"({"revoke":{"date_time":"2024-06-10T06:13:20+00:00","target":{"app_id":"13090192"},"source":{"user_id":"3805104374"}}})";
  MappedDelivery events = Events(XDeliveryWith(R"("user_event":)" + std::string(revoke)));
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& e = events[0].event;
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.activity(), "user_event");
  EXPECT_EQ(e.direction(), v1::INBOUND);
  ExpectAccountItself(e.sender());
  ExpectUser(e.recipients(0), kAcmeId);
  EXPECT_THAT(e.flags(), ElementsAre(kTimeMissingFlag, kBusinessPartyFlag));
  EXPECT_EQ(events[0].raw_json, Dump(*ParseBody(revoke)));
}

TEST_F(XActivitiesTest, ElementWithAnIdIsNamedByIt) {
  v1::Event e = One(XDeliveryWith(R"("mute_events":[{"id":"m1","created_timestamp":"1718000002000"}])"));
  EXPECT_EQ(e.provider_message_id(), "mute_events:m1");
}

TEST_F(XActivitiesTest, MissingFieldsAreRefusedNamingTheirPath) {
  EXPECT_EQ(Error(XDeliveryWith(R"("direct_message_indicate_typing_events":[{"target":{"recipient_id":"1"}}])")),
            "direct_message_indicate_typing_events[0].sender_id is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("direct_message_mark_read_events":[{"sender_id":"1","target":{}}])")),
            "direct_message_mark_read_events[0].target.recipient_id is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("follow_events":[{"type":"follow","target":{"id":"1"}}])")),
            "follow_events[0].source is missing");
  EXPECT_EQ(Error(XDeliveryWith(R"("follow_events":[{"type":"follow","source":{"id":"1"},"target":{"name":"x"}}])")),
            "follow_events[0].target.id is missing");
}

}  // namespace
}  // namespace omnihub::social
