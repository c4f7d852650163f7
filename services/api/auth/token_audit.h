// The record of token administration (docs/formats/api-tokens.md "Audit log"): every token
// created or revoked and every login link made, through the API or omnihubctl, is logged
// (spdlog info) and appended as one JSON line to <token_dir>/audit.jsonl with who did it.
//
// Thread-safety: thread-safe; several processes may append to one file.
#pragma once

#include <string>
#include <string_view>

#include "common/base/env.h"
#include "common/base/status.h"
#include "services/api/auth/token_store.h"

namespace omnihub::api::auth {

enum class TokenAction { kCreate, kRevoke, kLoginLink };

struct TokenAuditEntry {
  TokenAction action = TokenAction::kCreate;
  std::string actor;  // the acting token's name (API) or "ctl:<login>" (omnihubctl)
  std::string via;    // "api" or "ctl"
  const TokenRecord* token = nullptr;  // the token acted on
};

// Logs the entry and appends it to <dir>/audit.jsonl; IoError naming the file if that fails.
base::Status AuditTokenAction(const std::string& dir, base::Clock& clock, const TokenAuditEntry& entry);

}  // namespace omnihub::api::auth
