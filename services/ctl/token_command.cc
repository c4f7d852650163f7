// omnihubctl token create|list|revoke|login: the agent API's tokens (docs/api.md "Auth"),
// written straight into the token store of the config's api.token_dir
// (docs/formats/api-tokens.md), so they work whether or not omnihub-api runs, and a
// revocation applies to omnihub-api's next request. Each change is recorded in the store's
// audit log with actor "ctl:<login>". Output is JSON like every other command; only `create`
// ever prints a token's secret, once.
#include <map>

#include <nlohmann/json.hpp>

#include "common/base/time_format.h"
#include "services/api/api_config.h"
#include "services/api/auth/principal.h"
#include "services/api/auth/token_audit.h"
#include "services/api/auth/token_json.h"
#include "services/api/auth/token_store.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/command_sender.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {
namespace {

constexpr char kCreateUsage[] =
    "omnihubctl token create --scope read[,write,ingest,admin] --name NAME [--expires DURATION] [--rate N] [--login]";
constexpr uint64_t kMaxRate = 1'000'000;  // as api.rate_limit_per_s

// "30d", "12h", "90m", "45s" -> microseconds.
base::Result<int64_t> ParseDuration(const std::string& option, const std::string& text) {
  const auto invalid = base::Status::InvalidArgument("--" + option + " takes a duration such as 30d, 12h, 90m or 45s, not '" +
                                                     text + "'");
  if (text.size() < 2) return invalid;
  static const std::map<char, int64_t> kUnitSeconds = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  const auto unit = kUnitSeconds.find(text.back());
  if (unit == kUnitSeconds.end()) return invalid;
  auto count = ParsePositive(option, text.substr(0, text.size() - 1));
  if (!count.ok()) return invalid;
  constexpr uint64_t kMaxSeconds = 100ull * 365 * 86400;  // beyond that, leave --expires out
  if (*count > kMaxSeconds / static_cast<uint64_t>(unit->second)) {
    return base::Status::InvalidArgument("--" + option + " " + text + " is longer than 100 years; leave it out for a token that never expires");
  }
  return static_cast<int64_t>(*count) * unit->second * 1'000'000;
}

std::string Actor(const ParsedArgs& args) { return "ctl:" + ActorOf(args); }

api::auth::TokenStore Store(CtlContext& ctx) {
  return api::auth::TokenStore(ctx.config.Get<api::ApiConfig>().token_dir, ctx.clock, ctx.random);
}

void Audit(CtlContext& ctx, api::auth::TokenAction action, const ParsedArgs& args, const api::auth::TokenRecord& token) {
  const auto audited = api::auth::AuditTokenAction(ctx.config.Get<api::ApiConfig>().token_dir, ctx.clock,
                                                   {.action = action, .actor = Actor(args), .via = "ctl", .token = &token});
  // The change itself is made; a missing audit line is worth a warning, not a failure.
  if (!audited.ok()) ctx.err << "omnihubctl: warning: " << audited.message() << "\n";
}

// A one-time console link for `token`, valid for api.login_code_ttl_s:
// {"login_url", "login_expires_at"}.
base::Result<nlohmann::json> LoginLink(CtlContext& ctx, api::auth::TokenStore& store, const api::auth::TokenRecord& token,
                                       const ParsedArgs& args) {
  const auto& api = ctx.config.Get<api::ApiConfig>();
  const int64_t ttl_us = static_cast<int64_t>(api.login_code_ttl_s) * 1'000'000;
  auto code = store.CreateLoginCode(token.token_id, ttl_us);
  if (!code.ok()) return code.status();
  Audit(ctx, api::auth::TokenAction::kLoginLink, args, token);
  std::string base = api.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return nlohmann::json{{"login_url", base + "/login?code=" + *code},
                        {"login_expires_at", base::FormatRfc3339Micros(ctx.clock.NowMicros() + ttl_us)}};
}

int RunCreate(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"scope", "name", "expires", "rate", kActorOption}, {"login"}, 0, 0, kCreateUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (!parsed->Has("scope") || !parsed->Has("name")) {
    return ReportError(ctx, base::Status::InvalidArgument(std::string("--scope and --name are required (usage: ") +
                                                          kCreateUsage + ")"));
  }
  auto scopes = api::auth::ParseScopeList(parsed->Get("scope"));
  if (!scopes.ok()) return ReportError(ctx, scopes.status().WithContext("--scope"));
  int64_t ttl_us = 0;
  if (parsed->Has("expires")) {
    auto ttl = ParseDuration("expires", parsed->Get("expires"));
    if (!ttl.ok()) return ReportError(ctx, ttl.status());
    ttl_us = *ttl;
  }
  uint32_t rate = 0;
  if (parsed->Has("rate")) {
    auto r = ParsePositive("rate", parsed->Get("rate"));
    if (!r.ok()) return ReportError(ctx, r.status());
    if (*r > kMaxRate) return ReportError(ctx, base::Status::InvalidArgument("--rate is at most 1000000 requests per second"));
    rate = static_cast<uint32_t>(*r);
  }
  auto store = Store(ctx);
  auto made = store.Create(parsed->Get("name"), *scopes, ttl_us, Actor(*parsed), rate);
  if (!made.ok()) return ReportError(ctx, made.status().WithContext("token create"));
  Audit(ctx, api::auth::TokenAction::kCreate, *parsed, made->record);
  nlohmann::json out = api::auth::NewTokenToJson(*made);
  if (parsed->flags.count("login") > 0) {
    auto link = LoginLink(ctx, store, made->record, *parsed);
    if (!link.ok()) return ReportError(ctx, link.status().WithContext("the token was created, but its login link"));
    out.update(*link);
  }
  ctx.out << out.dump() << "\n";
  return kExitOk;
}

int RunList(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 0, 0, "omnihubctl token list"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto records = Store(ctx).List();
  if (!records.ok()) return ReportError(ctx, records.status());
  for (const auto& record : *records) ctx.out << api::auth::TokenRecordToJson(record).dump() << "\n";
  ctx.out.flush();
  return kExitOk;
}

int RunRevoke(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{kActorOption}, {}, 1, 1, "omnihubctl token revoke ID|NAME"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto store = Store(ctx);
  auto revoked = store.Revoke(parsed->positional[0]);
  if (!revoked.ok()) return ReportError(ctx, revoked.status());
  Audit(ctx, api::auth::TokenAction::kRevoke, *parsed, *revoked);
  ctx.out << api::auth::TokenRecordToJson(*revoked).dump() << "\n";
  return kExitOk;
}

int RunLogin(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{kActorOption}, {}, 1, 1, "omnihubctl token login ID|NAME"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto store = Store(ctx);
  auto token = store.Find(parsed->positional[0]);
  if (!token.ok()) return ReportError(ctx, token.status());
  auto link = LoginLink(ctx, store, *token, *parsed);
  if (!link.ok()) return ReportError(ctx, link.status());
  nlohmann::json out = {{"token_id", token->token_id}, {"name", token->name}};
  out.update(*link);
  ctx.out << out.dump() << "\n";
  return kExitOk;
}

}  // namespace

int RunToken(CtlContext& ctx, const std::vector<std::string>& args) {
  static const std::map<std::string, Command> kSubcommands = {
      {"create", RunCreate}, {"list", RunList}, {"revoke", RunRevoke}, {"login", RunLogin}};
  const auto it = args.empty() ? kSubcommands.end() : kSubcommands.find(args[0]);
  if (it == kSubcommands.end()) {
    ctx.err << "omnihubctl: token needs a subcommand: create, list, revoke or login\n";
    return kExitUsage;
  }
  return it->second(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace omnihub::ctl
