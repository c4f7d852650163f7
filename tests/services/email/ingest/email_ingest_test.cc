// EmailIngest without sockets: deliveries go through the real parser into a real outbox
// (RocksDB in a temp dir) behind an OutboxEventSink, on an injected worker pool, so what is
// durable when `done` reports OK can be read back.
#include "services/email/ingest/email_ingest.h"

#include "tests/support/fault_injection_fs.h"

#include <stdlib.h>

#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rocksdb/env.h>

#include "common/bus/outbox_event_sink.h"
#include "omnihub/v1/bus.pb.h"

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
  EmailIngestTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-email-ingest-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    fault_env_ = rocksdb::NewCompositeEnv(std::make_shared<testing::WalSyncFileSystem>(sync_control_));
    auto outbox = bus::Outbox::Open(dir_ + "/outbox", "email", random_, {.env = fault_env_.get()});
    EXPECT_TRUE(outbox.ok()) << outbox.status().ToString();
    outbox_ = std::move(*outbox);
    sink_ = std::make_unique<bus::OutboxEventSink>(*outbox_);
    ingest_ = std::make_unique<EmailIngest>(*sink_, normalizer_, ids_, clock_, MimeOptions{}, *pool_);
  }
  ~EmailIngestTest() override {
    pool_.reset();  // as main does: drain the deliveries before what they use goes
    ingest_.reset();
    sink_.reset();
    outbox_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Delivers over SMTP's entry point and waits for its answer (given on a worker).
  base::Status Deliver(std::string message) {
    SmtpEnvelope envelope;
    envelope.mail_from = "ann@example.org";
    envelope.recipients = {"support@shop.example"};
    envelope.remote_address = "192.0.2.7";
    std::promise<base::Status> answer;
    ingest_->Deliver(envelope, std::move(message), [&answer](base::Status s) { answer.set_value(std::move(s)); });
    return answer.get_future().get();
  }
  std::vector<v1::BusFrame> Stored() {
    std::vector<v1::BusFrame> frames;
    auto entries = outbox_->ReadFrom(1, 100);
    EXPECT_TRUE(entries.ok());
    for (const auto& entry : *entries) {
      frames.emplace_back();
      EXPECT_TRUE(frames.back().ParseFromString(entry.frame_bytes));
    }
    return frames;
  }

  std::string dir_;
  base::SeededRandom random_{7};
  base::ManualClock clock_{1'795'000'000'000'000};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  testing::SyncControl sync_control_;
  std::unique_ptr<rocksdb::Env> fault_env_;
  std::unique_ptr<bus::Outbox> outbox_;
  std::unique_ptr<bus::OutboxEventSink> sink_;
  std::unique_ptr<base::WorkerPool> pool_ = std::make_unique<base::WorkerPool>(2);
  std::unique_ptr<EmailIngest> ingest_;
};

TEST_F(EmailIngestTest, DeliveredMessageIsDurableWhenDoneSaysOk) {
  ASSERT_TRUE(Deliver(kMessage).ok());
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(stored[0].event()));
  EXPECT_EQ(event.provider_message_id(), "order-42@example.org");
  EXPECT_THAT(event.text(), HasSubstr("Where is my parcel?"));
}

TEST_F(EmailIngestTest, UnreadableMessageIsKeptAsADeadLetterWithItsRawBytes) {
  ASSERT_TRUE(Deliver("\x01\x02\x03 not mail \xff").ok());
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  ASSERT_TRUE(stored[0].has_rejected());
  EXPECT_EQ(stored[0].rejected().raw(), "\x01\x02\x03 not mail \xff");
  EXPECT_EQ(stored[0].rejected().source(), "email:smtp:192.0.2.7");
}

TEST_F(EmailIngestTest, FailedSyncIsUnavailableSoTheRelayRetries) {
  sync_control_.fail = true;
  base::Status s = Deliver(kMessage);
  EXPECT_TRUE(s.IsUnavailable()) << s.ToString();
  EXPECT_EQ(outbox_->last_sequence(), 0u);
}

}  // namespace
}  // namespace omnihub::email
