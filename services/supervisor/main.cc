// omnihub-supervisor: runs the services of a manifest (deploy/services.manifest) in the
// foreground until SIGINT/SIGTERM. Reads the arguments and wires the real clock; the
// behaviour is in supervisor.h. See docs/supervisor.md.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "services/supervisor/manifest.h"
#include "services/supervisor/run_files.h"
#include "services/supervisor/supervisor.h"

namespace {

constexpr char kUsage[] =
    "usage: omnihub-supervisor --manifest PATH [--bin-dir DIR] [--run-dir DIR] [--log-dir DIR]\n"
    "                          [--pid-file PATH] [--skip-missing] [-- TASK [ARG...]]\n"
    "  --bin-dir DIR   where the manifest's binaries are (default: this binary's directory)\n"
    "  --run-dir DIR   <service>.pid and <service>.ready files (default: var/run)\n"
    "  --log-dir DIR   <service>.log files (default: var/log)\n"
    "  --pid-file PATH write the supervisor's own pid there while it runs\n"
    "  --skip-missing  leave out services whose binary is not built\n"
    "  TASK            a one-shot command run beside the services; if it fails, all stop\n";

int Usage(const std::string& error) {
  std::cerr << "omnihub-supervisor: " << error << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using omnihub::supervisor::SupervisorOptions;
  SupervisorOptions options;
  std::error_code ec;
  options.bin_dir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().string();
  options.run_dir = "var/run";
  options.log_dir = "var/log";
  std::string manifest;
  std::string pid_file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      options.task.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--skip-missing") {
      options.skip_missing = true;
      continue;
    }
    std::string* value = arg == "--manifest"   ? &manifest
                         : arg == "--bin-dir"  ? &options.bin_dir
                         : arg == "--run-dir"  ? &options.run_dir
                         : arg == "--log-dir"  ? &options.log_dir
                         : arg == "--pid-file" ? &pid_file
                                               : nullptr;
    if (value == nullptr) return Usage("unknown argument '" + arg + "'");
    if (i + 1 >= argc) return Usage(arg + " needs a value");
    *value = argv[++i];
  }
  if (manifest.empty()) return Usage("--manifest is required");
  auto services = omnihub::supervisor::LoadManifest(manifest);
  if (!services.ok()) return Usage(services.status().message());

  omnihub::base::SystemClock clock;
  omnihub::supervisor::Supervisor supervisor(std::move(*services), std::move(options), clock);
  if (auto s = supervisor.Init(); !s.ok()) {
    std::cerr << "omnihub-supervisor: error: " << s.message() << "\n";
    return 1;
  }
  if (!pid_file.empty()) {
    if (auto s = omnihub::supervisor::WritePidFile(pid_file, getpid()); !s.ok()) {
      std::cerr << "omnihub-supervisor: " << s.message() << "\n";
    }
  }
  const int code = supervisor.Run();
  if (!pid_file.empty()) std::remove(pid_file.c_str());
  return code;
}
