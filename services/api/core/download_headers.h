// How stored bytes (attachments, raw messages) are handed to a browser without it ever running
// them: the stored media type unless it is one a browser renders as a document or runs script
// in (HTML, XHTML, SVG, XML, JavaScript: then application/octet-stream), always as a download
// (Content-Disposition: attachment) and in a sandbox (Content-Security-Policy: sandbox), so an
// HTML attachment sent by a stranger cannot act with an agent's session. docs/api.md "Security".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/http/types.h"

namespace omnihub::api {

// The Content-Type to send for bytes stored with `stored` ("" = unknown).
std::string SafeDownloadMediaType(std::string_view stored);

// `Content-Disposition: attachment` naming `filename`: an ASCII fallback (quotes, backslashes,
// control and non-ASCII characters replaced by '_') and, when they differ, the UTF-8 name as
// RFC 6266 filename*. An empty name becomes `fallback`.
std::string AttachmentDisposition(std::string_view filename, std::string_view fallback);

// Adds Content-Disposition, `Content-Security-Policy: sandbox` and a private, immutable
// Cache-Control (the bytes behind a SHA-256 never change) to `response`; every route adds
// X-Content-Type-Options: nosniff itself (ApiRoutes).
void AddDownloadHeaders(http::HttpResponse& response, std::string_view filename, std::string_view fallback);

}  // namespace omnihub::api
