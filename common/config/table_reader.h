// Reads one table of the config file for a section's parser: each getter leaves the value
// as it is when the key is absent (the section struct holds the defaults), checks the type
// and range, and records the key as known, so that CheckNoUnknownKeys reports whatever is
// left as a typo. Every error names the key with its table and line:
//   config omnihub.toml: unifier.batch_max_events (line 3) must be an integer
//
// Thread-safety: one reader per table and thread; it borrows the table and `origin`.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "common/base/status.h"

namespace omnihub::config {

class TableReader {
 public:
  // `prefix` is the table's dotted name ("sms.twilio.shop"), "" for the root.
  TableReader(const toml::table& table, std::string prefix, std::string_view origin);

  // A non-empty string.
  base::Status String(std::string_view key, std::string* out);

  // A non-empty string that also satisfies `valid`; `what` describes a valid value
  // ("... 'XX' is not <what>").
  base::Status String(std::string_view key, std::string* out, const std::function<bool(const std::string&)>& valid,
                      const std::string& what);

  // A non-empty string that `check` accepts; its message says why not
  // ("... 'tpc://x' is not <what>: <message>").
  base::Status CheckedString(std::string_view key, std::string* out,
                             const std::function<base::Status(const std::string&)>& check, const std::string& what);

  // A string that may be empty (meaning: feature off).
  base::Status OptionalString(std::string_view key, std::string* out);

  base::Status StringList(std::string_view key, std::vector<std::string>* out);
  base::Status Bool(std::string_view key, bool* out);
  base::Status Uint32(std::string_view key, uint32_t* out, uint32_t min, uint32_t max);

  // The sub-table `key`, or nullptr when absent.
  base::Result<const toml::table*> Table(std::string_view key);

  // The sub-tables of table `key` ([key.NAME] sections), in order of their names, each as a
  // reader whose prefix is "<prefix>.key.NAME".
  base::Result<std::vector<std::pair<std::string, TableReader>>> Tables(std::string_view key);

  // Every key not asked for is unknown: "unknown key 'bus.ingset' (line 3)".
  base::Status CheckNoUnknownKeys() const;

  // " (line N)" of `key` when present, else "": for errors found after reading.
  std::string LineOf(std::string_view key) const;

  const std::string& prefix() const { return prefix_; }
  std::string_view origin() const { return origin_; }

 private:
  const toml::node* Take(std::string_view key);
  std::string Full(std::string_view key) const;
  base::Status Error(std::string_view key, const toml::node& n, const std::string& what) const;
  base::Status TypeError(std::string_view key, const toml::node& n, const std::string& expected) const;

  const toml::table* table_;
  std::string prefix_;
  std::string_view origin_;
  std::set<std::string> taken_;
};

// " (line N)" of `node`, or "" when toml++ does not know it.
std::string LineOf(const toml::node& node);

}  // namespace omnihub::config
