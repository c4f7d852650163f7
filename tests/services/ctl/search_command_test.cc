// omnihubctl search against a fake hub: the request it builds from the options, one JSON line
// per hit, the cursor and lag lines on stderr, and usage errors before anything is asked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/base/uuid.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

class SearchCommandTest : public testing::CtlTest {};

TEST_F(SearchCommandTest, SendsTheFiltersAndPrintsOneLinePerHitThenTheCursor) {
  v1::QueryResponse resp;
  v1::SearchResponse* page = resp.mutable_search();
  v1::SearchHit* hit = page->add_hits();
  hit->set_event_id(std::string(base::kUuidBytes, '\x01'));
  hit->set_customer_id("cust-1");
  hit->set_channel(v1::SMS);
  hit->set_direction(v1::INBOUND);
  hit->set_occurred_at_us(1'790'000'000'000'000);
  hit->mutable_identity()->set_kind(v1::Identity::PHONE);
  hit->mutable_identity()->set_value("+14155550100");
  hit->set_snippet("my [[parcel]] is late");
  hit->set_score(3.5);
  page->set_next_cursor("CURSOR");
  page->set_indexed_change_seq(7);
  page->set_last_change_seq(10);
  hub_.Answer(resp);

  ASSERT_EQ(Run(RunSearch, {"parcel", "--customer", "phone:(415) 555-0100", "--channel", "sms,whatsapp", "--since",
                            "2026-11-01", "--until", "2026-11-30T00:00:00Z", "--limit", "5", "--cursor", "C0",
                            "--direction", "inbound", "--order", "relevance"}),
            kExitOk)
      << err();
  ASSERT_EQ(hub_.requests.size(), 1u);
  const v1::SearchRequest& req = hub_.requests[0].search();
  EXPECT_EQ(req.query(), "parcel");
  EXPECT_EQ(req.customer().identity().value(), "+14155550100");
  ASSERT_EQ(req.channels_size(), 2);
  EXPECT_EQ(req.channels(1), v1::WHATSAPP);
  EXPECT_GT(req.until_us(), req.since_us());
  EXPECT_EQ(req.limit(), 5u);
  EXPECT_EQ(req.cursor(), "C0");
  EXPECT_EQ(req.direction(), v1::INBOUND);
  EXPECT_EQ(req.order(), v1::SearchRequest::RELEVANCE);

  const nlohmann::json j = nlohmann::json::parse(out());
  EXPECT_EQ(j["event_id"], base::UuidToString(std::string(base::kUuidBytes, '\x01')));
  EXPECT_EQ(j["customer_id"], "cust-1");
  EXPECT_EQ(j["channel"], "sms");
  EXPECT_EQ(j["identity"], "phone:+14155550100");
  EXPECT_EQ(j["snippet"], "my [[parcel]] is late");
  EXPECT_EQ(j["subject"], "");
  EXPECT_EQ(j["score"], 3.5);
  EXPECT_EQ(j["occurred_at"], "2026-09-21T14:13:20.000000Z");
  EXPECT_NE(err().find("3 changes behind"), std::string::npos);
  EXPECT_NE(err().find("next cursor: CURSOR\n"), std::string::npos);
}

TEST_F(SearchCommandTest, LastPageSaysSo) {
  v1::QueryResponse resp;
  resp.mutable_search();
  hub_.Answer(resp);
  ASSERT_EQ(Run(RunSearch, {"nothing"}), kExitOk);
  EXPECT_EQ(out(), "");
  EXPECT_EQ(err(), "next cursor: none (this is the last page)\n");
}

TEST_F(SearchCommandTest, BadOptionsAreUsageErrorsNamingTheOption) {
  EXPECT_EQ(Run(RunSearch, {"x", "--direction", "sideways"}), kExitUsage);
  EXPECT_NE(err().find("--direction"), std::string::npos);
  EXPECT_EQ(Run(RunSearch, {"x", "--order", "oldest"}), kExitUsage);
  EXPECT_EQ(Run(RunSearch, {"x", "--channel", "fax"}), kExitUsage);
  EXPECT_EQ(Run(RunSearch, {"x", "--since", "yesterday"}), kExitUsage);
  EXPECT_EQ(Run(RunSearch, {"x", "--since", "2026-02-01", "--until", "2026-01-01"}), kExitUsage);
  EXPECT_NE(err().find("--until must be after --since"), std::string::npos) << err();
  EXPECT_EQ(Run(RunSearch, {}), kExitUsage);
  EXPECT_TRUE(hub_.requests.empty());
}

}  // namespace
}  // namespace omnihub::ctl
