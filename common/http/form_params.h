// Form and query parameters as an ordered list of (name, value) pairs: what an
// application/x-www-form-urlencoded body (Twilio) or a request's query string (Vonage GET
// webhooks, Meta's and X's handshakes) holds, in the order received, duplicates kept, so that
// signatures can be computed over exactly what was received.
//
// Thread-safety: pure functions over their arguments; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace omnihub::http {

using Params = std::vector<std::pair<std::string, std::string>>;

// Parses a form body or a raw query string (without the '?'): pairs separated by '&', name
// and value by the first '='; '+' is a space, then %XX escapes are decoded (names too). Empty
// segments ("a=1&&b=2", a trailing '&') are skipped; a segment without '=' is a name with an
// empty value. InvalidArgument naming the parameter for a malformed %-escape or a name or
// value that is not UTF-8.
base::Result<Params> ParseFormParams(std::string_view body);

// The value of the first parameter called `name`, or nullptr. The pointer is valid while
// `params` is unchanged.
const std::string* FindParam(const Params& params, std::string_view name);

// The value of the first parameter called `name`, or "" when there is none.
std::string_view ParamOrEmpty(const Params& params, std::string_view name);

}  // namespace omnihub::http
