// Store::KeysPresent: the batched presence check behind the ingest thread's dedup look-ups.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/unifier/store/store.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

TEST(KeysPresentTest, AnswersEachKeyInItsPlace) {
  testing::UnifierHarness h;
  Store& store = h.store();
  rocksdb::WriteOptions wo;
  ASSERT_TRUE(store.db()->Put(wo, store.dedup(), "stored-a", "x").ok());
  ASSERT_TRUE(store.db()->Put(wo, store.dedup(), "stored-b", "").ok());
  ASSERT_TRUE(store.db()->Put(wo, store.events(), "other-family", "x").ok());

  auto present = store.KeysPresent(store.dedup(), {"stored-b", "missing", "other-family", "stored-a", "stored-b"});
  ASSERT_TRUE(present.ok()) << present.status().ToString();
  EXPECT_EQ(*present, (std::vector<bool>{true, false, false, true, true}));

  auto none = store.KeysPresent(store.dedup(), {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace omnihub::unifier
