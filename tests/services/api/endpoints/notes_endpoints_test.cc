// Agents' notes (endpoints/notes.cc): the note event in the outbox (channel, kind, direction,
// account, the customer's identity as its recipient, no sender, the author's name, the
// conversation key), the answer, and the refusals.
#include <chrono>

#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

constexpr char kCustomer[] = "01a20672-9cbf-7000-86af-863ec973c825";

v1::QueryResponse Jane() {
  v1::QueryResponse r;
  v1::Customer& c = *r.mutable_get_customer()->mutable_customer();
  c.set_customer_id(kCustomer);
  auto* phone = c.add_identities();
  phone->set_kind(v1::Identity::PHONE);
  phone->set_value("+14155550100");
  return r;
}

v1::QueryResponse Conversation(const std::string& customer_id) {
  v1::QueryResponse r;
  if (!customer_id.empty()) r.mutable_conversation()->add_entries()->set_customer_id(customer_id);
  return r;
}

class NotesEndpointsTest : public testing::EndpointHarness {
 protected:
  NotesEndpointsTest() { EXPECT_TRUE(AddNoteRoutes(routes(), services()).ok()); }
};

TEST_F(NotesEndpointsTest, ACustomerNoteIsFiledWithTheCustomerAndSignedByTheToken) {
  hub.Answer(Jane());
  auto r = Post("/api/v1/customers/phone:%2B14155550100/notes", R"({"text": "Customer prefers SMS."})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r)["customer_id"], kCustomer);
  EXPECT_EQ(hub.requests[0].get_customer().customer().identity().value(), "+14155550100");
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& note = events[0];
  EXPECT_EQ(base::UuidToString(note.event_id()), Json(r)["event_id"]);
  EXPECT_EQ(note.channel(), v1::NOTE);
  EXPECT_EQ(note.kind(), v1::NOTE_ADDED);
  EXPECT_EQ(note.direction(), v1::OUTBOUND);
  EXPECT_EQ(note.account(), "agents");
  ASSERT_EQ(note.recipients_size(), 1);
  EXPECT_EQ(note.recipients(0).value(), "+14155550100");
  EXPECT_FALSE(note.has_sender()) << "the author must not become a customer";
  EXPECT_EQ(note.provider_fields().at("author"), "agent-bo");
  EXPECT_EQ(note.text(), "Customer prefers SMS.");
  EXPECT_TRUE(note.conversation().empty());
  EXPECT_EQ(note.occurred_at_us(), clock().NowMicros());
}

TEST_F(NotesEndpointsTest, TwoNotesOfOneTextAreTwoNotes) {
  for (int i = 0; i < 2; ++i) {
    hub.Answer(Jane());
    auto r = Post(std::string("/api/v1/customers/") + kCustomer + "/notes", R"({"text": "ok"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].provider_message_id(), events[1].provider_message_id());
}

TEST_F(NotesEndpointsTest, AConversationNoteCarriesItsKey) {
  hub.Answer(Conversation(kCustomer));
  hub.Answer(Jane());
  auto r = Post("/api/v1/conversations/chat-1/notes", R"({"text": "escalated"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r)["customer_id"], kCustomer);
  EXPECT_EQ(hub.requests[0].conversation().conversation(), "chat-1");
  EXPECT_EQ(hub.requests[1].get_customer().customer().customer_id(), kCustomer);
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].conversation(), "chat-1");
  EXPECT_EQ(events[0].recipients(0).value(), "+14155550100");
}

TEST_F(NotesEndpointsTest, ANoteCarriesTheRequestsTenantAndTheDefaultTenantOnTheWireAsEmpty) {
  hub.Answer(Jane());
  ASSERT_EQ(Post(std::string("/api/v1/customers/") + kCustomer + "/notes?tenant=acme", R"({"text": "a"})").status, 201);
  hub.Answer(Jane());
  ASSERT_EQ(Post(std::string("/api/v1/customers/") + kCustomer + "/notes", R"({"text": "b", "tenant": "globex"})").status,
            201);
  hub.Answer(Jane());
  ASSERT_EQ(Post(std::string("/api/v1/customers/") + kCustomer + "/notes?tenant=default", R"({"text": "c"})").status,
            201);
  auto events = OutboxEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].tenant_id(), "acme");
  EXPECT_EQ(events[1].tenant_id(), "globex");
  EXPECT_EQ(events[2].tenant_id(), "");
  hub.Answer(Jane());
  ExpectError(Post(std::string("/api/v1/customers/") + kCustomer + "/notes?tenant=no%20such", R"({"text": "d"})"), 400,
              "bad_request", "tenant");
  EXPECT_EQ(OutboxEvents().size(), 3u);
}

TEST_F(NotesEndpointsTest, RefusalsNameTheFieldAndStoreNothing) {
  const std::string path = std::string("/api/v1/customers/") + kCustomer + "/notes";
  ExpectError(Post(path, R"({"txt": "x"})"), 400, "bad_request", "text");
  ExpectError(Post(path, R"({"text": ""})"), 400, "bad_request", "text");
  ExpectError(Post(path, "{\"text\": \"\xff\xfe\"}"), 400, "bad_request", "body");  // not UTF-8: no JSON
  hub.Fail(base::Status::NotFound("no customer has identity email:nobody@example.com"));
  ExpectError(Post("/api/v1/customers/email:nobody@example.com/notes", R"({"text": "x"})"), 404, "not_found", "id");
  hub.Answer(Conversation(""));
  ExpectError(Post("/api/v1/conversations/chat-9/notes", R"({"text": "x"})"), 404, "not_found", "id");
  ExpectError(Call("POST", path, reader_, R"({"text": "x"})"), 403, "forbidden", "");
  EXPECT_TRUE(OutboxEvents().empty());
}

// Cluster mode (core/write_position.h): the note's log position comes back as the token.
TEST_F(NotesEndpointsTest, InClusterModeTheNoteAnswersItsLogPosition) {
  bus::AppendedPositions positions;
  services().writes = WritePositions{&positions, std::chrono::milliseconds(0)};
  positions.Record(1, {0, 1042});  // the log acknowledged the outbox's first entry
  hub.Answer(Jane());
  auto r = Post("/api/v1/customers/phone:%2B14155550100/notes", R"({"text": "Called back."})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Header(r, "Omni-Position"), "0:1042");
  EXPECT_EQ(Json(r)["position"], "0:1042");
  EXPECT_EQ(Json(r)["customer_id"], kCustomer);
}

TEST_F(NotesEndpointsTest, InClusterModeANoteTheLogHasNotAcknowledgedIs202WithoutAToken) {
  bus::AppendedPositions positions;
  services().writes = WritePositions{&positions, std::chrono::milliseconds(0)};
  hub.Answer(Jane());
  auto r = Post("/api/v1/customers/phone:%2B14155550100/notes", R"({"text": "Called back."})");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Header(r, "Omni-Position"), "");
  EXPECT_FALSE(Json(r).contains("position"));
  EXPECT_EQ(OutboxEvents().size(), 1u) << "the note is durable all the same";
}

TEST_F(NotesEndpointsTest, OnOneHostANoteCarriesNoToken) {
  hub.Answer(Jane());
  auto r = Post("/api/v1/customers/phone:%2B14155550100/notes", R"({"text": "Called back."})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Header(r, "Omni-Position"), "");
  EXPECT_FALSE(Json(r).contains("position"));
}

}  // namespace
}  // namespace omnihub::api
