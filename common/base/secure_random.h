// A RandomSource for secrets (API tokens, login codes, session keys): the kernel's CSPRNG
// through getrandom(2). SystemRandom (env.h) is a seeded generator whose later output can be
// predicted from earlier output, which is fine for ids but not for anything that grants access.
//
// Thread-safety: thread-safe without a lock.
#pragma once

#include <cstdint>

#include "common/base/env.h"

namespace omnihub::base {

class SecureRandom final : public RandomSource {
 public:
  uint64_t Next64() override;
};

}  // namespace omnihub::base
