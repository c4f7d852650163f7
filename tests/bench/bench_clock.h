// The benchmarks' measurement clocks: monotonic microseconds for every interval, and
// the kernel's per-thread accounting (/proc/.../schedstat) of time on a CPU and time
// runnable but waiting for one, which tells a measurement on a busy machine from one
// on a quiet machine.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace omnihub::bench {

// Monotonic microseconds (steady_clock), the time base of every bench measurement.
int64_t NowMicros();

struct ThreadTimes {
  double on_cpu_s = -1;    // -1 when unreadable
  double runqueue_s = -1;  // runnable, waiting for a CPU; -1 when unreadable
};

// The calling thread's times.
ThreadTimes CurrentThreadTimes();
// Thread `tid` of process `pid` (the main thread when tid == pid).
ThreadTimes ThreadTimesOf(pid_t pid, pid_t tid);

}  // namespace omnihub::bench
