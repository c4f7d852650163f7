#include "common/service/service_main.h"

#include <algorithm>
#include <iostream>

#include "common/config/config_errors.h"
#include "common/service/logging.h"

namespace omnihub::service {
namespace {

// The config at `config_path` with `own_checks` applied: one code path for a start and for
// --check-config. A failure's message has every problem, a line each; `origin` names the file.
base::Result<config::Config> LoadAndCheck(const std::string& config_path, config::Sections sections,
                                          const OwnChecks& own_checks, std::string* origin) {
  *origin = config::ConfigOrigin(config_path);
  auto config = config::LoadConfig(config_path, sections);
  if (!config.ok() || !own_checks) return config;
  config::ConfigErrors errors(*origin);
  errors.Add(own_checks(*config));
  if (!errors.empty()) return errors.ToStatus();
  return config;
}

void PrintLines(std::ostream& out, std::string_view prefix, std::string_view text) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    out << prefix << text.substr(0, end) << "\n";
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

int CheckConfig(const std::string& config_path, config::Sections sections, const OwnChecks& own_checks,
                std::ostream& out, std::ostream& err) {
  std::string origin;
  auto config = LoadAndCheck(config_path, sections, own_checks, &origin);
  if (!config.ok()) {
    PrintLines(err, "", config.status().message());
    return 2;
  }
  out << "config " << origin << ": OK\n";
  return 0;
}

std::variant<ServiceStart, int> StartService(int argc, char** argv, std::string_view name,
                                             const std::vector<std::string>& value_options, std::string_view usage,
                                             config::Sections sections, const OwnChecks& own_checks) {
  std::string config_path;
  bool check_only = false;
  ServiceStart start;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::string option = arg.rfind("--", 0) == 0 ? arg.substr(2) : "";
    const bool known = option == "config" ||
                       std::find(value_options.begin(), value_options.end(), option) != value_options.end();
    if (known && i + 1 < argc) {
      (option == "config" ? config_path : start.options[option]) = argv[++i];
    } else if (arg == "--check-config") {
      check_only = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: " << name << " " << usage << " [--check-config]"
                << "\nWithout --config, $OMNIHUB_CONFIG or the embedded default is used."
                << "\n--check-config checks the config (every section, every mistake) and exits: 0 clean, 2 not.\n";
      return 0;
    } else {
      std::cerr << name << ": unknown argument '" << arg << "' (usage: " << name << " " << usage
                << " [--check-config])\n";
      return 2;
    }
  }
  if (check_only) return CheckConfig(config_path, sections, own_checks, std::cout, std::cerr);
  std::string origin;
  auto config = LoadAndCheck(config_path, sections, own_checks, &origin);
  if (!config.ok()) {
    PrintLines(std::cerr, std::string(name) + ": ", config.status().message());
    return 2;
  }
  if (auto s = SetupLogging(config->log, name); !s.ok()) {
    std::cerr << name << ": " << s.message() << "\n";
    return 2;
  }
  start.config = std::move(*config);
  return start;
}

}  // namespace omnihub::service
