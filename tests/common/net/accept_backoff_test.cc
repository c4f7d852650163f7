#include "common/net/accept_backoff.h"

#include <gtest/gtest.h>

namespace omnihub::net {
namespace {

using std::chrono::milliseconds;

TEST(AcceptBackoffTest, DoublesUpToTheMaximumAndStartsOverAfterSuccess) {
  AcceptBackoff backoff;
  EXPECT_EQ(backoff.Failed(), milliseconds(100));  // the first retry comes as soon as before
  EXPECT_EQ(backoff.Failed(), milliseconds(200));
  EXPECT_EQ(backoff.Failed(), milliseconds(400));
  for (int i = 0; i < 10; ++i) backoff.Failed();
  EXPECT_EQ(backoff.Failed(), AcceptBackoff::kMax);
  backoff.Succeeded();
  EXPECT_EQ(backoff.Failed(), AcceptBackoff::kFirst);
}

}  // namespace
}  // namespace omnihub::net
