#include "common/http/form_params.h"

#include <algorithm>

#include "common/base/text.h"

namespace omnihub::http {
namespace {

// '+' is a space in application/x-www-form-urlencoded, then %XX escapes; '+' first, so that
// an encoded plus (%2B) stays a plus.
bool FormDecode(std::string_view in, std::string* out) {
  std::string plus_as_space(in);
  std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
  return base::PercentDecode(plus_as_space, out);
}

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

}  // namespace omnihub::http
