#include "services/ctl/export_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/base/sha256.h"

namespace omnihub::ctl {

namespace fs = std::filesystem;

base::Status PrepareExportDir(const std::string& dir) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return base::Status::InvalidArgument("--out " + dir + " is a file, not a directory: choose a new or empty directory");
    }
    if (!fs::is_empty(dir, ec) || ec) {
      return base::Status::InvalidArgument("--out " + dir +
                                           " is not empty: choose a new or empty directory (an export never mixes with "
                                           "older files)");
    }
    return base::Status::Ok();
  }
  if (!fs::create_directories(dir, ec) || ec) {
    return base::Status::IoError("cannot create " + dir + ": " + (ec ? ec.message() : "unknown error"));
  }
  return base::Status::Ok();
}

base::Status WriteWholeFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return base::Status::IoError("cannot write " + path);
  return base::Status::Ok();
}

base::Status VerifyFileSha256(const std::string& path, const std::string& sha256_hex) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Status::IoError("cannot read back " + path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string actual = base::Sha256Hex(bytes.str());
  if (actual != sha256_hex) {
    return base::Status::Corruption(path + " has SHA-256 " + actual + ", not " + sha256_hex + " (its name)");
  }
  return base::Status::Ok();
}

}  // namespace omnihub::ctl
