// Command-line parsing for omnihubctl: positional arguments plus `--name VALUE`
// options and `--flag` switches declared up front, so that a typo is an error that
// says what is accepted instead of being silently ignored.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace omnihub::ctl {

struct ArgSpec {
  std::set<std::string> options;   // take a value: "--limit 5" or "--limit=5"
  std::set<std::string> flags;     // switches: "--all"
  size_t min_positional = 0;
  size_t max_positional = 0;
  std::string usage;               // shown in error messages
};

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;  // repeated options keep every value
  std::set<std::string> flags;

  bool Has(const std::string& name) const { return options.count(name) > 0; }
  // The last value of an option, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
};

// `args` excludes the program and command names.
base::Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args, const ArgSpec& spec);

// Parses a positive integer option value; the error names the option.
base::Result<uint64_t> ParsePositive(const std::string& option, const std::string& value);
// Same, but 0 is allowed.
base::Result<uint64_t> ParseNonNegative(const std::string& option, const std::string& value);
// `--limit N` of a command that pages through a list: N (positive), or UINT64_MAX (all) when absent.
base::Result<uint64_t> LimitOption(const ParsedArgs& parsed);

}  // namespace omnihub::ctl
