// Per-token request rate limits: a token bucket per token id holding up to `burst` requests,
// refilled at the token's rate per second on the injected monotonic clock (tests drive a
// simulated one). A request that finds the bucket empty is refused with the seconds until
// one request is available again, which the API sends as 429 with Retry-After.
//
// Thread-safety: Admit is thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/base/env.h"

namespace omnihub::api::auth {

class RateLimiter {
 public:
  RateLimiter(base::Clock& clock, uint32_t default_per_s, uint32_t burst);

  // 0 when the request may go ahead (one request is taken from the bucket); otherwise the
  // whole seconds (>= 1) to wait. `per_s` 0 = the default rate.
  uint32_t Admit(const std::string& token_id, uint32_t per_s);

 private:
  struct Bucket {
    double available = 0;
    int64_t updated_us = 0;
  };
  base::Clock& clock_;
  const uint32_t default_per_s_;
  const uint32_t burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace omnihub::api::auth
