// Delivery statuses end to end through the unifier's logic: BatchProcessor stores them beside
// the timelines, QueryService attaches them to their messages in life order.
#include "services/unifier/store/delivery_statuses.h"

#include <gtest/gtest.h>

#include <set>

#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kSecond = 1'000'000;
const v1::Identity kBusiness = Phone("+14155550000");
const v1::Identity kAna = Phone("+14155550100");
const v1::Identity kBen = Phone("+14155550111");

class DeliveryStatusTest : public ::testing::Test {
 protected:
  // An outbound SMS from the business to `customer`, with the provider id `sid`.
  v1::Event Outbound(const std::string& sid, const v1::Identity& customer, int64_t at) {
    v1::Event e = h_.MakeEvent(v1::SMS, sid, kBusiness, at);
    e.set_direction(v1::OUTBOUND);
    *e.add_recipients() = customer;
    return e;
  }

  // A status callback on the message `sid`, as the SMS adapter builds it.
  v1::Event Status(const std::string& sid, const std::string& state, int32_t stage, int64_t at,
                   const std::string& error_code = "", const v1::Identity& customer = kAna) {
    v1::Event e = Outbound(sid + "/" + state + (error_code.empty() ? "" : "/" + error_code), customer, at);
    e.set_kind(v1::STATUS);
    e.set_text("");
    e.set_refers_to_provider_message_id(sid);
    e.mutable_delivery_status()->set_state(state);
    e.mutable_delivery_status()->set_stage(stage);
    e.mutable_delivery_status()->set_error_code(error_code);
    return e;
  }

  BatchResult Send(const std::vector<v1::Event>& events) {
    std::vector<std::string> frames;
    for (const auto& e : events) frames.push_back(UnifierHarness::Frame("p", ++seq_, e));
    return h_.Process(std::move(frames));
  }

  v1::TimelineResponse Timeline(const v1::Identity& who) {
    QueryService q(h_.store(), h_.normalizer(), {});
    v1::QueryRequest req;
    *req.mutable_timeline()->mutable_customer()->mutable_identity() = who;
    auto resp = q.Handle(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.timeline();
  }

  // The states attached to the message with provider id `sid` on `who`'s timeline, in order.
  std::vector<std::string> States(const v1::Identity& who, const std::string& sid) {
    const v1::TimelineResponse t = Timeline(who);
    std::string event_id;
    for (const auto& e : t.events()) {
      if (e.provider_message_id() == sid) event_id = e.event_id();
    }
    EXPECT_FALSE(event_id.empty()) << sid << " is not on the timeline";
    std::vector<std::string> states;
    for (const auto& m : t.statuses()) {
      if (m.event_id() != event_id) continue;
      for (const auto& s : m.statuses()) states.push_back(s.delivery_status().state());
    }
    return states;
  }

  std::vector<v1::ExportEntry> ExportAll(uint32_t page) {
    QueryService q(h_.store(), h_.normalizer(), {});
    std::vector<v1::ExportEntry> all;
    std::string cursor;
    do {
      v1::QueryRequest req;
      req.mutable_export_()->set_cursor(cursor);
      req.mutable_export_()->set_limit(page);
      auto resp = q.Handle(req);
      EXPECT_FALSE(resp.has_error()) << resp.error().message();
      if (resp.has_error()) break;
      EXPECT_LE(resp.export_().entries_size(), static_cast<int>(page));
      for (const auto& e : resp.export_().entries()) all.push_back(e);
      cursor = resp.export_().next_cursor();
    } while (!cursor.empty());
    return all;
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
};

TEST_F(DeliveryStatusTest, SentThenDeliveredEndsDelivered) {
  Send({Outbound("SM1", kAna, kT0)});
  Send({Status("SM1", "sent", 40, kT0 + kSecond)});
  Send({Status("SM1", "delivered", 50, kT0 + 2 * kSecond)});
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"sent", "delivered"}));
}

TEST_F(DeliveryStatusTest, DeliveredArrivingBeforeSentIsPutInLifeOrder) {
  Send({Outbound("SM1", kAna, kT0)});
  // The callbacks overtook each other, and the carrier even stamped "sent" later.
  Send({Status("SM1", "delivered", 50, kT0 + 2 * kSecond)});
  Send({Status("SM1", "sent", 40, kT0 + 3 * kSecond)});
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"sent", "delivered"}));
}

TEST_F(DeliveryStatusTest, ShuffledLifeIsReadBackInLifeOrder) {
  Send({Outbound("SM1", kAna, kT0)});
  Send({Status("SM1", "read", 60, kT0 + 4 * kSecond), Status("SM1", "delivered", 50, kT0 + 3 * kSecond)});
  Send({Status("SM1", "queued", 20, kT0 + kSecond), Status("SM1", "sent", 40, kT0 + 2 * kSecond)});
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"queued", "sent", "delivered", "read"}));
}

TEST_F(DeliveryStatusTest, SameStageIsOrderedByTime) {
  Send({Outbound("SM1", kAna, kT0)});
  Send({Status("SM1", "failed", 50, kT0 + 5 * kSecond, "30003"), Status("SM1", "undelivered", 50, kT0 + kSecond)});
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"undelivered", "failed"}));
}

TEST_F(DeliveryStatusTest, StatusBeforeItsMessageIsAttachedWhenTheMessageArrives) {
  auto early = Send({Status("SM7", "delivered", 50, kT0 + kSecond)});
  EXPECT_TRUE(early.changes.empty());  // no message, no customer to tell
  EXPECT_EQ(h_.processor().counters().statuses, 1u);
  EXPECT_EQ(h_.processor().counters().customers, 0u);  // a status creates no customer

  Send({Outbound("SM7", kAna, kT0)});
  EXPECT_EQ(States(kAna, "SM7"), (std::vector<std::string>{"delivered"}));
}

TEST_F(DeliveryStatusTest, RetriedCallbackIsStoredOnceAndCountedAsDuplicate) {
  Send({Outbound("SM1", kAna, kT0)});
  Send({Status("SM1", "failed", 50, kT0 + kSecond, "30003")});
  // The provider resends the callback (new event id); in another batch and in the same one.
  Send({Status("SM1", "failed", 50, kT0 + kSecond, "30003"), Status("SM1", "failed", 50, kT0 + kSecond, "30003")});
  // Another error code is another report.
  Send({Status("SM1", "failed", 50, kT0 + 2 * kSecond, "30005")});
  EXPECT_EQ(h_.processor().counters().statuses, 2u);
  EXPECT_EQ(h_.processor().counters().duplicates, 2u);
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"failed", "failed"}));
}

TEST_F(DeliveryStatusTest, StatusIsNotATimelineEntry) {
  Send({Outbound("SM1", kAna, kT0), Status("SM1", "sent", 40, kT0 + kSecond),
        Status("SM1", "delivered", 50, kT0 + 2 * kSecond)});
  const auto t = Timeline(kAna);
  ASSERT_EQ(t.events_size(), 1);
  EXPECT_EQ(t.events(0).kind(), v1::MESSAGE);
  EXPECT_EQ(t.customer().event_count(), 1u);
  EXPECT_EQ(h_.processor().counters().events, 1u);
  EXPECT_EQ(h_.processor().counters().statuses, 2u);
}

TEST_F(DeliveryStatusTest, StatusesOfDifferentMessagesDoNotMix) {
  // SM1 is a prefix of SM12: the length prefix in the key keeps them apart.
  Send({Outbound("SM1", kAna, kT0), Outbound("SM12", kAna, kT0 + kSecond), Outbound("SM2", kBen, kT0)});
  Send({Status("SM1", "delivered", 50, kT0 + 3 * kSecond), Status("SM12", "failed", 50, kT0 + 3 * kSecond, "30006"),
        Status("SM2", "sent", 40, kT0 + 3 * kSecond, "", kBen)});
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"delivered"}));
  EXPECT_EQ(States(kAna, "SM12"), (std::vector<std::string>{"failed"}));
  EXPECT_EQ(States(kBen, "SM2"), (std::vector<std::string>{"sent"}));
  // A WhatsApp status with the same id belongs to a WhatsApp message, not to the SMS.
  v1::Event wa = Status("SM1", "read", 60, kT0 + 4 * kSecond);
  wa.set_channel(v1::WHATSAPP);
  Send({wa});
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"delivered"}));
}

TEST_F(DeliveryStatusTest, StatusOfKnownMessageNotifiesItsCustomer) {
  auto first = Send({Outbound("SM1", kAna, kT0), Status("SM1", "sent", 40, kT0 + kSecond)});
  ASSERT_EQ(first.changes.size(), 3u);  // CUSTOMER_CREATED, EVENT_ADDED, STATUS_ADDED (same batch)
  const std::string customer_id = first.changes[0].customer_id();
  const std::string message_id = first.changes[1].event_id();
  EXPECT_EQ(first.changes[2].kind(), v1::STATUS_ADDED);
  EXPECT_EQ(first.changes[2].message_event_id(), message_id);

  const v1::Event delivered = Status("SM1", "delivered", 50, kT0 + 2 * kSecond);
  auto later = Send({delivered});
  ASSERT_EQ(later.changes.size(), 1u);
  const auto& c = later.changes[0];
  EXPECT_EQ(c.kind(), v1::STATUS_ADDED);
  EXPECT_EQ(c.customer_id(), customer_id);
  EXPECT_EQ(c.event_id(), delivered.event_id());
  EXPECT_EQ(c.message_event_id(), message_id);
  EXPECT_EQ(c.delivery_state(), "delivered");
  EXPECT_EQ(c.channel(), v1::SMS);
  EXPECT_EQ(c.identity().value(), "+14155550100");
  EXPECT_EQ(c.change_seq(), 4u);
}

TEST_F(DeliveryStatusTest, StatusWithoutDeliveryStatusStaysATimelineEntry) {
  Send({Outbound("SM1", kAna, kT0)});
  v1::Event legacy = Status("SM1", "delivered", 50, kT0 + kSecond);
  legacy.clear_delivery_status();
  legacy.set_text("delivered");
  Send({legacy});
  EXPECT_EQ(Timeline(kAna).events_size(), 2);
  EXPECT_EQ(h_.processor().counters().statuses, 0u);
}

TEST_F(DeliveryStatusTest, ConversationEntriesCarryTheirStatuses) {
  v1::Event m = Outbound("SM1", kAna, kT0);
  m.set_conversation("+14155550000/+14155550100");
  Send({m, Status("SM1", "delivered", 50, kT0 + 2 * kSecond), Status("SM1", "sent", 40, kT0 + kSecond)});
  QueryService q(h_.store(), h_.normalizer(), {});
  v1::QueryRequest req;
  req.mutable_conversation()->set_conversation("+14155550000/+14155550100");
  auto resp = q.Handle(req);
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  ASSERT_EQ(resp.conversation().entries_size(), 1);
  const auto& statuses = resp.conversation().entries(0).statuses();
  ASSERT_EQ(statuses.size(), 2);
  EXPECT_EQ(statuses[0].delivery_status().state(), "sent");
  EXPECT_EQ(statuses[1].delivery_status().state(), "delivered");
}

TEST_F(DeliveryStatusTest, ExportListsEveryEventOnceAcrossPages) {
  Send({Outbound("SM1", kAna, kT0), Outbound("SM2", kBen, kT0), Status("SM1", "sent", 40, kT0 + kSecond),
        Status("SM1", "delivered", 50, kT0 + 2 * kSecond), Status("SM9", "queued", 20, kT0 + kSecond)});
  for (uint32_t page : {1u, 2u, 3u, 5u, 50u}) {
    const auto all = ExportAll(page);
    ASSERT_EQ(all.size(), 5u) << "page size " << page;
    std::set<std::string> ids;
    for (const auto& e : all) ids.insert(e.event().event_id());
    EXPECT_EQ(ids.size(), 5u) << "page size " << page;
    // Timeline entries first, then the statuses.
    EXPECT_EQ(all[0].event().kind(), v1::MESSAGE);
    EXPECT_EQ(all[1].event().kind(), v1::MESSAGE);
    for (size_t i = 2; i < all.size(); ++i) {
      const auto& e = all[i];
      EXPECT_EQ(e.event().kind(), v1::STATUS);
      EXPECT_EQ(e.identity().value(), "+14155550100");
      // A status of a message the hub has not seen has no customer yet.
      EXPECT_EQ(e.customer_id().empty(), e.event().refers_to_provider_message_id() == "SM9");
    }
  }
}

TEST_F(DeliveryStatusTest, ExportRejectsForeignCursor) {
  QueryService q(h_.store(), h_.normalizer(), {});
  for (std::string raw : {std::string("\x04", 1), std::string("\x01" "short", 6), std::string()}) {
    v1::QueryRequest req;
    req.mutable_export_()->set_cursor(raw.empty() ? "!!" : base::Base64UrlEncode(raw));
    auto resp = q.Handle(req);
    EXPECT_EQ(resp.error().code(), "invalid_argument");
  }
}

TEST_F(DeliveryStatusTest, StatusesSurviveReopen) {
  Send({Outbound("SM1", kAna, kT0), Status("SM1", "sent", 40, kT0 + kSecond)});
  h_.Reopen();
  EXPECT_EQ(h_.processor().counters().statuses, 1u);
  Send({Status("SM1", "sent", 40, kT0 + kSecond), Status("SM1", "delivered", 50, kT0 + 2 * kSecond)});
  EXPECT_EQ(h_.processor().counters().duplicates, 1u);
  EXPECT_EQ(States(kAna, "SM1"), (std::vector<std::string>{"sent", "delivered"}));
}

TEST(LifeOrderTest, StageThenOccurredThenReceived) {
  auto status = [](int32_t stage, int64_t occurred, int64_t received) {
    v1::Event e;
    e.mutable_delivery_status()->set_stage(stage);
    e.set_occurred_at_us(occurred);
    e.set_received_at_us(received);
    return e;
  };
  EXPECT_TRUE(LifeOrderLess(status(40, 9, 9), status(50, 1, 1)));
  EXPECT_TRUE(LifeOrderLess(status(50, 1, 9), status(50, 2, 1)));
  EXPECT_TRUE(LifeOrderLess(status(50, 1, 1), status(50, 1, 2)));
  EXPECT_FALSE(LifeOrderLess(status(50, 1, 1), status(50, 1, 1)));
}

TEST(StatusStoreTest, OpensDatabaseCreatedBeforeStatusesExisted) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db";
  {
    // The column families of the first layout, without statuses and message_refs.
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), kCfTimeline, kCfEvents, kCfDedup,
                             kCfIdentities, kCfIdentityIds, kCfCustomers, kCfChangeLog, kCfDeadLetters, kCfMeta,
                             kCfBlobs, kCfConversations}) {
      cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path, cfs, &handles, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[9], kMetaLayoutVersion, base::EncodeFixed64BE(kLayoutVersion)).ok());
    for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    delete db;
  }
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_NE((*store)->statuses(), nullptr);
  EXPECT_NE((*store)->message_refs(), nullptr);
}

}  // namespace
}  // namespace omnihub::unifier
