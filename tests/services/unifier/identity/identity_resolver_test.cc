// The identity resolver on its own, over a real RocksDB in a temp dir: which customer each event
// belongs to, what a first sight writes, and that resolution is exact and in arrival order.
#include "services/unifier/identity/identity_resolver.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <utility>

#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/identity.h"
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
};

// A resolver over its own store, applying events in batches the way BatchProcessor does.
class ResolverOverStore {
 public:
  explicit ResolverOverStore(const std::string& dir) {
    auto store = Store::Open(dir);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    reader_ = std::make_unique<StoreIdentityReader>(*store_);
    resolver_ = std::make_unique<IdentityResolver>(*reader_, clock_, ids_);
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

 private:
  base::ManualClock clock_{kT0 + 500};
  base::SeededRandom random_{1};
  base::UuidV7Generator ids_{clock_, random_};
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
  EXPECT_EQ(a.identity->reason().linked_at_us(), kT0 + 500);

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
  EXPECT_EQ(c.created_at_us(), kT0 + 500);
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
  base::ManualClock clock;
  base::SeededRandom random(1);
  base::UuidV7Generator ids(clock, random);
  IdentityResolver resolver(reader, clock, ids);
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

}  // namespace
}  // namespace omnihub::unifier
