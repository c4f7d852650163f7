// What every service's main() does first: parse `--config PATH`, `--check-config` and the
// service's own `--name VALUE` options, load the config and set up logging. A bad config
// is printed as one line per mistake (every one of them, in file order), each naming the
// key and its line.
//
// `--check-config` runs the very same load and checks, prints the mistakes, or
// "config FILE: OK" on stdout, and exits (0 clean, 2 not) before anything is started: no
// directory created, no socket bound, nothing logged. docs/configuration.md.
//
// Thread-safety: for main(), before any thread starts (it sets up the process's logging).
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/config/config.h"

namespace omnihub::service {

struct ServiceStart {
  config::Config config;
  std::map<std::string, std::string> options;  // the service's own options that were given
};

// `value_options` are the service's own options ("maildir" for --maildir DIR); `usage`
// is the synopsis after the binary name; `sections` are the service sections the config is
// parsed with, config::AllSections() (common/config/all_sections.h) in every binary, so that
// each process checks the whole shared file. `own_checks` are what only this process can
// check, after the file loaded cleanly: its secrets, read from its environment and its
// credential files (common/config/secret.h); their problems join the config's, a line each.
// Returns the loaded config, or the exit code to return: 0 after --help or a clean
// --check-config, 2 for bad arguments or a bad config.
using OwnChecks = std::function<base::Status(const config::Config& config)>;
std::variant<ServiceStart, int> StartService(int argc, char** argv, std::string_view name,
                                             const std::vector<std::string>& value_options, std::string_view usage,
                                             config::Sections sections, const OwnChecks& own_checks = nullptr);

// OwnChecks that resolve what the service needs from the loaded config (its accounts with
// their secrets) with `resolve(config) -> base::Result<T>` and keep it in `*out`, so that the
// check and the start are the same call.
template <typename T, typename Resolve>
OwnChecks ResolveInto(std::optional<T>* out, Resolve resolve) {
  return [out, resolve](const config::Config& config) -> base::Status {
    auto resolved = resolve(config);
    if (!resolved.ok()) return resolved.status();
    out->emplace(std::move(*resolved));
    return base::Status::Ok();
  };
}

// The load and checks of StartService without the start: what `--check-config` runs and
// `omnihubctl --check-config` too. Prints each mistake to `err`, or "config FILE: OK" to `out`;
// returns the exit code, 0 or 2.
int CheckConfig(const std::string& config_path, config::Sections sections, const OwnChecks& own_checks,
                std::ostream& out, std::ostream& err);

}  // namespace omnihub::service
