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
#include "common/http/form_params.h"

namespace omnihub::sms {

// Form bodies and query strings are parsed by the shared reader (common/http/form_params.h).
using http::FindParam;
using http::ParamOrEmpty;
using http::Params;
using http::ParseFormParams;

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

}  // namespace omnihub::sms
