// The worked hex examples of docs/formats/*.md (and the timeline cursor of
// docs/query-protocol.md), built again with the real encoders and compared with the
// markdown itself, so that a doc cannot drift from the code unnoticed. The marker
// convention is in docs/storage-format.md ("Worked examples are checked").
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/bus/outbox.h"
#include "common/base/uuid.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/store.pb.h"
#include "common/base/sha256.h"
#include "services/unifier/erasure/blob_refs.h"
#include "services/unifier/erasure/erased_keys.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/query/timeline_reader.h"
#include "services/unifier/suggestions/suggestion_detector.h"
#include "tests/services/unifier/unifier_test_util.h"

#ifndef OMNIHUB_SOURCE_DIR
#error "tests/CMakeLists.txt defines OMNIHUB_SOURCE_DIR for this test"
#endif

namespace omnihub {
namespace {

namespace fs = std::filesystem;
using unifier::EncodeRawValue;
using unifier::EncodeValue;

constexpr std::string_view kMarkerStart = "<!-- checked: ";
constexpr std::string_view kMarkerEnd = " -->";

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(fs::path(OMNIHUB_SOURCE_DIR) / relative, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << relative;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The checked blocks of a markdown text: marker name -> the lines of the fenced block
// that follows the marker line.
std::map<std::string, std::string> CheckedBlocks(const std::string& markdown, const std::string& doc) {
  std::map<std::string, std::string> blocks;
  std::istringstream in(markdown);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(kMarkerStart) || !line.ends_with(kMarkerEnd)) continue;
    const std::string name =
        line.substr(kMarkerStart.size(), line.size() - kMarkerStart.size() - kMarkerEnd.size());
    std::string fence;
    if (!std::getline(in, fence) || !fence.starts_with("```")) {
      ADD_FAILURE() << doc << ": marker '" << name << "' is not followed by a fenced block";
      continue;
    }
    std::string body;
    bool closed = false;
    while (std::getline(in, line)) {
      if (line.starts_with("```")) {
        closed = true;
        break;
      }
      body += line + "\n";
    }
    EXPECT_TRUE(closed) << doc << ": block '" << name << "' is not closed";
    EXPECT_TRUE(blocks.emplace(name, body).second) << doc << ": marker '" << name << "' appears twice";
  }
  return blocks;
}

bool IsHexGroup(std::string_view token) {
  if (token.empty() || token.size() % 2 != 0) return false;
  for (char c : token) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The bytes a checked block shows: per line, an optional non-hex label, then hex groups
// separated by single spaces, up to two spaces in a row or a word that is not hex.
std::string BytesOf(const std::string& block) {
  std::string bytes;
  std::istringstream in(block);
  std::string line;
  while (std::getline(in, line)) {
    size_t i = line.find_first_not_of(' ');
    if (i == std::string::npos) continue;
    size_t end = line.find(' ', i);
    if (!IsHexGroup(std::string_view(line).substr(i, end == std::string::npos ? std::string::npos : end - i))) {
      if (end == std::string::npos) continue;  // a label alone
      i = line.find_first_not_of(' ', end);
      if (i == std::string::npos) continue;
    }
    while (i < line.size()) {
      end = line.find(' ', i);
      const std::string_view token =
          std::string_view(line).substr(i, end == std::string::npos ? std::string::npos : end - i);
      std::string decoded;
      if (!IsHexGroup(token) || !base::HexDecode(token, &decoded)) break;
      bytes += decoded;
      if (end == std::string::npos || end + 1 >= line.size() || line[end + 1] == ' ') break;
      i = end + 1;
    }
  }
  return bytes;
}

std::string SpacedHex(std::string_view bytes) {
  std::string hex = base::HexEncode(bytes);
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out += (i % 32 == 0) ? "\n" : " ";
    out += hex.substr(i, 2);
  }
  return out;
}

// ---- The data of the examples: the SMS of docs/formats/timeline.md#worked-example. ----

constexpr int64_t kOccurredAtUs = 1795428000000000;   // 2026-11-23T10:00:00Z
constexpr int64_t kReceivedAtUs = 1795428001000000;
constexpr int64_t kCommittedAtUs = 1795428002000000;
constexpr char kCustomerId[] = "01a207d9-28d0-7000-b305-67547a34c162";
constexpr char kPublisherId[] = "sms-3f09a1c2d4b5e6f7";

std::string EventId() {
  std::string id;
  EXPECT_TRUE(base::UuidFromString("01a207d9-24e8-7000-811f-6531eb66d9a7", &id));
  return id;
}

v1::Identity Identity(v1::Identity::Kind kind, std::string value, std::string account = "",
                      std::string platform = "") {
  v1::Identity id;
  id.set_kind(kind);
  id.set_value(std::move(value));
  id.set_account(std::move(account));
  id.set_platform(std::move(platform));
  return id;
}

v1::Identity Sender() { return Identity(v1::Identity::PHONE, "+14155550100"); }

v1::Event SmsEvent() {
  v1::Event e;
  e.set_event_id(EventId());
  e.set_channel(v1::SMS);
  e.set_account("+14155550000");
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_provider_message_id("SM1");
  e.set_occurred_at_us(kOccurredAtUs);
  e.set_received_at_us(kReceivedAtUs);
  *e.mutable_sender() = Sender();
  e.set_text("hi");
  return e;
}

std::string SmsTimelineKey() { return unifier::TimelineKey(1, kOccurredAtUs, EventId()); }

std::string Counter(uint64_t n) { return EncodeRawValue(base::EncodeFixed64BE(n)); }

// ---- One builder per checked block. ----

std::string Timeline() {
  v1::TimelineRecord record;
  *record.mutable_event() = SmsEvent();
  record.set_identity_id(1);
  record.set_change_seq(2);
  record.set_committed_at_us(kCommittedAtUs);
  return SmsTimelineKey() + EncodeValue(record);
}

std::string Events() { return EventId() + EncodeRawValue(SmsTimelineKey()); }

std::string IdentityIds() { return base::EncodeFixed64BE(1) + EncodeRawValue(event::IdentityKey(Sender())); }

std::string MessageRefs() { return unifier::MessageRefKey(v1::SMS, "SM1") + EncodeRawValue(SmsTimelineKey()); }

std::string DedupSms() { return unifier::DedupKey(v1::SMS, "+14155550000", "SM1") + EncodeRawValue(EventId()); }

// docs/formats/erasure.md: the secret 00 01 .. 1f, the SMS of the timeline example erased.
std::string ErasedDedupKey() {
  std::string secret;
  for (int i = 0; i < 32; ++i) secret.push_back(static_cast<char>(i));
  return unifier::ErasedKeyWithSecret(secret, unifier::ErasedKind::kDedup,
                                      unifier::DedupKey(v1::SMS, "+14155550000", "SM1")) +
         EncodeRawValue("01a207d9-24e8-7000-811f-6531eb66d9a7");
}

std::string BlobRef() { return unifier::BlobRefKey(base::Sha256("hello"), EventId()) + EncodeRawValue(""); }

std::string ErasureReceipt() {
  v1::ErasureReceipt r;
  r.set_erasure_id("01a207d9-24e8-7000-811f-6531eb66d9a7");
  r.set_actor("dpo");
  r.set_erased_at_us(kOccurredAtUs);
  (*r.mutable_removed())["events"] = 2;
  return EncodeValue(r);
}

std::string DedupEmail() { return unifier::DedupKey(v1::EMAIL, "support@shop.example", "<a1@mail.example>"); }

std::string StatusUndelivered() { return unifier::StatusKey(v1::SMS, "SM1", "undelivered", "30003"); }

std::string StatusDelivered() { return unifier::StatusKey(v1::SMS, "SM1", "delivered", ""); }

std::string DeadLetters() {
  v1::DeadLetter dl;
  dl.set_dead_letter_id(1);
  dl.set_reason("bad json");
  dl.set_raw("{x");
  dl.set_source("webhook");
  dl.set_publisher_id(kPublisherId);
  dl.set_sequence(2);
  dl.set_received_at_us(kCommittedAtUs);
  return base::EncodeFixed64BE(1) + EncodeValue(dl);
}

std::string IdentitiesPhone() {
  v1::IdentityRecord rec;
  rec.set_identity_id(1);
  *rec.mutable_identity() = Sender();
  rec.set_customer_id(kCustomerId);
  rec.mutable_reason()->set_rule(v1::LinkReason::FIRST_SIGHT);
  rec.mutable_reason()->set_event_id(EventId());
  rec.mutable_reason()->set_linked_at_us(kCommittedAtUs);
  return event::IdentityKey(Sender()) + EncodeValue(rec);
}

std::string IdentitiesTelegram() {
  return event::IdentityKey(Identity(v1::Identity::PLATFORM, "123456789", "", "telegram"));
}

std::string IdentitiesHandleIndex() {
  const std::string x_user = event::IdentityKey(Identity(v1::Identity::PLATFORM, "42", "", "x"));
  return unifier::HandleIndexKey("x", "@Ana_K", x_user) + EncodeRawValue("");
}

std::string IdentitiesShortCodeAndSender() {
  return event::IdentityKey(Identity(v1::Identity::SHORT_CODE, "72345", "US")) +
         event::IdentityKey(Identity(v1::Identity::ALPHANUMERIC_SENDER, "AcmeBank"));
}

std::string Customers() {
  v1::CustomerRecord rec;
  rec.set_customer_id(kCustomerId);
  rec.add_identity_ids(1);
  *rec.add_identities() = Sender();
  rec.set_event_count(1);
  rec.set_created_at_us(kCommittedAtUs);
  return kCustomerId + EncodeValue(rec);
}

// docs/formats/graph.md: the merge of a customer that wrote one email into the customer of
// the SMS example, by an agent's command, and the command's kept answer.
constexpr char kMergeId[] = "01a207db-5b80-7000-8d1e-2f3a4b5c6d7e";
constexpr char kOtherCustomerId[] = "01a207da-0c40-7000-9a11-223344556677";
constexpr int64_t kMergedAtUs = 1795428600000000;  // 2026-11-23T10:10:00Z

std::string MergeCommandId() {
  std::string id;
  EXPECT_TRUE(base::UuidFromString(kMergeId, &id));
  return id;
}

std::string GraphMerge() {
  v1::MergeRecord rec;
  rec.set_merge_id(kMergeId);
  rec.set_survivor_id(kCustomerId);
  rec.set_other_id(kOtherCustomerId);
  rec.add_moved_identity_ids(2);
  rec.add_survivor_identity_ids(1);
  rec.set_actor("dana");
  rec.set_reason("same person");
  rec.set_merged_at_us(kMergedAtUs);
  rec.set_command_id(MergeCommandId());
  v1::CustomerRecord* before = rec.mutable_other_before();
  before->set_customer_id(kOtherCustomerId);
  before->add_identity_ids(2);
  *before->add_identities() = Identity(v1::Identity::EMAIL, "bo@x.io");
  before->set_event_count(1);
  before->set_created_at_us(kCommittedAtUs);
  return kMergeId + EncodeValue(rec);
}

std::string GraphCommandResult() {
  v1::CommandResult rec;
  rec.set_command_id(MergeCommandId());
  rec.set_applied(true);
  rec.set_customer_id(kCustomerId);
  rec.set_merge_id(kMergeId);
  rec.set_change_seq(7);
  return MergeCommandId() + EncodeValue(rec);
}

std::string ChangeLog() {
  std::string out;
  auto add = [&](const v1::ChangeNotification& change) {
    v1::ChangeLogRecord rec;
    *rec.mutable_change() = change;
    out += base::EncodeFixed64BE(change.change_seq()) + EncodeValue(rec);
  };
  v1::ChangeNotification created;
  created.set_change_seq(1);
  created.set_kind(v1::CUSTOMER_CREATED);
  created.set_customer_id(kCustomerId);
  created.set_committed_at_us(kCommittedAtUs);
  *created.mutable_identity() = Sender();
  add(created);
  v1::ChangeNotification added;
  added.set_change_seq(2);
  added.set_kind(v1::EVENT_ADDED);
  added.set_event_id(EventId());
  added.set_customer_id(kCustomerId);
  added.set_channel(v1::SMS);
  added.set_occurred_at_us(kOccurredAtUs);
  added.set_committed_at_us(kCommittedAtUs);
  *added.mutable_identity() = Sender();
  added.set_identity_id(1);
  add(added);
  v1::ChangeNotification dead;
  dead.set_change_seq(3);
  dead.set_kind(v1::DEAD_LETTERED);
  dead.set_committed_at_us(kCommittedAtUs);
  dead.set_dead_letter_id(1);
  add(dead);
  return out;
}

std::string AmendmentEdit() { return unifier::AmendmentKey(v1::TELEGRAM, "shop_bot", "123:77", v1::EDIT, "123:77/e1"); }

std::string AmendmentWatermark() {
  return unifier::WatermarkKey(v1::MESSENGER, "1234", "5678", "read", kOccurredAtUs);
}

std::string Meta() {
  // A std::map lists the keys in byte order, as RocksDB does.
  const std::map<std::string, std::string> meta = {
      {unifier::kMetaEvents, Counter(1)},
      {unifier::kMetaCustomers, Counter(1)},
      {unifier::kMetaIdentities, Counter(1)},
      {unifier::kMetaDeadLetters, Counter(1)},
      {unifier::kMetaDuplicates, Counter(0)},
      {unifier::kMetaStatuses, Counter(0)},
      {unifier::kMetaAmendments, Counter(0)},
      {unifier::HighWaterKey(kPublisherId), Counter(2)},
      {unifier::kMetaLastChangeSeq, Counter(3)},
      {unifier::kMetaLastIdentityId, Counter(1)},
      {unifier::kMetaLastDeadLetterId, Counter(1)},
      {unifier::kMetaLayoutVersion, base::EncodeFixed64BE(unifier::kLayoutVersion)},  // no version byte
  };
  std::string out;
  for (const auto& [key, value] : meta) out += key + value;
  return out;
}

// The publisher id's random half comes from here.
class FixedRandom final : public base::RandomSource {
 public:
  uint64_t Next64() override { return 0x2245bd5fbb686f68; }
};

// A real outbox, then every record of its two column families, in key order.
std::string OutboxRecords() {
  unifier::testing::TempDir tmp;
  const std::string dir = tmp.path() + "/outbox";
  FixedRandom random;
  {
    auto outbox = bus::Outbox::Open(dir, "inject", random);
    if (!outbox.ok()) return "open: " + outbox.status().ToString();
    std::vector<bus::OutboxItem> first(1);
    first[0].event_bytes = "hi";
    if (auto s = (*outbox)->Append(std::move(first), {{"k", "v"}}); !s.ok()) return s.status().ToString();
    std::vector<bus::OutboxItem> second(1);
    second[0].event_bytes = "hi2";
    if (auto s = (*outbox)->Append(std::move(second)); !s.ok()) return s.status().ToString();
    if (base::Status s = (*outbox)->Trim(1); !s.ok()) return s.ToString();
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {bus::kOutboxEntriesColumnFamily, rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir, families, &handles, &raw);
  if (!s.ok()) return "read-only open: " + s.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string out;
  for (auto* handle : handles) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handle));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out += it->key().ToString() + it->value().ToString();
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  return out;
}

// docs/formats/suggestions.md: jane@example.com written in a WhatsApp message of +4915112345678.
std::string Suggestion() {
  const v1::Identity mentioned = unifier::testing::Email("jane@example.com");
  const v1::Identity author = unifier::testing::Phone("+4915112345678");
  v1::SuggestionRecord record;
  record.set_suggestion_id(unifier::SuggestionId(mentioned, author));
  *record.mutable_mentioned() = mentioned;
  *record.mutable_author() = author;
  v1::SuggestionRecord::Evidence* evidence = record.add_evidence();
  evidence->set_event_id(EventId());
  evidence->set_text("Jane@Example.COM");
  evidence->set_occurred_at_us(kOccurredAtUs);
  record.set_first_seen_us(kReceivedAtUs);
  return record.suggestion_id() + EncodeValue(record);
}

std::string TimelineCursor() {
  return unifier::EncodeTimelineCursor({kOccurredAtUs, EventId()});
}

struct Example {
  std::string doc;   // relative to the source tree
  std::string name;  // the marker's name
  std::function<std::string()> build;
  bool base64 = false;  // build() returns a cursor: compare its decoded bytes
};

std::vector<Example> Examples() {
  return {
      {"docs/formats/timeline.md", "sms", Timeline},
      {"docs/formats/events.md", "sms", Events},
      {"docs/formats/identity_ids.md", "phone", IdentityIds},
      {"docs/formats/message_refs.md", "sms", MessageRefs},
      {"docs/formats/dedup.md", "sms", DedupSms},
      {"docs/formats/dedup.md", "email", DedupEmail},
      {"docs/formats/statuses.md", "undelivered", StatusUndelivered},
      {"docs/formats/statuses.md", "delivered", StatusDelivered},
      {"docs/formats/amendments.md", "edit", AmendmentEdit},
      {"docs/formats/amendments.md", "watermark", AmendmentWatermark},
      {"docs/formats/dead_letters.md", "rejected", DeadLetters},
      {"docs/formats/identities.md", "phone", IdentitiesPhone},
      {"docs/formats/identities.md", "telegram", IdentitiesTelegram},
      {"docs/formats/identities.md", "short-code-and-sender", IdentitiesShortCodeAndSender},
      {"docs/formats/identities.md", "handle-index", IdentitiesHandleIndex},
      {"docs/formats/customers.md", "phone", Customers},
      {"docs/formats/graph.md", "merge", GraphMerge},
      {"docs/formats/graph.md", "command-result", GraphCommandResult},
      {"docs/formats/change_log.md", "first-batch", ChangeLog},
      {"docs/formats/meta.md", "after-first-batch", Meta},
      {"docs/formats/outbox.md", "inject", OutboxRecords},
      {"docs/formats/suggestions.md", "jane", Suggestion},
      {"docs/formats/erasure.md", "erased-dedup", ErasedDedupKey},
      {"docs/formats/erasure.md", "blob-ref", BlobRef},
      {"docs/formats/erasure.md", "receipt", ErasureReceipt},
      {"docs/query-protocol.md", "timeline-cursor", TimelineCursor, true},
  };
}

TEST(FormatDocsTest, EveryCheckedExampleMatchesTheEncoders) {
  for (const Example& example : Examples()) {
    SCOPED_TRACE(example.doc + " <!-- checked: " + example.name + " -->");
    const auto blocks = CheckedBlocks(ReadSourceFile(example.doc), example.doc);
    auto it = blocks.find(example.name);
    ASSERT_NE(it, blocks.end()) << "the marker is missing";
    const std::string shown = BytesOf(it->second);
    ASSERT_FALSE(shown.empty()) << "the block shows no bytes";
    std::string built = example.build();
    if (example.base64) {
      EXPECT_NE(it->second.find("-> " + built + "\n"), std::string::npos) << "the cursor text is not " << built;
      std::string decoded;
      ASSERT_TRUE(base::Base64UrlDecode(built, &decoded));
      built = decoded;
    }
    EXPECT_EQ(SpacedHex(shown), SpacedHex(built)) << "the doc (left) differs from the encoders (right)";
  }
}

// A marker no example names would look checked without being so.
TEST(FormatDocsTest, EveryMarkerHasAnExample) {
  std::set<std::pair<std::string, std::string>> known;
  for (const Example& example : Examples()) known.emplace(example.doc, example.name);
  std::vector<std::string> docs = {"docs/query-protocol.md", "docs/storage-format.md"};
  for (const auto& entry : fs::directory_iterator(fs::path(OMNIHUB_SOURCE_DIR) / "docs/formats")) {
    if (entry.path().extension() == ".md") docs.push_back("docs/formats/" + entry.path().filename().string());
  }
  int markers = 0;
  for (const std::string& doc : docs) {
    for (const auto& [name, block] : CheckedBlocks(ReadSourceFile(doc), doc)) {
      ++markers;
      EXPECT_TRUE(known.count({doc, name})) << doc << ": marker '" << name << "' is checked by no example";
    }
  }
  EXPECT_EQ(markers, static_cast<int>(known.size()));
}

// The identities doc lists every kind the key can start with, by number and name.
TEST(FormatDocsTest, IdentityKindsListMatchesTheEnum) {
  const std::string doc = ReadSourceFile("docs/formats/identities.md");
  const auto* kinds = v1::Identity::Kind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    const auto* kind = kinds->value(i);
    if (kind->number() == 0) continue;
    const std::string entry = std::to_string(kind->number()) + " " + kind->name();
    EXPECT_NE(doc.find(entry), std::string::npos) << "docs/formats/identities.md does not list '" << entry << "'";
  }
}

// The reader of the convention itself.
TEST(FormatDocsTest, BytesOfSkipsLabelsAndCommentary) {
  EXPECT_EQ(base::HexEncode(BytesOf("key    00 01  02 is commentary\n")), "0001");
  EXPECT_EQ(base::HexEncode(BytesOf("default  00 7075  \"\\0pu\"\n         ^ version 01\n")), "007075");
  EXPECT_EQ(base::HexEncode(BytesOf("       = 01 ff\n       kind PLATFORM, ab\n  0a 0b ... 0c\n")), "01ff0a0b");
  EXPECT_EQ(BytesOf("no bytes here\n"), "");
}

}  // namespace
}  // namespace omnihub
