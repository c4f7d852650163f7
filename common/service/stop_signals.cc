#include "common/service/stop_signals.h"

#include <utility>

#include "common/service/logging.h"
#include "common/service/systemd_notify.h"

namespace omnihub::service {

StopSignals::StopSignals(std::function<void()> on_hangup)
    : on_hangup_(on_hangup ? std::move(on_hangup) : std::function<void()>([] { (void)ReopenLogFile(); })) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

StopSignals::~StopSignals() {
  if (!waiter_.joinable()) return;
  cancelled_.store(true);
  // The signals are blocked in every thread, so this one stays pending for the waiter
  // and ends its sigwait; `cancelled_` keeps the callback from running.
  pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
}

int StopSignals::Wait() {
  int number = 0;
  while (sigwait(&signals_, &number) != 0 || number == SIGHUP) {
    if (number == SIGHUP) on_hangup_();
    number = 0;
  }
  stopping_.store(true);
  // Under systemd the unit is "deactivating" from here on; not when the destructor ended the
  // wait, which is no stop request.
  if (!cancelled_.load()) NotifyStopping();
  return number;
}

void StopSignals::WaitInBackground(std::function<void(int)> on_stop) {
  waiter_ = std::thread([this, on_stop = std::move(on_stop)] {
    const int number = Wait();
    if (!cancelled_.load()) on_stop(number);
  });
}

}  // namespace omnihub::service
