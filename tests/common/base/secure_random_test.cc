// SecureRandom draws from the kernel: values differ between calls and between instances, and
// every bit position takes both values (a stuck or zero-filled source would not).
#include <cstdint>
#include <set>

#include <gtest/gtest.h>

#include "common/base/secure_random.h"

namespace omnihub::base {
namespace {

TEST(SecureRandomTest, GivesFreshValuesWithEveryBitVarying) {
  SecureRandom a;
  SecureRandom b;
  std::set<uint64_t> seen;
  uint64_t ones = 0;
  uint64_t zeros = 0;
  for (int i = 0; i < 64; ++i) {
    const uint64_t x = a.Next64();
    const uint64_t y = b.Next64();
    seen.insert(x);
    seen.insert(y);
    ones |= x | y;
    zeros |= ~x | ~y;
  }
  EXPECT_EQ(seen.size(), 128u);
  EXPECT_EQ(ones, ~uint64_t{0});
  EXPECT_EQ(zeros, ~uint64_t{0});
}

}  // namespace
}  // namespace omnihub::base
