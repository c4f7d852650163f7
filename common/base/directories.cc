#include "common/base/directories.h"

#include <filesystem>

namespace omnihub::base {

Status EnsureDirectory(const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create directory " + dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace omnihub::base
