// omnihub-sms's request handling without sockets: requests go through the real router,
// signature checks and mappers into a real outbox (RocksDB in a temp dir,
// tests/support/test_outbox.h) behind an OutboxEventSink, so what is durable after each
// answer can be read back.
#include "services/sms/sms_webhooks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/test_outbox.h"
#include "services/sms/form_params.h"
#include "services/sms/twilio/twilio_signature.h"
#include "services/sms/vonage/vonage_signature.h"

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

constexpr char kBase[] = "https://hub.example.com";
constexpr char kToken[] = "test-token";
constexpr char kSecret[] = "test-secret";

std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    for (const std::string* s : {&k, &v}) {
      for (unsigned char c : *s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
          out += static_cast<char>(c);
        } else {
          char buf[4];
          std::snprintf(buf, sizeof buf, "%%%02X", c);
          out += buf;
        }
      }
      if (s == &k) out += '=';
    }
  }
  return out;
}

class SmsWebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }
  void Open() {
    concat_ = std::make_unique<ConcatStore>(box_.sink(), box_.outbox(), normalizer_, ids_);
    SmsAccounts accounts;
    accounts.twilio.push_back({"default", kToken});
    accounts.vonage.push_back({"default", kSecret, VonageSignatureMethod::kMd5Hash});
    webhooks_ = std::make_unique<SmsWebhooks>(accounts, SmsWebhookOptions{kBase, 300}, box_.sink(), *concat_,
                                              normalizer_, ids_, clock_, pool_);
  }
  // A restart of the service: everything but the outbox directory is new.
  void Restart() {
    Close();
    box_.Reopen();
    Open();
  }
  void Close() {
    webhooks_.reset();
    concat_.reset();
  }

  http::HttpResponse Twilio(const std::string& kind, const Params& params, const std::string& token = kToken,
                      const std::string& account = "default") {
    http::HttpRequest r;
    r.method = "POST";
    r.target = r.path = "/twilio/" + account + "/" + kind;
    r.path_params["account"] = account;
    r.body = FormEncode(params);
    r.headers.emplace_back("X-Twilio-Signature", ComputeTwilioSignature(token, kBase + r.target, params));
    return webhooks_->Handle(kind == "messages" ? SmsRoute::kTwilioMessage : SmsRoute::kTwilioStatus, r);
  }
  http::HttpResponse Vonage(Params params) {
    params.emplace_back("timestamp", std::to_string(clock_.NowMicros() / 1000000));
    params.emplace_back("sig", ComputeVonageSignature(VonageSignatureMethod::kMd5Hash, kSecret, params));
    http::HttpRequest r;
    r.method = "GET";
    r.path = "/vonage/default/inbound";
    r.query = FormEncode(params);
    r.target = r.path + "?" + r.query;
    r.path_params["account"] = "default";
    return webhooks_->Handle(SmsRoute::kVonageInbound, r);
  }
  std::vector<v1::Event> Stored() {
    std::vector<v1::Event> out;
    for (const v1::BusFrame& frame : box_.Frames()) {
      v1::Event e;
      EXPECT_TRUE(e.ParseFromString(frame.event()));
      out.push_back(e);
    }
    return out;
  }
  static Params Sms(const std::string& sid) {
    return {{"MessageSid", sid}, {"AccountSid", "AC1"}, {"From", "+14155550100"}, {"To", "+12025550000"},
            {"Body", "hello & goodbye"}, {"NumMedia", "0"}};
  }
  static Params Part(int n, const std::string& text) {
    return {{"msisdn", "447700900001"}, {"to", "447700900999"}, {"messageId", "0A0" + std::to_string(n)},
            {"type", "text"}, {"text", text}, {"concat", "true"}, {"concat-ref", "9"},
            {"concat-total", "3"}, {"concat-part", std::to_string(n)}};
  }

  testing::TestOutbox box_{"sms"};
  base::SeededRandom random_{7};
  base::ManualClock clock_{1'795'000'000'000'000};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  base::WorkerPool pool_{1};
  std::unique_ptr<ConcatStore> concat_;
  std::unique_ptr<SmsWebhooks> webhooks_;
};

TEST_F(SmsWebhooksTest, SignedTwilioMessageIsDurableBeforeTheTwimlAnswer) {
  http::HttpResponse r = Twilio("messages", Sms("SM1"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/xml");
  EXPECT_EQ(r.body, EmptyTwiml().body);
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].provider_message_id(), "SM1");
  EXPECT_EQ(stored[0].text(), "hello & goodbye");
}

TEST_F(SmsWebhooksTest, EveryRefusalStoresNothing) {
  EXPECT_EQ(Twilio("messages", Sms("SM1"), "wrong-token").status, 403);
  EXPECT_EQ(Twilio("messages", Sms("SM1"), kToken, "other").status, 404);
  Params missing = Sms("SM1");
  missing.erase(missing.begin());  // MessageSid
  http::HttpResponse r = Twilio("messages", missing);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("MessageSid"));
  EXPECT_THAT(r.body, HasSubstr("invalid_parameter"));
  EXPECT_TRUE(Stored().empty());
}

TEST_F(SmsWebhooksTest, MultiPartMessageIsJoinedAcrossARestartAndRetriesChangeNothing) {
  EXPECT_EQ(Vonage(Part(2, "b")).status, 200);
  EXPECT_EQ(Vonage(Part(2, "b")).status, 200);  // a provider retry of a held part
  Restart();
  EXPECT_EQ(Vonage(Part(3, "c")).status, 200);
  EXPECT_TRUE(Stored().empty());
  auto pending = concat_->PendingKeys();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 1u);
  EXPECT_EQ(Vonage(Part(1, "a")).status, 200);
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text(), "abc");
  EXPECT_TRUE(concat_->PendingKeys()->empty());
  // A part redelivered after the join is recognized, not kept as a new message's start.
  EXPECT_EQ(Vonage(Part(3, "c")).status, 200);
  EXPECT_TRUE(concat_->PendingKeys()->empty());
  EXPECT_EQ(Stored().size(), 1u);
}

TEST_F(SmsWebhooksTest, JoinedMessageMarkersAreDeletedAfterTheKeepTime) {
  for (int n : {1, 2, 3}) EXPECT_EQ(Vonage(Part(n, "x")).status, 200);
  auto markers = [this] { return box_.outbox().ScanMeta("concat-done/")->size(); };
  EXPECT_EQ(markers(), 3u);
  ASSERT_TRUE(concat_->PurgeDoneMarkers(clock_.NowMicros() + kKeepDoneMarkersUs / 2).ok());
  EXPECT_EQ(markers(), 3u);  // within Vonage's retry window: kept
  ASSERT_TRUE(concat_->PurgeDoneMarkers(clock_.NowMicros() + kKeepDoneMarkersUs + 1).ok());
  EXPECT_EQ(markers(), 0u);
  EXPECT_EQ(Stored().size(), 1u);  // the message itself is untouched
}

TEST_F(SmsWebhooksTest, ReusedConcatRefPublishesTheUnfinishedMessageFlagged) {
  EXPECT_EQ(Vonage(Part(1, "old ")).status, 200);
  Params newer = Part(1, "new ");
  newer[2].second = "0B01";  // another messageId for part 1 of the same reference
  http::HttpResponse r = Vonage(newer);
  EXPECT_EQ(r.status, 200) << r.body;
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text(), "old ");
  EXPECT_THAT(stored[0].flags(), ::testing::Contains(kConcatIncompleteFlag));
  EXPECT_EQ(concat_->PendingKeys()->size(), 1u);
}

// After an erasure (POST /purge) the waiting parts of the erased sender go, in any spelling
// of their number; another sender's parts stay.
TEST_F(SmsWebhooksTest, PartsOfAnErasedSenderAreDropped) {
  EXPECT_EQ(Vonage(Part(1, "a")).status, 200);
  EXPECT_EQ(Vonage(Part(2, "b")).status, 200);
  auto none = concat_->DropPartsOf({"phone:+44 7700 900002"});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, 0u);
  EXPECT_EQ(concat_->PendingKeys()->size(), 1u);
  auto dropped = concat_->DropPartsOf({"phone:+44 7700 900001"});
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  EXPECT_EQ(*dropped, 2u);
  EXPECT_TRUE(concat_->PendingKeys()->empty());
  // The last part alone now starts a message of its own and publishes nothing.
  EXPECT_EQ(Vonage(Part(3, "c")).status, 200);
  EXPECT_TRUE(Stored().empty());
  EXPECT_FALSE(concat_->DropPartsOf({"not an identity"}).ok());
}

}  // namespace
}  // namespace omnihub::sms
