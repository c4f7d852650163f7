// EmailIngest without sockets: deliveries go through the real parser into a real outbox
// (RocksDB in a temp dir, tests/support/test_outbox.h) behind an OutboxEventSink, on an
// injected worker pool, so what is durable when `done` reports OK can be read back.
#include "services/email/ingest/email_ingest.h"

#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/test_outbox.h"

namespace omnihub::email {
namespace {

using ::testing::HasSubstr;

constexpr char kMessage[] =
    "From: Ann Customer <ann@example.org>\r\n"
    "To: support@shop.example\r\n"
    "Subject: Order 42\r\n"
    "Message-ID: <order-42@example.org>\r\n"
    "Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n"
    "\r\n"
    "Where is my parcel?\r\n";

class EmailIngestTest : public ::testing::Test {
 protected:
  ~EmailIngestTest() override {
    pool_.reset();  // as main does: the deliveries taken finish before what they use goes
  }

  // Delivers over SMTP's entry point and waits for its answer (given on a worker).
  base::Status Deliver(std::string message) {
    SmtpEnvelope envelope;
    envelope.mail_from = "ann@example.org";
    envelope.recipients = {"support@shop.example"};
    envelope.remote_address = "192.0.2.7";
    std::promise<base::Status> answer;
    ingest_.Deliver(envelope, std::move(message), [&answer](base::Status s) { answer.set_value(std::move(s)); });
    return answer.get_future().get();
  }

  testing::TestOutbox box_{"email"};
  base::SeededRandom random_{7};
  base::ManualClock clock_{1'795'000'000'000'000};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  std::unique_ptr<base::WorkerPool> pool_ = std::make_unique<base::WorkerPool>(2);
  EmailIngest ingest_{box_.sink(), normalizer_, ids_, clock_, MimeOptions{}, *pool_};
};

TEST_F(EmailIngestTest, DeliveredMessageIsDurableWhenDoneSaysOk) {
  ASSERT_TRUE(Deliver(kMessage).ok());
  auto stored = box_.Frames();
  ASSERT_EQ(stored.size(), 1u);
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(stored[0].event()));
  EXPECT_EQ(event.provider_message_id(), "order-42@example.org");
  EXPECT_THAT(event.text(), HasSubstr("Where is my parcel?"));
}

TEST_F(EmailIngestTest, UnreadableMessageIsKeptAsADeadLetterWithItsRawBytes) {
  ASSERT_TRUE(Deliver("\x01\x02\x03 not mail \xff").ok());
  auto stored = box_.Frames();
  ASSERT_EQ(stored.size(), 1u);
  ASSERT_TRUE(stored[0].has_rejected());
  EXPECT_EQ(stored[0].rejected().raw(), "\x01\x02\x03 not mail \xff");
  EXPECT_EQ(stored[0].rejected().source(), "email:smtp:192.0.2.7");
}

TEST_F(EmailIngestTest, FailedSyncIsUnavailableSoTheRelayRetries) {
  box_.sync().fail = true;
  base::Status s = Deliver(kMessage);
  EXPECT_TRUE(s.IsUnavailable()) << s.ToString();
  EXPECT_EQ(box_.outbox().last_sequence(), 0u);
}

}  // namespace
}  // namespace omnihub::email
