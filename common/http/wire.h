// HTTP/1.1 framing for HttpServer: splitting a request target, formatting a response head
// (status line and fields) and chunks. Pure functions on strings, no sockets.
//
// Thread-safety: stateless.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/http/types.h"

namespace omnihub::http::wire {

// How the end of a response body is found.
enum class Framing {
  kNone,           // no body at all (204, 304)
  kContentLength,  // Content-Length: content_length
  kChunked,        // Transfer-Encoding: chunked
  kUntilClose,     // the connection closes after the body (streams to HTTP/1.0 clients)
};

struct ResponseHead {
  int status = 200;  // REQUIRES: 200..599
  std::string_view content_type;  // "" = no Content-Type field
  const HttpHeaders* headers = nullptr;  // further fields, may be null
  Framing framing = Framing::kContentLength;
  size_t content_length = 0;
  bool keep_alive = true;
  int request_version = 11;  // 10: keep-alive must be announced explicitly
};

// "HTTP/1.1 200 OK\r\n...\r\n\r\n". Fields in `headers` that the framing owns (Content-Length,
// Transfer-Encoding, Connection, and Content-Type when content_type is set) are dropped, as is
// any field whose name is not a token or whose value holds CR, LF or NUL (no response
// splitting through a handler that copies input into a field).
std::string FormatResponseHead(const ResponseHead& head);

// One chunk of a chunked body; "" for empty data (an empty chunk would end the body).
std::string FormatChunk(std::string_view data);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// Raw path and raw query ("" if none) of a request target. An absolute-form target
// ("http://host:8080/a?b") loses its scheme and authority; an authority without a path is "/".
void SplitTarget(std::string_view target, std::string* path, std::string* query);

}  // namespace omnihub::http::wire
