// omnihubctl customer erase CUSTOMER --reason TEXT [--actor NAME] (docs/erasure.md): gathers
// what to look for (the customer's identities, message texts and subjects, attachment bytes)
// while it still can, sends the EraseCustomerCommand by customer id (so the command outbox
// holds no identity), asks the unifier to purge, each adapter to purge (POST /purge), compacts
// omnihubctl's own outboxes, scans every data directory for the gathered bytes, records the
// verification with the kept receipt and prints the receipt as one JSON document.
//
// A rerun for a customer already erased (the purge or the scan failed) finds its receipt and
// does everything after the command again, looking for the identity given as CUSTOMER (the
// rest can no longer be read).
#include <filesystem>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/base/time_format.h"
#include "common/bus/outbox.h"
#include "common/bus/query_transport.h"
#include "common/event/identity.h"
#include "common/client/erasure_json.h"
#include "services/ctl/admin_post.h"
#include "services/ctl/byte_scan.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/command_sender.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/inject_config.h"
#include "services/ctl/selector.h"
#include "services/email/email_config.h"
#include "services/sms/sms_config.h"
#include "services/social/social_config.h"

namespace omnihub::ctl {
namespace {

constexpr size_t kMinNeedleBytes = 5;  // shorter strings match by chance in binary files
constexpr std::chrono::seconds kAdminPurgeTimeout{300};

struct Adapter {
  std::string name;
  std::string admin_listen;
  std::string outbox_dir;
};

std::vector<Adapter> Adapters(const config::Config& config) {
  return {{"email", config.Get<email::EmailConfig>().admin_listen, config.Get<email::EmailConfig>().outbox_dir},
          {"sms", config.Get<sms::SmsConfig>().admin_listen, config.Get<sms::SmsConfig>().outbox_dir},
          {"social", config.Get<social::SocialConfig>().admin_listen, config.Get<social::SocialConfig>().outbox_dir}};
}

void AddNeedle(std::vector<Needle>& needles, const std::string& bytes, const std::string& label) {
  if (bytes.size() < kMinNeedleBytes) return;
  for (const auto& n : needles) {
    if (n.bytes == bytes) return;
  }
  needles.push_back({bytes, label});
}

void AddIdentityNeedles(std::vector<Needle>& needles, const v1::Identity& id, size_t n) {
  const std::string label = "identity " + std::to_string(n);
  AddNeedle(needles, id.value(), label);
  AddNeedle(needles, id.handle(), label + " handle");
}

// Everything of the customer's to look for afterwards: identities, texts, attachment bytes.
base::Status GatherNeedles(CtlContext& ctx, const v1::Customer& customer, std::vector<Needle>& needles,
                           std::vector<std::string>& attachment_shas) {
  for (int i = 0; i < customer.identities_size(); ++i) AddIdentityNeedles(needles, customer.identities(i), i + 1);
  v1::QueryRequest req;
  req.mutable_timeline()->mutable_customer()->set_customer_id(customer.customer_id());
  req.mutable_timeline()->set_limit(1000);
  size_t event_no = 0;
  while (true) {
    auto resp = ctx.hub.Call(req, bus::kBulkQueryTimeout);
    if (!resp.ok()) return resp.status();
    if (resp->has_error()) return base::Status(base::StatusCodeFromName(resp->error().code()), resp->error().message());
    for (const auto& e : resp->timeline().events()) {
      ++event_no;
      AddNeedle(needles, e.text(), "text of event " + std::to_string(event_no));
      AddNeedle(needles, e.subject(), "subject of event " + std::to_string(event_no));
      for (const auto& a : e.attachments()) {
        if (a.sha256().size() == 32) attachment_shas.push_back(a.sha256());
      }
    }
    if (resp->timeline().next_cursor().empty()) break;
    req.mutable_timeline()->set_cursor(resp->timeline().next_cursor());
  }
  for (size_t i = 0; i < attachment_shas.size(); ++i) {
    v1::QueryRequest blob;
    blob.mutable_get_blob()->set_sha256(attachment_shas[i]);
    auto resp = ctx.hub.Call(blob, bus::kBulkQueryTimeout);
    if (!resp.ok()) return resp.status();
    if (resp->has_error()) continue;  // never stored (too large, or a provider URL only)
    AddNeedle(needles, resp->get_blob().data(),
              "attachment " + std::to_string(i + 1) + " (" + std::to_string(resp->get_blob().data().size()) + " bytes)");
  }
  return base::Status::Ok();
}

// Attachments still stored after the erasure are shared with another customer and stay.
void DropSharedAttachments(CtlContext& ctx, const std::vector<std::string>& shas, std::vector<Needle>& needles) {
  for (const auto& sha : shas) {
    v1::QueryRequest blob;
    blob.mutable_get_blob()->set_sha256(sha);
    auto resp = ctx.hub.Call(blob, bus::kQueryTimeout);
    if (!resp.ok() || resp->has_error()) continue;
    std::erase_if(needles, [&](const Needle& n) { return n.bytes == resp->get_blob().data(); });
    ctx.err << "omnihubctl: note: an attachment is shared with another customer and stays\n";
  }
}

base::Result<std::optional<v1::ErasureReceipt>> EarlierErasure(CtlContext& ctx, const std::string& arg) {
  v1::QueryRequest req;
  req.mutable_erasures();
  auto resp = ctx.hub.Call(req, bus::kQueryTimeout);
  if (!resp.ok()) return resp.status();
  if (resp->has_error()) return base::Status(base::StatusCodeFromName(resp->error().code()), resp->error().message());
  for (const auto& r : resp->erasures().receipts()) {
    if (r.customer_id() == arg || r.erasure_id() == arg) return std::optional<v1::ErasureReceipt>(r);
    for (const auto& merged : r.merged_customer_ids()) {
      if (merged == arg) return std::optional<v1::ErasureReceipt>(r);
    }
  }
  return std::optional<v1::ErasureReceipt>();
}

// Flushes and compacts each of omnihubctl's outboxes that exists; a locked one is noted.
std::vector<std::string> CompactCtlOutboxes(CtlContext& ctx) {
  const std::string base = ctx.config.Get<InjectConfig>().outbox_dir;
  std::vector<std::string> dirs;
  for (const auto& [dir, prefix] : {std::pair{base, "inject"}, std::pair{base + "-replay", "replay"},
                                    std::pair{base + "-commands", "ctl"}}) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    dirs.push_back(dir);
    auto outbox = bus::Outbox::Open(dir, prefix, ctx.random);
    if (!outbox.ok()) {
      ctx.err << "omnihubctl: note: outbox " << dir << " not compacted (in use by another omnihubctl?): "
              << outbox.status().message() << "\n";
      continue;
    }
    if (auto s = (*outbox)->Compact(); !s.ok()) ctx.err << "omnihubctl: note: " << s.ToString() << "\n";
  }
  return dirs;
}

}  // namespace

int RunCustomerErase(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {.options = {"reason", kActorOption, kTimeoutOption},
                                 .flags = {},
                                 .min_positional = 1,
                                 .max_positional = 1,
                                 .usage = "customer erase CUSTOMER --reason TEXT [--actor NAME]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (parsed->Get("reason").empty()) {
    return ReportError(ctx, base::Status::InvalidArgument("--reason TEXT is required: say why the customer is erased"));
  }
  const std::string& arg = parsed->positional[0];
  auto selector = ParseSelector(ctx, arg);
  if (!selector.ok()) return ReportError(ctx, selector.status());

  // 1. The customer, and what to look for afterwards (before it is gone).
  std::vector<Needle> needles;
  std::vector<std::string> attachment_shas;
  std::vector<std::string> identity_args;
  v1::ErasureReceipt receipt;
  uint64_t after_change_seq = 0;
  v1::QueryRequest get;
  *get.mutable_get_customer()->mutable_customer() = *selector;
  auto found = ctx.hub.Call(get, bus::kQueryTimeout);
  if (!found.ok()) return ReportError(ctx, found.status());
  if (found->has_error() && found->error().code() == "not_found") {
    // Erased before? Then purge and verify again.
    auto earlier = EarlierErasure(ctx, arg);
    if (!earlier.ok()) return ReportError(ctx, earlier.status());
    if (!earlier->has_value()) {
      return ReportError(ctx, base::Status::NotFound(found->error().message()));
    }
    receipt = **earlier;
    if (selector->has_identity()) {
      AddIdentityNeedles(needles, selector->identity(), 1);
      identity_args.push_back(event::IdentityToArgument(selector->identity()));
    }
    ctx.err << "omnihubctl: note: customer " << receipt.customer_id() << " was erased before (erasure "
            << receipt.erasure_id() << "); purging and verifying again\n";
  } else if (found->has_error()) {
    return ReportError(ctx, base::Status(base::StatusCodeFromName(found->error().code()), found->error().message()));
  } else {
    const v1::Customer& customer = found->get_customer().customer();
    for (const auto& id : customer.identities()) identity_args.push_back(event::IdentityToArgument(id));
    if (auto s = GatherNeedles(ctx, customer, needles, attachment_shas); !s.ok()) return ReportError(ctx, s);

    // 2. The logical erasure, by customer id only.
    v1::Command command;
    command.set_reason(parsed->Get("reason"));
    command.mutable_erase()->mutable_customer()->set_customer_id(customer.customer_id());
    auto result = SendCommand(ctx, *parsed, std::move(command));
    if (!result.ok()) return ReportError(ctx, result.status());
    if (auto s = RejectionOf(*result); !s.ok()) return ReportError(ctx, s);
    receipt = result->receipt();
    after_change_seq = result->change_seq();
    DropSharedAttachments(ctx, attachment_shas, needles);
  }

  // 3. Physical removal: the unifier's store and search index, then each adapter.
  std::vector<std::string> directories;
  v1::QueryRequest purge;
  purge.mutable_purge()->set_after_change_seq(after_change_seq);
  auto purged = ctx.hub.Call(purge, std::chrono::milliseconds(600'000));
  if (!purged.ok()) return ReportError(ctx, purged.status().WithContext("purge (rerun the erase to retry)"));
  if (purged->has_error()) {
    return ReportError(ctx, base::Status(base::StatusCodeFromName(purged->error().code()),
                                         "purge (rerun the erase to retry): " + purged->error().message()));
  }
  for (const auto& d : purged->purge().directories()) directories.push_back(d);
  const nlohmann::json body = {{"identities", identity_args}};
  for (const auto& adapter : Adapters(ctx.config)) {
    if (!adapter.outbox_dir.empty()) directories.push_back(adapter.outbox_dir);
    if (adapter.admin_listen.empty()) continue;
    auto answer = AdminPost(adapter.admin_listen, "/purge", body.dump(), kAdminPurgeTimeout);
    if (!answer.ok()) {
      ctx.err << "omnihubctl: note: " << adapter.name << " not purged: " << answer.status().message() << "\n";
    } else if (answer->status != 200) {
      ctx.err << "omnihubctl: note: " << adapter.name << " purge answered " << answer->status << ": " << answer->body
              << "\n";
    }
  }
  for (auto& dir : CompactCtlOutboxes(ctx)) directories.push_back(std::move(dir));

  // 4. The scan, kept with the receipt.
  const ScanResult scan = ScanForNeedles(directories, needles);
  v1::Command verified;
  verified.set_reason(parsed->Get("reason"));
  auto& op = *verified.mutable_erasure_verified();
  op.set_erasure_id(receipt.erasure_id());
  auto& v = *op.mutable_verification();
  v.set_clean(scan.findings.empty());
  v.set_files_scanned(scan.files);
  v.set_bytes_scanned(scan.bytes);
  v.set_needles(needles.size());
  for (const auto& f : scan.findings) v.add_findings(f);
  for (const auto& d : directories) v.add_directories(d);
  v.set_verified_at_us(ctx.clock.NowMicros());
  auto recorded = SendCommand(ctx, *parsed, std::move(verified));
  if (!recorded.ok()) return ReportError(ctx, recorded.status());
  if (auto s = RejectionOf(*recorded); !s.ok()) return ReportError(ctx, s);

  ctx.out << client::ReceiptJson(recorded->receipt()).dump() << "\n";
  return scan.findings.empty() ? kExitOk : kExitFailed;
}

}  // namespace omnihub::ctl
