#include "services/ctl/commit_wait.h"

#include <algorithm>

namespace omnihub::ctl {

bool WaitForCommit(CtlContext& ctx, EventPublisher& publisher, uint64_t last, std::chrono::seconds timeout,
                   std::string_view command, std::string_view on_give_up) {
  const int64_t started_us = ctx.clock.MonotonicMicros();
  const auto wait_step = timeout.count() > 0 ? std::min<std::chrono::seconds>(timeout, std::chrono::seconds(10))
                                             : std::chrono::seconds(10);
  while (!publisher.WaitForAck(last, wait_step)) {
    ctx.err << command << ": waiting for the unifier at " << ctx.config.bus.ingest << " to commit ("
            << publisher.acked() << " of " << last << " acknowledged; is omnihub-unifier running?)\n";
    if (timeout.count() > 0 && ctx.clock.MonotonicMicros() - started_us >= std::chrono::microseconds(timeout).count()) {
      ctx.err << "omnihubctl: gave up waiting after " << timeout.count() << " s; " << on_give_up << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace omnihub::ctl
