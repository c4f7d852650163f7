// omnihubctl customer export CUSTOMER --out DIR: one customer's data as files
// (docs/export-format.md), as a pure client of the query protocol: customer.json (the
// customer, its identities with their reasons, every event of its timeline with statuses,
// edits and reactions, notes) and attachments/<sha256 hex> (attachment and raw payload bytes)
// listed in manifest.json. Every file is read back and checked against its SHA-256 before the
// command reports success.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/bus/query_transport.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"
#include "common/client/customer_json.h"
#include "services/ctl/export_files.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

constexpr int kExportFormatVersion = 1;
constexpr uint32_t kTimelinePage = 500;
constexpr char kAttachmentsDir[] = "attachments";

std::string IdText(const std::string& bytes) {
  return bytes.size() == base::kUuidBytes ? base::UuidToString(bytes) : base::HexEncode(bytes);
}

std::string Dump(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

// A stored link reason (store.proto LinkReason, as `explain` gives it); only the fields set.
nlohmann::json ReasonToJson(const v1::LinkReason& r) {
  nlohmann::json j = {{"rule", base::LowerAscii(v1::LinkReason::Rule_Name(r.rule()))}};
  if (!r.event_id().empty()) j["event_id"] = IdText(r.event_id());
  if (!r.agent().empty()) j["agent"] = r.agent();
  if (r.linked_at_us() != 0) j["linked_at"] = base::FormatRfc3339Micros(r.linked_at_us());
  if (!r.detail().empty()) j["detail"] = r.detail();
  if (!r.merged_from().empty()) j["merged_from"] = r.merged_from();
  if (!r.merge_id().empty()) j["merge_id"] = r.merge_id();
  if (!r.command_id().empty()) j["command_id"] = IdText(r.command_id());
  return j;
}

// The reason get_customer gives (query.proto IdentityLinkReason), in the same shape.
nlohmann::json ReasonToJson(const v1::IdentityLinkReason& r) {
  nlohmann::json j = {{"rule", base::LowerAscii(v1::LinkReason::Rule_Name(r.rule()))}};
  if (!r.event_id().empty()) j["event_id"] = IdText(r.event_id());
  if (!r.agent().empty()) j["agent"] = r.agent();
  if (r.linked_at_us() != 0) j["linked_at"] = base::FormatRfc3339Micros(r.linked_at_us());
  if (!r.detail().empty()) j["detail"] = r.detail();
  if (!r.merged_from().empty()) j["merged_from"] = r.merged_from();
  return j;
}

nlohmann::json IdentityEntry(const v1::Identity& identity) {
  nlohmann::json j = event::IdentityToJson(identity);
  j["argument"] = event::IdentityToArgument(identity);
  return j;
}

// The customer's identities, each with why it belongs: from `explain` (the current reason and
// every earlier one) when the hub answers it, else from get_customer's link reasons (current
// reason only). `source` says which.
nlohmann::json IdentitiesWithReasons(CtlContext& ctx, const v1::Customer& customer, std::string* source) {
  v1::QueryRequest req;
  req.mutable_explain()->mutable_customer()->set_customer_id(customer.customer_id());
  auto resp = ctx.hub.Call(req, bus::kQueryTimeout);
  nlohmann::json identities = nlohmann::json::array();
  if (resp.ok() && resp->has_explain() && resp->explain().identities_size() > 0) {
    *source = "explain";
    for (const auto& e : resp->explain().identities()) {
      nlohmann::json j = IdentityEntry(e.identity());
      j["reason"] = ReasonToJson(e.reason());
      nlohmann::json history = nlohmann::json::array();
      for (const auto& h : e.history()) history.push_back(ReasonToJson(h));
      j["history"] = std::move(history);
      j["event_count"] = e.event_count();
      identities.push_back(std::move(j));
    }
    return identities;
  }
  // A hub without the identity graph (or one that cannot explain this customer) still gives
  // the current reason of each identity with the customer.
  *source = "get_customer";
  for (int i = 0; i < customer.identities_size(); ++i) {
    nlohmann::json j = IdentityEntry(customer.identities(i));
    if (i < customer.link_reasons_size()) j["reason"] = ReasonToJson(customer.link_reasons(i));
    j["history"] = nlohmann::json::array();
    identities.push_back(std::move(j));
  }
  return identities;
}

// Which events use a blob, and how.
struct BlobUses {
  std::string media_type;
  nlohmann::json referenced_by = nlohmann::json::array();
};

void AddUse(std::map<std::string, BlobUses>& blobs, const std::string& sha_hex, const std::string& media_type,
            nlohmann::json use) {
  BlobUses& uses = blobs[sha_hex];
  if (uses.media_type.empty()) uses.media_type = media_type;
  uses.referenced_by.push_back(std::move(use));
}

// The blobs an event names: its attachments with bytes (a SHA-256) and its raw payload when
// stored as a blob ("blob:<64 hex>").
void CollectBlobs(const v1::Event& event, std::map<std::string, BlobUses>& blobs) {
  const std::string event_id = IdText(event.event_id());
  for (const auto& a : event.attachments()) {
    if (a.sha256().size() != 32) continue;  // the bytes never reached the hub
    AddUse(blobs, base::HexEncode(a.sha256()), a.media_type(),
           {{"event_id", event_id}, {"role", "attachment"}, {"name", a.name()}});
  }
  const std::string& key = event.raw().key();
  std::string sha;
  if (key.starts_with("blob:") && key.size() == 5 + 64 && base::HexDecode(key.substr(5), &sha)) {
    AddUse(blobs, base::LowerAscii(key.substr(5)), event.raw().media_type(),
           {{"event_id", event_id}, {"role", "raw_payload"}});
  }
}

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

  v1::QueryRequest lookup;
  *lookup.mutable_get_customer()->mutable_customer() = *selector;
  auto found = ctx.hub.Call(lookup, bus::kQueryTimeout);
  if (!found.ok()) return ReportError(ctx, found.status());
  const v1::Customer customer = found->get_customer().customer();

  std::string reasons_from;
  nlohmann::json identities = IdentitiesWithReasons(ctx, customer, &reasons_from);

  // Every event, newest first, exactly as `omnihubctl timeline --all` prints them.
  nlohmann::json events = nlohmann::json::array();
  std::map<std::string, BlobUses> blobs;  // by SHA-256 hex
  v1::TimelineRequest page_req;
  page_req.mutable_customer()->set_customer_id(customer.customer_id());
  page_req.set_limit(kTimelinePage);
  do {
    v1::QueryRequest query;
    *query.mutable_timeline() = page_req;
    auto resp = ctx.hub.Call(query, bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    const v1::TimelineResponse& page = resp->timeline();
    for (nlohmann::json& j : client::TimelinePageToJson(page)) events.push_back(std::move(j));
    for (const auto& e : page.events()) CollectBlobs(e, blobs);
    for (const auto& message : page.statuses()) {
      for (const auto& status : message.statuses()) CollectBlobs(status, blobs);
    }
    page_req.set_cursor(page.next_cursor());
  } while (!page_req.cursor().empty());

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

  const nlohmann::json document = {{"format", "omnihub-export"},
                                   {"version", kExportFormatVersion},
                                   {"exported_at", base::FormatRfc3339Micros(exported_at_us)},
                                   {"customer", client::CustomerToJson(customer)},
                                   {"identities", std::move(identities)},
                                   {"identity_reasons_from", reasons_from},
                                   {"events", std::move(events)},
                                   {"notes", nlohmann::json::array()},
                                   {"manifest", "manifest.json"}};
  const nlohmann::json manifest = {{"format", "omnihub-export-manifest"},
                                   {"version", kExportFormatVersion},
                                   {"customer_id", customer.customer_id()},
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
                                  {"customer_id", customer.customer_id()},
                                  {"events", document["events"].size()},
                                  {"files", files.size()},
                                  {"bytes", bytes_written},
                                  {"missing", manifest["missing"].size()},
                                  {"identity_reasons_from", reasons_from}};
  ctx.out << summary.dump() << "\n";
  return kExitOk;
}

}  // namespace omnihub::ctl
