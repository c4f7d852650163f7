#include "common/config/table_reader.h"

namespace omnihub::config {

std::string LineOf(const toml::node& node) {
  const auto& src = node.source();
  if (!src.begin) return "";
  return " (line " + std::to_string(src.begin.line) + ")";
}

TableReader::TableReader(const toml::table& table, std::string prefix, std::string_view origin)
    : table_(&table), prefix_(std::move(prefix)), origin_(origin) {}

base::Status TableReader::String(std::string_view key, std::string* out) {
  const toml::node* n = Take(key);
  if (!n) return base::Status::Ok();
  if (!n->is_string()) return TypeError(key, *n, "a string");
  *out = n->as_string()->get();
  if (out->empty()) return Error(key, *n, "must not be empty");
  return base::Status::Ok();
}

base::Status TableReader::String(std::string_view key, std::string* out,
                                 const std::function<bool(const std::string&)>& valid, const std::string& what) {
  const toml::node* n = table_->get(key);
  OMNIHUB_RETURN_IF_ERROR(String(key, out));
  if (n != nullptr && !valid(*out)) return Error(key, *n, "'" + *out + "' is not " + what);
  return base::Status::Ok();
}

base::Status TableReader::CheckedString(std::string_view key, std::string* out,
                                        const std::function<base::Status(const std::string&)>& check,
                                        const std::string& what) {
  const toml::node* n = table_->get(key);
  OMNIHUB_RETURN_IF_ERROR(String(key, out));
  if (n == nullptr) return base::Status::Ok();
  if (base::Status s = check(*out); !s.ok()) return Error(key, *n, "'" + *out + "' is not " + what + ": " + s.message());
  return base::Status::Ok();
}

base::Status TableReader::OptionalString(std::string_view key, std::string* out) {
  const toml::node* n = Take(key);
  if (!n) return base::Status::Ok();
  if (!n->is_string()) return TypeError(key, *n, "a string");
  *out = n->as_string()->get();
  return base::Status::Ok();
}

base::Status TableReader::StringList(std::string_view key, std::vector<std::string>* out) {
  const toml::node* n = Take(key);
  if (!n) return base::Status::Ok();
  if (!n->is_array()) return TypeError(key, *n, "a list of strings");
  out->clear();
  for (const auto& item : *n->as_array()) {
    if (!item.is_string()) return TypeError(key, item, "a list of strings");
    out->push_back(item.as_string()->get());
  }
  return base::Status::Ok();
}

base::Status TableReader::Bool(std::string_view key, bool* out) {
  const toml::node* n = Take(key);
  if (!n) return base::Status::Ok();
  if (!n->is_boolean()) return TypeError(key, *n, "true or false");
  *out = n->as_boolean()->get();
  return base::Status::Ok();
}

base::Status TableReader::Uint32(std::string_view key, uint32_t* out, uint32_t min, uint32_t max) {
  const toml::node* n = Take(key);
  if (!n) return base::Status::Ok();
  if (!n->is_integer()) return TypeError(key, *n, "an integer");
  const int64_t v = n->as_integer()->get();
  if (v < min || v > max) {
    return Error(key, *n, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  *out = static_cast<uint32_t>(v);
  return base::Status::Ok();
}

base::Result<const toml::table*> TableReader::Table(std::string_view key) {
  const toml::node* n = Take(key);
  if (!n) return static_cast<const toml::table*>(nullptr);
  if (!n->is_table()) return TypeError(key, *n, "a table");
  return n->as_table();
}

base::Result<std::vector<std::pair<std::string, TableReader>>> TableReader::Tables(std::string_view key) {
  std::vector<std::pair<std::string, TableReader>> out;
  auto t = Table(key);
  if (!t.ok()) return t.status();
  if (*t == nullptr) return out;
  for (const auto& [name, node] : **t) {
    const std::string sub = std::string(key) + "." + std::string(name.str());
    if (!node.is_table()) return TypeError(sub, node, "a table");
    out.emplace_back(std::string(name.str()), TableReader(*node.as_table(), Full(sub), origin_));
  }
  return out;
}

base::Status TableReader::CheckNoUnknownKeys() const {
  for (const auto& [k, v] : *table_) {
    if (!taken_.count(std::string(k.str()))) {
      return base::Status::InvalidArgument("config " + std::string(origin_) + ": unknown key '" + Full(k.str()) + "'" +
                                           config::LineOf(v));
    }
  }
  return base::Status::Ok();
}

std::string TableReader::LineOf(std::string_view key) const {
  const toml::node* n = table_->get(key);
  return n == nullptr ? "" : config::LineOf(*n);
}

const toml::node* TableReader::Take(std::string_view key) {
  taken_.insert(std::string(key));
  return table_->get(key);
}

std::string TableReader::Full(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

base::Status TableReader::Error(std::string_view key, const toml::node& n, const std::string& what) const {
  return base::Status::InvalidArgument("config " + std::string(origin_) + ": " + Full(key) + config::LineOf(n) + " " +
                                       what);
}

base::Status TableReader::TypeError(std::string_view key, const toml::node& n, const std::string& expected) const {
  return Error(key, n, "must be " + expected);
}

}  // namespace omnihub::config
