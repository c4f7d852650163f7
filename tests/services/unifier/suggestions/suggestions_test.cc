// Duplicate suggestions end to end inside the unifier: detection at ingest (batch_processor
// -> suggestion_detector), listing (suggestion_queries) and dismissal (suggestion_commands),
// over a real store.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/base/coding.h"
#include "omnihub/v1/command.pb.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/suggestions/suggestion_detector.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;

class SuggestionsTest : public ::testing::Test {
 protected:
  // A message from `from` with `text` (of `tenant`, "" for the default), stored in a batch of its own.
  v1::Event Send(v1::Channel channel, const v1::Identity& from, const std::string& text, int64_t at,
                 const std::string& tenant = "") {
    v1::Event e = Message(channel, from, text, at);
    e.set_tenant_id(tenant);
    Ingest({e});
    return e;
  }
  v1::Event Message(v1::Channel channel, const v1::Identity& from, const std::string& text, int64_t at) {
    v1::Event e = h_.MakeEvent(channel, "m" + std::to_string(++provider_ids_), from, at);
    e.set_text(text);
    return e;
  }
  BatchResult Ingest(const std::vector<v1::Event>& events) {
    std::vector<std::string> frames;
    for (const auto& e : events) frames.push_back(UnifierHarness::Frame("p1", ++seq_, e));
    return h_.Process(std::move(frames));
  }

  v1::QueryResponse Query(const v1::QueryRequest& req) {
    QueryService q(h_.store(), h_.normalizer(), {});
    return q.Handle(req);
  }
  std::string CustomerOf(const v1::Identity& id) {
    v1::QueryRequest req;
    *req.mutable_get_customer()->mutable_customer()->mutable_identity() = id;
    auto resp = Query(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.get_customer().customer().customer_id();
  }
  std::vector<v1::Suggestion> List(bool all = false, const std::string& customer = "", const std::string& tenant = "") {
    v1::QueryRequest req;
    req.set_tenant_id(tenant);
    req.mutable_suggestions()->set_include_resolved(all);
    if (!customer.empty()) req.mutable_suggestions()->mutable_customer()->set_customer_id(customer);
    auto resp = Query(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return {resp.suggestions().suggestions().begin(), resp.suggestions().suggestions().end()};
  }
  // Every key and value of the suggestions column family.
  std::map<std::string, std::string> StoredSuggestions() {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(h_.store().db()->NewIterator({}, h_.store().suggestions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out[it->key().ToString()] = it->value().ToString();
    return out;
  }

  v1::CommandResult Dismiss(const std::string& id, const std::string& reason, const std::string& tenant = "") {
    v1::Command command;
    command.set_tenant_id(tenant);
    command.set_command_id(h_.ids().Next());
    command.set_actor("agent-7");
    command.set_reason(reason);
    command.set_issued_at_us(kT0 + 999);
    command.mutable_dismiss_suggestion()->set_suggestion_id(id);
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id("ctl");
    f.set_sequence(++ctl_seq_);
    f.set_command(command.SerializeAsString());
    h_.Process({f.SerializeAsString()});
    v1::QueryRequest req;
    req.mutable_command_result()->set_command_id(command.command_id());
    auto resp = Query(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    return resp.command_result().result();
  }

  static int CountChanges(const BatchResult& r, v1::ChangeKind kind) {
    int n = 0;
    for (const auto& c : r.changes) n += c.kind() == kind;
    return n;
  }

  UnifierHarness h_;
  uint64_t seq_ = 0;
  uint64_t ctl_seq_ = 0;
  int provider_ids_ = 0;
};

TEST_F(SuggestionsTest, EmailWrittenInAWhatsAppMessageSuggestsItsCustomer) {
  Send(v1::EMAIL, Email("jane.doe@example.com"), "hello", kT0);
  const v1::Event wa = Message(v1::WHATSAPP, Phone("+4915112345678"), "my mail is Jane.Doe@Example.COM.", kT0 + 10);
  const BatchResult r = Ingest({wa});
  ASSERT_EQ(CountChanges(r, v1::SUGGESTION_ADDED), 1);

  const auto list = List();
  ASSERT_EQ(list.size(), 1u);
  const v1::Suggestion& s = list[0];
  EXPECT_EQ(s.state(), "open");
  EXPECT_EQ(s.customer_id(), CustomerOf(Email("jane.doe@example.com")));
  EXPECT_EQ(s.other_customer_id(), CustomerOf(Phone("+4915112345678")));
  EXPECT_EQ(s.suggestion_id(), SuggestionId(Email("jane.doe@example.com"), Phone("+4915112345678")));
  EXPECT_EQ(s.suggestion_id().size(), 32u);
  EXPECT_EQ(s.record().mentioned().value(), "jane.doe@example.com");
  EXPECT_EQ(s.record().author().value(), "+4915112345678");
  EXPECT_EQ(s.record().first_seen_us(), wa.received_at_us());
  ASSERT_EQ(s.record().evidence_size(), 1);
  EXPECT_EQ(s.record().evidence(0).event_id(), wa.event_id());
  EXPECT_EQ(s.record().evidence(0).text(), "Jane.Doe@Example.COM");
  EXPECT_EQ(s.record().evidence(0).occurred_at_us(), kT0 + 10);
  // Nothing was merged: two customers, each with its own event.
  EXPECT_NE(s.customer_id(), s.other_customer_id());
  EXPECT_EQ(h_.processor().counters().customers, 2u);
}

TEST_F(SuggestionsTest, PhoneInAnEmailSignatureInAnotherSpelling) {
  Send(v1::SMS, Phone("+14155550100"), "hi", kT0);
  v1::Event mail = Message(v1::EMAIL, Email("bob@example.org"), "Thanks!\n--\nBob Smith\nTel. (415) 555-0100", kT0 + 1);
  mail.set_subject("Re: order 4411");
  Ingest({mail});
  const auto list = List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].record().mentioned().value(), "+14155550100");
  EXPECT_EQ(list[0].record().evidence(0).text(), "(415) 555-0100");
  EXPECT_EQ(list[0].customer_id(), CustomerOf(Phone("+14155550100")));
  EXPECT_EQ(list[0].other_customer_id(), CustomerOf(Email("bob@example.org")));
}

TEST_F(SuggestionsTest, MentionInTheSubjectCounts) {
  Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0);
  v1::Event mail = Message(v1::EMAIL, Email("assistant@example.org"), "see subject", kT0 + 1);
  mail.set_subject("for jane@example.com");
  Ingest({mail});
  EXPECT_EQ(List().size(), 1u);
}

TEST_F(SuggestionsTest, MentionOfNobodyRecordsNothing) {
  Send(v1::SMS, Phone("+14155550100"), "write to stranger@example.net or call +44 20 7946 0958", kT0);
  EXPECT_TRUE(StoredSuggestions().empty());
}

TEST_F(SuggestionsTest, MentionOfTheAuthorsOwnCustomerRecordsNothing) {
  // One customer with two identities (the platform's link): its phone and its WhatsApp user id.
  v1::Event first = h_.MakeEvent(v1::WHATSAPP, "wa-1", Phone("+4915112345678"), kT0);
  v1::IdentityLink* link = first.add_party_links();
  *link->mutable_identity() = *h_.normalizer().Platform("whatsapp", "102290129340398", "DE.123");
  link->set_reason("whatsapp: one message carried both wa_id and user_id");
  Ingest({first});
  // The same customer writes its own number, from its user id and from the number itself.
  Send(v1::WHATSAPP, *h_.normalizer().Platform("whatsapp", "102290129340398", "DE.123"),
       "my number is +49 151 12345678", kT0 + 1);
  Send(v1::SMS, Phone("+4915112345678"), "that is me: +49 151 12345678", kT0 + 2);
  EXPECT_EQ(h_.processor().counters().customers, 1u);
  EXPECT_TRUE(StoredSuggestions().empty());
}

TEST_F(SuggestionsTest, IdentityStagedEarlierInTheSameBatchIsFound) {
  const v1::Event jane = Message(v1::EMAIL, Email("jane@example.com"), "first mail", kT0);
  const v1::Event a = Message(v1::SMS, Phone("+14155550100"), "it's jane@example.com", kT0 + 1);
  const v1::Event b = Message(v1::SMS, Phone("+14155550100"), "again: JANE@example.com", kT0 + 2);
  const BatchResult r = Ingest({jane, a, b});
  EXPECT_EQ(CountChanges(r, v1::SUGGESTION_ADDED), 1);
  const auto list = List();
  ASSERT_EQ(list.size(), 1u);
  ASSERT_EQ(list[0].record().evidence_size(), 2);
  EXPECT_EQ(list[0].record().evidence(0).event_id(), a.event_id());
  EXPECT_EQ(list[0].record().evidence(1).event_id(), b.event_id());
  EXPECT_EQ(list[0].record().evidence(1).text(), "JANE@example.com");
}

TEST_F(SuggestionsTest, EvidenceKeepsTheFirstFiveEvents) {
  Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0);
  std::vector<std::string> ids;
  for (int i = 0; i < kMaxSuggestionEvidence + 2; ++i) {
    ids.push_back(Send(v1::SMS, Phone("+14155550100"), "jane@example.com #" + std::to_string(i), kT0 + 1 + i).event_id());
  }
  const auto list = List();
  ASSERT_EQ(list.size(), 1u);
  ASSERT_EQ(list[0].record().evidence_size(), kMaxSuggestionEvidence);
  for (int i = 0; i < kMaxSuggestionEvidence; ++i) EXPECT_EQ(list[0].record().evidence(i).event_id(), ids[i]);
}

TEST_F(SuggestionsTest, BothDirectionsAreTwoSuggestions) {
  Send(v1::EMAIL, Email("jane@example.com"), "call me at +1 415 555 0100", kT0);  // nobody's number yet
  Send(v1::SMS, Phone("+14155550100"), "mail me: jane@example.com", kT0 + 1);
  Send(v1::EMAIL, Email("jane@example.com"), "my phone: 415-555-0100", kT0 + 2);
  const auto list = List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].customer_id(), list[1].other_customer_id());
  EXPECT_EQ(list[1].customer_id(), list[0].other_customer_id());
}

TEST_F(SuggestionsTest, SameStateWhateverTheBatching) {
  std::vector<v1::Event> events = {
      Message(v1::EMAIL, Email("jane@example.com"), "hi", kT0),
      Message(v1::SMS, Phone("+14155550100"), "jane@example.com", kT0 + 1),
      Message(v1::EMAIL, Email("jane@example.com"), "(415) 555-0100", kT0 + 2),
      Message(v1::SMS, Phone("+14155550100"), "Jane@Example.com!", kT0 + 3),
  };
  Ingest(events);
  UnifierHarness one_by_one;
  uint64_t seq = 0;
  for (const auto& e : events) one_by_one.Process({UnifierHarness::Frame("p1", ++seq, e)});
  std::map<std::string, std::string> other;
  std::unique_ptr<rocksdb::Iterator> it(one_by_one.store().db()->NewIterator({}, one_by_one.store().suggestions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) other[it->key().ToString()] = it->value().ToString();
  EXPECT_EQ(StoredSuggestions().size(), 2u);
  EXPECT_EQ(StoredSuggestions(), other);
}

TEST_F(SuggestionsTest, DismissalHidesItAndIsRefusedTwice) {
  Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0);
  Send(v1::SMS, Phone("+14155550100"), "jane@example.com", kT0 + 1);
  const std::string id = List().at(0).suggestion_id();

  const v1::CommandResult done = Dismiss(id, "two people share the family mailbox");
  EXPECT_TRUE(done.applied()) << done.error_message();
  EXPECT_GT(done.change_seq(), 0u);
  EXPECT_TRUE(List().empty());
  const auto all = List(true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state(), "dismissed");
  EXPECT_EQ(all[0].record().dismissed_by(), "agent-7");
  EXPECT_EQ(all[0].record().dismiss_reason(), "two people share the family mailbox");
  EXPECT_EQ(all[0].record().dismissed_at_us(), kT0 + 999);

  const v1::CommandResult again = Dismiss(id, "again");
  EXPECT_FALSE(again.applied());
  EXPECT_EQ(again.error_code(), "failed_precondition");
  EXPECT_NE(again.error_message().find("already dismissed"), std::string::npos) << again.error_message();

  // Later mentions add evidence but do not reopen it.
  Send(v1::SMS, Phone("+14155550100"), "jane@example.com?", kT0 + 2);
  EXPECT_TRUE(List().empty());
  EXPECT_EQ(List(true).at(0).record().evidence_size(), 2);
}

TEST_F(SuggestionsTest, DismissalOfAnUnknownIdOrWithoutReasonIsRejected) {
  const v1::CommandResult unknown = Dismiss("00112233445566778899aabbccddeeff", "not a duplicate");
  EXPECT_FALSE(unknown.applied());
  EXPECT_EQ(unknown.error_code(), "not_found");
  const v1::CommandResult empty = Dismiss("", "x");
  EXPECT_EQ(empty.error_code(), "invalid_argument");
  EXPECT_NE(empty.error_message().find("suggestion_id"), std::string::npos);
  Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0);
  Send(v1::SMS, Phone("+14155550100"), "jane@example.com", kT0 + 1);
  const v1::CommandResult no_reason = Dismiss(List().at(0).suggestion_id(), "");
  EXPECT_EQ(no_reason.error_code(), "invalid_argument");
  EXPECT_EQ(List().size(), 1u);
}

TEST_F(SuggestionsTest, EachTenantListsAndDismissesItsOwnOnly) {
  // The same two people write to the default tenant and to acme: two suggestions, one each.
  for (const std::string tenant : {"", "acme"}) {
    Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0, tenant);
    Send(v1::SMS, Phone("+14155550100"), "jane@example.com", kT0 + 1, tenant);
  }
  Send(v1::EMAIL, Email("max@example.com"), "hello", kT0 + 2, "acme");
  Send(v1::SMS, Phone("+14155550199"), "max@example.com", kT0 + 3, "acme");
  const auto own = List();
  const auto acme = List(false, "", "acme");
  ASSERT_EQ(own.size(), 1u);
  ASSERT_EQ(acme.size(), 2u);
  EXPECT_EQ(List(false, "", "default").size(), 1u);
  EXPECT_TRUE(List(false, "", "globex").empty());
  // Each with the customers of its own tenant.
  EXPECT_EQ(own[0].customer_id(), CustomerOf(Email("jane@example.com")));
  std::set<std::string> acme_ids;
  for (const auto& s : acme) acme_ids.insert(s.suggestion_id());
  EXPECT_EQ(acme_ids.count(own[0].suggestion_id()), 0u);
  for (const auto& s : acme) EXPECT_NE(s.customer_id(), own[0].customer_id());

  // A tenant cannot dismiss another's, even knowing its id.
  const std::string acme_id = *acme_ids.begin();
  const v1::CommandResult foreign = Dismiss(acme_id, "not a duplicate");
  EXPECT_FALSE(foreign.applied());
  EXPECT_EQ(foreign.error_code(), "not_found");
  EXPECT_NE(foreign.error_message().find("in tenant 'default'"), std::string::npos) << foreign.error_message();
  EXPECT_EQ(List(false, "", "acme").size(), 2u);
  const v1::CommandResult own_dismissal = Dismiss(acme_id, "not a duplicate", "acme");
  EXPECT_TRUE(own_dismissal.applied()) << own_dismissal.error_message();
  EXPECT_EQ(List(false, "", "acme").size(), 1u);
  EXPECT_EQ(List().size(), 1u);
}

TEST_F(SuggestionsTest, AMergeResolvesItAndTheCustomerFilterSeesBothSides) {
  Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0);
  Send(v1::SMS, Phone("+14155550100"), "jane@example.com", kT0 + 1);
  Send(v1::EMAIL, Email("max@example.com"), "hello", kT0 + 2);
  Send(v1::SMS, Phone("+14155550199"), "max@example.com", kT0 + 3);
  const std::string jane = CustomerOf(Email("jane@example.com"));
  const std::string jane_phone = CustomerOf(Phone("+14155550100"));
  EXPECT_EQ(List().size(), 2u);
  ASSERT_EQ(List(false, jane).size(), 1u);
  ASSERT_EQ(List(false, jane_phone).size(), 1u);
  EXPECT_EQ(List(false, jane)[0].suggestion_id(), List(false, jane_phone)[0].suggestion_id());

  // A merge as the graph writes it: the absorbed customer points at the survivor.
  auto absorbed = h_.store().GetCustomer(jane_phone);
  ASSERT_TRUE(absorbed.ok() && absorbed->has_value());
  v1::CustomerRecord record = **absorbed;
  record.set_merged_into(jane);
  ASSERT_TRUE(h_.store().db()->Put({}, h_.store().customers(), jane_phone, EncodeValue(record)).ok());
  const std::string phone_key = event::IdentityKey(Phone("+14155550100"));
  auto moved = h_.store().GetIdentity(phone_key);
  ASSERT_TRUE(moved.ok() && moved->has_value());
  v1::IdentityRecord identity = **moved;
  identity.set_customer_id(jane);
  ASSERT_TRUE(h_.store().db()->Put({}, h_.store().identities(), phone_key, EncodeValue(identity)).ok());

  const auto open = List();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].record().mentioned().value(), "max@example.com");
  EXPECT_TRUE(List(false, jane).empty());
  const auto resolved = List(true, jane);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].state(), "merged");
  EXPECT_EQ(resolved[0].customer_id(), jane);
  EXPECT_EQ(resolved[0].other_customer_id(), jane);
  // The merged customer's old id selects the survivor, so it lists the same.
  EXPECT_EQ(List(true, jane_phone).size(), 1u);

  // After the merge, the survivor's own messages mentioning either identity suggest nothing.
  Send(v1::SMS, Phone("+14155550100"), "jane@example.com once more", kT0 + 4);
  EXPECT_EQ(List(true, jane).at(0).record().evidence_size(), 1);
}

TEST_F(SuggestionsTest, PagesFollowTheCursor) {
  Send(v1::EMAIL, Email("jane@example.com"), "hello", kT0);
  for (int i = 0; i < 5; ++i) {
    Send(v1::SMS, Phone("+1415555010" + std::to_string(i)), "jane@example.com", kT0 + 1 + i);
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    v1::QueryRequest req;
    req.mutable_suggestions()->set_limit(2);
    req.mutable_suggestions()->set_cursor(cursor);
    auto resp = Query(req);
    ASSERT_FALSE(resp.has_error()) << resp.error().message();
    EXPECT_LE(resp.suggestions().suggestions_size(), 2);
    for (const auto& s : resp.suggestions().suggestions()) EXPECT_TRUE(seen.insert(s.suggestion_id()).second);
    cursor = resp.suggestions().next_cursor();
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);

  v1::QueryRequest bad;
  bad.mutable_suggestions()->set_cursor("not-a-cursor");
  auto resp = Query(bad);
  ASSERT_TRUE(resp.has_error());
  EXPECT_NE(resp.error().message().find("cursor"), std::string::npos);
}

}  // namespace
}  // namespace omnihub::unifier
