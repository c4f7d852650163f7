#include "tests/bench/bench_clock.h"

#include <chrono>
#include <fstream>
#include <string>

namespace omnihub::bench {
namespace {

ThreadTimes ReadSchedstat(const std::string& path) {
  std::ifstream in(path);
  double on_cpu_ns = 0, waiting_ns = 0;
  if (!(in >> on_cpu_ns >> waiting_ns)) return {};
  return {on_cpu_ns / 1e9, waiting_ns / 1e9};
}

}  // namespace

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ThreadTimes CurrentThreadTimes() { return ReadSchedstat("/proc/thread-self/schedstat"); }

ThreadTimes ThreadTimesOf(pid_t pid, pid_t tid) {
  return ReadSchedstat("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/schedstat");
}

}  // namespace omnihub::bench
