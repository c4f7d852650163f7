// Blobs (attachments, raw messages) and the conversation index of the unifier.
#include <gtest/gtest.h>

#include "common/base/compression.h"
#include "common/base/sha256.h"
#include "services/unifier/query/query_service.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;

class ContentStoreTest : public ::testing::Test {
 protected:
  static std::string FrameWithBlobs(uint64_t seq, const v1::Event& e, const std::vector<v1::Blob>& blobs) {
    v1::BusFrame f;
    f.ParseFromString(UnifierHarness::Frame("p1", seq, e));
    for (const auto& b : blobs) *f.add_blobs() = b;
    return f.SerializeAsString();
  }

  static v1::Blob PlainBlob(const std::string& data) {
    v1::Blob b;
    b.set_sha256(base::Sha256(data));
    b.set_data(data);
    b.set_size_bytes(data.size());
    b.set_media_type("application/pdf");
    return b;
  }

  v1::QueryResponse Query(const v1::QueryRequest& req) {
    QueryService q(h_.store(), h_.normalizer(), {});
    return q.Handle(req);
  }

  v1::QueryResponse GetBlob(const std::string& sha) {
    v1::QueryRequest req;
    req.mutable_get_blob()->set_sha256(sha);
    return Query(req);
  }

  v1::Event Mail(const std::string& id, const std::string& from, const std::string& conversation, int64_t at) {
    auto e = h_.MakeEvent(v1::EMAIL, id, Email(from), at);
    e.set_conversation(conversation);
    return e;
  }

  UnifierHarness h_;
};

TEST_F(ContentStoreTest, BlobIsStoredOnceAndReadBack) {
  const std::string pdf(200 << 10, 'x');  // large enough to go to a blob file
  h_.Process({FrameWithBlobs(1, Mail("<1@x>", "ana@example.com", "", kT0), {PlainBlob(pdf)}),
              FrameWithBlobs(2, Mail("<2@x>", "ana@example.com", "", kT0 + 1), {PlainBlob(pdf)})});
  auto resp = GetBlob(base::Sha256(pdf));
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  EXPECT_EQ(resp.get_blob().data(), pdf);
  EXPECT_EQ(resp.get_blob().media_type(), "application/pdf");
  EXPECT_EQ(h_.processor().counters().events, 2u);
}

TEST_F(ContentStoreTest, CompressedBlobIsReturnedDecompressed) {
  const std::string raw = "From: ana@example.com\r\nSubject: hi\r\n\r\nhello\r\n";
  v1::Blob b;
  b.set_sha256(base::Sha256(raw));
  b.set_data(base::ZstdCompress(raw));
  b.set_compression("zstd");
  b.set_size_bytes(raw.size());
  h_.Process({FrameWithBlobs(1, Mail("<1@x>", "ana@example.com", "", kT0), {b})});
  EXPECT_EQ(GetBlob(base::Sha256(raw)).get_blob().data(), raw);
}

TEST_F(ContentStoreTest, BlobThatDoesNotMatchItsAddressIsDeadLettered) {
  v1::Blob b = PlainBlob("real bytes");
  b.set_data("other bytes");
  b.set_size_bytes(11);
  h_.Process({FrameWithBlobs(1, Mail("<1@x>", "ana@example.com", "", kT0), {b})});
  EXPECT_EQ(h_.processor().counters().dead_letters, 1u);
  EXPECT_EQ(h_.processor().counters().events, 0u);
  EXPECT_EQ(GetBlob(base::Sha256("real bytes")).error().code(), "not_found");
}

TEST_F(ContentStoreTest, ConversationListsMessagesAcrossCustomersOldestFirst) {
  // The reply from a second address arrives before the message it follows.
  h_.Process({UnifierHarness::Frame("p1", 1, Mail("<1@x>", "ana@example.com", "1@x", kT0)),
              UnifierHarness::Frame("p1", 2, Mail("<3@x>", "ana.work@example.org", "1@x", kT0 + 300)),
              UnifierHarness::Frame("p1", 3, Mail("<other@x>", "bo@example.com", "other@x", kT0 + 5))});
  h_.Process({UnifierHarness::Frame("p1", 4, Mail("<2@x>", "ana@example.com", "1@x", kT0 + 100))});

  v1::QueryRequest req;
  req.mutable_conversation()->set_conversation("1@x");
  auto resp = Query(req);
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  const auto& entries = resp.conversation().entries();
  ASSERT_EQ(entries.size(), 3);
  EXPECT_EQ(entries[0].event().provider_message_id(), "<1@x>");
  EXPECT_EQ(entries[1].event().provider_message_id(), "<2@x>");
  EXPECT_EQ(entries[2].event().provider_message_id(), "<3@x>");
  EXPECT_NE(entries[0].customer_id(), entries[2].customer_id());

  // By identity: that customer's latest conversation; paging with a cursor.
  v1::QueryRequest by_customer;
  *by_customer.mutable_conversation()->mutable_customer()->mutable_identity() = Email("ana.work@example.org");
  by_customer.mutable_conversation()->set_limit(2);
  auto page1 = Query(by_customer);
  ASSERT_EQ(page1.conversation().entries_size(), 2);
  ASSERT_FALSE(page1.conversation().next_cursor().empty());
  v1::QueryRequest next;
  next.mutable_conversation()->set_conversation(page1.conversation().conversation());
  next.mutable_conversation()->set_cursor(page1.conversation().next_cursor());
  auto page2 = Query(next);
  ASSERT_EQ(page2.conversation().entries_size(), 1);
  EXPECT_EQ(page2.conversation().entries(0).event().provider_message_id(), "<3@x>");
}

TEST_F(ContentStoreTest, ReplyNamingOnlyItsParentJoinsTheRootsConversationWhateverTheOrder) {
  // Root a; b answers with References a; c answers b with In-Reply-To b only (its adapter keys
  // it by "b") and arrives before b; d answers c the same way. Unrelated: x.
  h_.Process({UnifierHarness::Frame("p1", 1, Mail("a@x", "ana@example.com", "a@x", kT0)),
              UnifierHarness::Frame("p1", 2, Mail("c@x", "bo@example.com", "b@x", kT0 + 200)),
              UnifierHarness::Frame("p1", 3, Mail("x@x", "cy@example.com", "x@x", kT0 + 50))});
  auto ids = [&](const std::string& key) {
    v1::QueryRequest req;
    req.mutable_conversation()->set_conversation(key);
    auto resp = Query(req);
    std::vector<std::string> out;
    for (const auto& e : resp.conversation().entries()) out.push_back(e.event().provider_message_id());
    return out;
  };
  EXPECT_EQ(ids("a@x"), (std::vector<std::string>{"a@x"}));  // b, the link, is not here yet
  EXPECT_EQ(ids("b@x"), (std::vector<std::string>{"c@x"}));
  h_.Process({UnifierHarness::Frame("p1", 4, Mail("b@x", "ana@example.com", "a@x", kT0 + 100)),
              UnifierHarness::Frame("p1", 5, Mail("d@x", "ana@example.com", "c@x", kT0 + 300))});
  const std::vector<std::string> thread = {"a@x", "b@x", "c@x", "d@x"};
  EXPECT_EQ(ids("a@x"), thread);
  EXPECT_EQ(ids("b@x"), thread);
  EXPECT_EQ(ids("c@x"), thread);
  EXPECT_EQ(ids("x@x"), (std::vector<std::string>{"x@x"}));

  // Pages across the linked keys keep the order and lose nothing.
  std::vector<std::string> paged;
  std::string cursor;
  do {
    v1::QueryRequest req;
    req.mutable_conversation()->set_conversation("c@x");
    req.mutable_conversation()->set_limit(1);
    req.mutable_conversation()->set_cursor(cursor);
    auto resp = Query(req);
    ASSERT_FALSE(resp.has_error()) << resp.error().message();
    for (const auto& e : resp.conversation().entries()) paged.push_back(e.event().provider_message_id());
    cursor = resp.conversation().next_cursor();
  } while (!cursor.empty());
  EXPECT_EQ(paged, thread);
}

}  // namespace
}  // namespace omnihub::unifier
