// ReopenableFileSink: an spdlog sink writing to a file opened for appending, which Reopen()
// closes and opens again by its path. logrotate renames the file and sends SIGHUP
// (deploy/logrotate/omnihub); the service reopens, so new lines go to a new file at the old
// path while the renamed one is compressed. spdlog's basic_file_sink cannot reopen.
//
// Thread-safety: every member under the sink's own mutex (spdlog's base_sink), so Reopen() may
// run on the signal thread while other threads log.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>

#include "common/base/status.h"

namespace omnihub::service {

class ReopenableFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Opens `path` for appending (created if missing, mode 0640 by the umask); IoError naming
  // the path and the reason when it cannot.
  static base::Result<std::shared_ptr<ReopenableFileSink>> Open(const std::string& path);
  ~ReopenableFileSink() override;

  // Opens the path again and switches to the new file. If it cannot be opened the sink keeps
  // writing to the old file (renamed or not: nothing is lost) and the IoError says why.
  base::Status Reopen();
  const std::string& path() const { return path_; }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  ReopenableFileSink(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}

  const std::string path_;
  std::FILE* file_;  // guarded by base_sink's mutex_
};

}  // namespace omnihub::service
