// GET / and GET /console/{file}: the agent console (docs/console.md). The router captures one
// path segment, so the console's files sit flat in services/api/console/, and a name is looked
// up exactly among the embedded files: no path is ever built from the request.
//
// Thread-safety: the handlers only read the compiled-in files.
#include <array>
#include <utility>

#include "services/api/core/api_response.h"
#include "services/api/core/embedded_files.h"
#include "services/api/endpoints/console_files.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kContentTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".woff2", "font/woff2"},
}};

}  // namespace

std::string_view ConsoleContentType(std::string_view name) {
  for (const auto& [ext, type] : kContentTypes) {
    if (name.size() > ext.size() && name.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

http::HttpResponse ConsoleFileResponse(std::string_view name) {
  for (const EmbeddedFile& file : ConsoleFiles()) {
    if (file.path != name) continue;
    http::HttpResponse response;
    response.content_type = std::string(ConsoleContentType(name));
    response.body = std::string(file.data);
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
  }
  return ApiError(404, "not_found", "the console has no file of that name", "path");
}

base::Status AddConsoleRoutes(ApiRoutes& routes, ApiServices& /*services*/) {
  OMNIHUB_RETURN_IF_ERROR(routes.AddPublic("GET", "/", [](const http::HttpRequest&) {
    return ConsoleFileResponse("index.html");
  }));
  return routes.AddPublic("GET", "/console/{path}", [](const http::HttpRequest& request) {
    return ConsoleFileResponse(request.param("path"));
  });
}

}  // namespace omnihub::api
