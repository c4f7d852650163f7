#include "common/http/wire.h"

#include <algorithm>
#include <cstdio>

#include <boost/beast/http/status.hpp>

#include "common/base/text.h"

namespace omnihub::http::wire {
namespace {

// RFC 9110 token characters.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool IsSafeValue(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

}  // namespace

std::string FormatResponseHead(const ResponseHead& head) {
  namespace http = boost::beast::http;
  const http::status code = http::int_to_status(static_cast<unsigned>(head.status));
  const auto beast_reason = http::obsolete_reason(code);
  const std::string_view reason =
      code == http::status::unknown ? "Unknown" : std::string_view(beast_reason.data(), beast_reason.size());
  std::string out = "HTTP/1.1 " + std::to_string(head.status) + " ";
  out.append(reason);
  out += "\r\n";
  auto field = [&out](std::string_view name, std::string_view value) {
    out.append(name);
    out += ": ";
    out.append(value);
    out += "\r\n";
  };
  if (!head.content_type.empty() && IsSafeValue(head.content_type)) field("Content-Type", head.content_type);
  switch (head.framing) {
    case Framing::kNone:
    case Framing::kUntilClose:
      break;
    case Framing::kContentLength:
      field("Content-Length", std::to_string(head.content_length));
      break;
    case Framing::kChunked:
      field("Transfer-Encoding", "chunked");
      break;
  }
  if (head.headers != nullptr) {
    for (const auto& [name, value] : *head.headers) {
      if (!IsToken(name) || !IsSafeValue(value)) continue;
      if (base::EqualsIgnoreAsciiCase(name, "Content-Length") || base::EqualsIgnoreAsciiCase(name, "Transfer-Encoding") ||
          base::EqualsIgnoreAsciiCase(name, "Connection") || (base::EqualsIgnoreAsciiCase(name, "Content-Type") && !head.content_type.empty())) {
        continue;
      }
      field(name, value);
    }
  }
  if (!head.keep_alive) {
    field("Connection", "close");
  } else if (head.request_version == 10) {
    field("Connection", "keep-alive");
  }
  out += "\r\n";
  return out;
}

std::string FormatChunk(std::string_view data) {
  if (data.empty()) return {};
  char size[24];
  const int n = std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  std::string out;
  out.reserve(static_cast<size_t>(n) + data.size() + 2);
  out.append(size, static_cast<size_t>(n));
  out.append(data);
  out += "\r\n";
  return out;
}

void SplitTarget(std::string_view target, std::string* path, std::string* query) {
  std::string_view rest = target;
  bool absolute = false;
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (base::StartsWithIgnoreAsciiCase(rest, scheme)) {
      absolute = true;
      rest.remove_prefix(scheme.size());
      const size_t start = rest.find_first_of("/?");
      rest = start == std::string_view::npos ? std::string_view() : rest.substr(start);
      break;
    }
  }
  const size_t q = rest.find('?');
  *path = std::string(rest.substr(0, q));
  *query = q == std::string_view::npos ? std::string() : std::string(rest.substr(q + 1));
  if (path->empty() && absolute) *path = "/";
}

}  // namespace omnihub::http::wire
