#include "services/social/x/x_mapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/services/social/x/x_test_fixture.h"

namespace omnihub::social {
namespace {

using ::testing::HasSubstr;

TEST_F(XMapperTest, MissingForUserIdIsRefused) {
  EXPECT_EQ(Error(R"({"tweet_create_events":[]})"), "for_user_id is missing");
  EXPECT_EQ(Error(R"({"for_user_id":"","tweet_create_events":[]})"), "for_user_id is empty");
  EXPECT_EQ(Error(R"({"for_user_id":{"id":"1"}})"), "for_user_id must be a string or an integer id");
}

TEST_F(XMapperTest, BodyThatIsNotOneJsonObjectIsRefused) {
  EXPECT_EQ(Error(R"(["for_user_id"])"), "request body must be a JSON object, got array");
  EXPECT_THAT(Error("{\"for_user_id\":\"1\""), HasSubstr("request body is not valid JSON"));
}

TEST_F(XMapperTest, NumericForUserIdIsItsDecimalText) {
  v1::Event e = One(R"({"for_user_id":2244994945,"favorite_events":[{"id":"f1","favorited_status":{"id_str":"9"},
    "user":{"id_str":"3805104374"}}]})");
  EXPECT_EQ(e.account(), "2244994945");
}

TEST_F(XMapperTest, DeliveryWithoutActivitiesHasNoEvents) {
  EXPECT_TRUE(Events(XDeliveryWith(R"("user_has_blocked":false,"apps":{"1":{"id":"1","name":"App"}},"tweet_create_events":[])")).empty());
}

TEST_F(XMapperTest, EveryArrayOfADeliveryIsMappedInTheOrderOfItsName) {
  MappedDelivery events = Events(XDeliveryWith(R"("tweet_delete_events":[{"status":{"id":"5","user_id":"3805104374"}}],
    "favorite_events":[{"id":"f1","favorited_status":{"id_str":"9"},"user":{"id_str":"3805104374"}}])"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event.kind(), v1::REACTION);
  EXPECT_EQ(events[1].event.kind(), v1::DELETE);
}

TEST_F(XMapperTest, OneBadElementRefusesTheWholeDelivery) {
  EXPECT_EQ(Error(XDeliveryWith(R"("favorite_events":[{"id":"f1","favorited_status":{"id_str":"9"},"user":{"id_str":"3805104374"}},
    {"id":"f2","favorited_status":{}}])")),
            "favorite_events[1].favorited_status.id_str is missing");
}

TEST_F(XMapperTest, AnUnusableUserIdIsRefusedNamingWhereItCameFrom) {
  const std::string long_id(300, '7');
  EXPECT_THAT(Error(R"({"for_user_id":")" + long_id + R"("})"), HasSubstr("for_user_id: user id of platform 'x' is longer"));
  EXPECT_THAT(Error(XDeliveryWith(R"("tweet_delete_events":[{"status":{"id":"5","user_id":")" + long_id + R"("}}])")),
              HasSubstr("tweet_delete_events[0].status.user_id: user id"));
}

}  // namespace
}  // namespace omnihub::social
