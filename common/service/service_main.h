// What every service's main() does first: parse `--config PATH` and the service's own
// `--name VALUE` options, load the config and set up logging. Failures are printed as
// one line naming the service and what to fix.
#pragma once

#include <map>
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
// each process checks the whole shared file. Returns the loaded config, or the exit code
// to return: 0 after --help, 2 for bad arguments or a bad config.
std::variant<ServiceStart, int> StartService(int argc, char** argv, std::string_view name,
                                             const std::vector<std::string>& value_options, std::string_view usage,
                                             config::Sections sections);

}  // namespace omnihub::service
