// Idempotency records (core/idempotency.h): the meta key, a record written with Append read
// back, also after the outbox is reopened (a restart of omnihub-api), an unreadable record, and
// the lock that serializes one key.
#include "services/api/core/idempotency.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/base/sha256.h"
#include "tests/support/test_outbox.h"

namespace omnihub::api {
namespace {

TEST(IdempotencyRecordsTest, MetaKeyIsPerTokenAndHidesTheKey) {
  const std::string key = IdempotencyRecords::MetaKey("0123456789abcdef", "order 1042 / retry");
  EXPECT_EQ(key, "idem/0123456789abcdef/" + base::Sha256Hex("order 1042 / retry"));
  EXPECT_NE(key, IdempotencyRecords::MetaKey("fedcba9876543210", "order 1042 / retry"));
}

TEST(IdempotencyRecordsTest, ARecordAppendedWithTheEventsIsReadBackAfterARestart) {
  omnihub::testing::TestOutbox outbox("api");
  const std::string key = IdempotencyRecords::MetaKey("0123456789abcdef", "k");
  {
    IdempotencyRecords records(outbox.outbox());
    auto none = records.Find(key);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    const IdempotencyRecord record{"abc", 202, {{"event_ids", {"e1"}}, {"accepted", 1}}};
    ASSERT_TRUE(outbox.sink().Append({}, {{key, IdempotencyRecords::Encode(record)}}, {}).ok());
  }
  outbox.Reopen();
  IdempotencyRecords records(outbox.outbox());
  auto found = records.Find(key);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->body_sha256, "abc");
  EXPECT_EQ((*found)->status, 202);
  EXPECT_EQ((*found)->body, nlohmann::json({{"event_ids", {"e1"}}, {"accepted", 1}}));
}

TEST(IdempotencyRecordsTest, AnUnreadableRecordIsCorruption) {
  omnihub::testing::TestOutbox outbox("api");
  ASSERT_TRUE(outbox.sink().Append({}, {{"idem/x/y", "{\"status\": 202}"}}, {}).ok());
  IdempotencyRecords records(outbox.outbox());
  auto found = records.Find("idem/x/y");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), base::StatusCode::kCorruption);
}

TEST(IdempotencyRecordsTest, OneKeyIsHeldByOneRequestAtATime) {
  omnihub::testing::TestOutbox outbox("api");
  IdempotencyRecords records(outbox.outbox());
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int n = 0; n < 200; ++n) {
        auto lock = records.Lock("idem/t/k");
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
}

}  // namespace
}  // namespace omnihub::api
