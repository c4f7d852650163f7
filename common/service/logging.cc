#include "common/service/logging.h"

#include <cstdio>
#include <memory>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/service/reopenable_file_sink.h"

namespace omnihub::service {
namespace {

// %*: the log message, escaped for a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string escaped = JsonEscape(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

// The process's log file, if log.file is set; SIGHUP reopens it.
std::mutex log_file_mu;
std::shared_ptr<ReopenableFileSink> log_file;  // guarded by log_file_mu

}  // namespace

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

base::Status SetupLogging(const config::LogConfig& config, std::string_view service) {
  const auto level = spdlog::level::from_str(config.level);
  if (level == spdlog::level::off && config.level != "off") {
    return base::Status::InvalidArgument("config: log.level '" + config.level +
                                   "' is not one of trace, debug, info, warn, error, critical, off");
  }
  spdlog::sink_ptr sink;
  std::shared_ptr<ReopenableFileSink> file;
  if (config.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    auto opened = ReopenableFileSink::Open(config.file);
    if (!opened.ok()) return base::Status::InvalidArgument("config: log.file: " + opened.status().message());
    file = *opened;
    sink = file;
  }
  auto logger = std::make_shared<spdlog::logger>(std::string(service), std::move(sink));
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (config.json) {
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":"%n","pid":%P,"msg":"%*"})");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %n[%P] %l: %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  std::lock_guard lock(log_file_mu);
  log_file = std::move(file);
  return base::Status::Ok();
}

base::Status ReopenLogFile() {
  std::shared_ptr<ReopenableFileSink> file;
  {
    std::lock_guard lock(log_file_mu);
    file = log_file;
  }
  if (!file) return base::Status::Ok();
  if (auto s = file->Reopen(); !s.ok()) {
    spdlog::error("SIGHUP: {}; still writing to the file open before", s.message());
    return s;
  }
  spdlog::info("SIGHUP: reopened log file {}", file->path());
  return base::Status::Ok();
}

}  // namespace omnihub::service
