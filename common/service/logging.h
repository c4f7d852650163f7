// Process-wide logging setup on spdlog: level, text/JSON format and destination (stderr, or
// the file log.file, reopened on SIGHUP) from LogConfig. Call SetupLogging once from main()
// before starting threads; afterwards use spdlog::info() etc. ReopenLogFile from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/config/config.h"
#include "common/base/status.h"

namespace omnihub::service {

// Logs to stderr, or appends to config.file when it is set (IoError naming log.file if it
// cannot be opened), as `service`. JSON lines look like
// {"ts":"2026-11-23T10:00:00.123456Z","level":"info","service":"omnihub-unifier","msg":"..."}.
base::Status SetupLogging(const config::LogConfig& config, std::string_view service);

// Opens log.file again (after logrotate renamed it) and logs that it did; without a log file,
// nothing. A failure is logged to the old file and returned.
base::Status ReopenLogFile();

// Escapes `s` for use inside a JSON string literal (quotes not included).
std::string JsonEscape(std::string_view s);

}  // namespace omnihub::service
