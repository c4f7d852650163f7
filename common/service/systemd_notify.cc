#include "common/service/systemd_notify.h"

#include <string.h>
#include <systemd/sd-daemon.h>

#include <string>

#include <spdlog/spdlog.h>

namespace omnihub::service {
namespace {

void Notify(const std::string& state) {
  // 0 means $NOTIFY_SOCKET is not set: not started by systemd (or by a Type=simple unit).
  const int r = sd_notify(/*unset_environment=*/0, state.c_str());
  if (r < 0) spdlog::warn("could not notify systemd ({}): {}", state.substr(0, state.find('\n')), strerror(-r));
}

}  // namespace

void NotifyReady(std::string_view status) {
  // STATUS is one line: a newline would start another assignment in the datagram.
  std::string line(status);
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  Notify("READY=1\nSTATUS=" + line);
}

void NotifyStopping() { Notify("STOPPING=1\nSTATUS=stopping"); }

}  // namespace omnihub::service
