#include "services/sms/form_params.h"

#include <algorithm>

#include "common/base/text.h"
#include "common/event/json_reader.h"

namespace omnihub::sms {
namespace {

// Collects the members of one flat JSON object behind the shared reader's guard, which has
// already refused a top-level non-object and invalid UTF-8. nlohmann's SAX
// parser hands numbers over with their text, so "0.03330000" stays as written.
class FlatObjectHandler final : public event::JsonHandler {
 public:
  explicit FlatObjectHandler(Params* out) : out_(out) {}

  bool null() override { return Value(""); }
  bool boolean(bool v) override { return Value(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return Value(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Value(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return Value(text); }
  bool string(string_t& v) override { return Value(std::move(v)); }
  bool start_object(std::size_t) override {
    if (!in_object_) {
      in_object_ = true;  // the body itself
      return true;
    }
    return Nested("an object");
  }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return Nested("an array"); }
  bool end_array() override { return true; }

 private:
  bool Value(std::string v) {
    out_->emplace_back(key_, std::move(v));
    return true;
  }
  bool Nested(std::string_view what) {
    return Refuse("JSON body: parameter " + base::QuoteForMessage(key_) + " is " + std::string(what) +
                  "; expected a flat object of strings and numbers");
  }

  Params* out_;
  std::string key_;
  bool in_object_ = false;
};

// Repeated names kept, in order, as in a form body: see form_params.h. Depth 2 is the body and one
// nested value, which the handler refuses itself so that the message names the parameter.
constexpr event::JsonReadOptions kBodyOptions{.max_depth = 2,
                                              .allow_duplicate_keys = true,
                                              .subject = "JSON body",
                                              .syntax_error_prefix = "JSON body: malformed JSON: "};

}  // namespace

base::Result<Params> ParseJsonObjectParams(std::string_view body) {
  Params params;
  FlatObjectHandler handler(&params);
  OMNIHUB_RETURN_IF_ERROR(event::ReadJson(body, kBodyOptions, handler));
  return params;
}

}  // namespace omnihub::sms
