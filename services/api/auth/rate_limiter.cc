#include "services/api/auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace omnihub::api::auth {

RateLimiter::RateLimiter(base::Clock& clock, uint32_t default_per_s, uint32_t burst)
    : clock_(clock), default_per_s_(default_per_s), burst_(burst) {}

uint32_t RateLimiter::Admit(const std::string& token_id, uint32_t per_s) {
  const double rate = per_s != 0 ? per_s : default_per_s_;
  // A slow token still gets a burst of at least one request, and never more than its rate
  // allows over the configured burst.
  const double capacity = std::max(1.0, std::min<double>(burst_, per_s != 0 ? per_s : burst_));
  const int64_t now = clock_.MonotonicMicros();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(token_id);
  Bucket& b = it->second;
  if (fresh) {
    b.available = capacity;
    b.updated_us = now;
  } else if (now > b.updated_us) {
    // Concurrent requests read the clock before they take the lock, so `now` may be older
    // than the last update; such a request refills nothing (a negative interval would drain
    // the bucket by up to rate x the skew, hundreds of requests for a fast token).
    b.available = std::min(capacity, b.available + static_cast<double>(now - b.updated_us) * rate / 1e6);
    b.updated_us = now;
  }
  if (b.available >= 1.0) {
    b.available -= 1.0;
    return 0;
  }
  return static_cast<uint32_t>(std::max(1.0, std::ceil((1.0 - b.available) / rate)));
}

}  // namespace omnihub::api::auth
