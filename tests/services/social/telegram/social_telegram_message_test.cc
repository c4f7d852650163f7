#include "services/social/telegram/telegram_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/services/social/telegram/telegram_test_fixture.h"

namespace omnihub::social {
namespace {

using TelegramMessageTest = TelegramMapperTest;

// An update holding a private message from user 123456789 (Ana) with `content` added.
std::string MessageWith(std::string_view content, int message_id = 50) {
  return R"({"update_id":100,"message":{"message_id":)" + std::to_string(message_id) +
         R"(,"date":1718000000,"from":{"id":123456789,"first_name":"Ana"},"chat":{"id":123456789,"type":"private"},)" +
         std::string(content) + "}}";
}

TEST_F(TelegramMessageTest, AlbumPhotosKeepTheirLargestSizeInTheChatsConversation) {
  v1::Event first = One(MessageWith(R"("media_group_id":"13579","caption":"both receipts",
    "caption_entities":[{"type":"bold","offset":0,"length":4}],
    "photo":[{"file_id":"A-small","file_unique_id":"a1","width":90,"height":67,"file_size":1200},
             {"file_id":"A-large","file_unique_id":"a3","width":1280,"height":960,"file_size":98000},
             {"file_id":"A-medium","file_unique_id":"a2","width":320,"height":240,"file_size":15000}])",
                                 50));
  v1::Event second = One(MessageWith(R"("media_group_id":"13579",
    "photo":[{"file_id":"B-small","width":67,"height":90},{"file_id":"B-large","width":960,"height":1280,"file_size":77000}])",
                                  51));
  ASSERT_EQ(first.attachments_size(), 1);
  EXPECT_EQ(first.attachments(0).storage_ref(), "telegram-file:A-large");
  EXPECT_EQ(first.attachments(0).media_type(), "image/jpeg");
  EXPECT_EQ(first.attachments(0).size_bytes(), 98000u);
  EXPECT_EQ(first.attachments(0).name(), "");
  EXPECT_EQ(first.text(), "both receipts");
  EXPECT_EQ(first.provider_fields().at(kTelegramEntitiesField), R"([{"length":4,"offset":0,"type":"bold"}])");
  EXPECT_EQ(first.provider_fields().at(kTelegramMediaKindField), "photo");
  ASSERT_EQ(second.attachments_size(), 1);
  EXPECT_EQ(second.attachments(0).storage_ref(), "telegram-file:B-large");
  EXPECT_EQ(second.text(), "");
  EXPECT_EQ(first.provider_fields().at("media_group_id"), "13579");
  EXPECT_EQ(second.provider_fields().at("media_group_id"), "13579");
  EXPECT_EQ(first.conversation(), "telegram:main:123456789");
  EXPECT_EQ(second.conversation(), first.conversation());
  EXPECT_EQ(first.provider_message_id(), "123456789:50");
  EXPECT_EQ(second.provider_message_id(), "123456789:51");
}

TEST_F(TelegramMessageTest, PhotoSizesOfEqualAreaAreToldApartByFileSize) {
  v1::Event e = One(MessageWith(R"("photo":[{"file_id":"light","width":800,"height":600,"file_size":50000},
    {"file_id":"heavy","width":600,"height":800,"file_size":70000},{"file_id":"","width":4000,"height":3000}])"));
  ASSERT_EQ(e.attachments_size(), 1);
  EXPECT_EQ(e.attachments(0).storage_ref(), "telegram-file:heavy");
}

TEST_F(TelegramMessageTest, DocumentIsOneAttachmentWithItsNameTypeAndSize) {
  v1::Event e = One(MessageWith(R"("caption":"invoice","document":{"file_id":"DOC1","file_unique_id":"u",
    "file_name":"invoice-1234.pdf","mime_type":"application/pdf","file_size":48213})"));
  ASSERT_EQ(e.attachments_size(), 1);
  EXPECT_EQ(e.attachments(0).name(), "invoice-1234.pdf");
  EXPECT_EQ(e.attachments(0).media_type(), "application/pdf");
  EXPECT_EQ(e.attachments(0).storage_ref(), "telegram-file:DOC1");
  EXPECT_EQ(e.attachments(0).size_bytes(), 48213u);
  EXPECT_EQ(e.provider_fields().at(kTelegramMediaKindField), "document");
  EXPECT_EQ(e.text(), "invoice");
}

TEST_F(TelegramMessageTest, AnimationIsKeptOnceThoughTelegramAlsoSendsItAsADocument) {
  v1::Event e = One(MessageWith(R"("animation":{"file_id":"GIF1","file_name":"dance.mp4","mime_type":"video/mp4","file_size":10},
    "document":{"file_id":"GIF1","file_name":"dance.mp4","mime_type":"video/mp4","file_size":10})"));
  ASSERT_EQ(e.attachments_size(), 1);
  EXPECT_EQ(e.attachments(0).storage_ref(), "telegram-file:GIF1");
  EXPECT_EQ(e.provider_fields().at(kTelegramMediaKindField), "animation");
}

TEST_F(TelegramMessageTest, VoiceAndVideoNoteKeepWhatTelegramSays) {
  v1::Event voice = One(MessageWith(R"("voice":{"file_id":"V1","duration":3,"mime_type":"audio/ogg","file_size":5000})"));
  ASSERT_EQ(voice.attachments_size(), 1);
  EXPECT_EQ(voice.attachments(0).media_type(), "audio/ogg");
  EXPECT_EQ(voice.provider_fields().at(kTelegramMediaKindField), "voice");
  v1::Event note = One(MessageWith(R"("video_note":{"file_id":"N1","length":240,"duration":5})"));
  ASSERT_EQ(note.attachments_size(), 1);
  EXPECT_EQ(note.attachments(0).media_type(), "");
  EXPECT_EQ(note.attachments(0).size_bytes(), 0u);
  EXPECT_EQ(note.provider_fields().at(kTelegramMediaKindField), "video_note");
}

TEST_F(TelegramMessageTest, StickerTypeFollowsItsFormat) {
  v1::Event still = One(MessageWith(R"("sticker":{"file_id":"S1","width":512,"height":512,"is_animated":false,"is_video":false,"emoji":"x"})"));
  ASSERT_EQ(still.attachments_size(), 1);
  EXPECT_EQ(still.attachments(0).media_type(), "image/webp");
  EXPECT_EQ(still.provider_fields().at(kTelegramMediaKindField), "sticker");
  v1::Event animated = One(MessageWith(R"("sticker":{"file_id":"S2","is_animated":true,"is_video":false})"));
  EXPECT_EQ(animated.attachments(0).media_type(), "application/x-tgsticker");
  v1::Event video = One(MessageWith(R"("sticker":{"file_id":"S3","is_animated":false,"is_video":true})"));
  EXPECT_EQ(video.attachments(0).media_type(), "video/webm");
}

TEST_F(TelegramMessageTest, MediaWithoutAFileIdIsNoAttachment) {
  v1::Event e = One(MessageWith(R"("document":{"file_name":"x.pdf"},"photo":[{"width":1,"height":1}])"));
  EXPECT_EQ(e.attachments_size(), 0);
  EXPECT_FALSE(e.provider_fields().contains(kTelegramMediaKindField));
}

TEST_F(TelegramMessageTest, LocationBecomesFieldsAndAText) {
  v1::Event e = One(MessageWith(R"("location":{"latitude":52.520008,"longitude":-13.404954})"));
  EXPECT_EQ(e.provider_fields().at("location.latitude"), "52.520008");
  EXPECT_EQ(e.provider_fields().at("location.longitude"), "-13.404954");
  EXPECT_EQ(e.text(), "location 52.520008,-13.404954");
}

TEST_F(TelegramMessageTest, VenueSaysMoreThanItsLocation) {
  v1::Event e = One(MessageWith(R"("location":{"latitude":38.7,"longitude":-9.1},
    "venue":{"location":{"latitude":38.7,"longitude":-9.1},"title":"Acme Store","address":"Rua Augusta 1"})"));
  EXPECT_EQ(e.provider_fields().at("venue.title"), "Acme Store");
  EXPECT_EQ(e.provider_fields().at("venue.address"), "Rua Augusta 1");
  EXPECT_EQ(e.provider_fields().at("location.latitude"), "38.7");
  EXPECT_EQ(e.text(), "venue Acme Store, Rua Augusta 1");
}

TEST_F(TelegramMessageTest, SharedOwnContactLinksTheSenderToTheirPhone) {
  v1::Event e = One(MessageWith(
      R"("contact":{"phone_number":"351912345678","first_name":"Ana","last_name":"K","user_id":123456789,"vcard":"BEGIN:VCARD"})"));
  EXPECT_EQ(e.text(), "Ana K 351912345678");
  EXPECT_EQ(e.provider_fields().at("contact.phone_number"), "351912345678");
  EXPECT_EQ(e.provider_fields().at("contact.first_name"), "Ana");
  EXPECT_EQ(e.provider_fields().at("contact.last_name"), "K");
  EXPECT_EQ(e.provider_fields().at("contact.user_id"), "123456789");
  EXPECT_EQ(e.provider_fields().at("contact.vcard"), "BEGIN:VCARD");
  ASSERT_EQ(e.party_links_size(), 1);
  EXPECT_EQ(e.party_links(0).identity().kind(), v1::Identity::PHONE);
  EXPECT_EQ(e.party_links(0).identity().value(), "+351912345678");
  EXPECT_EQ(e.party_links(0).reason(), "telegram: the sender shared their own contact (contact.user_id equals from.id)");
  EXPECT_EQ(e.sender().value(), "123456789");
}

TEST_F(TelegramMessageTest, OwnContactInNationalFormIsReadInTheDefaultRegion) {
  v1::Event e = One(MessageWith(R"("contact":{"phone_number":"(415) 555-0100","first_name":"Ana","user_id":"123456789"})"));
  ASSERT_EQ(e.party_links_size(), 1);
  EXPECT_EQ(e.party_links(0).identity().value(), "+14155550100");
}

TEST_F(TelegramMessageTest, SomebodyElsesContactLinksNothing) {
  v1::Event other = One(MessageWith(R"("contact":{"phone_number":"+14155550100","first_name":"Bo","user_id":987})"));
  EXPECT_EQ(other.party_links_size(), 0);
  EXPECT_EQ(other.text(), "Bo +14155550100");
  EXPECT_EQ(other.provider_fields().at("contact.user_id"), "987");
  v1::Event no_user = One(MessageWith(R"("contact":{"phone_number":"+14155550100","first_name":"Bo"})"));
  EXPECT_EQ(no_user.party_links_size(), 0);
  EXPECT_FALSE(no_user.provider_fields().contains("contact.user_id"));
}

TEST_F(TelegramMessageTest, OwnContactWithAnUnreadableNumberIsKeptButLinksNothing) {
  v1::Event e = One(MessageWith(R"("contact":{"phone_number":"call me","first_name":"Ana","user_id":123456789})"));
  EXPECT_EQ(e.party_links_size(), 0);
  EXPECT_EQ(e.provider_fields().at("contact.phone_number"), "call me");
}

TEST_F(TelegramMessageTest, TextEntitiesAndTopicAreKept) {
  v1::Event e = One(MessageWith(R"("text":"/start now","entities":[{"type":"bot_command","offset":0,"length":6}],
    "message_thread_id":77)"));
  EXPECT_EQ(e.text(), "/start now");
  EXPECT_EQ(e.provider_fields().at(kTelegramEntitiesField), R"([{"length":6,"offset":0,"type":"bot_command"}])");
  EXPECT_EQ(e.provider_fields().at("message_thread_id"), "77");
  EXPECT_FALSE(e.provider_fields().contains("media_group_id"));
}

TEST_F(TelegramMessageTest, ReplyWithoutItsChatIsInTheMessagesChat) {
  v1::Event e = One(MessageWith(R"("text":"yes","reply_to_message":{"message_id":40,"date":1717990000})"));
  EXPECT_EQ(e.provider_fields().at(kReplyToField), "123456789:40");
}

}  // namespace
}  // namespace omnihub::social
