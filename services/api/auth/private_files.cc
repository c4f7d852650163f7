#include "services/api/auth/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/base/directories.h"

namespace omnihub::api::auth {
namespace {

base::Status Errno(std::string_view what, const std::string& path) {
  return base::Status::IoError(std::string(what) + " " + path + ": " + std::strerror(errno));
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Closes the descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

base::Status WriteAll(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  return base::Status::Ok();
}

// A complete, synced 0600 file at `tmp`.
base::Status WriteSynced(const std::string& tmp, const std::string& bytes) {
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return Errno("cannot create", tmp);
  base::Status written = WriteAll(fd.get(), bytes, tmp);
  if (written.ok() && ::fsync(fd.get()) != 0) written = Errno("cannot sync", tmp);
  if (!written.ok()) ::unlink(tmp.c_str());
  return written;
}

// Makes a rename or link in the directory durable.
base::Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return Errno("cannot sync directory", dir);
  return base::Status::Ok();
}

}  // namespace

base::Status EnsurePrivateDirectory(const std::string& dir) {
  OMNIHUB_RETURN_IF_ERROR(base::EnsureDirectory(dir));
  if (::chmod(dir.c_str(), 0700) != 0) return Errno("cannot make private (0700)", dir);
  return base::Status::Ok();
}

base::Status ReplaceFile(const std::string& path, const std::string& bytes, const std::string& tmp_suffix) {
  const std::string tmp = path + ".tmp-" + tmp_suffix;
  OMNIHUB_RETURN_IF_ERROR(WriteSynced(tmp, bytes));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    base::Status failed = Errno("cannot rename to", path);
    ::unlink(tmp.c_str());
    return failed;
  }
  return SyncDirectory(DirOf(path));
}

base::Result<std::string> CreateOnce(const std::string& path, const std::string& bytes,
                                     const std::string& tmp_suffix) {
  if (auto existing = ReadWholeFile(path); existing.ok() || !existing.status().IsNotFound()) return existing;
  const std::string tmp = path + ".tmp-" + tmp_suffix;
  OMNIHUB_RETURN_IF_ERROR(WriteSynced(tmp, bytes));
  // link(2) fails with EEXIST when another creator got there first; the file it made is
  // complete (it was linked only after its fsync), so reading it back agrees with them.
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return Errno("cannot create", path);
  }
  if (linked == 0) OMNIHUB_RETURN_IF_ERROR(SyncDirectory(DirOf(path)));
  return ReadWholeFile(path);
}

base::Result<std::string> ReadWholeFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return base::Status::NotFound("no file " + path);
    return Errno("cannot open", path);
  }
  std::string bytes;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot read", path);
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<size_t>(n));
  }
  return bytes;
}

base::Status AppendLine(const std::string& path, const std::string& line) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (fd.get() < 0) return Errno("cannot open", path);
  OMNIHUB_RETURN_IF_ERROR(WriteAll(fd.get(), line + "\n", path));
  if (::fsync(fd.get()) != 0) return Errno("cannot sync", path);
  return base::Status::Ok();
}

std::optional<FileVersion> VersionOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileVersion{.inode = static_cast<uint64_t>(st.st_ino),
                     .mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                     .size = static_cast<int64_t>(st.st_size)};
}

}  // namespace omnihub::api::auth
