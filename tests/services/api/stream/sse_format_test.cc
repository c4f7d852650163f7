// The live streams' wire text: exact frames, as an EventSource parses them.
#include <gtest/gtest.h>

#include "services/api/stream/sse_format.h"

namespace omnihub::api::stream {
namespace {

TEST(SseFormatTest, AChangeIsOneEventWithItsSeqAsId) {
  v1::ChangeNotification c;
  c.set_change_seq(42);
  c.set_kind(v1::DEAD_LETTERED);
  c.set_committed_at_us(1'790'000'000'000'000);
  c.set_dead_letter_id(7);
  EXPECT_EQ(SseChangeFrame(c),
            "id: 42\nevent: change\ndata: {\"change_seq\":42,\"committed_at\":\"2026-09-21T14:13:20.000000Z\","
            "\"dead_letter_id\":7,\"kind\":\"dead_lettered\"}\n\n");
  // A change of a tenant other than the default names it (the default's name none).
  c.set_tenant_id("acme");
  EXPECT_EQ(SseChangeFrame(c),
            "id: 42\nevent: change\ndata: {\"change_seq\":42,\"committed_at\":\"2026-09-21T14:13:20.000000Z\","
            "\"dead_letter_id\":7,\"kind\":\"dead_lettered\",\"tenant\":\"acme\"}\n\n");
}

TEST(SseFormatTest, AResetCarriesItsReasonAndTheLastChange) {
  EXPECT_EQ(SseResetFrame("too_far_behind", 900),
            "id: 900\nevent: reset\ndata: {\"last_change_seq\":900,\"reason\":\"too_far_behind\"}\n\n");
}

TEST(SseFormatTest, StartAndHeartbeatAreNoEvents) {
  // A retry field and comments only: an EventSource dispatches nothing for them.
  EXPECT_EQ(SseStreamStart(), "retry: 2000\n: omnihub live changes\n\n");
  EXPECT_EQ(SseHeartbeat(), ": heartbeat\n\n");
}

}  // namespace
}  // namespace omnihub::api::stream
