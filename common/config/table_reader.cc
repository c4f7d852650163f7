#include "common/config/table_reader.h"

namespace omnihub::config {

int LineNumberOf(const toml::node& node) {
  const auto& src = node.source();
  return src.begin ? static_cast<int>(src.begin.line) : 0;
}

std::string LineOf(const toml::node& node) {
  const int line = LineNumberOf(node);
  return line == 0 ? "" : " (line " + std::to_string(line) + ")";
}

TableReader::TableReader(const toml::table& table, std::string prefix, ConfigErrors& errors)
    : table_(&table), prefix_(std::move(prefix)), errors_(&errors) {}

bool TableReader::String(std::string_view key, std::string* out) {
  const toml::node* n = Take(key);
  if (!n) return false;
  if (!n->is_string()) {
    TypeError(key, *n, "a string");
    return false;
  }
  if (n->as_string()->get().empty()) {
    Error(key, *n, "must not be empty");
    return false;
  }
  *out = n->as_string()->get();
  return true;
}

bool TableReader::String(std::string_view key, std::string* out, const std::function<bool(const std::string&)>& valid,
                         const std::string& what) {
  return CheckedString(
      key, out,
      [&](const std::string& v) { return valid(v) ? base::Status::Ok() : base::Status::InvalidArgument(""); }, what);
}

bool TableReader::CheckedString(std::string_view key, std::string* out,
                                const std::function<base::Status(const std::string&)>& check, const std::string& what) {
  std::string value;
  if (!String(key, &value)) return false;
  if (base::Status s = check(value); !s.ok()) {
    Error(key, *table_->get(key),
          "'" + value + "' is not " + what + (s.message().empty() ? std::string() : ": " + s.message()));
    return false;
  }
  *out = std::move(value);
  return true;
}

bool TableReader::OptionalString(std::string_view key, std::string* out) {
  const toml::node* n = Take(key);
  if (!n) return false;
  if (!n->is_string()) {
    TypeError(key, *n, "a string");
    return false;
  }
  *out = n->as_string()->get();
  return true;
}

bool TableReader::StringList(std::string_view key, std::vector<std::string>* out) {
  const toml::node* n = Take(key);
  if (!n) return false;
  if (!n->is_array()) {
    TypeError(key, *n, "a list of strings");
    return false;
  }
  std::vector<std::string> items;
  for (const auto& item : *n->as_array()) {
    if (!item.is_string()) {
      TypeError(key, item, "a list of strings");
      return false;
    }
    items.push_back(item.as_string()->get());
  }
  *out = std::move(items);
  return true;
}

bool TableReader::Bool(std::string_view key, bool* out) {
  const toml::node* n = Take(key);
  if (!n) return false;
  if (!n->is_boolean()) {
    TypeError(key, *n, "true or false");
    return false;
  }
  *out = n->as_boolean()->get();
  return true;
}

bool TableReader::Uint32(std::string_view key, uint32_t* out, uint32_t min, uint32_t max) {
  const toml::node* n = Take(key);
  if (!n) return false;
  if (!n->is_integer()) {
    TypeError(key, *n, "an integer");
    return false;
  }
  const int64_t v = n->as_integer()->get();
  if (v < min || v > max) {
    Error(key, *n, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return false;
  }
  *out = static_cast<uint32_t>(v);
  return true;
}

const toml::array* TableReader::Array(std::string_view key, const std::string& expected) {
  const toml::node* n = Take(key);
  if (!n) return nullptr;
  if (!n->is_array()) {
    TypeError(key, *n, expected);
    return nullptr;
  }
  return n->as_array();
}

const toml::table* TableReader::Table(std::string_view key) {
  const toml::node* n = Take(key);
  if (!n) return nullptr;
  if (!n->is_table()) {
    TypeError(key, *n, "a table");
    return nullptr;
  }
  return n->as_table();
}

std::vector<std::pair<std::string, TableReader>> TableReader::Tables(std::string_view key) {
  std::vector<std::pair<std::string, TableReader>> out;
  const toml::table* t = Table(key);
  if (t == nullptr) return out;
  for (const auto& [name, node] : *t) {
    const std::string sub = std::string(key) + "." + std::string(name.str());
    if (!node.is_table()) {
      TypeError(sub, node, "a table");
      continue;
    }
    out.emplace_back(std::string(name.str()), TableReader(*node.as_table(), Full(sub), *errors_));
  }
  return out;
}

void TableReader::CheckNoUnknownKeys() {
  for (const auto& [k, v] : *table_) {
    if (!taken_.count(std::string(k.str()))) {
      errors_->Add(config::LineNumberOf(v), "unknown key '" + Full(k.str()) + "'" + config::LineOf(v));
    }
  }
}

void TableReader::Fail(std::string_view key, const std::string& what) {
  errors_->Add(LineNumberOf(key), Full(key) + LineOf(key) + " " + what);
}

std::string TableReader::LineOf(std::string_view key) const {
  const toml::node* n = key.empty() ? table_ : table_->get(key);
  return n == nullptr ? "" : config::LineOf(*n);
}

int TableReader::LineNumberOf(std::string_view key) const {
  const toml::node* n = key.empty() ? table_ : table_->get(key);
  return n == nullptr ? 0 : config::LineNumberOf(*n);
}

const toml::node* TableReader::Take(std::string_view key) {
  taken_.insert(std::string(key));
  return table_->get(key);
}

std::string TableReader::Full(std::string_view key) const {
  if (key.empty()) return prefix_;
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void TableReader::Error(std::string_view key, const toml::node& n, const std::string& what) const {
  errors_->Add(config::LineNumberOf(n), Full(key) + config::LineOf(n) + " " + what);
}

void TableReader::TypeError(std::string_view key, const toml::node& n, const std::string& expected) const {
  Error(key, n, "must be " + expected);
}

}  // namespace omnihub::config
