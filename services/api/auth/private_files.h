// The token store's file primitives: small files only its owner may read (0600) in a
// directory only its owner may enter (0700), replaced whole (temporary file, fsync, rename,
// fsync of the directory) so a reader in another process never sees half a file and a crash
// never leaves one, or created once with the first writer winning (link(2) of a complete
// temporary file: every concurrent creator then reads back the same bytes).
//
// Thread-safety: plain functions; safe from any thread and any number of processes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/base/status.h"

namespace omnihub::api::auth {

// Creates `dir` (and its parents) if missing and makes it 0700.
base::Status EnsurePrivateDirectory(const std::string& dir);
// Replaces `path` with `bytes` (mode 0600) atomically and durably. `tmp_suffix` makes the
// temporary name unique among concurrent writers.
base::Status ReplaceFile(const std::string& path, const std::string& bytes, const std::string& tmp_suffix);
// Creates `path` with `bytes` (mode 0600) unless it exists; either way the file's contents
// afterwards (a concurrent creator's, when it won).
base::Result<std::string> CreateOnce(const std::string& path, const std::string& bytes, const std::string& tmp_suffix);
// The whole file; NotFound when it does not exist, IoError naming it otherwise.
base::Result<std::string> ReadWholeFile(const std::string& path);
// Appends one line (a trailing '\n' is added) with a single write(2) on an O_APPEND
// descriptor, so lines from concurrent writers do not interleave, then fsyncs.
base::Status AppendLine(const std::string& path, const std::string& line);

// What identifies one version of a file written by ReplaceFile: each version is a new inode.
struct FileVersion {
  uint64_t inode = 0;
  int64_t mtime_ns = 0;
  int64_t size = 0;
  bool operator==(const FileVersion&) const = default;
};
// The version of `path`, nullopt when it does not exist (or cannot be examined).
std::optional<FileVersion> VersionOf(const std::string& path);

}  // namespace omnihub::api::auth
