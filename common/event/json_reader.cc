#include "common/event/json_reader.h"

#include <exception>
#include <set>
#include <utility>
#include <vector>

#include "common/base/text.h"

namespace omnihub::event {
namespace {

using Json = nlohmann::json;

// "[json.exception.parse_error.101] parse error at line 1, column 13: syntax error ..." ->
// "parse error at line 1, column 13 (byte 13): syntax error ...". `byte` counts from 1, like the
// column: it is the byte the parser stopped at (the end of the text counts as one). It is given
// because nlohmann's line and column are off by one line after a line break it read ahead past.
std::string SyntaxMessage(std::string what, std::size_t byte, bool with_byte) {
  if (const size_t close = what.find("] "); what.starts_with("[json.exception.") && close != std::string::npos) {
    what.erase(0, close + 2);
  }
  if (!with_byte) return what;
  const std::string at = " (byte " + std::to_string(byte) + ")";
  if (const size_t colon = what.find(": "); what.starts_with("parse error at line ") && colon != std::string::npos) {
    return what.insert(colon, at);
  }
  return "parse error" + at + ": " + what;  // e.g. "number overflow parsing '1e999'"
}

// Checks every event against the options, then hands it to the caller's handler. The first
// defect found is kept in error(); returning false makes nlohmann stop at once.
class Guard final : public nlohmann::json_sax<Json> {
 public:
  Guard(const JsonReadOptions& options, JsonHandler& inner) : options_(options), inner_(inner) {}

  const std::string& error() const { return error_; }

  bool null() override { return Scalar("null") && inner_.null(); }
  bool boolean(bool v) override { return Scalar("boolean") && inner_.boolean(v); }
  bool number_integer(number_integer_t v) override { return Scalar("number") && inner_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar("number") && inner_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& text) override {
    return Scalar("number") && inner_.number_float(v, text);
  }
  bool string(string_t& v) override { return Scalar("string") && inner_.string(v); }
  bool binary(binary_t&) override { return Fail("binary values are not JSON"); }

  bool start_object(std::size_t n) override { return Open("object") && inner_.start_object(n); }
  bool key(string_t& k) override {
    if (!options_.allow_duplicate_keys && !open_.back().keys.insert(k).second) {
      return Fail("duplicate field " + base::QuoteForMessage(k));
    }
    return inner_.key(k);
  }
  bool end_object() override {
    open_.pop_back();
    return inner_.end_object();
  }
  bool start_array(std::size_t n) override { return Open("array") && inner_.start_array(n); }
  bool end_array() override {
    open_.pop_back();
    return inner_.end_array();
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    const std::string prefix = options_.syntax_error_prefix.empty()
                                   ? std::string(options_.subject) + " is not valid JSON: "
                                   : std::string(options_.syntax_error_prefix);
    return Fail(prefix + SyntaxMessage(e.what(), position, options_.syntax_error_byte));
  }

 private:
  struct Level {
    std::set<std::string> keys;  // names seen so far; arrays leave it empty
  };

  bool Scalar(std::string_view type) {
    if (open_.empty()) return Fail(std::string(options_.subject) + " must be a JSON object, got " + std::string(type));
    return true;
  }
  bool Open(std::string_view type) {
    if (open_.empty() && type != "object") {
      return Fail(std::string(options_.subject) + " must be a JSON object, got " + std::string(type));
    }
    if (static_cast<int>(open_.size()) >= options_.max_depth) {
      return Fail("JSON nested deeper than " + std::to_string(options_.max_depth) + " levels");
    }
    open_.emplace_back();
    return true;
  }
  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  const JsonReadOptions& options_;
  JsonHandler& inner_;
  std::vector<Level> open_;  // one per open object or array
  std::string error_;
};

// Builds the DOM for ReadJsonObject. Only the open containers are held by pointer: appending to
// an array may move its closed elements, never the array itself.
class DomBuilder final : public JsonHandler {
 public:
  explicit DomBuilder(Json* root) : root_(root) {}

  bool null() override { return Value(nullptr); }
  bool boolean(bool v) override { return Value(v); }
  bool number_integer(number_integer_t v) override { return Value(v); }
  bool number_unsigned(number_unsigned_t v) override { return Value(v); }
  bool number_float(number_float_t v, const string_t&) override { return Value(v); }
  bool string(string_t& v) override { return Value(std::move(v)); }
  bool start_object(std::size_t) override {
    open_.push_back(Add(Json::object()));
    return true;
  }
  bool key(string_t& k) override {
    member_ = &(*open_.back())[std::move(k)];  // a repeated name (when allowed) keeps the last value
    return true;
  }
  bool end_object() override {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    open_.push_back(Add(Json::array()));
    return true;
  }
  bool end_array() override {
    open_.pop_back();
    return true;
  }

 private:
  bool Value(Json v) {
    Add(std::move(v));
    return true;
  }
  Json* Add(Json v) {
    if (open_.empty()) {
      *root_ = std::move(v);
      return root_;
    }
    Json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    *member_ = std::move(v);
    return member_;
  }

  Json* root_;
  std::vector<Json*> open_;
  Json* member_ = nullptr;
};

}  // namespace

bool JsonHandler::Refuse(std::string message) {
  if (refusal_.empty()) refusal_ = std::move(message);
  return false;
}

base::Status ReadJson(std::string_view text, const JsonReadOptions& options, JsonHandler& handler) {
  size_t bad = 0;
  if (!base::IsValidUtf8(text, &bad)) {
    return base::Status::InvalidArgument(std::string(options.subject) + " is not valid UTF-8 (bad byte at offset " +
                                         std::to_string(bad) + ")" + std::string(options.utf8_hint));
  }
  Guard guard(options, handler);
  try {
    if (Json::sax_parse(text, &guard)) return base::Status::Ok();
  } catch (const std::exception& e) {
    // The parser reports through the guard; a throw is a handler's bug (or no memory), not bad input.
    return base::Status::Internal(std::string("JSON reader failed: ") + e.what());
  }
  if (!guard.error().empty()) return base::Status::InvalidArgument(guard.error());
  if (!handler.refusal().empty()) return base::Status::InvalidArgument(handler.refusal());
  return base::Status::Internal("a JSON handler stopped the parse without Refuse()");
}

base::Result<Json> ReadJsonObject(std::string_view text, const JsonReadOptions& options) {
  Json root;
  DomBuilder builder(&root);
  OMNIHUB_RETURN_IF_ERROR(ReadJson(text, options, builder));
  return root;
}

}  // namespace omnihub::event
