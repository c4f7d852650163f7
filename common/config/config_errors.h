// The mistakes found in one config file, collected rather than returned one at a time, so
// that one run (a start or --check-config) names every one of them: each getter of the
// TableReader (common/config/table_reader.h) records its error here, keeps the default and
// lets parsing go on; the checks after reading (paths, endpoints, secrets) add theirs too.
// Each message is a whole line naming the file, the key and its line:
//   config omnihub.toml: unifier.batch_max_events (line 3) must be an integer
//
// Thread-safety: one list per load, used by one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::config {

class ConfigErrors {
 public:
  explicit ConfigErrors(std::string origin) : origin_(std::move(origin)) {}

  // Records "config <origin>: <message>"; `line` (1-based, 0 when unknown) orders the list.
  void Add(int line, std::string_view message);

  // Records each line of a failed Status's message as one error without a line number
  // (checks made after the file was read, such as a service's secrets).
  void Add(const base::Status& status);

  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::string& origin() const { return origin_; }

  // The messages in file order; those without a line after the rest, as they were found.
  std::vector<std::string> Messages() const;

  // Ok when empty, else InvalidArgument whose message is Messages() one per line.
  base::Status ToStatus() const;

 private:
  struct Error {
    int line;
    std::string message;
  };
  std::string origin_;
  std::vector<Error> errors_;
};

}  // namespace omnihub::config
