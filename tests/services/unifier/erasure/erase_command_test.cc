// Erasure of one customer through the real batch processor and store (docs/erasure.md):
// what goes, what stays, what a provider retry and a new message do afterwards, and that a
// purge leaves no byte of it in the store's files.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "common/base/sha256.h"
#include "common/base/uuid.h"
#include "common/event/event_validation.h"
#include "common/event/raw_payload.h"
#include "services/unifier/erasure/purge.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
const v1::Identity kAna = Phone("+14155550100");
const v1::Identity kBob = Phone("+14155550199");
const v1::Identity kBusiness = Phone("+14155550000");
const std::string kAnaText = "ana-secret-text-7731";
const std::string kAnaPdf = "ana-only-attachment-bytes-5521";
const std::string kSharedPdf = "shared-attachment-bytes-9090";

// A search index that has applied everything and remembers being compacted.
class FakeSearch final : public SearchBackend {
 public:
  base::Status Search(const v1::SearchRequest&, const rocksdb::Snapshot*, v1::SearchResponse*,
                      std::string_view) override {
    return base::Status::Ok();
  }
  uint64_t indexed_change_seq() const override { return indexed; }
  bool WaitIndexed(uint64_t change_seq, std::chrono::milliseconds) override {
    waited_for = change_seq;
    return change_seq <= indexed;
  }
  base::Result<std::string> Compact() override {
    ++compactions;
    return std::string("/search-dir");
  }
  uint64_t indexed = UINT64_MAX;
  uint64_t waited_for = 0;
  int compactions = 0;
};

v1::Blob PlainBlob(const std::string& data) {
  v1::Blob b;
  b.set_sha256(base::Sha256(data));
  b.set_data(data);
  b.set_size_bytes(data.size());
  b.set_media_type("application/pdf");
  return b;
}

class EraseCommandTest : public ::testing::Test {
 protected:
  v1::Event Inbound(const std::string& sid, const v1::Identity& from, int64_t at, const std::string& text) {
    v1::Event e = h_.MakeEvent(v1::SMS, sid, from, at);
    e.set_text(text);
    e.set_conversation("sms:" + from.value());
    return e;
  }
  v1::Event Outbound(const std::string& sid, const v1::Identity& to, int64_t at) {
    v1::Event e = h_.MakeEvent(v1::SMS, sid, kBusiness, at);
    e.set_direction(v1::OUTBOUND);
    *e.add_recipients() = to;
    e.set_text("we answered " + to.value());
    e.set_conversation("sms:" + to.value());
    return e;
  }
  v1::Event Status(const std::string& sid, const v1::Identity& to, int64_t at) {
    v1::Event e = Outbound(sid + "/delivered", to, at);
    e.set_kind(v1::STATUS);
    e.set_text("");
    e.set_refers_to_provider_message_id(sid);
    e.mutable_delivery_status()->set_state("delivered");
    e.mutable_delivery_status()->set_stage(3);
    return e;
  }
  // `e` naming `data` as an attachment, sent with the blob.
  std::string WithAttachment(v1::Event e, const std::string& data) {
    v1::Attachment* a = e.add_attachments();
    a->set_name("file.pdf");
    a->set_sha256(base::Sha256(data));
    a->set_size_bytes(data.size());
    a->set_storage_ref(event::BlobRef(base::Sha256(data)));
    v1::BusFrame f;
    f.ParseFromString(UnifierHarness::Frame("p", ++seq_, e));
    *f.add_blobs() = PlainBlob(data);
    return f.SerializeAsString();
  }
  BatchResult Send(const std::vector<v1::Event>& events) {
    std::vector<std::string> frames;
    for (const auto& e : events) frames.push_back(UnifierHarness::Frame("p", ++seq_, e));
    return h_.Process(std::move(frames));
  }

  v1::CommandResult Command(v1::Command command) {
    command.set_command_id(h_.ids().Next());
    command.set_actor("ops");
    command.set_issued_at_us(kT0 + 1'000'000);
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id("ctl");
    f.set_sequence(++ctl_seq_);
    f.set_command(command.SerializeAsString());
    h_.Process({f.SerializeAsString()});
    v1::QueryRequest req;
    req.mutable_command_result()->set_command_id(command.command_id());
    return Query(req).command_result().result();
  }
  v1::CommandResult Erase(const v1::Identity& who, const std::string& reason = "customer asked (art. 17)") {
    v1::Command c;
    c.set_reason(reason);
    *c.mutable_erase()->mutable_customer()->mutable_identity() = who;
    return Command(std::move(c));
  }
  v1::QueryResponse Query(const v1::QueryRequest& req, SearchBackend* search = nullptr) {
    QueryService q(h_.store(), h_.normalizer(), {}, search);
    return q.Handle(req);
  }
  v1::QueryResponse Customer(const v1::Identity& who) {
    v1::QueryRequest req;
    *req.mutable_get_customer()->mutable_customer()->mutable_identity() = who;
    return Query(req);
  }
  v1::QueryResponse CustomerById(const std::string& id) {
    v1::QueryRequest req;
    req.mutable_get_customer()->mutable_customer()->set_customer_id(id);
    return Query(req);
  }

  // Ana: two messages (one with her own attachment, one with a blob Bob sends too), an
  // outbound answer with a delivery status. Bob: one message with the shared attachment.
  void Populate() {
    h_.Process({WithAttachment(Inbound("SM-A1", kAna, kT0, kAnaText), kAnaPdf),
                WithAttachment(Inbound("SM-A2", kAna, kT0 + 1, "second from ana"), kSharedPdf),
                WithAttachment(Inbound("SM-B1", kBob, kT0 + 2, "bob says hi"), kSharedPdf)});
    Send({Outbound("SM-A3", kAna, kT0 + 3), Status("SM-A3", kAna, kT0 + 4)});
  }

  // Every key and value of every column family but those that may hold hashes and receipts,
  // with `needle` inside.
  std::vector<std::string> LogicalFindings(const std::string& needle) {
    std::vector<std::string> found;
    for (auto* cf : h_.store().all_column_families()) {
      std::unique_ptr<rocksdb::Iterator> it(h_.store().db()->NewIterator(rocksdb::ReadOptions(), cf));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        if (it->key().ToStringView().find(needle) != std::string_view::npos ||
            it->value().ToStringView().find(needle) != std::string_view::npos) {
          found.push_back(cf->GetName());
        }
      }
    }
    return found;
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
  uint64_t ctl_seq_ = 0;
};

TEST_F(EraseCommandTest, RemovesTheCustomersRecordsAndKeepsOthers) {
  Populate();
  const std::string ana_id = Customer(kAna).get_customer().customer().customer_id();
  ASSERT_FALSE(ana_id.empty());
  const StoreCounters before = h_.processor().counters();
  ASSERT_EQ(before.events, 4u);
  ASSERT_EQ(before.statuses, 1u);

  const v1::CommandResult result = Erase(kAna);
  ASSERT_TRUE(result.applied()) << result.error_message();
  const v1::ErasureReceipt& receipt = result.receipt();
  EXPECT_EQ(receipt.erasure_id(), base::UuidToString(result.command_id()));
  EXPECT_EQ(receipt.customer_id(), ana_id);
  EXPECT_EQ(receipt.actor(), "ops");
  EXPECT_EQ(receipt.removed().at("events"), 3u);
  EXPECT_EQ(receipt.removed().at("identities"), 1u);
  EXPECT_EQ(receipt.removed().at("customers"), 1u);
  EXPECT_EQ(receipt.removed().at("statuses"), 1u);
  EXPECT_EQ(receipt.removed().at("blobs"), 1u);
  EXPECT_EQ(receipt.removed().at("blobs_shared_kept"), 1u);

  EXPECT_EQ(Customer(kAna).error().code(), "not_found");
  EXPECT_EQ(CustomerById(ana_id).error().code(), "not_found");
  for (const std::string& needle : {kAna.value(), kAnaText, kAnaPdf, std::string("SM-A1"), std::string("SM-A3")}) {
    EXPECT_EQ(LogicalFindings(needle), std::vector<std::string>{}) << needle;
  }
  // Bob, and the blob he shares with Ana, are untouched.
  const v1::Customer bob = Customer(kBob).get_customer().customer();
  EXPECT_EQ(bob.event_count(), 1u);
  v1::QueryRequest blob;
  blob.mutable_get_blob()->set_sha256(base::Sha256(kSharedPdf));
  EXPECT_EQ(Query(blob).get_blob().data(), kSharedPdf);
  blob.mutable_get_blob()->set_sha256(base::Sha256(kAnaPdf));
  EXPECT_EQ(Query(blob).error().code(), "not_found");

  const StoreCounters after = h_.processor().counters();
  EXPECT_EQ(after.events, 1u);
  EXPECT_EQ(after.customers, before.customers - 1);
  EXPECT_EQ(after.identities, before.identities - 1);
  EXPECT_EQ(after.statuses, 0u);

  // The receipt is kept, without identity or content.
  v1::QueryRequest list;
  list.mutable_erasures();
  const auto kept = Query(list).erasures();
  ASSERT_EQ(kept.receipts_size(), 1);
  EXPECT_EQ(kept.receipts(0).customer_id(), ana_id);
  EXPECT_EQ(kept.receipts(0).SerializeAsString().find(kAna.value()), std::string::npos);
}

TEST_F(EraseCommandTest, ChangeLogEntriesBecomeTombstonesThatKeepTheirSequence) {
  Populate();
  const uint64_t last_before = h_.processor().counters().last_change_seq;
  const v1::CommandResult result = Erase(kAna);
  ASSERT_TRUE(result.applied());
  EXPECT_GT(result.receipt().tombstoned_changes(), 0u);

  v1::QueryRequest req;
  req.mutable_change_log()->set_from_seq(1);
  req.mutable_change_log()->set_limit(1000);
  const auto log = Query(req).change_log();
  ASSERT_EQ(static_cast<uint64_t>(log.changes_size()), last_before + 1);  // + CUSTOMER_ERASED
  uint64_t expected_seq = 0;
  uint64_t tombstones = 0;
  bool bob_kept = false;
  for (const auto& c : log.changes()) {
    EXPECT_EQ(c.change_seq(), ++expected_seq);
    if (c.customer_id().empty() && c.kind() != v1::COMMAND_APPLIED) {
      ++tombstones;
      EXPECT_FALSE(c.has_identity());
      EXPECT_TRUE(c.event_id().empty());
    }
    if (c.identity().value() == kBob.value()) bob_kept = true;
    EXPECT_NE(c.identity().value(), kAna.value());
  }
  EXPECT_EQ(tombstones, result.receipt().tombstoned_changes());
  EXPECT_TRUE(bob_kept);
  const auto& erased = log.changes(log.changes_size() - 1);
  EXPECT_EQ(erased.kind(), v1::CUSTOMER_ERASED);
  EXPECT_EQ(erased.erased_identity_ids_size(), 1);
}

TEST_F(EraseCommandTest, RetryOfAnErasedMessageIsADuplicateAndStoresNothing) {
  Populate();
  ASSERT_TRUE(Erase(kAna).applied());
  const StoreCounters before = h_.processor().counters();
  h_.clock().Advance(5LL * 24 * 3600 * 1'000'000);  // days later
  Send({Inbound("SM-A1", kAna, kT0, kAnaText), Status("SM-A3", kAna, kT0 + 9)});
  const StoreCounters after = h_.processor().counters();
  EXPECT_EQ(after.duplicates, before.duplicates + 2);
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.statuses, before.statuses);
  EXPECT_EQ(Customer(kAna).error().code(), "not_found");
  EXPECT_EQ(LogicalFindings(kAnaText), std::vector<std::string>{});
}

TEST_F(EraseCommandTest, NewMessageFromTheSameAddressStartsANewCustomer) {
  Populate();
  const std::string old_id = Customer(kAna).get_customer().customer().customer_id();
  ASSERT_TRUE(Erase(kAna).applied());
  Send({Inbound("SM-A9", kAna, kT0 + 100, "hello again")});
  const v1::Customer fresh = Customer(kAna).get_customer().customer();
  EXPECT_NE(fresh.customer_id(), old_id);
  EXPECT_EQ(fresh.event_count(), 1u);
  EXPECT_EQ(CustomerById(old_id).error().code(), "not_found");
  v1::QueryRequest req;
  *req.mutable_timeline()->mutable_customer()->mutable_identity() = kAna;
  const auto timeline = Query(req).timeline();
  ASSERT_EQ(timeline.events_size(), 1);
  EXPECT_EQ(timeline.events(0).text(), "hello again");
}

TEST_F(EraseCommandTest, ACustomerMergedIntoTheErasedOneGoesToo) {
  // Whatsapp user first (the older customer), then the phone alone, then one delivery that
  // says both are one person: the phone's customer is merged into the user's.
  auto user = h_.normalizer().Platform("whatsapp", "waba", "US.77");
  ASSERT_TRUE(user.ok());
  v1::Event first = h_.MakeEvent(v1::WHATSAPP, "wamid.1", *user, kT0);
  first.set_account("waba");
  Send({first});
  h_.clock().Advance(10);
  Send({Inbound("SM-M1", kAna, kT0 + 1, "from the phone")});
  const std::string phone_customer = Customer(kAna).get_customer().customer().customer_id();
  h_.clock().Advance(10);
  v1::Event joined = h_.MakeEvent(v1::WHATSAPP, "wamid.2", kAna, kT0 + 2);
  joined.set_account("waba");
  v1::IdentityLink* link = joined.add_party_links();
  *link->mutable_identity() = *user;
  link->set_reason("one message carried both");
  Send({joined});
  const std::string survivor = Customer(kAna).get_customer().customer().customer_id();
  ASSERT_NE(survivor, phone_customer);

  const v1::CommandResult result = Erase(kAna);
  ASSERT_TRUE(result.applied()) << result.error_message();
  EXPECT_EQ(result.customer_id(), survivor);
  ASSERT_EQ(result.receipt().merged_customer_ids_size(), 1);
  EXPECT_EQ(result.receipt().merged_customer_ids(0), phone_customer);
  EXPECT_EQ(result.receipt().removed().at("customers"), 2u);
  EXPECT_EQ(result.receipt().removed().at("identities"), 2u);
  EXPECT_EQ(result.receipt().removed().at("events"), 3u);
  EXPECT_EQ(CustomerById(phone_customer).error().code(), "not_found");
  // Only the receipt (kept, and in the command's result) names the merged customer's id.
  const std::vector<std::string> receipt_only = {"command_results", "erasures"};
  EXPECT_EQ(LogicalFindings(phone_customer), receipt_only);
  EXPECT_EQ(LogicalFindings("US.77"), std::vector<std::string>{});
  EXPECT_EQ(h_.processor().counters().customers, 0u);
}

TEST_F(EraseCommandTest, RejectsAnUnknownCustomerAndAMissingReason) {
  Populate();
  EXPECT_EQ(Erase(Phone("+14155550111")).error_code(), "not_found");
  const v1::CommandResult no_reason = Erase(kAna, "");
  EXPECT_FALSE(no_reason.applied());
  EXPECT_NE(no_reason.error_message().find("reason"), std::string::npos);
  EXPECT_EQ(Customer(kAna).get_customer().customer().event_count(), 3u);
}

TEST_F(EraseCommandTest, VerificationIsAddedToTheKeptReceipt) {
  Populate();
  const v1::CommandResult erased = Erase(kAna);
  v1::Command c;
  c.mutable_erasure_verified()->set_erasure_id(erased.receipt().erasure_id());
  c.mutable_erasure_verified()->mutable_verification()->set_clean(true);
  c.mutable_erasure_verified()->mutable_verification()->set_files_scanned(12);
  const v1::CommandResult verified = Command(c);
  ASSERT_TRUE(verified.applied()) << verified.error_message();
  v1::QueryRequest list;
  list.mutable_erasures();
  const auto kept = Query(list).erasures();
  ASSERT_EQ(kept.receipts_size(), 1);
  EXPECT_TRUE(kept.receipts(0).verification().clean());
  EXPECT_EQ(kept.receipts(0).verification().files_scanned(), 12u);
  EXPECT_EQ(kept.receipts(0).verification().verified_at_us(), kT0 + 1'000'000);

  c.mutable_erasure_verified()->set_erasure_id("no-such-erasure");
  EXPECT_EQ(Command(c).error_code(), "not_found");
}

// Every file under `dir` that holds `needle`.
std::vector<std::string> FilesHolding(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) found.push_back(entry.path().filename().string());
  }
  return found;
}

TEST_F(EraseCommandTest, PurgeLeavesNoByteOfTheCustomerInTheStoreFiles) {
  Populate();
  // Some of it in SST files before the erasure, some only in the memtable and the log.
  ASSERT_TRUE(h_.store().db()->Flush(rocksdb::FlushOptions(), h_.store().all_column_families()).ok());
  Send({Inbound("SM-A4", kAna, kT0 + 5, "late-ana-words-4411")});
  const std::string dir = h_.store().db()->GetName();
  ASSERT_FALSE(FilesHolding(dir, kAnaText).empty());

  const v1::CommandResult erased = Erase(kAna);
  ASSERT_TRUE(erased.applied());
  FakeSearch search;
  search.indexed = erased.change_seq();
  v1::QueryRequest req;
  req.mutable_purge()->set_after_change_seq(erased.change_seq());
  const v1::QueryResponse purged = Query(req, &search);
  ASSERT_FALSE(purged.has_error()) << purged.error().message();
  EXPECT_EQ(search.waited_for, erased.change_seq());
  EXPECT_EQ(search.compactions, 1);
  ASSERT_EQ(purged.purge().directories_size(), 2);
  EXPECT_EQ(purged.purge().directories(0), dir);

  for (const std::string& needle : {kAna.value(), kAnaText, kAnaPdf, std::string("late-ana-words-4411")}) {
    EXPECT_EQ(FilesHolding(dir, needle), std::vector<std::string>{}) << needle;
  }
  // Bob's data is still on disk.
  EXPECT_FALSE(FilesHolding(dir, kSharedPdf).empty());
  EXPECT_FALSE(FilesHolding(dir, "bob says hi").empty());
}

TEST_F(EraseCommandTest, PurgeWaitsForTheSearchIndexAndSaysSo) {
  Populate();
  FakeSearch search;
  search.indexed = 3;
  v1::QueryRequest req;
  req.mutable_purge()->set_after_change_seq(10);
  req.mutable_purge()->set_timeout_ms(5);
  const v1::QueryResponse r = Query(req, &search);
  EXPECT_EQ(r.error().code(), "unavailable");
  EXPECT_NE(r.error().message().find("change 10"), std::string::npos);
  EXPECT_EQ(search.compactions, 0);
  // Without a search index, the store alone is purged.
  const v1::QueryResponse alone = Query(req);
  ASSERT_FALSE(alone.has_error()) << alone.error().message();
  EXPECT_EQ(alone.purge().directories_size(), 1);
}

}  // namespace
}  // namespace omnihub::unifier
