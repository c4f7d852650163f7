#include "common/base/uuid.h"

#include <gtest/gtest.h>

namespace omnihub::base {
namespace {

TEST(UuidTest, IdsAreStrictlyIncreasingWithinOneMillisecond) {
  base::ManualClock clock;
  base::SeededRandom random(42);
  base::UuidV7Generator gen(clock, random);
  std::string prev = gen.Next();
  for (int i = 0; i < 10000; ++i) {
    std::string next = gen.Next();
    ASSERT_EQ(next.size(), base::kUuidBytes);
    ASSERT_LT(prev, next);
    prev = next;
  }
}

TEST(UuidTest, IdsKeepIncreasingWhenTheClockStepsBack) {
  base::ManualClock clock;
  base::SeededRandom random(1);
  base::UuidV7Generator gen(clock, random);
  const std::string a = gen.Next();
  clock.Advance(-5'000'000);
  const std::string b = gen.Next();
  EXPECT_LT(a, b);
}

TEST(UuidTest, CarriesVersionVariantAndMillis) {
  base::ManualClock clock(1'700'000'000'123'456);
  base::SeededRandom random(7);
  base::UuidV7Generator gen(clock, random);
  const std::string id = gen.Next();
  EXPECT_EQ(static_cast<uint8_t>(id[6]) >> 4, 7);
  EXPECT_EQ(static_cast<uint8_t>(id[8]) >> 6, 2);
  EXPECT_EQ(base::UuidV7Millis(id), 1'700'000'000'123u);
}

TEST(UuidTest, TextFormRoundTrips) {
  base::ManualClock clock;
  base::SeededRandom random(3);
  base::UuidV7Generator gen(clock, random);
  const std::string id = gen.Next();
  const std::string text = base::UuidToString(id);
  ASSERT_EQ(text.size(), 36u);
  std::string back;
  ASSERT_TRUE(base::UuidFromString(text, &back));
  EXPECT_EQ(back, id);
  EXPECT_FALSE(base::UuidFromString("not-a-uuid", &back));
  EXPECT_FALSE(base::UuidFromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g", &back));
}

// RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
TEST(UuidTest, V5MatchesTheRfcExample) {
  std::string dns;
  ASSERT_TRUE(base::UuidFromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8", &dns));
  EXPECT_EQ(base::UuidToString(base::UuidV5(dns, "www.example.com")), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_NE(base::UuidV5(dns, "www.example.org"), base::UuidV5(dns, "www.example.com"));
}

}  // namespace
}  // namespace omnihub::base
