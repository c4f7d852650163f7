// One service's output, line by line: each line goes to the service's log file as it
// is and to the terminal with a "[service] " prefix (what `tee -a LOG | sed 's/^/[service] /'`
// did in the bash supervisor this replaces).
//
// Bytes arrive in arbitrary pieces (pipe reads); only whole lines are written, so the
// lines of different services never interleave mid-line on the terminal. A line longer
// than kMaxLine is cut there. Write errors are ignored: a full disk or a closed terminal
// must not stop the supervisor. Not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace omnihub::supervisor {

class LineTee {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;

  // Does not own the descriptors; either may be -1 (not written).
  LineTee(std::string name, int terminal_fd, int log_fd);

  // Adds output bytes; writes every line they complete.
  void Feed(std::string_view bytes);
  // Writes a held partial line (the process is gone; its last line had no newline).
  void Flush();
  // Writes `text` as one line "supervisor: text" in this service's stream, after any
  // partial line it holds.
  void Note(std::string_view text);

 private:
  void WriteLine(std::string_view line);

  std::string prefix_;
  int terminal_fd_;
  int log_fd_;
  std::string partial_;
};

// Writes all of `data` to `fd`, retrying short writes and EINTR; false on error.
bool WriteAll(int fd, std::string_view data);

}  // namespace omnihub::supervisor
