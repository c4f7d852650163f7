#include "common/service/service_main.h"

#include <algorithm>
#include <iostream>

#include "common/service/logging.h"

namespace omnihub::service {

std::variant<ServiceStart, int> StartService(int argc, char** argv, std::string_view name,
                                             const std::vector<std::string>& value_options, std::string_view usage,
                                             config::Sections sections) {
  std::string config_path;
  ServiceStart start;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::string option = arg.rfind("--", 0) == 0 ? arg.substr(2) : "";
    const bool known = option == "config" ||
                       std::find(value_options.begin(), value_options.end(), option) != value_options.end();
    if (known && i + 1 < argc) {
      (option == "config" ? config_path : start.options[option]) = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: " << name << " " << usage
                << "\nWithout --config, $OMNIHUB_CONFIG or the embedded default is used.\n";
      return 0;
    } else {
      std::cerr << name << ": unknown argument '" << arg << "' (usage: " << name << " " << usage << ")\n";
      return 2;
    }
  }
  auto config = config::LoadConfig(config_path, sections);
  if (!config.ok()) {
    std::cerr << name << ": " << config.status().message() << "\n";
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
