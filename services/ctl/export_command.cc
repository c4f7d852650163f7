// omnihubctl customer export CUSTOMER --out DIR: one customer's data as files
// (docs/export-format.md), as a pure client of the query protocol: customer.json (the
// customer, its identities with their reasons, every event of its timeline with statuses,
// edits and reactions, notes: common/client/customer_export.h) and attachments/<sha256 hex>
// (attachment and raw payload bytes) listed in manifest.json. Every file is read back and checked against its SHA-256 before the
// command reports success.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/bus/query_transport.h"
#include "common/client/customer_export.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/export_files.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

constexpr char kAttachmentsDir[] = "attachments";

std::string Dump(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

int RunCustomerExport(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"out"}, {}, 1, 1, "omnihubctl customer export CUSTOMER --out DIR"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  const std::string dir = parsed->Get("out");
  if (dir.empty()) {
    return ReportError(ctx, base::Status::InvalidArgument("--out DIR is required: a new or empty directory for the export"));
  }
  auto selector = ParseSelector(ctx, parsed->positional[0]);
  if (!selector.ok()) return ReportError(ctx, selector.status());
  if (base::Status s = PrepareExportDir(dir); !s.ok()) return ReportError(ctx, s);
  const int64_t exported_at_us = ctx.clock.NowMicros();

  auto exported = client::BuildCustomerExport(ctx.hub, *selector, exported_at_us);
  if (!exported.ok()) return ReportError(ctx, exported.status());
  const nlohmann::json& document = exported->document;
  auto& blobs = exported->blobs;

  const std::string attachments_dir = dir + "/" + kAttachmentsDir;
  if (!blobs.empty()) {
    if (base::Status s = PrepareExportDir(attachments_dir); !s.ok()) return ReportError(ctx, s);
  }
  nlohmann::json files = nlohmann::json::array();
  nlohmann::json missing = nlohmann::json::array();
  uint64_t bytes_written = 0;
  for (auto& [sha_hex, uses] : blobs) {
    v1::QueryRequest get;
    std::string sha;
    base::HexDecode(sha_hex, &sha);
    get.mutable_get_blob()->set_sha256(sha);
    auto blob = ctx.hub.Call(get, bus::kBulkQueryTimeout);
    if (!blob.ok() && blob.status().code() == base::StatusCode::kNotFound) {
      // Named by an event but not stored (or no longer): listed, not fatal.
      missing.push_back({{"sha256", sha_hex}, {"referenced_by", std::move(uses.referenced_by)}});
      continue;
    }
    if (!blob.ok()) return ReportError(ctx, blob.status());
    const std::string& data = blob->get_blob().data();
    if (base::Sha256Hex(data) != sha_hex) {
      return ReportError(ctx, base::Status::Corruption("the hub's blob " + sha_hex + " has another SHA-256 (" +
                                                       base::Sha256Hex(data) + ")"));
    }
    const std::string relative = std::string(kAttachmentsDir) + "/" + sha_hex;
    if (base::Status s = WriteWholeFile(dir + "/" + relative, data); !s.ok()) return ReportError(ctx, s);
    bytes_written += data.size();
    const std::string media_type = blob->get_blob().media_type().empty() ? uses.media_type : blob->get_blob().media_type();
    files.push_back({{"path", relative},
                     {"sha256", sha_hex},
                     {"size", data.size()},
                     {"media_type", media_type},
                     {"referenced_by", std::move(uses.referenced_by)}});
  }

  const nlohmann::json manifest = {{"format", "omnihub-export-manifest"},
                                   {"version", client::kExportFormatVersion},
                                   {"customer_id", exported->customer_id},
                                   {"files", files},
                                   {"missing", std::move(missing)}};
  if (base::Status s = WriteWholeFile(dir + "/customer.json", Dump(document) + "\n"); !s.ok()) return ReportError(ctx, s);
  if (base::Status s = WriteWholeFile(dir + "/manifest.json", Dump(manifest) + "\n"); !s.ok()) return ReportError(ctx, s);
  // The files as they are on disk now, not as they were in memory.
  for (const auto& file : files) {
    if (base::Status s = VerifyFileSha256(dir + "/" + file["path"].get<std::string>(), file["sha256"].get<std::string>());
        !s.ok()) {
      return ReportError(ctx, s);
    }
  }
  const nlohmann::json summary = {{"out", dir},
                                  {"customer_id", exported->customer_id},
                                  {"events", document["events"].size()},
                                  {"files", files.size()},
                                  {"bytes", bytes_written},
                                  {"missing", manifest["missing"].size()},
                                  {"identity_reasons_from", document["identity_reasons_from"]}};
  ctx.out << summary.dump() << "\n";
  return kExitOk;
}

}  // namespace omnihub::ctl
