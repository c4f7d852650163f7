// The small files the supervisor keeps for scripts and tests: pid files and ready
// markers (one decimal pid and a newline), each replaced atomically.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/base/status.h"

namespace omnihub::supervisor {

// Writes "PID\n" to PATH through a temporary file and rename, so a reader never sees
// a half-written pid.
base::Status WritePidFile(const std::string& path, pid_t pid);

// The pid in PATH, or nullopt when the file is missing or holds no pid.
std::optional<pid_t> ReadPidFile(const std::string& path);

// True when process `pid` is alive and its command line mentions `binary` (the pid
// was not reused by something else). Read once at start, never polled.
bool ProcessRunsBinary(pid_t pid, const std::string& binary);

}  // namespace omnihub::supervisor
