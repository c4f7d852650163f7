#include "common/config/config_errors.h"

#include <algorithm>

namespace omnihub::config {

void ConfigErrors::Add(int line, std::string_view message) {
  errors_.push_back({line, "config " + origin_ + ": " + std::string(message)});
}

void ConfigErrors::Add(const base::Status& status) {
  if (status.ok()) return;
  std::string_view rest = status.message();
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    if (!line.empty()) Add(0, line);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

std::vector<std::string> ConfigErrors::Messages() const {
  std::vector<Error> sorted = errors_;
  // Line 0 (unknown) sorts last; equal lines keep the order they were found in.
  std::stable_sort(sorted.begin(), sorted.end(), [](const Error& a, const Error& b) {
    const unsigned la = a.line == 0 ? ~0u : static_cast<unsigned>(a.line);
    const unsigned lb = b.line == 0 ? ~0u : static_cast<unsigned>(b.line);
    return la < lb;
  });
  std::vector<std::string> out;
  out.reserve(sorted.size());
  for (auto& e : sorted) out.push_back(std::move(e.message));
  return out;
}

base::Status ConfigErrors::ToStatus() const {
  if (errors_.empty()) return base::Status::Ok();
  std::string joined;
  for (const std::string& m : Messages()) {
    if (!joined.empty()) joined += '\n';
    joined += m;
  }
  return base::Status::InvalidArgument(std::move(joined));
}

}  // namespace omnihub::config
