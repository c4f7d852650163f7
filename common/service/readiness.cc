#include "common/service/readiness.h"

#include <nlohmann/json.hpp>

namespace omnihub::service {

void Readiness::Add(std::string name, ReadinessCheck check) { checks_.emplace_back(std::move(name), std::move(check)); }

ReadinessReport Readiness::Evaluate() const {
  ReadinessReport report;
  nlohmann::ordered_json checks = nlohmann::ordered_json::object();
  for (const auto& [name, check] : checks_) {
    const base::Status s = check();
    nlohmann::ordered_json entry = {{"ok", s.ok()}};
    if (!s.ok()) {
      report.ready = false;
      entry["reason"] = s.message();
    }
    checks[name] = std::move(entry);
  }
  nlohmann::ordered_json body = {{"ready", report.ready}, {"checks", std::move(checks)}};
  // A reason may quote bytes from outside; replace invalid UTF-8 rather than throw.
  report.json = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return report;
}

}  // namespace omnihub::service
