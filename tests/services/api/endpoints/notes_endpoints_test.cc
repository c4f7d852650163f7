// Agents' notes (endpoints/notes.cc): the note event in the outbox (channel, kind, direction,
// account, the customer's identity as its recipient, no sender, the author's name, the
// conversation key), the answer, and the refusals.
#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/api_test_harness.h"

namespace omnihub::api {
namespace {

using testing::ApiHarness;
using testing::Scopes;

constexpr char kCustomer[] = "01a20672-9cbf-7000-86af-863ec973c825";

v1::Customer Jane() {
  v1::Customer c;
  c.set_customer_id(kCustomer);
  auto* phone = c.add_identities();
  phone->set_kind(v1::Identity::PHONE);
  phone->set_value("+14155550100");
  return c;
}

class NotesEndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.hub().Set([](const v1::QueryRequest& q) -> base::Result<v1::QueryResponse> {
      v1::QueryResponse r;
      if (q.has_get_customer()) {
        const auto& s = q.get_customer().customer();
        if (s.customer_id() != kCustomer && s.identity().value() != "+14155550100") {
          return base::Status::NotFound("no customer has that identity");
        }
        *r.mutable_get_customer()->mutable_customer() = Jane();
        return r;
      }
      if (q.has_conversation()) {
        r.mutable_conversation()->set_conversation(q.conversation().conversation());
        if (q.conversation().conversation() == "chat-1") {
          r.mutable_conversation()->add_entries()->set_customer_id(kCustomer);
        }
        return r;
      }
      return base::Status::InvalidArgument("unexpected query");
    });
  }

  ApiHarness api_{AddNoteRoutes};
  std::string writer_ = api_.Token("kim", Scopes({auth::Scope::kWrite}));
};

TEST_F(NotesEndpointsTest, ACustomerNoteIsFiledWithTheCustomerAndSignedByTheToken) {
  auto r = api_.Call("POST", "/api/v1/customers/phone:%2B14155550100/notes", writer_,
                     R"({"text": "Customer prefers SMS."})");
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["customer_id"], kCustomer);
  auto events = api_.Events();
  ASSERT_EQ(events.size(), 1u);
  const v1::Event& note = events[0];
  EXPECT_EQ(base::UuidToString(note.event_id()), r.body["event_id"]);
  EXPECT_EQ(note.channel(), v1::NOTE);
  EXPECT_EQ(note.kind(), v1::NOTE_ADDED);
  EXPECT_EQ(note.direction(), v1::OUTBOUND);
  EXPECT_EQ(note.account(), "agents");
  ASSERT_EQ(note.recipients_size(), 1);
  EXPECT_EQ(note.recipients(0).value(), "+14155550100");
  EXPECT_FALSE(note.has_sender()) << "the author must not become a customer";
  EXPECT_EQ(note.provider_fields().at("author"), "kim");
  EXPECT_EQ(note.text(), "Customer prefers SMS.");
  EXPECT_TRUE(note.conversation().empty());
  EXPECT_EQ(note.occurred_at_us(), api_.clock().NowMicros());
}

TEST_F(NotesEndpointsTest, TwoNotesOfOneTextAreTwoNotes) {
  for (int i = 0; i < 2; ++i) {
    auto r = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/notes", writer_, R"({"text": "ok"})");
    ASSERT_EQ(r.status, 201) << r.raw;
  }
  auto events = api_.Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].provider_message_id(), events[1].provider_message_id());
}

TEST_F(NotesEndpointsTest, AConversationNoteCarriesItsKey) {
  auto r = api_.Call("POST", "/api/v1/conversations/chat-1/notes", writer_, R"({"text": "escalated"})");
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["customer_id"], kCustomer);
  auto events = api_.Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].conversation(), "chat-1");
  EXPECT_EQ(events[0].recipients(0).value(), "+14155550100");
}

TEST_F(NotesEndpointsTest, RefusalsNameTheFieldAndStoreNothing) {
  auto no_text = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/notes", writer_, R"({"txt": "x"})");
  EXPECT_EQ(no_text.status, 400);
  EXPECT_EQ(no_text.body["error"]["field"], "text");
  auto empty = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/notes", writer_, R"({"text": ""})");
  EXPECT_EQ(empty.status, 400);
  auto bad_utf8 = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/notes", writer_,
                            "{\"text\": \"\xff\xfe\"}");
  EXPECT_EQ(bad_utf8.status, 400);
  auto unknown = api_.Call("POST", "/api/v1/customers/email:nobody@example.com/notes", writer_, R"({"text": "x"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["field"], "id");
  auto no_conversation = api_.Call("POST", "/api/v1/conversations/chat-9/notes", writer_, R"({"text": "x"})");
  EXPECT_EQ(no_conversation.status, 404);
  EXPECT_EQ(no_conversation.body["error"]["field"], "id");
  auto reader = api_.Token("reader", Scopes({auth::Scope::kRead}));
  auto forbidden = api_.Call("POST", std::string("/api/v1/customers/") + kCustomer + "/notes", reader, R"({"text": "x"})");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_TRUE(api_.Events().empty());
}

}  // namespace
}  // namespace omnihub::api
