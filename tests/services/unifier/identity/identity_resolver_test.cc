// The identity resolver on its own, over a real RocksDB in a temp dir: which customer each event
// belongs to, what a first sight writes, and that resolution is exact and in arrival order.
#include "services/unifier/identity/identity_resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <utility>

#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;

constexpr int64_t kT0 = 1'750'000'000'000'000;

// Fails every identity read, so a test can check what a storage error leaves behind.
class FailingReader final : public IdentityReader {
 public:
  base::Result<std::optional<v1::IdentityRecord>> GetIdentity(const std::string&) override {
    return base::Status::IoError("identities unreadable");
  }
  base::Result<v1::IdentityRecord> GetIdentityById(uint64_t) override {
    return base::Status::IoError("identity_ids unreadable");
  }
  base::Result<std::optional<v1::CustomerRecord>> GetCustomer(const std::string&) override {
    return base::Status::IoError("customers unreadable");
  }
  base::Result<bool> WasErased(const std::string&) override { return base::Status::IoError("erased_keys unreadable"); }
};

// A resolver over its own store, applying events in batches the way BatchProcessor does.
class ResolverOverStore {
 public:
  explicit ResolverOverStore(const std::string& dir) {
    auto store = Store::Open(dir);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    reader_ = std::make_unique<StoreIdentityReader>(*store_);
    resolver_ = std::make_unique<IdentityResolver>(*reader_);
  }

  base::Result<Assignment> TryAssign(const v1::Event& event) {
    auto assigned = resolver_->Assign(event, staged_, counters_);
    if (assigned.ok()) PutIdentityWrites(*store_, assigned->writes, &batch_);
    return assigned;
  }

  Assignment Assign(const v1::Event& event) {
    auto assigned = TryAssign(event);
    EXPECT_TRUE(assigned.ok()) << assigned.status().ToString();
    return assigned.ok() ? std::move(*assigned) : Assignment{};
  }

  // Writes the batch with its customers, and starts the next one.
  void Commit() {
    PutIdentityWrites(*store_, CustomerWrites(staged_), &batch_);
    ASSERT_TRUE(store_->db()->Write(rocksdb::WriteOptions(), &batch_).ok());
    batch_.Clear();
    staged_ = IdentityStaging();
  }

  // Every key and value of the column families the resolver writes.
  std::map<std::string, std::string> Dump() {
    std::map<std::string, std::string> all;
    for (auto* cf : {store_->identities(), store_->identity_ids(), store_->customers()}) {
      std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), cf));
      for (it->SeekToFirst(); it->Valid(); it->Next()) all[cf->GetName() + "/" + it->key().ToString()] = it->value().ToString();
    }
    return all;
  }

  Store& store() { return *store_; }
  IdentityResolver& resolver() { return *resolver_; }
  IdentityStaging& staged() { return staged_; }
  StoreCounters& counters() { return counters_; }
  const v1::CustomerRecord& Customer(const std::string& id) { return staged_.customers.at(id); }

  // The committed records (call Commit first).
  v1::CustomerRecord StoredCustomer(const std::string& id) {
    auto c = store_->GetCustomer(id);
    EXPECT_TRUE(c.ok() && c->has_value()) << id;
    return c.ok() && c->has_value() ? **c : v1::CustomerRecord();
  }
  v1::IdentityRecord StoredIdentity(const v1::Identity& identity) {
    auto rec = store_->GetIdentity(event::IdentityKey(identity));
    EXPECT_TRUE(rec.ok() && rec->has_value()) << identity.ShortDebugString();
    return rec.ok() && rec->has_value() ? **rec : v1::IdentityRecord();
  }

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<StoreIdentityReader> reader_;
  std::unique_ptr<IdentityResolver> resolver_;
  IdentityStaging staged_;
  StoreCounters counters_;
  rocksdb::WriteBatch batch_;
};

class IdentityResolverTest : public ::testing::Test {
 protected:
  // An event as the batch processor hands it over: validated and normalized.
  v1::Event Inbound(v1::Channel channel, const v1::Identity& from) {
    v1::Event e;
    e.set_event_id(std::string(15, '\0') + static_cast<char>(++events_));
    e.set_channel(channel);
    e.set_account("acct");
    e.set_kind(v1::MESSAGE);
    e.set_direction(v1::INBOUND);
    e.set_occurred_at_us(kT0 + events_);
    *e.mutable_sender() = from;
    base::Status s = event::ValidateAndNormalizeEvent(&e, normalizer_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return e;
  }

  v1::Event Outbound(v1::Channel channel, const v1::Identity& from, const v1::Identity& to) {
    v1::Event e = Inbound(channel, from);
    e.set_direction(v1::OUTBOUND);
    *e.add_recipients() = to;
    base::Status s = event::ValidateAndNormalizeEvent(&e, normalizer_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return e;
  }

  // `e` with one more party link, validated again as the batch processor would.
  v1::Event WithLink(v1::Event e, const v1::Identity& identity, const std::string& reason) {
    v1::IdentityLink* link = e.add_party_links();
    *link->mutable_identity() = identity;
    link->set_reason(reason);
    base::Status s = event::ValidateAndNormalizeEvent(&e, normalizer_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return e;
  }

  v1::Identity WhatsAppUser(const std::string& user_id) { return *normalizer_.Platform("whatsapp", kWaba, user_id); }
  v1::Identity XUser(const std::string& user_id, const std::string& handle) {
    return *normalizer_.Platform("x", "", user_id, handle);
  }

  static constexpr char kWaba[] = "102290129340398";
  static constexpr char kBoth[] = "whatsapp: one message carried both wa_id and user_id";

  testing::TempDir dir_;
  event::IdentityNormalizer normalizer_{"US"};
  ResolverOverStore r_{dir_.path() + "/db"};
  int events_ = 0;
};

TEST_F(IdentityResolverTest, FirstSightCreatesIdentityAndCustomer) {
  const v1::Event e = Inbound(v1::SMS, Phone("+14155550100"));
  const Assignment a = r_.Assign(e);

  ASSERT_NE(a.identity, nullptr);
  EXPECT_TRUE(a.first_sight);
  EXPECT_EQ(a.identity->identity_id(), 1u);
  EXPECT_EQ(a.identity->identity().value(), "+14155550100");
  EXPECT_EQ(a.identity->customer_id().size(), 36u);  // a UUID in text form
  EXPECT_EQ(a.identity->reason().rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(a.identity->reason().event_id(), e.event_id());
  EXPECT_EQ(a.identity->reason().linked_at_us(), e.occurred_at_us());  // the event's time (no received_at)

  const std::string key = event::IdentityKey(Phone("+14155550100"));
  ASSERT_EQ(a.writes.size(), 2u);
  EXPECT_EQ(a.writes[0].column, IdentityColumn::kIdentityIds);
  EXPECT_EQ(a.writes[0].key, base::EncodeFixed64BE(1));
  EXPECT_EQ(a.writes[0].value, EncodeRawValue(key));
  EXPECT_EQ(a.writes[1].column, IdentityColumn::kIdentities);
  EXPECT_EQ(a.writes[1].key, key);
  EXPECT_EQ(a.writes[1].value, EncodeValue(*a.identity));

  const v1::CustomerRecord& c = r_.Customer(a.identity->customer_id());
  EXPECT_EQ(c.event_count(), 1u);
  EXPECT_EQ(c.created_at_us(), e.occurred_at_us());
  ASSERT_EQ(c.identity_ids_size(), 1);
  EXPECT_EQ(c.identity_ids(0), 1u);
  EXPECT_EQ(r_.counters().identities, 1u);
  EXPECT_EQ(r_.counters().customers, 1u);
  EXPECT_EQ(r_.counters().last_identity_id, 1u);
}

TEST_F(IdentityResolverTest, SameIdentityInOneBatchResolvesToTheSameCustomer) {
  const Assignment first = r_.Assign(Inbound(v1::EMAIL, Email("jane@example.com")));
  const Assignment again = r_.Assign(Inbound(v1::EMAIL, Email("Jane <JANE@Example.com>")));
  EXPECT_FALSE(again.first_sight);
  EXPECT_TRUE(again.writes.empty());
  EXPECT_EQ(again.identity, first.identity);
  EXPECT_EQ(r_.Customer(first.identity->customer_id()).event_count(), 2u);
  EXPECT_EQ(r_.counters().customers, 1u);
}

TEST_F(IdentityResolverTest, SameIdentityResolvesToItsStoredCustomerInALaterBatch) {
  const std::string customer_id = r_.Assign(Inbound(v1::SMS, Phone("+14155550100"))).identity->customer_id();
  r_.Commit();

  const Assignment again = r_.Assign(Inbound(v1::SMS, Phone("(415) 555-0100")));
  EXPECT_FALSE(again.first_sight);
  EXPECT_TRUE(again.writes.empty());
  EXPECT_EQ(again.identity->customer_id(), customer_id);
  const auto writes = CustomerWrites(r_.staged());
  ASSERT_EQ(writes.size(), 1u);
  v1::CustomerRecord written;
  ASSERT_TRUE(DecodeValue(writes[0].value, &written).ok());
  EXPECT_EQ(writes[0].key, customer_id);
  EXPECT_EQ(written.event_count(), 2u);  // the stored count, plus this event
}

TEST_F(IdentityResolverTest, WhatsAppSenderAndSmsSenderWithTheSameNumberAreOneCustomer) {
  const std::string customer_id = r_.Assign(Inbound(v1::SMS, Phone("+49 151 12345678"))).identity->customer_id();
  r_.Commit();
  const Assignment wa = r_.Assign(Inbound(v1::WHATSAPP, Phone("whatsapp:+4915112345678")));
  EXPECT_FALSE(wa.first_sight);
  EXPECT_EQ(wa.identity->identity_id(), 1u);
  EXPECT_EQ(wa.identity->customer_id(), customer_id);
  EXPECT_EQ(r_.counters().customers, 1u);
}

TEST_F(IdentityResolverTest, OutboundEventBelongsToItsRecipient) {
  const Assignment a = r_.Assign(Outbound(v1::SMS, Phone("+14155550000"), Phone("+14155550111")));
  EXPECT_EQ(a.identity->identity().value(), "+14155550111");
  // The business's own number is nobody's identity.
  EXPECT_EQ(r_.counters().identities, 1u);
  EXPECT_EQ(r_.staged().identities.count(event::IdentityKey(Phone("+14155550000"))), 0u);
}

TEST_F(IdentityResolverTest, NewIdentitiesInOneBatchGetConsecutiveIdsInArrivalOrder) {
  const Assignment ana = r_.Assign(Inbound(v1::SMS, Phone("+14155550100")));
  const Assignment ben = r_.Assign(Inbound(v1::EMAIL, Email("ben@example.com")));
  const Assignment ana_again = r_.Assign(Inbound(v1::SMS, Phone("+14155550100")));
  const Assignment cho = r_.Assign(Inbound(v1::TELEGRAM, *normalizer_.Platform("telegram", "bot", "42")));

  EXPECT_EQ(ana.identity->identity_id(), 1u);
  EXPECT_EQ(ben.identity->identity_id(), 2u);
  EXPECT_EQ(cho.identity->identity_id(), 3u);
  EXPECT_FALSE(ana_again.first_sight);
  EXPECT_NE(ana.identity->customer_id(), ben.identity->customer_id());
  EXPECT_NE(ben.identity->customer_id(), cho.identity->customer_id());
  EXPECT_EQ(r_.staged().customers.size(), 3u);
  EXPECT_EQ(r_.counters().last_identity_id, 3u);
}

TEST_F(IdentityResolverTest, IdentityIdsContinueFromTheCommittedCounter) {
  r_.counters().last_identity_id = 41;
  EXPECT_EQ(r_.Assign(Inbound(v1::SMS, Phone("+14155550100"))).identity->identity_id(), 42u);
}

TEST_F(IdentityResolverTest, SameNameOnTwoAddressesIsTwoCustomers) {
  const Assignment a = r_.Assign(Inbound(v1::EMAIL, Email("Jane Doe <jane@example.com>")));
  const Assignment b = r_.Assign(Inbound(v1::EMAIL, Email("Jane Doe <jane.doe@example.org>")));
  EXPECT_TRUE(b.first_sight);
  EXPECT_NE(a.identity->customer_id(), b.identity->customer_id());
}

TEST_F(IdentityResolverTest, IdentityOfAMissingCustomerIsCorruption) {
  v1::IdentityRecord orphan;
  orphan.set_identity_id(7);
  *orphan.mutable_identity() = Phone("+14155550100");
  orphan.set_customer_id("no-such-customer");
  ASSERT_TRUE(r_.store()
                  .db()
                  ->Put(rocksdb::WriteOptions(), r_.store().identities(), event::IdentityKey(orphan.identity()),
                        EncodeValue(orphan))
                  .ok());
  auto a = r_.TryAssign(Inbound(v1::SMS, Phone("+14155550100")));
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(a.status().IsCorruption()) << a.status().ToString();
}

TEST_F(IdentityResolverTest, ReadFailureIsReturnedAndCreatesNothing) {
  FailingReader reader;
  IdentityResolver resolver(reader);
  IdentityStaging staged;
  StoreCounters counters;
  auto a = resolver.Assign(Inbound(v1::SMS, Phone("+14155550100")), staged, counters);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), base::StatusCode::kIoError);
  EXPECT_TRUE(staged.identities.empty());
  EXPECT_EQ(counters.identities, 0u);
}

TEST_F(IdentityResolverTest, EventWithoutExternalPartyIsRefused) {
  v1::Event e = Inbound(v1::SMS, Phone("+14155550100"));
  e.clear_sender();
  auto a = r_.TryAssign(e);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), base::StatusCode::kInvalidArgument);
}

TEST_F(IdentityResolverTest, IdentityByIdReadsTheCommittedRecord) {
  const std::string customer_id = r_.Assign(Inbound(v1::SMS, Phone("+14155550100"))).identity->customer_id();
  r_.Commit();
  auto rec = r_.resolver().IdentityById(1);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->customer_id(), customer_id);
  EXPECT_TRUE(r_.resolver().IdentityById(2).status().IsCorruption());
}

TEST_F(IdentityResolverTest, BatchBoundariesDoNotChangeWhatIsStored) {
  testing::TempDir other_dir;
  ResolverOverStore one_by_one(other_dir.path() + "/db");
  const std::vector<v1::Event> events = {
      Inbound(v1::SMS, Phone("+14155550100")), Inbound(v1::EMAIL, Email("ben@example.com")),
      Inbound(v1::WHATSAPP, Phone("whatsapp:+14155550100")),
      Outbound(v1::EMAIL, Email("shop@example.com"), Email("ben@example.com"))};
  for (const auto& e : events) {
    r_.Assign(e);
    one_by_one.Assign(e);
    one_by_one.Commit();
  }
  r_.Commit();
  EXPECT_EQ(r_.Dump(), one_by_one.Dump());
  EXPECT_EQ(r_.Dump().size(), 2u + 2u + 2u);  // identities, identity_ids, customers
}

// ---- party_links ----

TEST_F(IdentityResolverTest, NewLinkedIdentityJoinsThePartysCustomerWithTheLinkReason) {
  const std::string customer_id = r_.Assign(Inbound(v1::WHATSAPP, Phone("+16505551234"))).identity->customer_id();
  r_.Commit();

  const v1::Event e = WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth);
  const Assignment a = r_.Assign(e);
  EXPECT_FALSE(a.first_sight);
  EXPECT_EQ(a.identity->customer_id(), customer_id);
  const std::string key = event::IdentityKey(WhatsAppUser("US.123"));
  const v1::IdentityRecord& linked = r_.staged().identities.at(key);
  EXPECT_EQ(linked.identity_id(), 2u);
  EXPECT_EQ(linked.customer_id(), customer_id);
  EXPECT_EQ(linked.reason().rule(), v1::LinkReason::PLATFORM_LINK);
  EXPECT_EQ(linked.reason().detail(), kBoth);
  EXPECT_EQ(linked.reason().event_id(), e.event_id());
  EXPECT_EQ(linked.reason().linked_at_us(), e.occurred_at_us());
  EXPECT_EQ(linked.reason().merged_from(), "");

  ASSERT_EQ(a.writes.size(), 2u);
  EXPECT_EQ(a.writes[0].column, IdentityColumn::kIdentityIds);
  EXPECT_EQ(a.writes[0].key, base::EncodeFixed64BE(2));
  EXPECT_EQ(a.writes[0].value, EncodeRawValue(key));
  EXPECT_EQ(a.writes[1].column, IdentityColumn::kIdentities);
  EXPECT_EQ(a.writes[1].key, key);
  EXPECT_EQ(a.writes[1].value, EncodeValue(linked));
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].kind(), v1::IDENTITY_LINKED);
  EXPECT_EQ(a.changes[0].customer_id(), customer_id);
  EXPECT_EQ(a.changes[0].identity().value(), "US.123");
  EXPECT_EQ(a.changes[0].event_id(), e.event_id());

  const v1::CustomerRecord& c = r_.Customer(customer_id);
  EXPECT_THAT(c.identity_ids(), ::testing::ElementsAre(1u, 2u));
  ASSERT_EQ(c.identities_size(), 2);
  EXPECT_EQ(c.identities(1).platform(), "whatsapp");
  EXPECT_EQ(c.event_count(), 2u);
  EXPECT_EQ(r_.counters().identities, 2u);
  EXPECT_EQ(r_.counters().customers, 1u);
}

TEST_F(IdentityResolverTest, NewPartyJoinsTheCustomerOfALinkThatExists) {
  // A WhatsApp username user writes with only their user id, later with number and user id.
  const Assignment first = r_.Assign(Inbound(v1::WHATSAPP, WhatsAppUser("US.123")));
  const std::string customer_a = first.identity->customer_id();
  r_.Commit();

  const v1::Event e = WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth);
  const Assignment a = r_.Assign(e);
  EXPECT_FALSE(a.first_sight);  // a new identity, but no new customer
  EXPECT_EQ(a.identity->customer_id(), customer_a);
  EXPECT_EQ(a.identity->identity_id(), 2u);
  EXPECT_EQ(a.identity->reason().rule(), v1::LinkReason::PLATFORM_LINK);
  EXPECT_EQ(a.identity->reason().detail(), kBoth);
  EXPECT_EQ(a.identity->reason().event_id(), e.event_id());
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].kind(), v1::IDENTITY_LINKED);
  EXPECT_EQ(a.changes[0].identity().value(), "+16505551234");
  EXPECT_EQ(r_.counters().customers, 1u);
  EXPECT_EQ(r_.counters().identities, 2u);
  r_.Commit();

  const v1::CustomerRecord c = r_.StoredCustomer(customer_a);
  EXPECT_THAT(c.identity_ids(), ::testing::ElementsAre(1u, 2u));
  ASSERT_EQ(c.identities_size(), 2);
  EXPECT_EQ(c.identities(0).value(), "US.123");
  EXPECT_EQ(c.identities(1).value(), "+16505551234");
  EXPECT_EQ(c.event_count(), 2u);
  EXPECT_EQ(r_.StoredIdentity(Phone("+16505551234")).reason().detail(), kBoth);
  EXPECT_EQ(r_.StoredIdentity(WhatsAppUser("US.123")).reason().rule(), v1::LinkReason::FIRST_SIGHT);
}

TEST_F(IdentityResolverTest, LinkBetweenTwoCustomersMergesThemIntoTheOlderOne) {
  // The phone has SMS history (customer B, older); the user id wrote on WhatsApp (customer A).
  const std::string customer_b = r_.Assign(Inbound(v1::SMS, Phone("+16505551234"))).identity->customer_id();
  r_.Assign(Inbound(v1::SMS, Phone("+16505551234")));
  r_.Commit();
  const std::string customer_a = r_.Assign(Inbound(v1::WHATSAPP, WhatsAppUser("US.123"))).identity->customer_id();
  r_.Commit();

  const v1::Event e = WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth);
  const Assignment a = r_.Assign(e);
  EXPECT_FALSE(a.first_sight);
  EXPECT_EQ(a.identity->customer_id(), customer_b);
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].kind(), v1::CUSTOMERS_MERGED);
  EXPECT_EQ(a.changes[0].customer_id(), customer_b);
  EXPECT_EQ(a.changes[0].merged_customer_id(), customer_a);
  EXPECT_EQ(a.changes[0].identity().value(), "US.123");
  EXPECT_EQ(a.changes[0].merge_id().size(), 36u);
  // The merge is recorded so that it can be split (graph_records.h), and only the moved
  // identity's record changes: no new identity, no identity_ids entry.
  ASSERT_EQ(a.writes.size(), 2u);
  EXPECT_EQ(a.writes[0].column, IdentityColumn::kMerges);
  EXPECT_EQ(a.writes[0].key, a.changes[0].merge_id());
  v1::MergeRecord merge;
  ASSERT_TRUE(DecodeValue(a.writes[0].value, &merge).ok());
  EXPECT_EQ(merge.survivor_id(), customer_b);
  EXPECT_EQ(merge.other_id(), customer_a);
  EXPECT_EQ(merge.event_id(), e.event_id());
  EXPECT_THAT(merge.moved_identity_ids(), ::testing::ElementsAre(2u));
  EXPECT_EQ(merge.other_before().customer_id(), customer_a);
  EXPECT_EQ(merge.other_before().event_count(), 1u);
  EXPECT_EQ(a.writes[1].column, IdentityColumn::kIdentities);
  EXPECT_EQ(a.writes[1].key, event::IdentityKey(WhatsAppUser("US.123")));
  r_.Commit();

  const v1::CustomerRecord kept = r_.StoredCustomer(customer_b);
  EXPECT_THAT(kept.identity_ids(), ::testing::ElementsAre(1u, 2u));
  ASSERT_EQ(kept.identities_size(), 2);
  EXPECT_EQ(kept.identities(0).value(), "+16505551234");
  EXPECT_EQ(kept.identities(1).value(), "US.123");
  EXPECT_EQ(kept.event_count(), 4u);  // 2 SMS + 1 WhatsApp + this one
  EXPECT_EQ(kept.merged_into(), "");

  const v1::CustomerRecord gone = r_.StoredCustomer(customer_a);
  EXPECT_EQ(gone.merged_into(), customer_b);
  EXPECT_EQ(gone.merged_at_us(), e.occurred_at_us());
  EXPECT_EQ(gone.identity_ids_size(), 0);
  EXPECT_EQ(gone.identities_size(), 0);
  EXPECT_EQ(gone.event_count(), 0u);
  EXPECT_EQ(gone.merge_id(), a.changes[0].merge_id());
  ASSERT_EQ(gone.history_size(), 1);
  EXPECT_EQ(gone.history(0).kind(), v1::GraphHistoryEntry::MERGED_AWAY);
  ASSERT_EQ(kept.history_size(), 1);
  EXPECT_EQ(kept.history(0).kind(), v1::GraphHistoryEntry::MERGED_IN);
  EXPECT_EQ(kept.history(0).event_id(), e.event_id());

  const v1::IdentityRecord moved = r_.StoredIdentity(WhatsAppUser("US.123"));
  EXPECT_EQ(moved.customer_id(), customer_b);
  EXPECT_EQ(moved.identity_id(), 2u);  // its timeline stays where it is
  EXPECT_EQ(moved.reason().rule(), v1::LinkReason::MERGE);
  EXPECT_EQ(moved.reason().detail(), kBoth);
  EXPECT_EQ(moved.reason().merged_from(), customer_a);
  EXPECT_EQ(moved.reason().merge_id(), merge.merge_id());
  ASSERT_EQ(moved.history_size(), 1);  // how it first came to belong
  EXPECT_EQ(moved.history(0).rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(moved.reason().event_id(), e.event_id());
  EXPECT_EQ(r_.StoredIdentity(Phone("+16505551234")).reason().rule(), v1::LinkReason::FIRST_SIGHT);
  EXPECT_EQ(r_.counters().customers, 2u);  // customers created; a merge deletes none
  EXPECT_EQ(r_.counters().identities, 2u);
}

TEST_F(IdentityResolverTest, MergeMovesThePartyWhenItsCustomerIsTheNewerOne) {
  const std::string older = r_.Assign(Inbound(v1::WHATSAPP, WhatsAppUser("US.123"))).identity->customer_id();
  const std::string newer = r_.Assign(Inbound(v1::SMS, Phone("+16505551234"))).identity->customer_id();
  const Assignment a =
      r_.Assign(WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth));
  EXPECT_EQ(a.identity->customer_id(), older);
  EXPECT_EQ(a.identity->reason().merged_from(), newer);
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].customer_id(), older);
  EXPECT_EQ(a.changes[0].merged_customer_id(), newer);
  EXPECT_EQ(r_.Customer(older).event_count(), 3u);
  EXPECT_EQ(r_.Customer(newer).merged_into(), older);
  EXPECT_EQ(r_.Customer(newer).event_count(), 0u);
  // Later events of either identity count on the surviving customer.
  EXPECT_EQ(r_.Assign(Inbound(v1::SMS, Phone("+16505551234"))).identity->customer_id(), older);
  EXPECT_EQ(r_.Customer(older).event_count(), 4u);
}

TEST_F(IdentityResolverTest, LinkOnTheSameCustomerWritesNothing) {
  r_.Assign(WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth));
  r_.Commit();
  const auto before = r_.Dump();

  const Assignment a =
      r_.Assign(WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth));
  EXPECT_TRUE(a.writes.empty());
  EXPECT_TRUE(a.changes.empty());
  // A link naming the party itself is no link.
  const Assignment self =
      r_.Assign(WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), Phone("(650) 555-1234"), "self"));
  EXPECT_TRUE(self.writes.empty());
  EXPECT_TRUE(self.changes.empty());
  r_.Commit();
  auto after = r_.Dump();
  EXPECT_EQ(after.size(), before.size());
  EXPECT_EQ(r_.counters().identities, 2u);
}

TEST_F(IdentityResolverTest, FirstSightWithANewLinkCreatesOneCustomerWithBoth) {
  const v1::Event e = WithLink(Inbound(v1::TELEGRAM, *normalizer_.Platform("telegram", "", "42")),
                               Phone("+16505551234"), "telegram: contact shared by its owner");
  const Assignment a = r_.Assign(e);
  EXPECT_TRUE(a.first_sight);
  EXPECT_EQ(a.identity->identity_id(), 1u);
  EXPECT_EQ(a.identity->reason().rule(), v1::LinkReason::FIRST_SIGHT);
  const v1::IdentityRecord& phone = r_.staged().identities.at(event::IdentityKey(Phone("+16505551234")));
  // Telegram links only a contact its sender shared of themselves.
  EXPECT_EQ(phone.reason().rule(), v1::LinkReason::OWN_CONTACT);
  EXPECT_EQ(phone.identity_id(), 2u);
  EXPECT_EQ(phone.customer_id(), a.identity->customer_id());
  EXPECT_EQ(phone.reason().detail(), "telegram: contact shared by its owner");
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].kind(), v1::IDENTITY_LINKED);
  // identity_ids of both, then both records.
  ASSERT_EQ(a.writes.size(), 4u);
  EXPECT_EQ(a.writes[0].key, base::EncodeFixed64BE(1));
  EXPECT_EQ(a.writes[1].key, base::EncodeFixed64BE(2));
  EXPECT_EQ(a.writes[2].key, event::IdentityKey(a.identity->identity()));
  EXPECT_EQ(a.writes[3].key, event::IdentityKey(Phone("+16505551234")));
  EXPECT_EQ(r_.Customer(a.identity->customer_id()).identity_ids_size(), 2);
  EXPECT_EQ(r_.counters().customers, 1u);
}

TEST_F(IdentityResolverTest, LinksAreResolvedTheSameWhateverTheBatchBoundaries) {
  testing::TempDir other_dir;
  ResolverOverStore one_by_one(other_dir.path() + "/db");
  const std::vector<v1::Event> events = {
      Inbound(v1::SMS, Phone("+16505551234")), Inbound(v1::WHATSAPP, WhatsAppUser("US.123")),
      Inbound(v1::EMAIL, Email("ana@example.com")),
      WithLink(Inbound(v1::WHATSAPP, Phone("+16505551234")), WhatsAppUser("US.123"), kBoth),
      WithLink(Inbound(v1::WHATSAPP, WhatsAppUser("US.123")), WhatsAppUser("US.999"), kBoth),
      Inbound(v1::SMS, Phone("+16505551234"))};
  for (const auto& e : events) {
    r_.Assign(e);
    one_by_one.Assign(e);
    one_by_one.Commit();
  }
  r_.Commit();
  EXPECT_EQ(r_.Dump(), one_by_one.Dump());
  // identities and identity_ids: 4 each; customers: 3 created, one of them merged away.
  EXPECT_EQ(r_.Dump().size(), 4u + 4u + 3u);
}

TEST_F(IdentityResolverTest, HandleIndexFollowsTheLatestHandleOfAnIdentity) {
  const std::string x42 = event::IdentityKey(XUser("42", ""));
  const Assignment first = r_.Assign(Inbound(v1::X, XUser("42", "@Ana_K")));
  EXPECT_EQ(first.identity->current_handle(), "@Ana_K");
  ASSERT_EQ(first.writes.size(), 3u);
  EXPECT_EQ(first.writes[1].key, HandleIndexKey("x", "@ana_k", x42));
  EXPECT_EQ(first.writes[1].value, EncodeRawValue(""));
  EXPECT_FALSE(first.writes[1].erase);
  r_.Commit();

  auto keys = FindIdentityKeysByHandle(r_.store(), "x", "@ANA_K");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_THAT(*keys, ::testing::ElementsAre(x42));

  // The same handle again: nothing to write.
  EXPECT_TRUE(r_.Assign(Inbound(v1::X, XUser("42", "@Ana_K"))).writes.empty());
  // A renamed user moves to the new handle; the record keeps its first-seen identity.
  const Assignment renamed = r_.Assign(Inbound(v1::X, XUser("42", "@ana_new")));
  ASSERT_EQ(renamed.writes.size(), 3u);
  EXPECT_TRUE(renamed.writes[0].erase);
  EXPECT_EQ(renamed.writes[0].key, HandleIndexKey("x", "@ana_k", x42));
  EXPECT_EQ(renamed.writes[1].key, HandleIndexKey("x", "@ana_new", x42));
  EXPECT_EQ(renamed.writes[2].key, x42);
  r_.Commit();
  EXPECT_TRUE(FindIdentityKeysByHandle(r_.store(), "x", "ana_k")->empty());
  EXPECT_THAT(*FindIdentityKeysByHandle(r_.store(), "x", "@ana_new"), ::testing::ElementsAre(x42));
  const v1::IdentityRecord stored = r_.StoredIdentity(XUser("42", ""));
  EXPECT_EQ(stored.current_handle(), "@ana_new");
  EXPECT_EQ(stored.identity().handle(), "@Ana_K");
  // A handle entry is no identity: no customer has more than this one identity.
  EXPECT_EQ(r_.StoredCustomer(stored.customer_id()).identities_size(), 1);
}

TEST_F(IdentityResolverTest, APhoneFirstSeenAsAWhatsAppSenderSaysSo) {
  const v1::Event e = Inbound(v1::WHATSAPP, Phone("+16505551234"));
  const Assignment a = r_.Assign(e);
  EXPECT_TRUE(a.first_sight);
  EXPECT_EQ(a.identity->reason().rule(), v1::LinkReason::SENDER_IS_PHONE);
  EXPECT_EQ(a.identity->reason().event_id(), e.event_id());
  // A WhatsApp user id is no phone: a plain first sight.
  EXPECT_EQ(r_.Assign(Inbound(v1::WHATSAPP, WhatsAppUser("US.9"))).identity->reason().rule(),
            v1::LinkReason::FIRST_SIGHT);
}

}  // namespace
}  // namespace omnihub::unifier
