// omnihubctl customer erase CUSTOMER --reason TEXT [--actor NAME] (docs/erasure.md): runs the
// erasure procedure (common/client/erasure_procedure.h) with omnihubctl's command outbox, the
// services of the config (the adapters and omnihub-api: each asked to POST /purge, each
// outbox scanned) and omnihubctl's own outboxes, and prints the receipt as one JSON document.
// Notes go to stderr. Exit 0 when the scan was clean, 1 when it found something.
#include <filesystem>

#include "common/bus/outbox.h"
#include "common/client/erasure_json.h"
#include "common/client/erasure_procedure.h"
#include "services/api/purge/purge_targets.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/command_sender.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/inject_config.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {
namespace {

class CtlErasureHost final : public client::ErasureHost {
 public:
  CtlErasureHost(CtlContext& ctx, const ParsedArgs& args) : ctx_(ctx), args_(args) {}

  base::Result<v1::CommandResult> SendCommand(v1::Command command) override {
    return ctl::SendCommand(ctx_, args_, std::move(command));
  }
  bus::QueryTransport& Hub() override { return ctx_.hub; }

  std::vector<client::PurgeTarget> PurgeTargets() override { return api::ServicePurgeTargets(ctx_.config); }

  // Flushes and compacts each of omnihubctl's outboxes that exists; a locked one is noted.
  std::vector<std::string> CompactOwnOutboxes() override {
    const std::string base = ctx_.config.Get<InjectConfig>().outbox_dir;
    std::vector<std::string> dirs;
    for (const auto& [dir, prefix] : {std::pair{base, "inject"}, std::pair{base + "-replay", "replay"},
                                      std::pair{base + "-commands", "ctl"}}) {
      std::error_code ec;
      if (!std::filesystem::is_directory(dir, ec)) continue;
      dirs.push_back(dir);
      auto outbox = bus::Outbox::Open(dir, prefix, ctx_.random);
      if (!outbox.ok()) {
        Note("outbox " + dir + " not compacted (in use by another omnihubctl?): " + outbox.status().message());
        continue;
      }
      if (auto s = (*outbox)->Compact(); !s.ok()) Note(s.ToString());
    }
    return dirs;
  }

  void Note(const std::string& message) override { ctx_.err << "omnihubctl: note: " << message << "\n"; }
  int64_t NowMicros() override { return ctx_.clock.NowMicros(); }

 private:
  CtlContext& ctx_;
  const ParsedArgs& args_;
};

}  // namespace

int RunCustomerErase(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {.options = {"reason", kActorOption, kTimeoutOption, kTenantOption},
                                 .flags = {},
                                 .min_positional = 1,
                                 .max_positional = 1,
                                 .usage = "customer erase CUSTOMER --reason TEXT [--actor NAME] [--tenant T]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  if (parsed->Get("reason").empty()) {
    return ReportError(ctx, base::Status::InvalidArgument("--reason TEXT is required: say why the customer is erased"));
  }
  const std::string& arg = parsed->positional[0];
  auto selector = ParseSelector(ctx, arg);
  if (!selector.ok()) return ReportError(ctx, selector.status());

  CtlErasureHost host(ctx, *parsed);
  auto outcome = client::EraseCustomer(host, {arg, std::move(*selector), parsed->Get("reason")});
  if (!outcome.ok()) return ReportError(ctx, outcome.status());
  ctx.out << client::ReceiptJson(outcome->receipt).dump() << "\n";
  return outcome->clean ? kExitOk : kExitFailed;
}

}  // namespace omnihub::ctl
