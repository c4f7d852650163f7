// SHA-256: the one-shot function against a published vector, and the incremental hasher
// against the one-shot function.
#include "common/base/sha256.h"

#include <gtest/gtest.h>

namespace omnihub::base {
namespace {

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, HasherInPiecesEqualsOneShot) {
  Sha256Hasher hasher;
  hasher.Update("a");
  hasher.Update("");
  hasher.Update("bc");
  EXPECT_EQ(hasher.Finish(), Sha256("abc"));
  Sha256Hasher empty;
  EXPECT_EQ(empty.Finish(), Sha256(""));
}

}  // namespace
}  // namespace omnihub::base
