// Webhook parameters: what SMS providers send, as an ordered list of (name, value) pairs.
// Twilio posts application/x-www-form-urlencoded bodies (or a GET query string), Vonage a
// query string, a form body or a flat JSON object. All three become the same Params, in the
// order received, form duplicates kept: signatures are computed over exactly what was received.
//
// Thread-safety: pure functions over their arguments; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace omnihub::sms {

using Params = std::vector<std::pair<std::string, std::string>>;

// Parses a form body or a raw query string (without the '?'): pairs separated by '&', name
// and value by the first '='; '+' is a space, then %XX escapes are decoded (names too). Empty
// segments ("a=1&&b=2", a trailing '&') are skipped; a segment without '=' is a name with an
// empty value. InvalidArgument naming the parameter for a malformed %-escape or a name or
// value that is not UTF-8.
base::Result<Params> ParseFormParams(std::string_view body);

// Parses a flat JSON object ({"msisdn":"447700900001","concat-part":2,"concat":true}) into
// Params, keys in document order, with the shared reader (common/event/json_reader.h). String
// values are kept as decoded; numbers keep their text as written (integers in decimal);
// true/false become "true"/"false"; null becomes "". InvalidArgument for anything else: not
// UTF-8 (naming the offset), not JSON (naming the position), not an object, a nested object or
// array (naming its key), trailing text.
//
// A name given twice is kept, in order, exactly as a form body keeps it: signatures are computed
// over every received pair, and FindParam takes the first, as it always has for this adapter.
base::Result<Params> ParseJsonObjectParams(std::string_view body);

// The value of the first parameter called `name`, or nullptr. The pointer is valid while
// `params` is unchanged.
const std::string* FindParam(const Params& params, std::string_view name);

// The value of the first parameter called `name`, or "" when there is none.
std::string_view ParamOrEmpty(const Params& params, std::string_view name);

}  // namespace omnihub::sms
