#include "services/social/json_fields.h"

#include <charconv>
#include <limits>

#include "common/event/json_reader.h"
#include "services/social/social_event.h"

namespace omnihub::social {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> ToInt(const Json& v) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return v.get<int64_t>();
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (!AllDigits(s)) return std::nullopt;
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

std::string IdText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

}  // namespace

base::Result<Json> ParseBody(std::string_view body) {
  event::JsonReadOptions options;
  options.max_depth = kMaxJsonDepth;
  options.subject = "request body";
  return event::ReadJsonObject(body, options);
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

base::Status FieldError(std::string_view path, std::string_view defect) {
  return base::Status::InvalidArgument(std::string(path) + " " + std::string(defect));
}

const Json* Find(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

base::Result<const Json*> RequiredObject(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return FieldError(JoinPath(path, key), "is missing");
  if (!v->is_object()) return FieldError(JoinPath(path, key), "must be a JSON object");
  return v;
}

base::Result<const Json*> RequiredArray(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return FieldError(JoinPath(path, key), "is missing");
  if (!v->is_array()) return FieldError(JoinPath(path, key), "must be a JSON array");
  return v;
}

base::Result<std::string> RequiredString(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return FieldError(JoinPath(path, key), "is missing");
  if (!v->is_string()) return FieldError(JoinPath(path, key), "must be a string");
  return v->get<std::string>();
}

base::Result<std::string> RequiredId(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return FieldError(JoinPath(path, key), "is missing");
  if (!v->is_string() && !v->is_number_integer()) {
    return FieldError(JoinPath(path, key), "must be a string or an integer id");
  }
  std::string id = IdText(*v);
  if (id.empty()) return FieldError(JoinPath(path, key), "is empty");
  return id;
}

base::Result<int64_t> RequiredInt(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return FieldError(JoinPath(path, key), "is missing");
  auto n = ToInt(*v);
  if (!n) return FieldError(JoinPath(path, key), "must be a non-negative integer (or its decimal digits as a string)");
  return *n;
}

std::string OptionalString(const Json& obj, std::string_view key) {
  const Json* v = Find(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

std::string OptionalId(const Json& obj, std::string_view key) {
  const Json* v = Find(obj, key);
  return v != nullptr ? IdText(*v) : std::string();
}

std::optional<int64_t> OptionalInt(const Json& obj, std::string_view key) {
  const Json* v = Find(obj, key);
  return v != nullptr ? ToInt(*v) : std::nullopt;
}

bool OptionalBool(const Json& obj, std::string_view key) {
  const Json* v = Find(obj, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

std::string Dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace omnihub::social
