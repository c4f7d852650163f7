// X-Twilio-Signature: Twilio signs each webhook request with HMAC-SHA1 under the account's
// auth token over the full URL it requested followed by the POST parameters sorted by name
// (then value), each name immediately followed by its value; Base64 (docs/sms.md,
// channel-formats section 3.4). Verification compares in constant time and, like Twilio's
// helper libraries, also accepts the URL with the scheme's default port added, or with an
// explicit port removed, since proxies and Twilio disagree about writing ports.
//
// `url` must be the public URL as Twilio requested it: configured scheme, host and port,
// then the path and the raw query string exactly as received.
//
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "services/sms/form_params.h"

namespace omnihub::sms {

// Base64 HMAC-SHA1(auth_token, url + sorted name/value pairs). For a GET request, or a JSON
// body, `params` is empty (the parameters are in the URL's query).
std::string ComputeTwilioSignature(std::string_view auth_token, std::string_view url, const Params& params);

// True when `header` (the X-Twilio-Signature value) signs `url` and `params` under
// `auth_token`, or signs `url` with its default port added or its port removed.
bool ValidTwilioSignature(std::string_view auth_token, std::string_view url, const Params& params,
                          std::string_view header);

// JSON-bodied webhooks: Twilio puts bodySHA256=<hex SHA-256 of the body> into the URL's query
// and signs the URL alone. True when the URL carries bodySHA256, it matches `raw_body`
// (lower- or upper-case hex) and the signature over the URL is valid.
bool ValidTwilioJsonSignature(std::string_view auth_token, std::string_view url, std::string_view raw_body,
                              std::string_view header);

// `url` with the default port written out (":443" for https, ":80" for http) when it has no
// port, and `url` without its port when it has one; `url` itself otherwise (not http(s), or
// malformed). Exposed for tests.
std::string TwilioUrlWithDefaultPort(std::string_view url);
std::string TwilioUrlWithoutPort(std::string_view url);

}  // namespace omnihub::sms
