// Files compiled into omnihub-api (cmake/EmbedFiles.cmake), so the console and the OpenAPI
// document are served from the binary: nothing to install beside it, nothing fetched at run
// time, and the bytes always match the build.
#pragma once

#include <span>
#include <string_view>

namespace omnihub::api {

struct EmbeddedFile {
  std::string_view path;  // relative to its folder, '/'-separated ("app.js", "fonts/x.woff2")
  std::string_view data;
};

// services/api/console/**: the agent console's static files.
std::span<const EmbeddedFile> ConsoleFiles();
// services/api/openapi/*.json: the OpenAPI document's parts, merged by endpoints/openapi.cc.
std::span<const EmbeddedFile> OpenApiParts();

}  // namespace omnihub::api
