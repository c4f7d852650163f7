// omnihubctl backup: create (asks the running unifier to back its store up), list, verify and
// restore (these three open the backup directory themselves, read-only, and need no hub).
// docs/cli.md "backup", docs/operations.md "Backups".
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/base/time_format.h"
#include "common/bus/query_transport.h"
#include "common/storage/backup_directory.h"
#include "common/storage/backup_metadata.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "omnihubctl backup create DIR [--keep N] [--timeout SECONDS] | backup list DIR | backup verify DIR [--backup ID] "
    "| backup restore DIR --to DATA_DIR [--backup ID]";

// A backup can take long on a large store: the unifier answers when the copy is done.
constexpr uint64_t kDefaultCreateTimeoutSeconds = 3600;

// The store goes where the default config's relative `unifier.db_dir` points under data_dir.
constexpr char kRestoredStoreDir[] = "unifier";

void PrintJson(CtlContext& ctx, const nlohmann::ordered_json& j) { ctx.out << j.dump() << "\n"; }

// The unifier resolves paths against its own working directory, not the caller's.
std::string Absolute(const std::string& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  return ec ? dir : absolute.lexically_normal().string();
}

base::Result<std::optional<uint32_t>> BackupIdOption(const ParsedArgs& parsed) {
  if (!parsed.Has("backup")) return std::optional<uint32_t>();
  auto id = ParsePositive("backup", parsed.Get("backup"));
  if (!id.ok()) return id.status();
  if (*id > UINT32_MAX) return base::Status::InvalidArgument("--backup: no backup has id " + parsed.Get("backup"));
  return std::optional<uint32_t>(static_cast<uint32_t>(*id));
}

nlohmann::ordered_json SummaryJson(const storage::BackupSummary& backup) {
  nlohmann::ordered_json j;
  j["backup_id"] = backup.backup_id;
  auto metadata = storage::ParseBackupMetadata(backup.app_metadata);
  j["created_at"] = base::FormatRfc3339Micros(metadata.ok() && metadata->created_at_us != 0
                                                  ? metadata->created_at_us
                                                  : backup.created_at_s * 1'000'000);
  j["size_bytes"] = backup.size_bytes;
  j["files"] = backup.files;
  if (metadata.ok()) {
    j["events"] = metadata->events;
    j["last_change_seq"] = metadata->last_change_seq;
    j["hub_version"] = metadata->hub_version;
    j["layout_version"] = metadata->layout_version;
  } else {
    j["metadata_error"] = metadata.status().message();  // a backup another program made
  }
  return j;
}

int Create(CtlContext& ctx, const std::vector<std::string>& args) {
  const ArgSpec spec{{"keep", "timeout"}, {}, 1, 1, kUsage};
  auto parsed = ParseArgs(args, spec);
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  v1::QueryRequest query;
  query.mutable_backup()->set_backup_dir(Absolute(parsed->positional[0]));
  if (parsed->Has("keep")) {
    auto keep = ParsePositive("keep", parsed->Get("keep"));
    if (!keep.ok()) return ReportError(ctx, keep.status());
    query.mutable_backup()->set_keep(static_cast<uint32_t>(std::min<uint64_t>(*keep, UINT32_MAX)));
  }
  uint64_t timeout_s = kDefaultCreateTimeoutSeconds;
  if (parsed->Has("timeout")) {
    auto timeout = ParsePositive("timeout", parsed->Get("timeout"));
    if (!timeout.ok()) return ReportError(ctx, timeout.status());
    timeout_s = std::min<uint64_t>(*timeout, 7 * 24 * 3600);
  }
  auto resp = ctx.hub.Call(query, std::chrono::seconds(timeout_s));
  if (!resp.ok()) return ReportError(ctx, resp.status());
  const v1::BackupResponse& b = resp->backup();
  nlohmann::ordered_json j;
  j["backup_id"] = b.backup_id();
  j["backup_dir"] = query.backup().backup_dir();
  j["created_at"] = base::FormatRfc3339Micros(b.created_at_us());
  j["size_bytes"] = b.size_bytes();
  j["files"] = b.files();
  j["events"] = b.events();
  j["last_change_seq"] = b.last_change_seq();
  j["publishers"] = nlohmann::ordered_json::object();
  for (const auto& mark : b.publishers()) j["publishers"][mark.publisher_id()] = mark.high_water();
  j["purged"] = b.purged();
  PrintJson(ctx, j);
  return kExitOk;
}

int List(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 1, 1, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto backups = storage::ListBackups(parsed->positional[0]);
  if (!backups.ok()) return ReportError(ctx, backups.status());
  for (const auto& backup : *backups) PrintJson(ctx, SummaryJson(backup));
  return kExitOk;
}

int Verify(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"backup"}, {}, 1, 1, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto only = BackupIdOption(*parsed);
  if (!only.ok()) return ReportError(ctx, only.status());
  auto checks = storage::VerifyBackups(parsed->positional[0], *only);
  if (!checks.ok()) return ReportError(ctx, checks.status());
  int failed = 0;
  for (const auto& check : *checks) {
    nlohmann::ordered_json j;
    j["backup_id"] = check.backup_id;
    j["ok"] = check.status.ok();
    if (!check.status.ok()) {
      j["error"] = check.status.message();
      ctx.err << "omnihubctl: " << check.status.message() << "\n";
      ++failed;
    }
    PrintJson(ctx, j);
  }
  return failed == 0 ? kExitOk : kExitFailed;
}

int Restore(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"to", "backup"}, {}, 1, 1, kUsage});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (!parsed->Has("to") || parsed->Get("to").empty()) {
    return ReportError(ctx, base::Status::InvalidArgument("backup restore needs --to DATA_DIR (usage: " +
                                                          std::string(kUsage) + ")"));
  }
  auto id = BackupIdOption(*parsed);
  if (!id.ok()) return ReportError(ctx, id.status());
  const std::string data_dir = Absolute(parsed->Get("to"));
  const std::string store_dir = (fs::path(data_dir) / kRestoredStoreDir).string();
  auto restored = storage::RestoreBackup(parsed->positional[0], *id, store_dir);
  if (!restored.ok()) return ReportError(ctx, restored.status());
  nlohmann::ordered_json j = SummaryJson(*restored);
  j["restored_to"] = store_dir;
  PrintJson(ctx, j);
  ctx.err << "restored; start the unifier with data_dir = \"" << data_dir << "\" and [unifier] db_dir = \""
          << kRestoredStoreDir << "\" (the search index under search_dir is rebuilt from the store)\n";
  return kExitOk;
}

}  // namespace

int RunBackup(CtlContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return ReportError(ctx, base::Status::InvalidArgument(std::string("usage: ") + kUsage));
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "create") return Create(ctx, rest);
  if (args[0] == "list") return List(ctx, rest);
  if (args[0] == "verify") return Verify(ctx, rest);
  if (args[0] == "restore") return Restore(ctx, rest);
  return ReportError(ctx, base::Status::InvalidArgument("unknown backup command '" + args[0] + "' (usage: " +
                                                        std::string(kUsage) + ")"));
}

}  // namespace omnihub::ctl
