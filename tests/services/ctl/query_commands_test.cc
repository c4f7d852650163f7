// lookup, timeline, stats, export and deadletter list against a fake hub: the requests
// each sends (with its timeout), what it prints, and its exit code on the hub's errors.
#include <nlohmann/json.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

using ::testing::ElementsAre;

constexpr char kCustomerId[] = "01a20672-9cbf-7000-86af-863ec973c825";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

v1::Identity Phone(const std::string& number) {
  v1::Identity id;
  id.set_kind(v1::Identity::PHONE);
  id.set_value(number);
  return id;
}

v1::Event Message(const std::string& provider_id, uint8_t id_byte) {
  v1::Event e;
  e.set_event_id(std::string(base::kUuidBytes, static_cast<char>(id_byte)));
  e.set_channel(v1::SMS);
  e.set_account("+12025550000");
  e.set_provider_message_id(provider_id);
  e.set_text("hi " + provider_id);
  return e;
}

class QueryCommandsTest : public testing::CtlTest {};

TEST_F(QueryCommandsTest, LookupAsksForTheNormalizedIdentityAndPrintsTheCustomer) {
  v1::QueryResponse resp;
  v1::Customer* c = resp.mutable_get_customer()->mutable_customer();
  c->set_customer_id(kCustomerId);
  *c->add_identities() = Phone("+4915112345678");
  c->set_event_count(6);
  c->set_created_at_us(1'790'000'000'000'000);
  hub_.Answer(resp);

  EXPECT_EQ(Run(RunLookup, {"whatsapp:+49 151 12345678"}), kExitOk) << err();
  EXPECT_EQ(out(),
            "{\n"
            "  \"created_at\": \"2026-09-21T14:13:20.000000Z\",\n"
            "  \"customer_id\": \"01a20672-9cbf-7000-86af-863ec973c825\",\n"
            "  \"event_count\": 6,\n"
            "  \"identities\": [\n"
            "    {\n"
            "      \"argument\": \"phone:+4915112345678\",\n"
            "      \"phone\": \"+4915112345678\"\n"
            "    }\n"
            "  ]\n"
            "}\n");
  EXPECT_EQ(err(), "");
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_EQ(hub_.requests[0].get_customer().customer().identity().ShortDebugString(), Phone("+4915112345678").ShortDebugString());
  EXPECT_EQ(hub_.timeouts[0], bus::kQueryTimeout);
}

TEST_F(QueryCommandsTest, LookupMapsTheHubsErrorsToExitCodes) {
  hub_.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  EXPECT_EQ(Run(RunLookup, {"email:nobody@example.com"}), kExitNotFound);
  EXPECT_EQ(out(), "");
  EXPECT_EQ(err(), "omnihubctl: no customer has identity email:nobody@example.com\n");

  hub_.Fail(base::Status::Unavailable("the hub does not answer at ipc://x (is omnihub running?)"));
  EXPECT_EQ(Run(RunLookup, {"email:ana@example.net"}), kExitUnavailable);
  EXPECT_EQ(err(), "omnihubctl: the hub does not answer at ipc://x (is omnihub running?)\n");
}

TEST_F(QueryCommandsTest, LookupShowsWhyALinkedIdentityBelongsToTheCustomer) {
  v1::QueryResponse resp;
  v1::Customer* c = resp.mutable_get_customer()->mutable_customer();
  c->set_customer_id(kCustomerId);
  v1::Identity* wa = c->add_identities();
  wa->set_kind(v1::Identity::PLATFORM);
  wa->set_platform("whatsapp");
  wa->set_account("102290129340398");
  wa->set_value("US.123");
  *c->add_identities() = Phone("+16505551234");
  v1::Identity* x = c->add_identities();
  x->set_kind(v1::Identity::PLATFORM);
  x->set_platform("x");
  x->set_value("42");
  c->add_link_reasons()->set_rule(v1::LinkReason::FIRST_SIGHT);
  v1::IdentityLinkReason* phone = c->add_link_reasons();
  phone->set_rule(v1::LinkReason::PLATFORM_LINK);
  phone->set_detail("whatsapp: one message carried both wa_id and user_id");
  phone->set_merged_from("01a20672-b6f7-7000-b531-4fa46344ee49");
  c->add_link_reasons()->set_rule(v1::LinkReason::PLATFORM_LINK);  // no detail: the rule's name
  c->set_event_count(3);
  c->set_created_at_us(1'790'000'000'000'000);
  hub_.Answer(resp);

  EXPECT_EQ(Run(RunLookup, {"x:@ana_k"}), kExitOk) << err();
  const auto j = nlohmann::json::parse(out());
  ASSERT_EQ(j["identities"].size(), 3u);
  EXPECT_EQ(j["identities"][0].dump(),
            "{\"account\":\"102290129340398\",\"argument\":\"whatsapp:102290129340398:US.123\",\"platform\":"
            "\"whatsapp\",\"user_id\":\"US.123\"}");
  EXPECT_EQ(j["identities"][1].dump(),
            "{\"argument\":\"phone:+16505551234\",\"linked\":\"whatsapp: one message carried both wa_id and user_id "
            "(merged from customer 01a20672-b6f7-7000-b531-4fa46344ee49)\",\"phone\":\"+16505551234\"}");
  EXPECT_EQ(j["identities"][2]["argument"], "x:42");
  EXPECT_EQ(j["identities"][2]["linked"], "platform_link");

  // x:@handle goes to the hub as a handle reference, which the hub resolves.
  ASSERT_EQ(hub_.requests.size(), 1u);
  const v1::Identity& asked = hub_.requests[0].get_customer().customer().identity();
  EXPECT_EQ(asked.platform(), "x");
  EXPECT_EQ(asked.value(), "");
  EXPECT_EQ(asked.handle(), "@ana_k");
}

TEST_F(QueryCommandsTest, LookupReportsAnAmbiguousHandleAsAUsageError) {
  hub_.Fail(base::Status::InvalidArgument(
      "handle @ana_k is ambiguous: 2 x users were last seen with it (x:42, x:43); select one by its user id"));
  EXPECT_EQ(Run(RunLookup, {"x:@ana_k"}), kExitUsage);
  EXPECT_EQ(err(),
            "omnihubctl: handle @ana_k is ambiguous: 2 x users were last seen with it (x:42, x:43); select one by its "
            "user id\n");
  hub_.Fail(base::Status::NotFound("no x user has handle @nobody"));
  EXPECT_EQ(Run(RunLookup, {"x:@nobody"}), kExitNotFound);
}

TEST_F(QueryCommandsTest, LookupRefusesAnIdentityWithoutKindBeforeAsking) {
  EXPECT_EQ(Run(RunLookup, {"nobody@example.com"}), kExitUsage);
  EXPECT_THAT(err(), ::testing::StartsWith("omnihubctl: identity 'nobody@example.com' has no kind"));
  EXPECT_TRUE(hub_.requests.empty());
}

TEST_F(QueryCommandsTest, TimelinePrintsOnePageAndItsCursor) {
  v1::QueryResponse resp;
  auto* page = resp.mutable_timeline();
  page->mutable_customer()->set_customer_id(kCustomerId);
  *page->add_events() = Message("SM2", 2);
  *page->add_events() = Message("SM1", 1);
  page->set_next_cursor("c-1");
  hub_.Answer(resp);

  EXPECT_EQ(Run(RunTimeline, {kCustomerId, "--channel", "sms,whatsapp", "--since", "2026-11-23", "--limit", "2"}),
            kExitOk);
  const auto lines = Lines(out());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["provider_message_id"], "SM2");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["provider_message_id"], "SM1");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["customer_id"], kCustomerId);
  EXPECT_EQ(err(), "next cursor: c-1\n");

  ASSERT_EQ(hub_.requests.size(), 1u);
  const v1::TimelineRequest& req = hub_.requests[0].timeline();
  EXPECT_EQ(req.customer().customer_id(), kCustomerId);
  EXPECT_EQ(req.limit(), 2u);
  EXPECT_THAT(req.channels(), ElementsAre(v1::SMS, v1::WHATSAPP));
  EXPECT_EQ(req.since_us(), 1'795'392'000'000'000);  // 2026-11-23T00:00:00Z
}

TEST_F(QueryCommandsTest, TimelinePrintsEditsDeletionAndReactionsOnTheirMessage) {
  v1::QueryResponse resp;
  auto* page = resp.mutable_timeline();
  page->mutable_customer()->set_customer_id(kCustomerId);
  *page->add_events() = Message("SM3", 3);
  *page->add_events() = Message("SM2", 2);
  *page->add_events() = Message("SM1", 1);
  page->mutable_events(1)->set_text("");  // its deletion removed it
  v1::MessageAmendments* edited = page->add_amendments();
  edited->set_event_id(page->events(0).event_id());
  edited->set_edited(true);
  edited->mutable_current()->set_text("hi, edited");
  edited->mutable_current()->set_at_us(1'790'000'060'000'000);
  edited->add_history()->set_text("hi SM3");
  edited->mutable_history(0)->set_at_us(1'790'000'000'000'000);
  for (const char* user : {"1001", "1002"}) {
    v1::MessageReaction* r = edited->add_reactions();
    r->set_emoji("\u2764\ufe0f");
    r->mutable_reactor()->set_kind(v1::Identity::PLATFORM);
    r->mutable_reactor()->set_platform("telegram");
    r->mutable_reactor()->set_value(user);
  }
  v1::MessageReaction* like = edited->add_reactions();
  like->set_name("like");
  *like->mutable_reactor() = Phone("+4915112345678");
  v1::MessageAmendments* deleted = page->add_amendments();
  deleted->set_event_id(page->events(1).event_id());
  deleted->set_deleted(true);
  deleted->set_deleted_at_us(1'790'000'000'000'000);
  hub_.Answer(resp);

  EXPECT_EQ(Run(RunTimeline, {kCustomerId}), kExitOk);
  const auto lines = Lines(out());
  ASSERT_EQ(lines.size(), 3u);
  const auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["text"], "hi, edited");
  EXPECT_EQ(first["edited"], true);
  EXPECT_EQ(first["edited_at"], "2026-09-21T14:14:20.000000Z");
  EXPECT_EQ(first["history"].dump(), R"([{"at":"2026-09-21T14:13:20.000000Z","text":"hi SM3"}])");
  EXPECT_EQ(first["reactions"].dump(),
            "[{\"by\":[\"telegram:1001\",\"telegram:1002\"],\"count\":2,\"emoji\":\"\u2764\ufe0f\"},"
            "{\"by\":[\"phone:+4915112345678\"],\"count\":1,\"emoji\":\"\",\"name\":\"like\"}]");
  EXPECT_FALSE(first.contains("deleted"));
  const auto second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(second["deleted"], true);
  EXPECT_EQ(second["deleted_at"], "2026-09-21T14:13:20.000000Z");
  EXPECT_EQ(second["text"], "");
  EXPECT_FALSE(second.contains("edited"));
  // A message nothing amended prints exactly the keys it always had.
  const auto third = nlohmann::json::parse(lines[2]);
  for (const char* key : {"edited", "edited_at", "history", "deleted", "deleted_at", "reactions"}) {
    EXPECT_FALSE(third.contains(key)) << key;
  }
  EXPECT_EQ(third["text"], "hi SM1");
}

TEST_F(QueryCommandsTest, TimelineAllFollowsTheCursorsAndPrintsNoCursorLine) {
  v1::QueryResponse first;
  first.mutable_timeline()->mutable_customer()->set_customer_id(kCustomerId);
  *first.mutable_timeline()->add_events() = Message("SM2", 2);
  first.mutable_timeline()->set_next_cursor("c-1");
  v1::QueryResponse last;
  last.mutable_timeline()->mutable_customer()->set_customer_id(kCustomerId);
  *last.mutable_timeline()->add_events() = Message("SM1", 1);
  hub_.Answer(first);
  hub_.Answer(last);

  EXPECT_EQ(Run(RunTimeline, {kCustomerId, "--all"}), kExitOk);
  EXPECT_EQ(Lines(out()).size(), 2u);
  EXPECT_EQ(err(), "");
  ASSERT_EQ(hub_.requests.size(), 2u);
  EXPECT_EQ(hub_.requests[0].timeline().cursor(), "");
  EXPECT_EQ(hub_.requests[0].timeline().limit(), 500u);
  EXPECT_EQ(hub_.requests[1].timeline().cursor(), "c-1");
}

TEST_F(QueryCommandsTest, TimelineOptionErrorsAreUsageErrorsWithoutARequest) {
  EXPECT_EQ(Run(RunTimeline, {kCustomerId, "--channel", "fax"}), kExitUsage);
  EXPECT_THAT(err(), ::testing::StartsWith("omnihubctl: --channel: "));
  EXPECT_EQ(Run(RunTimeline, {kCustomerId, "--since", "yesterday"}), kExitUsage);
  EXPECT_EQ(err(), "omnihubctl: --since 'yesterday' is not a time (use RFC 3339 like 2026-11-23T09:30:00Z, or a date "
                   "like 2026-11-23)\n");
  EXPECT_TRUE(hub_.requests.empty());
}

TEST_F(QueryCommandsTest, StatsPrintsEveryCounter) {
  v1::QueryResponse resp;
  auto* s = resp.mutable_stats();
  s->set_events(15);
  s->set_customers(4);
  s->set_identities(4);
  s->set_last_change_seq(19);
  auto* p = s->add_publishers();
  p->set_publisher_id("inject-abefc8f07a051d33");
  p->set_high_water(15);
  hub_.Answer(resp);

  EXPECT_EQ(Run(RunStats, {}), kExitOk);
  EXPECT_EQ(out(),
            "{\n"
            "  \"customers\": 4,\n"
            "  \"dead_letters\": 0,\n"
            "  \"duplicates\": 0,\n"
            "  \"events\": 15,\n"
            "  \"identities\": 4,\n"
            "  \"last_change_seq\": 19,\n"
            "  \"publishers\": {\n"
            "    \"inject-abefc8f07a051d33\": 15\n"
            "  },\n"
            "  \"statuses\": 0\n"
            "}\n");
  EXPECT_TRUE(hub_.requests[0].has_stats());
  EXPECT_EQ(Run(RunStats, {"extra"}), kExitUsage);
}

TEST_F(QueryCommandsTest, ExportPagesWithTheBulkTimeoutAndNamesEachIdentity) {
  v1::QueryResponse first;
  auto* entry = first.mutable_export_()->add_entries();
  entry->set_customer_id(kCustomerId);
  *entry->mutable_event() = Message("SM1", 1);
  *entry->mutable_identity() = Phone("+4915112345678");
  first.mutable_export_()->set_next_cursor("e-1");
  v1::QueryResponse last;
  *last.mutable_export_()->add_entries() = *entry;
  *last.mutable_export_()->mutable_entries(0)->mutable_identity() = Phone("+12025550143");
  hub_.Answer(first);
  hub_.Answer(last);

  EXPECT_EQ(Run(RunExport, {}), kExitOk);
  const auto lines = Lines(out());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["identity"], "phone:+4915112345678");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["identity"], "phone:+12025550143");
  ASSERT_EQ(hub_.requests.size(), 2u);
  EXPECT_EQ(hub_.requests[0].export_().limit(), 1000u);
  EXPECT_EQ(hub_.requests[1].export_().cursor(), "e-1");
  EXPECT_THAT(hub_.timeouts, ElementsAre(bus::kBulkQueryTimeout, bus::kBulkQueryTimeout));
}

TEST_F(QueryCommandsTest, DeadLetterListPrintsRawBytesReadableAndEncoded) {
  v1::QueryResponse resp;
  auto* dl = resp.mutable_dead_letters()->add_entries();
  dl->set_dead_letter_id(3);
  dl->set_reason("line 1: field 'channel': unknown channel 'fax'");
  dl->set_source("inject:a.jsonl:1");
  dl->set_raw("{\"channel\":\"fax\"}");
  dl->set_publisher_id("inject-1");
  dl->set_sequence(9);
  dl->set_received_at_us(1'790'000'000'000'000);
  (*dl->mutable_context())["mail_from"] = "ana@example.net";
  hub_.Answer(resp);
  hub_.Answer(v1::QueryResponse());  // the empty page that ends the list

  EXPECT_EQ(Run(RunDeadLetter, {"list", "--after", "2"}), kExitOk);
  EXPECT_EQ(out(),
            "{\"context\":{\"mail_from\":\"ana@example.net\"},\"id\":3,\"publisher_id\":\"inject-1\","
            "\"raw\":\"{\\\"channel\\\":\\\"fax\\\"}\",\"raw_base64url\":\"eyJjaGFubmVsIjoiZmF4In0\","
            "\"reason\":\"line 1: field 'channel': unknown channel 'fax'\",\"received_at\":\"2026-09-21T14:13:20.000000Z\","
            "\"sequence\":9,\"size\":17,\"source\":\"inject:a.jsonl:1\"}\n");
  ASSERT_EQ(hub_.requests.size(), 2u);
  EXPECT_EQ(hub_.requests[0].dead_letters().after_id(), 2u);
  EXPECT_EQ(hub_.requests[1].dead_letters().after_id(), 3u);

  EXPECT_EQ(Run(RunDeadLetter, {"purge"}), kExitUsage);
  EXPECT_EQ(err(), "omnihubctl: unknown deadletter command 'purge' (usage: omnihubctl deadletter list|replay)\n");
}

}  // namespace
}  // namespace omnihub::ctl
