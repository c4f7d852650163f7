// The search index over a real store (RocksDB) and a real Xapian database in a temp dir:
// following the change log, edits and deletions, filters, order and paging, resuming after
// a restart, rebuilding a lost directory or one of an older format, searching one tenant's
// messages, dropping an erased customer's documents and compacting them away.
#include "services/unifier/search/search_index.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/base/coding.h"
#include "services/unifier/search/change_indexer.h"
#include "services/unifier/search/index_terms.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier::search {
namespace {

namespace fs = std::filesystem;
using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kSecond = 1'000'000;

class SearchIndexTest : public ::testing::Test {
 protected:
  SearchIndexTest() { index_dir_ = h_.store().db()->GetName() + "-search"; }

  void OpenIndex() {
    index_.reset();
    auto opened = SearchIndex::Open(h_.store(), h_.normalizer(), {index_dir_});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    index_ = std::move(*opened);
  }

  v1::Event Message(v1::Channel channel, const v1::Identity& from, int64_t at, const std::string& text,
                    const std::string& subject = "") {
    v1::Event e = h_.MakeEvent(channel, "m" + std::to_string(++provider_ids_), from, at);
    e.set_text(text);
    e.set_subject(subject);
    return e;
  }

  void Send(const std::vector<v1::Event>& events) {
    std::vector<std::string> frames;
    for (const auto& e : events) frames.push_back(UnifierHarness::Frame("p", ++seq_, e));
    h_.Process(std::move(frames));
  }

  uint64_t LastChangeSeq() { return h_.store().ReadCounters()->last_change_seq; }

  v1::SearchResponse Search(v1::SearchRequest req, std::string_view tenant = {}) {
    v1::SearchResponse resp;
    const rocksdb::Snapshot* snap = h_.store().db()->GetSnapshot();
    auto s = index_->Search(req, snap, &resp, tenant);
    h_.store().db()->ReleaseSnapshot(snap);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return resp;
  }
  v1::SearchResponse Search(const std::string& query) {
    v1::SearchRequest req;
    req.set_query(query);
    return Search(req);
  }
  std::set<std::string> Texts(const v1::SearchResponse& resp) {
    std::set<std::string> out;
    for (const auto& hit : resp.hits()) out.insert(hit.snippet());
    return out;
  }

  uint64_t IdentityIdOf(const v1::Identity& id) {
    auto normalized = h_.normalizer().Normalize(id);
    auto rec = h_.store().GetIdentity(event::IdentityKey(*normalized));
    return (*rec)->identity_id();
  }

  // What an erasure commits for the search index: a CUSTOMER_ERASED change naming the erased
  // identities, after turning the identities' earlier entries into tombstones.
  void CommitErasure(uint64_t identity_id) {
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(h_.store().db()->NewIterator(rocksdb::ReadOptions(), h_.store().change_log()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::ChangeLogRecord rec;
      ASSERT_TRUE(DecodeValue(it->value().ToStringView(), &rec).ok());
      if (rec.change().identity().value().empty()) continue;
      if (IdentityIdOf(rec.change().identity()) != identity_id) continue;
      v1::ChangeLogRecord tomb;
      tomb.set_tombstone(true);
      tomb.mutable_change()->set_change_seq(rec.change().change_seq());
      tomb.mutable_change()->set_kind(rec.change().kind());
      batch.Put(h_.store().change_log(), it->key(), EncodeValue(tomb));
    }
    const uint64_t seq = LastChangeSeq() + 1;
    v1::ChangeLogRecord erased;
    erased.mutable_change()->set_change_seq(seq);
    erased.mutable_change()->set_kind(v1::CUSTOMER_ERASED);
    erased.mutable_change()->add_erased_identity_ids(identity_id);
    batch.Put(h_.store().change_log(), base::EncodeFixed64BE(seq), EncodeValue(erased));
    batch.Put(h_.store().meta(), kMetaLastChangeSeq, EncodeRawValue(base::EncodeFixed64BE(seq)));
    ASSERT_TRUE(h_.store().db()->Write(rocksdb::WriteOptions(), &batch).ok());
  }

  // Documents in the index naming `term`, read from a Database of the test's own.
  Xapian::doccount TermFrequency(const std::string& term) { return Xapian::Database(index_dir_).get_termfreq(term); }

  bool FilesContain(const std::string& needle) {
    for (const auto& entry : fs::recursive_directory_iterator(index_dir_)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      if (bytes.str().find(needle) != std::string::npos) return true;
    }
    return false;
  }

  UnifierHarness h_;
  std::string index_dir_;
  std::unique_ptr<SearchIndex> index_;
  uint64_t seq_ = 0;
  int provider_ids_ = 0;
  const v1::Identity ana_ = Email("ana@example.com");
  const v1::Identity ben_ = Phone("+14155550100");
};

TEST_F(SearchIndexTest, FollowsTheChangeLogAndAnswersWithCustomersAndSnippets) {
  OpenIndex();
  Send({Message(v1::EMAIL, ana_, kT0, "Köszönöm the invoice arrived", "Invoice 42"),
        Message(v1::SMS, ben_, kT0 + kSecond, "where is my parcel?")});
  EXPECT_EQ(index_->indexed_change_seq(), 0u);  // ingest never waits for the index
  auto caught = index_->CatchUp();
  ASSERT_TRUE(caught.ok());
  EXPECT_EQ(*caught, LastChangeSeq());

  auto resp = Search("koszonom");
  ASSERT_EQ(resp.hits_size(), 1);
  const v1::SearchHit& hit = resp.hits(0);
  EXPECT_EQ(hit.channel(), v1::EMAIL);
  EXPECT_EQ(hit.subject(), "Invoice 42");
  EXPECT_EQ(hit.snippet(), "[[Köszönöm]] the invoice arrived");
  EXPECT_EQ(hit.identity().value(), "ana@example.com");
  EXPECT_EQ(hit.occurred_at_us(), kT0);
  auto customer = h_.store().GetIdentity(event::IdentityKey(ana_));
  EXPECT_EQ(hit.customer_id(), (*customer)->customer_id());
  EXPECT_EQ(resp.indexed_change_seq(), LastChangeSeq());
  EXPECT_EQ(resp.last_change_seq(), LastChangeSeq());
  // A word of the subject only: the snippet is the subject's.
  auto by_subject = Search("42");
  ASSERT_EQ(by_subject.hits_size(), 1);
  EXPECT_EQ(by_subject.hits(0).snippet(), "Invoice [[42]]");
  EXPECT_EQ(Search("parcel").hits_size(), 1);
  EXPECT_EQ(Search("parc").hits_size(), 0);
}

TEST_F(SearchIndexTest, FiltersOrderAndCursorPaging) {
  OpenIndex();
  std::vector<v1::Event> events;
  for (int i = 0; i < 5; ++i) events.push_back(Message(v1::EMAIL, ana_, kT0 + i * kSecond, "order number " + std::to_string(i)));
  for (int i = 0; i < 3; ++i) events.push_back(Message(v1::SMS, ben_, kT0 + (10 + i) * kSecond, "order status " + std::to_string(i)));
  v1::Event outbound = Message(v1::SMS, ben_, kT0 + 20 * kSecond, "your order shipped");
  outbound.set_direction(v1::OUTBOUND);
  outbound.clear_sender();
  *outbound.add_recipients() = ben_;
  events.push_back(outbound);
  Send(events);
  ASSERT_TRUE(index_->CatchUp().ok());

  v1::SearchRequest req;
  req.set_query("order");
  EXPECT_EQ(Search(req).hits_size(), 9);
  *req.mutable_customer()->mutable_identity() = Phone("(415) 555-0100");
  EXPECT_EQ(Search(req).hits_size(), 4);
  req.set_direction(v1::OUTBOUND);
  ASSERT_EQ(Search(req).hits_size(), 1);
  EXPECT_EQ(Search(req).hits(0).snippet(), "your [[order]] shipped");
  req.clear_customer();
  req.set_direction(v1::DIRECTION_UNSPECIFIED);
  req.add_channels(v1::EMAIL);
  EXPECT_EQ(Search(req).hits_size(), 5);
  req.set_since_us(kT0 + 1 * kSecond);
  req.set_until_us(kT0 + 3 * kSecond);  // exclusive
  auto window = Search(req);
  ASSERT_EQ(window.hits_size(), 2);
  EXPECT_EQ(window.hits(0).occurred_at_us(), kT0 + 2 * kSecond);  // newest first
  EXPECT_EQ(window.hits(1).occurred_at_us(), kT0 + 1 * kSecond);

  // Paging in both orders: every hit once, in order, then no cursor.
  for (auto order : {v1::SearchRequest::NEWEST, v1::SearchRequest::RELEVANCE}) {
    v1::SearchRequest page;
    page.set_query("order");
    page.set_order(order);
    page.set_limit(4);
    std::vector<int64_t> seen;
    for (int pages = 0; pages < 10; ++pages) {
      auto resp = Search(page);
      for (const auto& hit : resp.hits()) seen.push_back(hit.occurred_at_us());
      if (resp.next_cursor().empty()) break;
      page.set_cursor(resp.next_cursor());
    }
    EXPECT_EQ(seen.size(), 9u) << order;
    EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 9u);
    if (order == v1::SearchRequest::NEWEST) {
      EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
    }
  }
  v1::SearchRequest relevance;
  relevance.set_query("order");
  relevance.set_order(v1::SearchRequest::RELEVANCE);
  EXPECT_GT(Search(relevance).hits(0).score(), 0);

  v1::SearchRequest bad;
  bad.set_query("order");
  bad.set_cursor("not-a-cursor");
  v1::SearchResponse resp;
  EXPECT_EQ(index_->Search(bad, nullptr, &resp, {}).code(), base::StatusCode::kInvalidArgument);
  bad.set_cursor("");
  bad.set_query("  ");
  EXPECT_EQ(index_->Search(bad, nullptr, &resp, {}).code(), base::StatusCode::kInvalidArgument);
}

TEST_F(SearchIndexTest, EditsReplaceWordsAndDeletionsRemoveThem) {
  OpenIndex();
  const v1::Identity tg = [] {
    v1::Identity id;
    id.set_kind(v1::Identity::PLATFORM);
    id.set_platform("telegram");
    id.set_value("1001");
    return id;
  }();
  v1::Event m1 = Message(v1::TELEGRAM, tg, kT0, "the first draft");
  v1::Event m2 = Message(v1::TELEGRAM, tg, kT0 + 1, "regrettable words");
  m1.set_account("bot");
  m2.set_account("bot");
  Send({m1, m2});
  ASSERT_TRUE(index_->CatchUp().ok());
  EXPECT_EQ(Search("draft").hits_size(), 1);

  auto amend = [&](v1::EventKind kind, const v1::Event& of, const std::string& text) {
    v1::Event e = h_.MakeEvent(v1::TELEGRAM, "a" + std::to_string(++provider_ids_), tg, kT0 + 100);
    e.set_account("bot");
    e.set_kind(kind);
    e.set_text(text);
    e.set_refers_to_provider_message_id(of.provider_message_id());
    return e;
  };
  Send({amend(v1::EDIT, m1, "the final version"), amend(v1::DELETE, m2, "")});
  ASSERT_TRUE(index_->CatchUp().ok());
  EXPECT_EQ(Search("draft").hits_size(), 0);
  auto edited = Search("final");
  ASSERT_EQ(edited.hits_size(), 1);
  EXPECT_EQ(edited.hits(0).snippet(), "the [[final]] version");
  EXPECT_EQ(Search("regrettable").hits_size(), 0);
  EXPECT_EQ(TermFrequency(WordTerm("regrettable")), 0u);
}

TEST_F(SearchIndexTest, RestartResumesFromTheCommittedSequence) {
  OpenIndex();
  Send({Message(v1::EMAIL, ana_, kT0, "alpha")});
  ASSERT_TRUE(index_->CatchUp().ok());
  const uint64_t before = index_->indexed_change_seq();
  ASSERT_GT(before, 0u);
  index_.reset();
  Send({Message(v1::EMAIL, ana_, kT0 + 1, "beta")});
  OpenIndex();
  EXPECT_EQ(index_->indexed_change_seq(), before);  // resumes, does not start over
  index_->Start();
  EXPECT_TRUE(index_->WaitIndexed(LastChangeSeq(), std::chrono::seconds(30)));
  EXPECT_EQ(Search("beta").hits_size(), 1);
  EXPECT_EQ(Search("alpha").hits_size(), 1);
  EXPECT_EQ(TermFrequency(WordTerm("alpha")), 1u);
  EXPECT_FALSE(index_->WaitIndexed(LastChangeSeq() + 1, std::chrono::milliseconds(1)));
  index_->Stop();
}

TEST_F(SearchIndexTest, LostOrUnreadableDirectoryIsRebuiltFromTheStore) {
  OpenIndex();
  Send({Message(v1::EMAIL, ana_, kT0, "gamma"), Message(v1::SMS, ben_, kT0 + 1, "delta")});
  ASSERT_TRUE(index_->CatchUp().ok());
  index_.reset();
  fs::remove_all(index_dir_);
  OpenIndex();
  EXPECT_EQ(index_->indexed_change_seq(), 0u);
  ASSERT_TRUE(index_->CatchUp().ok());
  EXPECT_EQ(Search("gamma").hits_size(), 1);
  EXPECT_EQ(Search("delta").hits_size(), 1);

  index_.reset();
  for (const auto& entry : fs::directory_iterator(index_dir_)) {
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "garbage";
  }
  OpenIndex();
  ASSERT_TRUE(index_->CatchUp().ok());
  EXPECT_EQ(Search("gamma").hits_size(), 1);
}

TEST_F(SearchIndexTest, ASearchMatchesOnlyItsTenantsMessages) {
  OpenIndex();
  v1::Event acme = Message(v1::EMAIL, ana_, kT0, "invoice overdue");
  acme.set_tenant_id("acme");
  acme.set_account("support@acme.test");
  Send({acme, Message(v1::EMAIL, ana_, kT0 + 1, "invoice paid")});
  ASSERT_TRUE(index_->CatchUp().ok());
  v1::SearchRequest req;
  req.set_query("invoice");
  EXPECT_EQ(Texts(Search(req, "acme")), std::set<std::string>{"[[invoice]] overdue"});
  EXPECT_EQ(Texts(Search(req)), std::set<std::string>{"[[invoice]] paid"});
  EXPECT_EQ(Texts(Search(req, "default")), std::set<std::string>{"[[invoice]] paid"});
  EXPECT_EQ(Search(req, "globex").hits_size(), 0);
  // The same address is another customer in acme: selected by identity within the tenant.
  *req.mutable_customer()->mutable_identity() = ana_;
  EXPECT_EQ(Texts(Search(req, "acme")), std::set<std::string>{"[[invoice]] overdue"});
}

TEST_F(SearchIndexTest, AnIndexOfTheFormatBeforeTenantsIsRebuilt) {
  OpenIndex();
  Send({Message(v1::EMAIL, ana_, kT0, "epsilon")});
  ASSERT_TRUE(index_->CatchUp().ok());
  index_.reset();
  {
    // What a build before tenant terms left: documents, a sequence, no format.
    Xapian::WritableDatabase db(index_dir_, Xapian::DB_OPEN);
    db.set_metadata(kIndexFormatKey, "");
    db.commit();
  }
  OpenIndex();
  EXPECT_EQ(index_->indexed_change_seq(), 0u);  // started over
  ASSERT_TRUE(index_->CatchUp().ok());
  EXPECT_EQ(Search("epsilon").hits_size(), 1);
  EXPECT_EQ(Xapian::Database(index_dir_).get_metadata(kIndexFormatKey), kIndexFormat);
}

TEST_F(SearchIndexTest, AnIndexInUseIsNeverRebuiltUnderItsOwner) {
  OpenIndex();
  Send({Message(v1::EMAIL, ana_, kT0, "epsilon")});
  ASSERT_TRUE(index_->CatchUp().ok());
  auto second = SearchIndex::Open(h_.store(), h_.normalizer(), {index_dir_});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), base::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
  EXPECT_EQ(Search("epsilon").hits_size(), 1);
}

TEST_F(SearchIndexTest, ErasureDropsDocumentsAndCompactionRemovesTheirBytes) {
  OpenIndex();
  Send({Message(v1::EMAIL, ana_, kT0, "zanzibarique secret plans"), Message(v1::SMS, ben_, kT0 + 1, "harmless note")});
  ASSERT_TRUE(index_->CatchUp().ok());
  ASSERT_TRUE(FilesContain("zanzibarique"));
  CommitErasure(IdentityIdOf(ana_));
  ASSERT_TRUE(index_->CatchUp().ok());
  EXPECT_EQ(index_->indexed_change_seq(), LastChangeSeq());
  EXPECT_EQ(TermFrequency(IdentityTerm(IdentityIdOf(ana_))), 0u);
  EXPECT_EQ(TermFrequency(WordTerm("zanzibarique")), 0u);

  auto compacted = index_->Compact();
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  EXPECT_EQ(*compacted, index_dir_);
  EXPECT_FALSE(FilesContain("zanzibarique"));
  // The index keeps its sequence and keeps working after the swap.
  EXPECT_EQ(Xapian::Database(index_dir_).get_metadata(kIndexedSeqKey), std::to_string(LastChangeSeq()));
  EXPECT_EQ(Search("harmless").hits_size(), 1);
  // The batch processor reads the change sequence the erasure wrote behind its back on open.
  index_.reset();
  h_.Reopen();
  OpenIndex();
  Send({Message(v1::SMS, ben_, kT0 + 2, "afterwards")});
  auto after = index_->CatchUp();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after, LastChangeSeq());
  EXPECT_EQ(TermFrequency(WordTerm("afterwards")), 1u);
  EXPECT_EQ(Search("afterwards").hits_size(), 1);
}

TEST_F(SearchIndexTest, SearchesWhileCompactionSwapsTheDirectoryAllSucceed) {
  OpenIndex();
  std::vector<v1::Event> events;
  for (int i = 0; i < 50; ++i) events.push_back(Message(v1::SMS, ben_, kT0 + i, "common words " + std::to_string(i)));
  Send(events);
  ASSERT_TRUE(index_->CatchUp().ok());
  std::atomic<bool> done{false};
  std::atomic<int> searches{0};
  std::atomic<int> wrong{0};
  std::thread searcher([&] {
    v1::SearchRequest req;
    req.set_query("common");
    req.set_limit(100);
    while (!done.load() || searches.load() == 0) {
      v1::SearchResponse resp;
      auto s = index_->Search(req, nullptr, &resp, {});
      if (!s.ok() || resp.hits_size() != 50) wrong.fetch_add(1);
      searches.fetch_add(1);
    }
  });
  for (int i = 0; i < 5; ++i) {
    auto compacted = index_->Compact();
    EXPECT_TRUE(compacted.ok()) << compacted.status().ToString();
  }
  done.store(true);
  searcher.join();
  EXPECT_GT(searches.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace omnihub::unifier::search
