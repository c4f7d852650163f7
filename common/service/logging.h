// Process-wide logging setup on spdlog: level and text/JSON format from LogConfig.
// Call once from main() before starting threads; afterwards use spdlog::info() etc.
#pragma once

#include <string>
#include <string_view>

#include "common/config/config.h"
#include "common/base/status.h"

namespace omnihub::service {

// Logs to stderr as `service`. JSON lines look like
// {"ts":"2026-11-23T10:00:00.123456Z","level":"info","service":"omnihub-unifier","msg":"..."}.
base::Status SetupLogging(const config::LogConfig& config, std::string_view service);

// Escapes `s` for use inside a JSON string literal (quotes not included).
std::string JsonEscape(std::string_view s);

}  // namespace omnihub::service
