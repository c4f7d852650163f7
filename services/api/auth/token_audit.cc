#include "services/api/auth/token_audit.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/base/time_format.h"
#include "services/api/auth/private_files.h"

namespace omnihub::api::auth {
namespace {

std::string_view ActionName(TokenAction action) {
  switch (action) {
    case TokenAction::kCreate:
      return "create";
    case TokenAction::kRevoke:
      return "revoke";
    case TokenAction::kLoginLink:
      return "login_link";
  }
  return "unknown";
}

}  // namespace

base::Status AuditTokenAction(const std::string& dir, base::Clock& clock, const TokenAuditEntry& entry) {
  const TokenRecord& token = *entry.token;
  const std::string_view action = ActionName(entry.action);
  spdlog::info("token {}: '{}' ({}, scopes {}) by '{}' via {}", action, token.name, token.token_id,
               nlohmann::json(ScopeNames(token.scopes)).dump(), entry.actor, entry.via);
  const nlohmann::json line = {{"format", 1},
                               {"at", base::FormatRfc3339Micros(clock.NowMicros())},
                               {"action", action},
                               {"actor", entry.actor},
                               {"via", entry.via},
                               {"token_id", token.token_id},
                               {"name", token.name},
                               {"scopes", ScopeNames(token.scopes)}};
  return AppendLine(dir + "/audit.jsonl",
                    line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace omnihub::api::auth
