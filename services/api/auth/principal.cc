#include "services/api/auth/principal.h"

#include <array>
#include <utility>

namespace omnihub::api::auth {
namespace {

constexpr std::array<std::pair<Scope, std::string_view>, 4> kScopes = {
    {{Scope::kRead, "read"}, {Scope::kWrite, "write"}, {Scope::kIngest, "ingest"}, {Scope::kAdmin, "admin"}}};

}  // namespace

std::string_view ScopeName(Scope scope) {
  for (const auto& [s, name] : kScopes) {
    if (s == scope) return name;
  }
  return "unknown";
}

std::optional<Scope> ScopeFromName(std::string_view name) {
  for (const auto& [s, n] : kScopes) {
    if (n == name) return s;
  }
  return std::nullopt;
}

base::Result<uint8_t> ParseScopeList(std::string_view list) {
  uint8_t mask = 0;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string_view name = list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto scope = ScopeFromName(name);
    if (!scope) {
      return base::Status::InvalidArgument("unknown scope '" + std::string(name) +
                                           "' (use a comma-separated list of read, write, ingest, admin)");
    }
    mask |= static_cast<uint8_t>(*scope);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return mask;
}

std::vector<std::string> ScopeNames(uint8_t mask) {
  std::vector<std::string> names;
  for (const auto& [s, name] : kScopes) {
    if ((mask & static_cast<uint8_t>(s)) != 0) names.emplace_back(name);
  }
  return names;
}

}  // namespace omnihub::api::auth
