#include "services/supervisor/run_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace omnihub::supervisor {

base::Status WritePidFile(const std::string& path, pid_t pid) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << pid << "\n";
    if (!out.flush()) return base::Status::IoError("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return base::Status::IoError("cannot rename " + tmp + ": " + std::strerror(errno));
  }
  return base::Status::Ok();
}

std::optional<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool ProcessRunsBinary(pid_t pid, const std::string& binary) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  if (!in) return false;
  std::ostringstream cmdline;
  cmdline << in.rdbuf();
  std::string base = binary.substr(binary.rfind('/') + 1);
  return !base.empty() && cmdline.str().find(base) != std::string::npos;
}

}  // namespace omnihub::supervisor
