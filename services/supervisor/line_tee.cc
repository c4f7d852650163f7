#include "services/supervisor/line_tee.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace omnihub::supervisor {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

LineTee::LineTee(std::string name, int terminal_fd, int log_fd)
    : prefix_("[" + name + "] "), terminal_fd_(terminal_fd), log_fd_(log_fd) {}

void LineTee::Feed(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t newline = bytes.find('\n');
    size_t room = kMaxLine - partial_.size();
    if (newline == std::string_view::npos && bytes.size() < room) {
      partial_.append(bytes);
      return;
    }
    // Either a newline ends the line, or the line is cut at kMaxLine.
    size_t take = newline == std::string_view::npos ? room : std::min(newline, room);
    partial_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (!bytes.empty() && bytes.front() == '\n') bytes.remove_prefix(1);
    WriteLine(partial_);
    partial_.clear();
  }
}

void LineTee::Flush() {
  if (partial_.empty()) return;
  WriteLine(partial_);
  partial_.clear();
}

void LineTee::Note(std::string_view text) {
  Flush();
  WriteLine("supervisor: " + std::string(text));
}

void LineTee::WriteLine(std::string_view line) {
  std::string out;
  out.reserve(prefix_.size() + line.size() + 1);
  out.append(line).push_back('\n');
  if (log_fd_ >= 0) (void)WriteAll(log_fd_, out);
  out.insert(0, prefix_);
  if (terminal_fd_ >= 0) (void)WriteAll(terminal_fd_, out);
}

}  // namespace omnihub::supervisor
