#include "services/sms/form_params.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/base/text.h"

namespace omnihub::sms {
namespace {

// '+' is a space in application/x-www-form-urlencoded, then %XX escapes; '+' first, so that
// an encoded plus (%2B) stays a plus.
bool FormDecode(std::string_view in, std::string* out) {
  std::string plus_as_space(in);
  std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
  return base::PercentDecode(plus_as_space, out);
}

// Collects the members of one flat JSON object; refuses nesting. nlohmann's SAX parser
// hands numbers over with their text, so "0.03330000" stays as written.
class FlatObjectHandler final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit FlatObjectHandler(Params* out) : out_(out) {}

  const std::string& error() const { return error_; }

  bool null() override { return Value(""); }
  bool boolean(bool v) override { return Value(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return Value(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Value(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return Value(text); }
  bool string(string_t& v) override { return Value(std::move(v)); }
  bool binary(binary_t&) override { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    return Fail("parameter " + base::QuoteForMessage(key_) + " is an object; expected a flat object of strings and numbers");
  }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override {
    depth_ = 0;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return Fail("the body is a JSON array; expected an object");
    return Fail("parameter " + base::QuoteForMessage(key_) + " is an array; expected a flat object of strings and numbers");
  }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    if (error_.empty()) error_ = "malformed JSON at byte " + std::to_string(position);
    return false;
  }

 private:
  bool Value(std::string v) {
    if (depth_ == 0) return Fail("the body is a JSON scalar; expected an object");
    out_->emplace_back(key_, std::move(v));
    return true;
  }
  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  Params* out_;
  std::string key_;
  std::string error_;
  int depth_ = 0;
};

}  // namespace

base::Result<Params> ParseFormParams(std::string_view body) {
  Params params;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view segment = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (segment.empty()) continue;
    const size_t eq = segment.find('=');
    const std::string_view raw_name = segment.substr(0, eq);
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    std::string name;
    std::string value;
    if (!FormDecode(raw_name, &name)) {
      return base::Status::InvalidArgument("parameter name " + base::QuoteForMessage(raw_name) + ": malformed %-escape");
    }
    if (!base::IsValidUtf8(name)) return base::Status::InvalidArgument("parameter name " + base::QuoteForMessage(name) + " is not valid UTF-8");
    if (!FormDecode(raw_value, &value)) {
      return base::Status::InvalidArgument("parameter " + base::QuoteForMessage(name) + ": malformed %-escape in its value");
    }
    if (!base::IsValidUtf8(value)) return base::Status::InvalidArgument("parameter " + base::QuoteForMessage(name) + " is not valid UTF-8");
    params.emplace_back(std::move(name), std::move(value));
  }
  return params;
}

base::Result<Params> ParseJsonObjectParams(std::string_view body) {
  Params params;
  FlatObjectHandler handler(&params);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(body, &handler);
  } catch (const std::exception& e) {
    // sax_parse reports through the handler; a throw here would be a library surprise.
    return base::Status::InvalidArgument(std::string("malformed JSON body: ") + e.what());
  }
  if (!ok) {
    return base::Status::InvalidArgument("JSON body: " + (handler.error().empty() ? std::string("malformed") : handler.error()));
  }
  return params;
}

const std::string* FindParam(const Params& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::string_view ParamOrEmpty(const Params& params, std::string_view name) {
  const std::string* v = FindParam(params, name);
  return v == nullptr ? std::string_view() : std::string_view(*v);
}

}  // namespace omnihub::sms
