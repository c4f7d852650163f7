// Readiness: named checks, each saying whether one thing a process depends on works (its store
// is open, its bus peer answers), evaluated when GET /readyz asks. A process is ready when
// every check passes. Liveness (GET /healthz) is separate: a process that answers is alive.
//
// Thread-safety: Add before the admin listener starts; Evaluate from any thread (checks run on
// the calling thread and must themselves be thread-safe and not block for long).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace omnihub::service {

// OK, or the reason the thing checked is not usable ("not connected to the unifier at ...").
using ReadinessCheck = std::function<base::Status()>;

struct ReadinessReport {
  bool ready = true;
  // {"ready":true,"checks":{"outbox":{"ok":true},"bus":{"ok":false,"reason":"..."}}}
  std::string json;
};

class Readiness {
 public:
  // `name` should be short and stable ("store", "bus"): monitoring may match on it.
  void Add(std::string name, ReadinessCheck check);

  // Runs every check in the order added.
  ReadinessReport Evaluate() const;

 private:
  std::vector<std::pair<std::string, ReadinessCheck>> checks_;
};

}  // namespace omnihub::service
