// The agent console's static files (services/api/console/, compiled in) as HTTP answers:
// the file's bytes with its Content-Type, revalidated on every load (Cache-Control no-cache),
// so a new build's console is picked up without stale pieces mixed in. The files hold no
// data, so they are public routes; every piece of data comes from /api/v1 after login.
//
// Thread-safety: pure functions over the embedded files.
#pragma once

#include <string_view>

#include "common/http/types.h"

namespace omnihub::api {

// The Content-Type for a file name by its extension; application/octet-stream when unknown.
std::string_view ConsoleContentType(std::string_view name);

// The console file `name` ("index.html", "app.js"), or 404 not_found in the API's error shape.
http::HttpResponse ConsoleFileResponse(std::string_view name);

}  // namespace omnihub::api
