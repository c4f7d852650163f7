// Who is asking: the token a request authenticated with (directly as a Bearer token, or
// through the console's session cookie) and what it may do. Scopes (docs/api.md "Auth"):
//   read    agents: customers, timelines, conversations, attachments, search, suggestions, streams
//   write   notes, links, unlinks, merges, splits, suggestion dismissals
//   ingest  integrators: POST /api/v1/events
//   admin   erasure, export, tokens
// A scope does not imply another; the token ./scripts/run.sh creates has all four.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::api::auth {

enum class Scope : uint8_t { kRead = 1, kWrite = 2, kIngest = 4, kAdmin = 8 };

// The scope's name as tokens and docs spell it ("read").
std::string_view ScopeName(Scope scope);
// "read" -> kRead; nullopt for anything else.
std::optional<Scope> ScopeFromName(std::string_view name);
// "read,write" -> kRead|kWrite as a mask; InvalidArgument naming the unknown scope and the
// four known ones; an empty list is InvalidArgument too.
base::Result<uint8_t> ParseScopeList(std::string_view list);
// The mask's names in the order read, write, ingest, admin.
std::vector<std::string> ScopeNames(uint8_t mask);

struct Principal {
  std::string token_id;  // 16 lower-case hex digits
  std::string name;      // the token's name: recorded as the actor of every write
  uint8_t scopes = 0;    // Scope bits
  bool via_session = false;  // authenticated by the console's cookie (writes need the CSRF token)
  // Requests per second this token may make (0 = the config's api.rate_limit_per_s).
  uint32_t rate_limit_per_s = 0;

  bool Has(Scope scope) const { return (scopes & static_cast<uint8_t>(scope)) != 0; }
};

}  // namespace omnihub::api::auth
