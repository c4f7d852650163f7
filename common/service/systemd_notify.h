// Start-up and shutdown notices to systemd (sd_notify, units with Type=notify): READY=1 once a
// service does what it is there for, STOPPING=1 when it begins to stop. The one place that
// talks to systemd, so every service says the same things the same way.
//
// Without $NOTIFY_SOCKET (scripts/run.sh's supervisor, tests, a shell) both calls do nothing,
// so a service needs no flag to run outside systemd.
//
// Thread-safety: both may be called from any thread; each sends one datagram.
#pragma once

#include <string_view>

namespace omnihub::service {

// READY=1 with STATUS=`status` (shown by `systemctl status`). When each service calls it:
// docs/operations.md, "Installing on one machine". Call once; later calls repeat the notice.
void NotifyReady(std::string_view status);

// STOPPING=1: systemd then shows the unit as "deactivating" and does not count a following
// exit as a crash. Called by StopSignals when SIGINT or SIGTERM is taken.
void NotifyStopping();

}  // namespace omnihub::service
