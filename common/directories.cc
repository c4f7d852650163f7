#include "common/directories.h"

#include <filesystem>

namespace omnihub {

Status EnsureDirectory(const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create directory " + dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace omnihub
