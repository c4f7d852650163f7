// omnihubctl customer SUBCOMMAND: one table from subcommand to its function, so that each
// lives in the file of its area (graph_commands.cc, export_command.cc, erase_command.cc).
#include <map>
#include <string>
#include <vector>

#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

int RunCustomer(CtlContext& ctx, const std::vector<std::string>& args) {
  static const std::map<std::string, Command> kSubcommands = {
      {"explain", RunCustomerExplain}, {"link", RunCustomerLink},     {"unlink", RunCustomerUnlink},
      {"merge", RunCustomerMerge},     {"split", RunCustomerSplit},   {"export", RunCustomerExport},
      {"erase", RunCustomerErase},
  };
  if (args.empty()) {
    ctx.err << "omnihubctl: customer needs a subcommand: explain, link, unlink, merge, split, export or erase\n";
    return kExitUsage;
  }
  const auto it = kSubcommands.find(args[0]);
  if (it == kSubcommands.end()) {
    ctx.err << "omnihubctl: unknown customer subcommand '" << args[0]
            << "' (explain, link, unlink, merge, split, export, erase)\n";
    return kExitUsage;
  }
  return it->second(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace omnihub::ctl
