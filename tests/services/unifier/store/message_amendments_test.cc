// Edits, deletions, reactions and watermark receipts end to end through the unifier's logic:
// BatchProcessor keeps them beside the timelines (and removes a deleted message's text from
// the store), QueryService joins them to their messages whichever arrived first.
#include "services/unifier/store/message_amendments.h"

#include <gtest/gtest.h>

#include <map>

#include <rocksdb/db.h>

#include "common/base/coding.h"
#include "services/unifier/query/amendment_view.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kSecond = 1'000'000;
constexpr char kChat[] = "123456789";

v1::Identity Telegram(const std::string& user_id) {
  v1::Identity id;
  id.set_kind(v1::Identity::PLATFORM);
  id.set_platform("telegram");
  id.set_value(user_id);
  return id;
}

const v1::Identity kAna = Telegram("1001");
const v1::Identity kBen = Telegram("1002");
const v1::Identity kBot = Telegram("shop_bot");

class MessageAmendmentsTest : public ::testing::Test {
 protected:
  // A Telegram message from Ana (or, outbound, from the bot to Ana) in the chat kChat.
  v1::Event Message(UnifierHarness& h, const std::string& id, int64_t at, const std::string& text,
                    v1::Direction direction = v1::INBOUND) {
    v1::Event e = h.MakeEvent(v1::TELEGRAM, id, direction == v1::INBOUND ? kAna : kBot, at);
    e.set_account("shop_bot");
    e.set_direction(direction);
    if (direction == v1::OUTBOUND) *e.add_recipients() = kAna;
    e.set_conversation(kChat);
    e.set_text(text);
    return e;
  }
  v1::Event Message(const std::string& id, int64_t at, const std::string& text, v1::Direction d = v1::INBOUND) {
    return Message(h_, id, at, text, d);
  }

  // An amendment by `who` of the message `refers_to`, with its own provider id `own_id`.
  v1::Event Amendment(UnifierHarness& h, v1::EventKind kind, const std::string& own_id, const std::string& refers_to,
                      int64_t at, const v1::Identity& who = kAna) {
    v1::Event e = h.MakeEvent(v1::TELEGRAM, own_id, who, at);
    e.set_account("shop_bot");
    e.set_kind(kind);
    e.set_text("");
    e.set_refers_to_provider_message_id(refers_to);
    e.set_conversation(kChat);
    return e;
  }
  v1::Event Edit(UnifierHarness& h, const std::string& own_id, const std::string& refers_to, int64_t at,
                 const std::string& text) {
    v1::Event e = Amendment(h, v1::EDIT, own_id, refers_to, at);
    e.set_text(text);
    return e;
  }
  v1::Event Edit(const std::string& own_id, const std::string& refers_to, int64_t at, const std::string& text) {
    return Edit(h_, own_id, refers_to, at, text);
  }
  v1::Event Delete(const std::string& own_id, const std::string& refers_to, int64_t at, bool keep_text = false) {
    v1::Event e = Amendment(h_, v1::DELETE, own_id, refers_to, at);
    if (keep_text) e.add_flags(kKeepDeletedTextFlag);
    return e;
  }
  v1::Event React(const std::string& own_id, const std::string& refers_to, int64_t at, const v1::Identity& who,
                  const std::string& emoji, bool removed = false) {
    v1::Event e = Amendment(h_, v1::REACTION, own_id, refers_to, at, who);
    e.mutable_reaction()->set_emoji(emoji);
    e.mutable_reaction()->set_removed(removed);
    return e;
  }
  v1::Event Watermark(const std::string& own_id, const std::string& state, int32_t stage, int64_t at,
                      int64_t watermark_us, const std::string& conversation = kChat) {
    v1::Event e = Amendment(h_, v1::STATUS, own_id, "", at);
    e.set_conversation(conversation);
    e.mutable_delivery_status()->set_state(state);
    e.mutable_delivery_status()->set_stage(stage);
    e.mutable_delivery_status()->set_watermark_us(watermark_us);
    return e;
  }

  BatchResult Send(UnifierHarness& h, uint64_t& seq, const std::vector<v1::Event>& events) {
    std::vector<std::string> frames;
    for (const auto& e : events) frames.push_back(UnifierHarness::Frame("p", ++seq, e));
    return h.Process(std::move(frames));
  }
  BatchResult Send(const std::vector<v1::Event>& events) { return Send(h_, seq_, events); }

  v1::TimelineResponse Timeline(UnifierHarness& h, const v1::Identity& who = kAna) {
    QueryService q(h.store(), h.normalizer(), {});
    v1::QueryRequest req;
    *req.mutable_timeline()->mutable_customer()->mutable_identity() = who;
    auto resp = q.Handle(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.timeline();
  }
  v1::TimelineResponse Timeline() { return Timeline(h_); }

  // The amendments of the message `id` on Ana's timeline; default (event_id empty) when none.
  v1::MessageAmendments AmendmentsOf(UnifierHarness& h, const std::string& id) {
    const v1::TimelineResponse t = Timeline(h);
    std::string event_id;
    for (const auto& e : t.events()) {
      if (e.provider_message_id() == id) event_id = e.event_id();
    }
    EXPECT_FALSE(event_id.empty()) << id << " is not on the timeline";
    for (const auto& a : t.amendments()) {
      if (a.event_id() == event_id) return a;
    }
    return v1::MessageAmendments();
  }
  v1::MessageAmendments AmendmentsOf(const std::string& id) { return AmendmentsOf(h_, id); }

  // The stored timeline record of the message `id`, read from the raw column family.
  v1::Event StoredMessage(const std::string& id) {
    std::unique_ptr<rocksdb::Iterator> it(h_.store().db()->NewIterator(rocksdb::ReadOptions(), h_.store().timeline()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      v1::TimelineRecord rec;
      EXPECT_TRUE(DecodeValue(it->value().ToStringView(), &rec).ok());
      if (rec.event().provider_message_id() == id) return rec.event();
    }
    ADD_FAILURE() << id << " is not stored";
    return v1::Event();
  }

  // Every record of the raw amendments column family.
  std::vector<v1::Event> StoredAmendments() {
    std::vector<v1::Event> all;
    std::unique_ptr<rocksdb::Iterator> it(h_.store().db()->NewIterator(rocksdb::ReadOptions(), h_.store().amendments()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      EXPECT_TRUE(DecodeValue(it->value().ToStringView(), &all.emplace_back()).ok());
    }
    return all;
  }

  // "emoji by reactor-user-id" of each standing reaction, in order.
  static std::vector<std::string> Reactions(const v1::MessageAmendments& a) {
    std::vector<std::string> out;
    for (const auto& r : a.reactions()) out.push_back(r.emoji() + " by " + r.reactor().value());
    return out;
  }

  static std::vector<std::string> Texts(const google::protobuf::RepeatedPtrField<v1::MessageText>& texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) out.push_back(t.text());
    return out;
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
};

TEST_F(MessageAmendmentsTest, EditBeforeOrAfterItsMessageGivesTheSamePage) {
  UnifierHarness before;
  uint64_t before_seq = 0;
  Send(before, before_seq, {Edit(before, "77/e1", "77", kT0 + kSecond, "hello, world")});
  Send(before, before_seq, {Message(before, "77", kT0, "hello")});
  UnifierHarness after;
  uint64_t after_seq = 0;
  Send(after, after_seq, {Message(after, "77", kT0, "hello")});
  Send(after, after_seq, {Edit(after, "77/e1", "77", kT0 + kSecond, "hello, world")});

  for (UnifierHarness* h : {&before, &after}) {
    const v1::TimelineResponse t = Timeline(*h);
    ASSERT_EQ(t.events_size(), 1);  // the edit is no timeline entry
    EXPECT_EQ(t.events(0).text(), "hello");  // the event as stored
    EXPECT_EQ(t.customer().event_count(), 1u);
    ASSERT_EQ(t.amendments_size(), 1);
    const v1::MessageAmendments& a = t.amendments(0);
    EXPECT_EQ(a.event_id(), t.events(0).event_id());
    EXPECT_TRUE(a.edited());
    EXPECT_EQ(a.current().text(), "hello, world");
    EXPECT_EQ(a.current().at_us(), kT0 + kSecond);
    ASSERT_EQ(a.history_size(), 1);
    EXPECT_EQ(a.history(0).text(), "hello");
    EXPECT_EQ(a.history(0).at_us(), kT0);
    EXPECT_FALSE(a.deleted());
    EXPECT_EQ(h->processor().counters().amendments, 1u);
    EXPECT_EQ(h->processor().counters().events, 1u);
  }
}

TEST_F(MessageAmendmentsTest, TwoEditsOutOfOrderEndWithTheLatest) {
  Send({Message("77", kT0, "v1")});
  Send({Edit("77/e2", "77", kT0 + 2 * kSecond, "v3")});
  Send({Edit("77/e1", "77", kT0 + kSecond, "v2")});
  const auto a = AmendmentsOf("77");
  EXPECT_EQ(a.current().text(), "v3");
  EXPECT_EQ(Texts(a.history()), (std::vector<std::string>{"v1", "v2"}));
  // Same time: the one delivered later wins.
  Send({Edit("77/e3", "77", kT0 + 2 * kSecond, "v4")});
  EXPECT_EQ(AmendmentsOf("77").current().text(), "v4");
}

TEST_F(MessageAmendmentsTest, DeleteRemovesTheTextFromTheStoredRecordAndItsEdits) {
  v1::Event m = Message("77", kT0, "my card number is 4111");
  m.set_html("<p>my card number is 4111</p>");
  m.mutable_raw()->set_store("blob");
  m.mutable_raw()->set_key("blob:00");
  Send({m, Edit("77/e1", "77", kT0 + kSecond, "my card number is 4111 1111")});
  Send({Delete("77/d", "77", kT0 + 2 * kSecond)});

  const v1::Event stored = StoredMessage("77");
  EXPECT_EQ(stored.text(), "");
  EXPECT_EQ(stored.html(), "");
  EXPECT_FALSE(stored.has_raw());
  EXPECT_EQ(std::vector<std::string>(stored.flags().begin(), stored.flags().end()),
            (std::vector<std::string>{kDeletedTextRemovedFlag}));
  for (const v1::Event& a : StoredAmendments()) EXPECT_EQ(a.text(), "") << v1::EventKind_Name(a.kind());
  // An edit arriving after the deletion is stored without its text as well.
  Send({Edit("77/e2", "77", kT0 + 3 * kSecond, "4111 1111 1111")});
  for (const v1::Event& a : StoredAmendments()) EXPECT_EQ(a.text(), "") << v1::EventKind_Name(a.kind());

  const auto a = AmendmentsOf("77");
  EXPECT_TRUE(a.deleted());
  EXPECT_EQ(a.deleted_at_us(), kT0 + 2 * kSecond);
  EXPECT_TRUE(a.edited());
  EXPECT_EQ(Texts(a.history()), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(a.current().text(), "");
}

TEST_F(MessageAmendmentsTest, DeleteWithKeepFlagKeepsTheText) {
  Send({Message("77", kT0, "keep me")});
  Send({Delete("77/d", "77", kT0 + kSecond, /*keep_text=*/true)});
  const v1::Event stored = StoredMessage("77");
  EXPECT_EQ(stored.text(), "keep me");
  EXPECT_EQ(stored.flags_size(), 0);
  const auto a = AmendmentsOf("77");
  EXPECT_TRUE(a.deleted());
  EXPECT_FALSE(a.edited());
}

TEST_F(MessageAmendmentsTest, DeleteBeforeItsMessageStoresTheMessageWithoutText) {
  auto early = Send({Delete("77/d", "77", kT0 + kSecond)});
  EXPECT_TRUE(early.changes.empty());  // no message, no customer to tell
  EXPECT_EQ(h_.processor().counters().customers, 0u);
  Send({Message("77", kT0, "gone before it came")});
  EXPECT_EQ(StoredMessage("77").text(), "");
  EXPECT_TRUE(AmendmentsOf("77").deleted());
}

TEST_F(MessageAmendmentsTest, DeleteInTheBatchOfItsMessageRemovesTheText) {
  Send({Message("77", kT0, "typo"), Edit("77/e1", "77", kT0 + kSecond, "fixed"), Delete("77/d", "77", kT0 + 2 * kSecond)});
  EXPECT_EQ(StoredMessage("77").text(), "");
  for (const v1::Event& a : StoredAmendments()) EXPECT_EQ(a.text(), "");
}

TEST_F(MessageAmendmentsTest, ReactionsAreTheCurrentSetPerReactor) {
  Send({Message("77", kT0, "pizza?")});
  Send({React("r1", "77", kT0 + 1 * kSecond, kAna, "👍"), React("r2", "77", kT0 + 2 * kSecond, kAna, "❤️"),
        React("r3", "77", kT0 + 3 * kSecond, kBen, "👍")});
  EXPECT_EQ(Reactions(AmendmentsOf("77")), (std::vector<std::string>{"👍 by 1001", "❤️ by 1001", "👍 by 1002"}));
  // Ana takes her thumb back; Ben's stays.
  Send({React("r4", "77", kT0 + 4 * kSecond, kAna, "👍", /*removed=*/true)});
  EXPECT_EQ(Reactions(AmendmentsOf("77")), (std::vector<std::string>{"❤️ by 1001", "👍 by 1002"}));
  // A removal older than the reaction it names does not take the newer one away.
  Send({React("r5", "77", kT0 + 5 * kSecond, kBen, "🔥"), React("r6", "77", kT0 + 4 * kSecond, kBen, "🔥", true)});
  EXPECT_EQ(Reactions(AmendmentsOf("77")), (std::vector<std::string>{"❤️ by 1001", "👍 by 1002", "🔥 by 1002"}));
}

TEST_F(MessageAmendmentsTest, OnWhatsAppANewReactionReplacesTheOldOne) {
  v1::Event m = Message("wamid.1", kT0, "order shipped");
  m.set_channel(v1::WHATSAPP);
  auto wa = [](v1::Event e) {
    e.set_channel(v1::WHATSAPP);
    return e;
  };
  Send({m, wa(React("wr1", "wamid.1", kT0 + kSecond, kAna, "👍")), wa(React("wr2", "wamid.1", kT0 + 2 * kSecond, kAna, "❤️"))});
  EXPECT_EQ(Reactions(AmendmentsOf("wamid.1")), (std::vector<std::string>{"❤️ by 1001"}));
  // WhatsApp's empty emoji takes back whatever the reactor had.
  Send({wa(React("wr3", "wamid.1", kT0 + 3 * kSecond, kAna, "", /*removed=*/true))});
  EXPECT_EQ(AmendmentsOf("wamid.1").event_id(), "");  // nothing left to show
}

TEST_F(MessageAmendmentsTest, WatermarkCoversOutboundMessagesAtOrBeforeItOnly) {
  Send({Message("o1", kT0, "one", v1::OUTBOUND), Message("o2", kT0 + 2 * kSecond, "two", v1::OUTBOUND),
        Message("i1", kT0 + kSecond, "inbound", v1::INBOUND), Message("o3", kT0 + 4 * kSecond, "three", v1::OUTBOUND)});
  v1::Event other = Message("x1", kT0, "another chat", v1::OUTBOUND);
  other.set_conversation("987");
  Send({other});
  Send({Watermark("w1", "delivered", 50, kT0 + 3 * kSecond, kT0 + 2 * kSecond)});
  Send({Watermark("w2", "read", 60, kT0 + 5 * kSecond, kT0 + kSecond)});
  Send({Watermark("w3", "delivered", 50, kT0 + 6 * kSecond, kT0 + 4 * kSecond)});

  std::map<std::string, std::vector<std::string>> states;  // provider id -> "state@watermark"
  const v1::TimelineResponse t = Timeline();
  std::map<std::string, std::string> ids;
  for (const auto& e : t.events()) ids[e.event_id()] = e.provider_message_id();
  for (const auto& m : t.statuses()) {
    for (const auto& s : m.statuses()) {
      states[ids[m.event_id()]].push_back(s.delivery_status().state() + "@" +
                                          std::to_string((s.delivery_status().watermark_us() - kT0) / kSecond));
    }
  }
  EXPECT_EQ(states["o1"], (std::vector<std::string>{"delivered@2", "read@1"}));  // earliest covering receipt per state
  EXPECT_EQ(states["o2"], (std::vector<std::string>{"delivered@2"}));
  EXPECT_EQ(states["o3"], (std::vector<std::string>{"delivered@4"}));
  EXPECT_EQ(states.count("i1"), 0u);  // inbound: receipts are about what the business sent
  EXPECT_EQ(states.count("x1"), 0u);  // another conversation
  EXPECT_EQ(h_.processor().counters().amendments, 3u);
  EXPECT_EQ(t.events_size(), 5);  // receipts are no timeline entries
}

TEST_F(MessageAmendmentsTest, RetriesAreStoredOnceAndCountedAsDuplicates) {
  Send({Message("77", kT0, "hi")});
  // A provider resends each amendment with a new event id; in another batch and in the same one.
  Send({Edit("77/e1", "77", kT0 + kSecond, "hi!"), React("r1", "77", kT0 + kSecond, kBen, "👍"),
        Watermark("w1", "read", 60, kT0 + kSecond, kT0)});
  Send({Edit("77/e1", "77", kT0 + kSecond, "hi!"), Edit("77/e1", "77", kT0 + kSecond, "hi!"),
        React("r1", "77", kT0 + kSecond, kBen, "👍"), Watermark("w1-again", "read", 60, kT0 + kSecond, kT0)});
  EXPECT_EQ(h_.processor().counters().amendments, 3u);
  EXPECT_EQ(h_.processor().counters().duplicates, 4u);
  EXPECT_EQ(StoredAmendments().size(), 3u);
  const auto a = AmendmentsOf("77");
  EXPECT_EQ(a.history_size(), 1);
  EXPECT_EQ(a.reactions_size(), 1);
  // The edit's own id is what makes a retry: another id under the same message is another edit.
  Send({Edit("77/e2", "77", kT0 + kSecond, "hi!")});
  EXPECT_EQ(AmendmentsOf("77").history_size(), 2);
}

TEST_F(MessageAmendmentsTest, SameIdsInAnotherAccountAreAnotherMessage) {
  v1::Event other_bot = Message("77", kT0, "other bot");
  other_bot.set_account("other_bot");
  Send({Message("77", kT0 + kSecond, "shop bot"), other_bot});
  Send({Edit("77/e1", "77", kT0 + 2 * kSecond, "shop bot, edited")});
  const v1::TimelineResponse t = Timeline();
  ASSERT_EQ(t.events_size(), 2);
  ASSERT_EQ(t.amendments_size(), 1);
  EXPECT_EQ(t.amendments(0).event_id(), t.events(0).event_id());
  EXPECT_EQ(t.events(0).account(), "shop_bot");
}

TEST_F(MessageAmendmentsTest, AmendmentOfAKnownMessageNotifiesItsCustomer) {
  auto first = Send({Message("77", kT0, "hi")});
  ASSERT_EQ(first.changes.size(), 2u);  // CUSTOMER_CREATED, EVENT_ADDED
  const v1::Event edit = Edit("77/e1", "77", kT0 + kSecond, "hi!");
  auto later = Send({edit});
  ASSERT_EQ(later.changes.size(), 1u);
  const auto& c = later.changes[0];
  EXPECT_EQ(c.kind(), v1::EVENT_ADDED);
  EXPECT_EQ(c.event_id(), edit.event_id());
  EXPECT_EQ(c.message_event_id(), first.changes[1].event_id());
  EXPECT_EQ(c.customer_id(), first.changes[0].customer_id());
  EXPECT_EQ(c.occurred_at_us(), kT0 + kSecond);
  EXPECT_EQ(c.identity().value(), "1001");
  // Unknown message: nothing to tell yet.
  EXPECT_TRUE(Send({Edit("99/e1", "99", kT0, "?")}).changes.empty());
}

TEST_F(MessageAmendmentsTest, WatermarkOfAKnownCustomerNotifiesThem) {
  auto first = Send({Message("o1", kT0, "one", v1::OUTBOUND)});
  auto later = Send({Watermark("w1", "read", 60, kT0 + kSecond, kT0)});
  ASSERT_EQ(later.changes.size(), 1u);
  EXPECT_EQ(later.changes[0].kind(), v1::STATUS_ADDED);
  EXPECT_EQ(later.changes[0].customer_id(), first.changes[0].customer_id());
  EXPECT_EQ(later.changes[0].delivery_state(), "read");
  EXPECT_EQ(later.changes[0].message_event_id(), "");
}

TEST_F(MessageAmendmentsTest, ExportKeepsAmendmentsWhoseMessageNeverCame) {
  Send({Message("77", kT0, "hi"), React("r1", "77", kT0 + kSecond, kBen, "👍"), Edit("99/e1", "99", kT0, "orphan"),
        Watermark("w1", "read", 60, kT0 + kSecond, kT0)});
  QueryService q(h_.store(), h_.normalizer(), {});
  for (uint32_t page : {1u, 2u, 50u}) {
    std::vector<v1::ExportEntry> all;
    std::string cursor;
    do {
      v1::QueryRequest req;
      req.mutable_export_()->set_cursor(cursor);
      req.mutable_export_()->set_limit(page);
      auto resp = q.Handle(req);
      ASSERT_FALSE(resp.has_error()) << resp.error().message();
      for (const auto& e : resp.export_().entries()) all.push_back(e);
      cursor = resp.export_().next_cursor();
    } while (!cursor.empty());
    ASSERT_EQ(all.size(), 4u) << "page size " << page;
    EXPECT_EQ(all[0].event().kind(), v1::MESSAGE);
    const std::string customer = all[0].customer_id();
    std::map<std::string, std::string> customer_of;  // provider id -> customer id
    for (const auto& e : all) customer_of[e.event().provider_message_id()] = e.customer_id();
    EXPECT_EQ(customer_of["r1"], customer);  // the reacted-to message's customer, not Ben's
    EXPECT_EQ(customer_of["99/e1"], "");     // its message never came: kept, no customer
    EXPECT_EQ(customer_of["w1"], "");
  }
}

TEST_F(MessageAmendmentsTest, ConversationEntriesCarryTheirAmendments) {
  Send({Message("77", kT0, "hi"), Edit("77/e1", "77", kT0 + kSecond, "hi!")});
  QueryService q(h_.store(), h_.normalizer(), {});
  v1::QueryRequest req;
  req.mutable_conversation()->set_conversation(kChat);
  auto resp = q.Handle(req);
  ASSERT_FALSE(resp.has_error()) << resp.error().message();
  ASSERT_EQ(resp.conversation().entries_size(), 1);
  EXPECT_EQ(resp.conversation().entries(0).amendments().current().text(), "hi!");
}

TEST_F(MessageAmendmentsTest, AmendmentsSurviveReopen) {
  Send({Delete("77/d", "77", kT0 + kSecond)});
  h_.Reopen();
  EXPECT_EQ(h_.processor().counters().amendments, 1u);
  Send({Message("77", kT0, "secret"), Delete("77/d", "77", kT0 + kSecond)});
  EXPECT_EQ(h_.processor().counters().duplicates, 1u);
  EXPECT_EQ(StoredMessage("77").text(), "");
}

TEST(AmendmentKeyTest, PrefixesKeepMessagesAndKindsApart) {
  // "77" is a prefix of "778": the length prefix keeps their amendments apart.
  const std::string key = AmendmentKey(v1::TELEGRAM, "bot", "778", v1::EDIT, "e");
  EXPECT_FALSE(key.starts_with(AmendmentPrefix(v1::TELEGRAM, "bot", "77")));
  EXPECT_TRUE(key.starts_with(AmendmentPrefix(v1::TELEGRAM, "bot", "778")));
  EXPECT_FALSE(key.starts_with(AmendmentPrefix(v1::TELEGRAM, "bo", "778")));
  EXPECT_NE(AmendmentKey(v1::TELEGRAM, "bot", "77", v1::EDIT, "x"), AmendmentKey(v1::TELEGRAM, "bot", "77", v1::DELETE, "x"));
  // A watermark key never falls under a message's prefix, whatever the names.
  EXPECT_EQ(base::HexEncode(AmendmentPrefix(v1::MESSENGER, "p", "m")), "01040170016d");
  EXPECT_EQ(base::HexEncode(WatermarkKey(v1::MESSENGER, "p", "c", "read", 0)).substr(0, 2), "02");
}

TEST(AmendmentStoreTest, OpensDatabaseCreatedBeforeAmendmentsExisted) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db";
  {
    // The column families of the layout before amendments.
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), kCfTimeline, kCfEvents, kCfDedup,
                             kCfIdentities, kCfIdentityIds, kCfCustomers, kCfChangeLog, kCfDeadLetters, kCfMeta,
                             kCfBlobs, kCfConversations, kCfStatuses, kCfMessageRefs}) {
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
  ASSERT_NE((*store)->amendments(), nullptr);
  auto counters = (*store)->ReadCounters();
  ASSERT_TRUE(counters.ok());
  EXPECT_EQ(counters->amendments, 0u);  // absent counter reads as 0
}

}  // namespace
}  // namespace omnihub::unifier
