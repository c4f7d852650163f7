// omnihubctl customer export against a fake hub: the files it writes (customer.json,
// manifest.json, attachments/<sha256>), the queries it sends, and its refusals.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/base/uuid.h"
#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

namespace fs = std::filesystem;

constexpr char kCustomerId[] = "01a20672-9cbf-7000-86af-863ec973c825";
const std::string kPhoto = "\x89PNG\r\n\x1a\n photo bytes";
const std::string kRaw = "From: jane@example.com\r\nSubject: hi\r\n\r\nbody\r\n";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

v1::Identity Email(const std::string& value) {
  v1::Identity id;
  id.set_kind(v1::Identity::EMAIL);
  id.set_value(value);
  return id;
}

v1::Customer MakeCustomer() {
  v1::Customer c;
  c.set_customer_id(kCustomerId);
  *c.add_identities() = Email("jane@example.com");
  v1::IdentityLinkReason* reason = c.add_link_reasons();
  reason->set_rule(v1::LinkReason::FIRST_SIGHT);
  reason->set_event_id(std::string(base::kUuidBytes, '\x01'));
  reason->set_linked_at_us(1'790'000'000'000'000);
  c.set_event_count(2);
  c.set_created_at_us(1'790'000'000'000'000);
  return c;
}

v1::Event MakeEmail(char id_byte, int64_t at) {
  v1::Event e;
  e.set_event_id(std::string(base::kUuidBytes, id_byte));
  e.set_channel(v1::EMAIL);
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_occurred_at_us(at);
  *e.mutable_sender() = Email("jane@example.com");
  e.set_subject("hi");
  e.set_text("body");
  return e;
}

class ExportCommandTest : public testing::CtlTest {
 protected:
  std::string Out() const { return Path("export"); }

  void AnswerCustomer() {
    v1::QueryResponse resp;
    *resp.mutable_get_customer()->mutable_customer() = MakeCustomer();
    hub_.Answer(resp);
  }
  // Two pages: a message with a photo, then one with its raw payload and a delivery status.
  void AnswerTimeline() {
    v1::QueryResponse first;
    v1::TimelineResponse* page = first.mutable_timeline();
    *page->mutable_customer() = MakeCustomer();
    v1::Event photo = MakeEmail('\x02', 1'790'000'002'000'000);
    v1::Attachment* a = photo.add_attachments();
    a->set_name("photo.png");
    a->set_media_type("image/png");
    a->set_size_bytes(kPhoto.size());
    a->set_sha256(base::Sha256(kPhoto));
    a->set_storage_ref("blob:" + base::Sha256Hex(kPhoto));
    v1::Attachment* never_seen = photo.add_attachments();
    never_seen->set_name("lost.pdf");
    *page->add_events() = photo;
    page->set_next_cursor("c1");
    hub_.Answer(first);

    v1::QueryResponse second;
    page = second.mutable_timeline();
    *page->mutable_customer() = MakeCustomer();
    v1::Event raw = MakeEmail('\x01', 1'790'000'001'000'000);
    raw.mutable_raw()->set_store("blob");
    raw.mutable_raw()->set_key("blob:" + base::Sha256Hex(kRaw));
    raw.mutable_raw()->set_media_type("message/rfc822");
    *page->add_events() = raw;
    v1::MessageStatuses* statuses = page->add_statuses();
    statuses->set_event_id(raw.event_id());
    v1::Event* status = statuses->add_statuses();
    status->set_kind(v1::STATUS);
    status->mutable_delivery_status()->set_state("delivered");
    hub_.Answer(second);
  }
  // get_blob answers in the order the export asks: by SHA-256 hex.
  void AnswerBlobs(const std::map<std::string, std::string>& by_hex) {
    for (const auto& [hex, data] : by_hex) {
      v1::QueryResponse resp;
      resp.mutable_get_blob()->set_data(data);
      hub_.Answer(resp);
    }
  }
};

TEST_F(ExportCommandTest, WritesTheDocumentTheManifestAndVerifiedAttachments) {
  AnswerCustomer();
  hub_.Fail(base::Status::FailedPrecondition("explain: not built yet"));
  AnswerTimeline();
  AnswerBlobs({{base::Sha256Hex(kPhoto), kPhoto}, {base::Sha256Hex(kRaw), kRaw}});

  ASSERT_EQ(Run(RunCustomerExport, {"email:Jane@Example.com", "--out", Out()}), kExitOk) << err();
  EXPECT_EQ(hub_.unanswered(), 0u);
  EXPECT_EQ(hub_.requests[0].get_customer().customer().identity().value(), "jane@example.com");
  EXPECT_EQ(hub_.requests[1].explain().customer().customer_id(), kCustomerId);
  EXPECT_EQ(hub_.requests[2].timeline().customer().customer_id(), kCustomerId);
  EXPECT_EQ(hub_.requests[3].timeline().cursor(), "c1");

  const auto doc = nlohmann::json::parse(ReadFile(Out() + "/customer.json"));
  EXPECT_EQ(doc["format"], "omnihub-export");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["exported_at"], "2026-09-21T14:13:20.000000Z");
  EXPECT_EQ(doc["customer"]["customer_id"], kCustomerId);
  EXPECT_EQ(doc["identity_reasons_from"], "get_customer");
  ASSERT_EQ(doc["identities"].size(), 1u);
  EXPECT_EQ(doc["identities"][0]["argument"], "email:jane@example.com");
  EXPECT_EQ(doc["identities"][0]["reason"]["rule"], "first_sight");
  EXPECT_EQ(doc["identities"][0]["reason"]["event_id"], "01010101-0101-0101-0101-010101010101");
  ASSERT_EQ(doc["events"].size(), 2u);
  EXPECT_EQ(doc["events"][0]["event_id"], "02020202-0202-0202-0202-020202020202");
  EXPECT_EQ(doc["events"][0]["customer_id"], kCustomerId);
  EXPECT_EQ(doc["events"][1]["status"], "delivered");
  EXPECT_EQ(doc["notes"], nlohmann::json::array());

  const auto manifest = nlohmann::json::parse(ReadFile(Out() + "/manifest.json"));
  EXPECT_EQ(manifest["format"], "omnihub-export-manifest");
  EXPECT_EQ(manifest["version"], 1);
  ASSERT_EQ(manifest["files"].size(), 2u);
  for (const auto& file : manifest["files"]) {
    const std::string bytes = ReadFile(Out() + "/" + file["path"].get<std::string>());
    EXPECT_EQ(file["path"], "attachments/" + base::Sha256Hex(bytes));
    EXPECT_EQ(file["sha256"], base::Sha256Hex(bytes));
    EXPECT_EQ(file["size"], bytes.size());
    ASSERT_EQ(file["referenced_by"].size(), 1u);
    if (bytes == kPhoto) {
      EXPECT_EQ(file["media_type"], "image/png");
      EXPECT_EQ(file["referenced_by"][0]["role"], "attachment");
      EXPECT_EQ(file["referenced_by"][0]["name"], "photo.png");
      EXPECT_EQ(file["referenced_by"][0]["event_id"], "02020202-0202-0202-0202-020202020202");
    } else {
      EXPECT_EQ(bytes, kRaw);
      EXPECT_EQ(file["media_type"], "message/rfc822");
      EXPECT_EQ(file["referenced_by"][0]["role"], "raw_payload");
    }
  }
  EXPECT_TRUE(manifest["missing"].empty());
  const auto summary = nlohmann::json::parse(out());
  EXPECT_EQ(summary["events"], 2);
  EXPECT_EQ(summary["files"], 2);
  EXPECT_EQ(summary["bytes"], kPhoto.size() + kRaw.size());
}

TEST_F(ExportCommandTest, IdentitiesComeFromExplainWhenTheHubAnswersIt) {
  AnswerCustomer();
  v1::QueryResponse explain;
  v1::IdentityExplanation* e = explain.mutable_explain()->add_identities();
  *e->mutable_identity() = Email("jane@example.com");
  e->mutable_reason()->set_rule(v1::LinkReason::AGENT_LINK);
  e->mutable_reason()->set_agent("agent-7");
  e->mutable_reason()->set_detail("same person, confirmed by phone");
  e->add_history()->set_rule(v1::LinkReason::FIRST_SIGHT);
  e->set_event_count(2);
  hub_.Answer(explain);
  hub_.Answer(v1::QueryResponse());  // an empty timeline

  ASSERT_EQ(Run(RunCustomerExport, {kCustomerId, "--out", Out()}), kExitOk) << err();
  const auto doc = nlohmann::json::parse(ReadFile(Out() + "/customer.json"));
  EXPECT_EQ(doc["identity_reasons_from"], "explain");
  EXPECT_EQ(doc["identities"][0]["reason"]["rule"], "agent_link");
  EXPECT_EQ(doc["identities"][0]["reason"]["agent"], "agent-7");
  EXPECT_EQ(doc["identities"][0]["reason"]["detail"], "same person, confirmed by phone");
  ASSERT_EQ(doc["identities"][0]["history"].size(), 1u);
  EXPECT_EQ(doc["identities"][0]["history"][0]["rule"], "first_sight");
  EXPECT_TRUE(doc["events"].empty());
  EXPECT_FALSE(fs::exists(Out() + "/attachments"));
}

TEST_F(ExportCommandTest, ANonEmptyDirectoryIsRefusedBeforeAnyQuery) {
  fs::create_directories(Out());
  std::ofstream(Out() + "/old.txt") << "older export";
  EXPECT_EQ(Run(RunCustomerExport, {kCustomerId, "--out", Out()}), kExitUsage);
  EXPECT_NE(err().find("is not empty"), std::string::npos) << err();
  EXPECT_TRUE(hub_.requests.empty());
  EXPECT_EQ(ReadFile(Out() + "/old.txt"), "older export");

  std::ofstream(Path("a-file")) << "x";
  EXPECT_EQ(Run(RunCustomerExport, {kCustomerId, "--out", Path("a-file")}), kExitUsage);
  EXPECT_NE(err().find("is a file"), std::string::npos) << err();
}

TEST_F(ExportCommandTest, BadArgumentsSayWhatToFix) {
  EXPECT_EQ(Run(RunCustomerExport, {kCustomerId}), kExitUsage);
  EXPECT_NE(err().find("--out DIR is required"), std::string::npos) << err();
  EXPECT_EQ(Run(RunCustomerExport, {"no-such-form", "--out", Out()}), kExitUsage);
  EXPECT_EQ(Run(RunCustomerExport, {"--out", Out()}), kExitUsage);
  EXPECT_TRUE(hub_.requests.empty());
}

TEST_F(ExportCommandTest, UnknownCustomerExitsNotFound) {
  hub_.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  EXPECT_EQ(Run(RunCustomerExport, {"email:nobody@example.com", "--out", Out()}), kExitNotFound);
  EXPECT_NE(err().find("no customer"), std::string::npos) << err();
}

TEST_F(ExportCommandTest, BytesThatDoNotMatchTheirSha256FailTheExport) {
  AnswerCustomer();
  hub_.Fail(base::Status::FailedPrecondition("explain: not built yet"));
  AnswerTimeline();
  AnswerBlobs({{base::Sha256Hex(kPhoto), "tampered"}, {base::Sha256Hex(kRaw), kRaw}});
  EXPECT_EQ(Run(RunCustomerExport, {kCustomerId, "--out", Out()}), kExitFailed);
  EXPECT_NE(err().find("another SHA-256"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(Out() + "/customer.json"));
}

TEST_F(ExportCommandTest, ABlobTheHubNoLongerHasIsListedAsMissing) {
  AnswerCustomer();
  hub_.Fail(base::Status::FailedPrecondition("explain: not built yet"));
  AnswerTimeline();
  const bool photo_first = base::Sha256Hex(kPhoto) < base::Sha256Hex(kRaw);
  if (photo_first) hub_.Fail(base::Status::NotFound("no blob"));
  v1::QueryResponse raw;
  raw.mutable_get_blob()->set_data(kRaw);
  hub_.Answer(raw);
  if (!photo_first) hub_.Fail(base::Status::NotFound("no blob"));

  ASSERT_EQ(Run(RunCustomerExport, {kCustomerId, "--out", Out()}), kExitOk) << err();
  const auto manifest = nlohmann::json::parse(ReadFile(Out() + "/manifest.json"));
  ASSERT_EQ(manifest["files"].size(), 1u);
  ASSERT_EQ(manifest["missing"].size(), 1u);
  EXPECT_EQ(manifest["missing"][0]["sha256"], base::Sha256Hex(kPhoto));
  EXPECT_EQ(manifest["missing"][0]["referenced_by"][0]["name"], "photo.png");
}

}  // namespace
}  // namespace omnihub::ctl
