// The files of `omnihubctl customer export` (docs/export-format.md): the output directory,
// which must be new or empty so that an export never mixes with older files, and files
// written whole and read back to check them.
//
// Thread-safety: call from one thread per directory.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::ctl {

// Creates `dir` (and its parents) when absent. InvalidArgument when it exists and is not an
// empty directory, naming what to fix; IoError when it cannot be created.
base::Status PrepareExportDir(const std::string& dir);

// Writes `bytes` to `path` (replacing it), flushed and closed; IoError naming the path.
base::Status WriteWholeFile(const std::string& path, std::string_view bytes);

// Reads the file back and checks that its SHA-256 is `sha256_hex` (the name it was given);
// Corruption naming the file and both sums otherwise.
base::Status VerifyFileSha256(const std::string& path, const std::string& sha256_hex);

}  // namespace omnihub::ctl
