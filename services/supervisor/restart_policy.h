// When to start a service again after it exited: the supervisor's whole restart policy.
//
// A service that exits (crash, kill, or a clean exit nobody asked for) is restarted
// after a delay. A run shorter than `quick_exit_us` counts as a quick exit; each quick
// exit in a row doubles the delay, from `first_delay_us` up to `max_delay_us`. A run
// that lasted at least `quick_exit_us` was stable: the next exit starts again from the
// first delay. With the defaults the first four quick exits in a row are restarted
// within 0.2, 0.4, 0.8 and 1.6 s (inside the 2 s promise); from the fifth on the service
// is crash-looping and backs off 3.2, 6.4, ... up to 30 s, so a broken service costs
// little and never starves the others.
//
// Pure logic on an injected Clock; one instance per service. Not thread-safe.
#pragma once

#include <cstdint>

#include "common/base/env.h"

namespace omnihub::supervisor {

struct RestartOptions {
  int64_t first_delay_us = 200'000;
  int64_t max_delay_us = 30'000'000;
  // Runs shorter than this are quick exits; longer ones reset the back-off.
  int64_t quick_exit_us = 10'000'000;
  // Restarts at most this late are "prompt"; later ones are a crash-loop back-off.
  int64_t prompt_restart_us = 2'000'000;
};

struct RestartDecision {
  int64_t ran_us = 0;       // how long the run that just ended lasted
  int64_t delay_us = 0;     // wait this long before starting again
  int quick_exits = 0;      // quick exits in a row, this one included (0 after a stable run)
  bool backing_off = false;  // delay_us is past prompt_restart_us: a crash loop
};

class RestartPolicy {
 public:
  explicit RestartPolicy(base::Clock& clock, RestartOptions options = {});

  // The service was just started.
  void OnStart();
  // The service just exited; says when to start it again. REQUIRES: OnStart() before.
  RestartDecision OnExit();

  const RestartOptions& options() const { return options_; }

 private:
  base::Clock& clock_;
  RestartOptions options_;
  int64_t started_us_ = 0;
  int quick_exits_ = 0;  // in a row, up to the last exit
};

}  // namespace omnihub::supervisor
