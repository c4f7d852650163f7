#include "services/supervisor/restart_policy.h"

#include <algorithm>

namespace omnihub::supervisor {

RestartPolicy::RestartPolicy(base::Clock& clock, RestartOptions options) : clock_(clock), options_(options) {}

void RestartPolicy::OnStart() { started_us_ = clock_.MonotonicMicros(); }

RestartDecision RestartPolicy::OnExit() {
  RestartDecision decision;
  decision.ran_us = clock_.MonotonicMicros() - started_us_;
  if (decision.ran_us < options_.quick_exit_us) {
    ++quick_exits_;
  } else {
    quick_exits_ = 0;
  }
  decision.quick_exits = quick_exits_;
  // Doubling from the first delay; the loop stops at the cap, so no shift overflows.
  int64_t delay = options_.first_delay_us;
  for (int i = 1; i < quick_exits_ && delay < options_.max_delay_us; ++i) delay *= 2;
  decision.delay_us = std::min(delay, options_.max_delay_us);
  decision.backing_off = decision.delay_us > options_.prompt_restart_us;
  return decision;
}

}  // namespace omnihub::supervisor
