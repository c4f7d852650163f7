#include "common/service/webhook_reply.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_outbox.h"

namespace omnihub::service {
namespace {

WebhookReply OneEvent(std::string body) {
  http::HttpResponse ok;
  ok.body = std::move(body);
  WebhookReply reply{std::move(ok)};
  reply.items.push_back({"event bytes", std::nullopt});
  reply.subject = "the message";
  reply.log_name = "test";
  return reply;
}

TEST(WebhookReplyTest, TheAnswerWaitsForTheSyncedAppend) {
  testing::TestOutbox box;
  box.sync().Hold();
  const int entered = box.sync().syncs_entered.load();
  std::optional<http::HttpResponse> answer;
  std::optional<uint64_t> last_at_answer;
  AnswerWhenDurable(box.sink(), OneEvent("done"), http::HttpResponder::Capture([&](http::HttpResponse r) {
                      last_at_answer = box.outbox().last_sequence();
                      answer = std::move(r);
                    }));
  while (box.sync().syncs_entered.load() == entered) std::this_thread::yield();
  EXPECT_FALSE(answer.has_value()) << "answered before the sync";
  box.sync().Release();
  box.outbox().WaitIdle();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "done");
  EXPECT_EQ(last_at_answer, 1u) << "the entry was ready to send when the client heard 200";
  EXPECT_EQ(box.Frames().size(), 1u);
}

TEST(WebhookReplyTest, AFailedAppendIs503AndAnAnswerWithoutEventsGoesAtOnce) {
  testing::TestOutbox box;
  box.sync().fail = true;
  std::optional<http::HttpResponse> answer;
  AnswerWhenDurable(box.sink(), OneEvent("done"),
                    http::HttpResponder::Capture([&](http::HttpResponse r) { answer = std::move(r); }));
  box.outbox().WaitIdle();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 503);
  EXPECT_NE(answer->body.find("cannot persist the message; retry"), std::string::npos) << answer->body;
  // The blocking form says the same.
  EXPECT_EQ(AnswerDurably(box.sink(), OneEvent("done")).status, 503);

  // An error answer stores nothing and needs no sync.
  std::optional<http::HttpResponse> refusal;
  AnswerWhenDurable(box.sink(), http::JsonError(403, "forbidden", "bad signature"),
                    http::HttpResponder::Capture([&](http::HttpResponse r) { refusal = std::move(r); }));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 403);
  EXPECT_TRUE(box.Frames().empty());
}

}  // namespace
}  // namespace omnihub::service
