// omnihubctl digest: the running unifier's digest of its whole applied state
// (docs/storage-format.md, "Deterministic apply"), as one JSON object. Two hubs that applied
// the same input print the same "digest"; "column_families" says where two that differ part.
#include <nlohmann/json.hpp>

#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

int RunDigest(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 0, 0, "omnihubctl digest"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  v1::QueryRequest req;
  req.mutable_state_digest();
  // A full scan of the store: the bulk timeout, as for export.
  auto resp = ctx.hub.Call(req, bus::kBulkQueryTimeout);
  if (!resp.ok()) return ReportError(ctx, resp.status());
  const v1::StateDigestResponse& d = resp->state_digest();
  nlohmann::json families = nlohmann::json::object();
  for (const auto& [name, hex] : d.column_families()) families[name] = hex;  // nlohmann sorts the keys
  const nlohmann::json j = {{"applied_position", d.applied_position()},
                            {"apply_version", d.apply_version()},
                            {"digest", d.digest()},
                            {"column_families", std::move(families)}};
  ctx.out << j.dump() << "\n";
  return kExitOk;
}

}  // namespace omnihub::ctl
