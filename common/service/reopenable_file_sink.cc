#include "common/service/reopenable_file_sink.h"

#include <cerrno>
#include <cstring>

namespace omnihub::service {
namespace {

base::Result<std::FILE*> OpenForAppend(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "ae");  // e: not inherited by child processes
  if (file == nullptr) {
    return base::Status::IoError("log file " + path + ": cannot open for appending: " + std::strerror(errno));
  }
  // A line reaches the file when it is logged, as it reached stderr before: someone is tailing it.
  std::setvbuf(file, nullptr, _IOLBF, 0);
  return file;
}

}  // namespace

base::Result<std::shared_ptr<ReopenableFileSink>> ReopenableFileSink::Open(const std::string& path) {
  auto file = OpenForAppend(path);
  if (!file.ok()) return file.status();
  return std::shared_ptr<ReopenableFileSink>(new ReopenableFileSink(path, *file));
}

ReopenableFileSink::~ReopenableFileSink() {
  if (file_ != nullptr) std::fclose(file_);
}

base::Status ReopenableFileSink::Reopen() {
  auto file = OpenForAppend(path_);  // outside the lock: logging threads need not wait for the disk
  if (!file.ok()) return file.status();
  std::lock_guard lock(mutex_);
  std::fclose(file_);
  file_ = *file;
  return base::Status::Ok();
}

void ReopenableFileSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t formatted;
  formatter_->format(msg, formatted);
  std::fwrite(formatted.data(), 1, formatted.size(), file_);
}

void ReopenableFileSink::flush_() { std::fflush(file_); }

}  // namespace omnihub::service
