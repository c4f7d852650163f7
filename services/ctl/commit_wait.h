// Waiting for the unifier to commit what a command has put in its outbox, with a
// progress line every 10 s so an operator sees why the command has not returned.
//
// Thread-safety: call from the command's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "services/ctl/event_publisher.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

// True once every sequence <= `last` is acknowledged. With a positive `timeout`,
// gives up after it: prints "gave up waiting ...; <on_give_up>" and returns false.
// A zero timeout waits for as long as it takes. Time is ctx.clock's (monotonic).
bool WaitForCommit(CtlContext& ctx, EventPublisher& publisher, uint64_t last, std::chrono::seconds timeout,
                   std::string_view command, std::string_view on_give_up);

}  // namespace omnihub::ctl
