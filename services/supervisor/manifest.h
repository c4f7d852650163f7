// The service manifest (deploy/services.manifest): which long-running processes make up
// omnihub, how to tell that one is ready and how long it may take to stop.
//
// One service per line, whitespace-separated columns, `#` starts a comment line:
//   name  binary  ready  stop_grace_s
// `binary` is a file name looked up in the binary directory, or an absolute path;
// `ready` is a probe (probe.h) or `-`; `stop_grace_s` is how many whole seconds a
// service has between SIGTERM and SIGKILL. Lines are in start order. The format is
// shared with bash, Python and CMake readers: docs/supervisor.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "services/supervisor/probe.h"

namespace omnihub::supervisor {

struct ServiceSpec {
  std::string name;
  std::string binary;
  Probe ready;
  int64_t stop_grace_us = 0;
};

// Parses manifest text. Fails with InvalidArgument naming the line for a wrong column
// count, a bad probe or grace, or a name given twice; an empty manifest is an error too.
base::Result<std::vector<ServiceSpec>> ParseManifest(std::string_view text);

// Reads and parses the manifest file at `path`.
base::Result<std::vector<ServiceSpec>> LoadManifest(const std::string& path);

}  // namespace omnihub::supervisor
