// Reads one table of the config file for a section's parser: each getter leaves the value
// as it is when the key is absent (the section struct holds the defaults), checks the type
// and range, and records the key as known, so that CheckNoUnknownKeys reports whatever is
// left as a typo. A wrong value is recorded in the load's ConfigErrors
// (common/config/config_errors.h) and the default stays, so that parsing goes on and one
// run names every mistake. Every error names the key with its table and line:
//   config omnihub.toml: unifier.batch_max_events (line 3) must be an integer
//
// Thread-safety: one reader per table and thread; it borrows the table and the error list.
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
#include "common/config/config_errors.h"

namespace omnihub::config {

class TableReader {
 public:
  // `prefix` is the table's dotted name ("sms.twilio.shop"), "" for the root.
  TableReader(const toml::table& table, std::string prefix, ConfigErrors& errors);

  // Each getter returns true when the key is present and its value was taken; false when it
  // is absent or wrong (then the error is recorded and `out` keeps its default).

  // A non-empty string.
  bool String(std::string_view key, std::string* out);

  // A non-empty string that also satisfies `valid`; `what` describes a valid value
  // ("... 'XX' is not <what>").
  bool String(std::string_view key, std::string* out, const std::function<bool(const std::string&)>& valid,
              const std::string& what);

  // A non-empty string that `check` accepts; its message says why not
  // ("... 'tpc://x' is not <what>: <message>").
  bool CheckedString(std::string_view key, std::string* out,
                     const std::function<base::Status(const std::string&)>& check, const std::string& what);

  // A string that may be empty (meaning: feature off).
  bool OptionalString(std::string_view key, std::string* out);

  bool StringList(std::string_view key, std::vector<std::string>* out);
  bool Bool(std::string_view key, bool* out);
  bool Uint32(std::string_view key, uint32_t* out, uint32_t min, uint32_t max);

  // The array `key`, or nullptr when absent or not an array (recorded as "must be <expected>").
  const toml::array* Array(std::string_view key, const std::string& expected);

  // The sub-table `key`, or nullptr when absent or not a table (recorded).
  const toml::table* Table(std::string_view key);

  // The sub-tables of table `key` ([key.NAME] sections), in order of their names, each as a
  // reader whose prefix is "<prefix>.key.NAME"; an entry that is not a table is recorded and
  // left out.
  std::vector<std::pair<std::string, TableReader>> Tables(std::string_view key);

  // Records every key not asked for: "unknown key 'bus.ingset' (line 3)".
  void CheckNoUnknownKeys();

  // Records an error found after reading (a cross-field check) at `key`'s line:
  // "<prefix>.<key> (line N) <what>"; `key` "" means the table itself.
  void Fail(std::string_view key, const std::string& what);

  bool Has(std::string_view key) const { return table_->get(key) != nullptr; }

  // " (line N)" of `key` ("" = the table) when present, else "": for errors found after reading.
  std::string LineOf(std::string_view key) const;
  // N of the same, 0 when absent.
  int LineNumberOf(std::string_view key) const;

  const std::string& prefix() const { return prefix_; }
  const std::string& origin() const { return errors_->origin(); }
  ConfigErrors& errors() const { return *errors_; }

 private:
  const toml::node* Take(std::string_view key);
  std::string Full(std::string_view key) const;
  void Error(std::string_view key, const toml::node& n, const std::string& what) const;
  void TypeError(std::string_view key, const toml::node& n, const std::string& expected) const;

  const toml::table* table_;
  std::string prefix_;
  ConfigErrors* errors_;
  std::set<std::string> taken_;
};

// " (line N)" of `node`, or "" when toml++ does not know it.
std::string LineOf(const toml::node& node);
// N of the same, 0 when unknown.
int LineNumberOf(const toml::node& node);

}  // namespace omnihub::config
