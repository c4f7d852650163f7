// omnihub-social's request handling without sockets: requests go through the real
// authentication checks and mappers into a real outbox (RocksDB in a temp dir,
// tests/support/test_outbox.h) behind an OutboxEventSink, so what is durable after each
// answer can be read back; a failing disk is the outbox's fault-injecting file system.
#include "services/social/social_webhooks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/base/coding.h"
#include "common/http/webhook_auth.h"
#include "services/social/x/x_signature.h"
#include "tests/support/test_outbox.h"

namespace omnihub::social {
namespace {

using ::testing::HasSubstr;

constexpr char kAppSecret[] = "test-app-secret";
constexpr char kVerifyToken[] = "test-verify-token";
constexpr char kTelegramSecret[] = "test-telegram-secret";
constexpr char kXSecret[] = "test-x-secret";

// A WhatsApp Cloud delivery of `count` text messages from one number, in Meta's shape.
std::string WhatsAppDelivery(int count, const std::string& id_prefix = "wamid.T") {
  std::string messages;
  for (int i = 0; i < count; ++i) {
    if (i > 0) messages += ",";
    messages += R"({"from":"16505551234","id":")" + id_prefix + std::to_string(i) +
                R"(","timestamp":"1718000000","type":"text","text":{"body":"message )" + std::to_string(i) + R"("}})";
  }
  return R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",)"
         R"("value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",)"
         R"("phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],)"
         R"("messages":[)" +
         messages + "]}}]}]}";
}

std::string MetaSignature(const std::string& secret, const std::string& body) {
  return "sha256=" + base::HexEncode(http::Hmac(http::Digest::kSha256, secret, body));
}

class SocialWebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { webhooks_.reset(); }
  void Open() {
    SocialAccounts accounts;
    accounts.meta.push_back({"default", kAppSecret, kVerifyToken});
    accounts.telegram.push_back({"default", kTelegramSecret});
    accounts.x.push_back({"default", kXSecret});
    webhooks_ = std::make_unique<SocialWebhooks>(accounts, SocialWebhookOptions{}, box_.sink(), normalizer_, ids_,
                                                 clock_);
  }
  // A restart of the service: everything but the outbox directory is new.
  void Restart() {
    webhooks_.reset();
    box_.Reopen();
    Open();
  }

  static http::HttpRequest Request(std::string method, std::string path, std::string account) {
    http::HttpRequest r;
    r.method = std::move(method);
    r.target = r.path = std::move(path);
    r.path_params["account"] = std::move(account);
    return r;
  }
  http::HttpResponse Meta(const std::string& body, std::optional<std::string> signature, std::string account = "default") {
    http::HttpRequest r = Request("POST", "/meta/" + account, account);
    r.body = body;
    if (signature) r.headers.emplace_back("X-Hub-Signature-256", *signature);
    return webhooks_->Handle(SocialRoute::kMetaDelivery, r);
  }
  http::HttpResponse SignedMeta(const std::string& body) { return Meta(body, MetaSignature(kAppSecret, body)); }
  http::HttpResponse Get(SocialRoute route, const std::string& path, const std::string& query) {
    http::HttpRequest r = Request("GET", path, "default");
    r.query = query;
    r.target = path + "?" + query;
    return webhooks_->Handle(route, r);
  }
  http::HttpResponse Telegram(const std::string& body, std::optional<std::string> secret) {
    http::HttpRequest r = Request("POST", "/telegram/default", "default");
    r.body = body;
    if (secret) r.headers.emplace_back("X-Telegram-Bot-Api-Secret-Token", *secret);
    return webhooks_->Handle(SocialRoute::kTelegramUpdate, r);
  }
  http::HttpResponse X(const std::string& body, std::optional<std::string> signature) {
    http::HttpRequest r = Request("POST", "/x/default", "default");
    r.body = body;
    if (signature) r.headers.emplace_back("x-twitter-webhooks-signature", *signature);
    return webhooks_->Handle(SocialRoute::kXDelivery, r);
  }
  std::vector<v1::BusFrame> Frames() { return box_.Frames(); }
  std::vector<v1::Event> Stored() {
    std::vector<v1::Event> out;
    for (const v1::BusFrame& frame : box_.Frames()) {
      v1::Event e;
      EXPECT_TRUE(e.ParseFromString(frame.event()));
      out.push_back(e);
    }
    return out;
  }

  testing::TestOutbox box_{"social"};
  base::SeededRandom random_{7};
  base::ManualClock clock_{1'795'000'000'000'000};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  std::unique_ptr<SocialWebhooks> webhooks_;
};

TEST_F(SocialWebhooksTest, SignedWhatsAppDeliveryIsDurableBeforeTheAnswer) {
  http::HttpResponse r = SignedMeta(WhatsAppDelivery(2));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"accepted":2})");
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].provider_message_id(), "wamid.T0");
  EXPECT_EQ(stored[1].provider_message_id(), "wamid.T1");
  EXPECT_EQ(stored[0].received_at_us(), clock_.NowMicros());
  EXPECT_EQ(stored[0].event_id().size(), 16u);
  EXPECT_NE(stored[0].event_id(), stored[1].event_id());
  EXPECT_EQ(stored[0].sender().value(), "+16505551234");
}

TEST_F(SocialWebhooksTest, EveryRefusalStoresNothing) {
  const std::string body = WhatsAppDelivery(1);
  EXPECT_EQ(Meta(body, std::nullopt).status, 403);
  EXPECT_EQ(Meta(body, MetaSignature("wrong-secret", body)).status, 403);
  std::string changed = body;
  changed[changed.find("message 0")] = 'M';
  EXPECT_EQ(Meta(changed, MetaSignature(kAppSecret, body)).status, 403);
  EXPECT_EQ(Meta(body, MetaSignature(kAppSecret, body), "other").status, 404);
  const std::string no_entry = R"({"object":"page"})";
  http::HttpResponse bad = SignedMeta(no_entry);
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("entry is missing"));
  EXPECT_EQ(SignedMeta("{not json").status, 400);
  EXPECT_EQ(Telegram(R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"x"}})",
                     "wrong")
                .status,
            403);
  EXPECT_EQ(Telegram("{}", std::nullopt).status, 403);
  EXPECT_EQ(X(R"({"for_user_id":"1"})", std::nullopt).status, 403);
  EXPECT_EQ(X(R"({"for_user_id":"1"})", XSignature("wrong", R"({"for_user_id":"1"})")).status, 403);
  EXPECT_TRUE(Frames().empty());
}

TEST_F(SocialWebhooksTest, MetaHandshakeAnswersTheChallengeOnlyForTheVerifyToken) {
  http::HttpResponse ok = Get(SocialRoute::kMetaHandshake, "/meta/default",
                              std::string("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=") + kVerifyToken);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_EQ(Get(SocialRoute::kMetaHandshake, "/meta/default",
                "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong")
                .status,
            403);
  EXPECT_EQ(Get(SocialRoute::kMetaHandshake, "/meta/default",
                std::string("hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=") + kVerifyToken)
                .status,
            403);
}

TEST_F(SocialWebhooksTest, XCrcAnswersTheResponseToken) {
  http::HttpResponse r = Get(SocialRoute::kXCrc, "/x/default", "crc_token=abc123");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"response_token":")" + XSignature(kXSecret, "abc123") + R"("})");
  EXPECT_EQ(Get(SocialRoute::kXCrc, "/x/default", "").status, 400);
}

TEST_F(SocialWebhooksTest, FiftyMessagesAreStoredAllOrNothingAndTheRetryStoresThemOnce) {
  const std::string body = WhatsAppDelivery(50);
  // The disk fails the synced write that holds the whole delivery: none of its 50 events is
  // promised, and the platform is told to retry.
  box_.sync().fail = true;
  http::HttpResponse failed = SignedMeta(body);
  EXPECT_EQ(failed.status, 503);
  EXPECT_THAT(failed.body, HasSubstr("retry"));
  box_.sync().fail = false;
  Restart();
  // The unsynced batch may survive in the log, but only whole (bus::EventSink): never part of it.
  const size_t survived = Frames().size();
  EXPECT_TRUE(survived == 0 || survived == 50) << survived;
  // Meta's retry of the same delivery: all 50 again, in one write, in order. The unifier keeps
  // one entry per message id (tests/e2e/test_social_webhooks.py counts them there).
  http::HttpResponse retried = SignedMeta(body);
  ASSERT_EQ(retried.status, 200) << retried.body;
  auto stored = Stored();
  ASSERT_EQ(stored.size(), survived + 50);
  std::set<std::string> ids;
  for (size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(stored[survived + i].provider_message_id(), "wamid.T" + std::to_string(i));
    ids.insert(stored[survived + i].provider_message_id());
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST_F(SocialWebhooksTest, ActivityEventsCarryTheirRawPayloadAsABlob) {
  const std::string body = R"({"update_id":77,"my_chat_member":{"chat":{"id":5,"type":"private"},)"
                           R"("from":{"id":5,"is_bot":false,"first_name":"Ana"},"date":1718000000,)"
                           R"("old_chat_member":{"status":"member","user":{"id":9,"is_bot":true,"first_name":"B"}},)"
                           R"("new_chat_member":{"status":"kicked","user":{"id":9,"is_bot":true,"first_name":"B"}}}})";
  http::HttpResponse r = Telegram(body, kTelegramSecret);
  ASSERT_EQ(r.status, 200) << r.body;
  auto frames = Frames();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_EQ(frames[0].blobs_size(), 1);
  v1::Event e;
  ASSERT_TRUE(e.ParseFromString(frames[0].event()));
  EXPECT_EQ(e.kind(), v1::ACTIVITY);
  EXPECT_EQ(e.raw().store(), "blob");
  EXPECT_EQ(e.raw().media_type(), "application/json");
  EXPECT_EQ(e.raw().size_bytes(), frames[0].blobs(0).data().size());
  EXPECT_THAT(frames[0].blobs(0).data(), HasSubstr("my_chat_member"));
}

}  // namespace
}  // namespace omnihub::social
