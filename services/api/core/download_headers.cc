#include "services/api/core/download_headers.h"

#include "common/base/text.h"

namespace omnihub::api {
namespace {

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '#' || c == '$' || c == '&' ||
         c == '^' || c == '_' || c == '.' || c == '+' || c == '-';
}

// RFC 5987 attr-char: what may stand unescaped in filename*.
bool IsAttrChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' || c == '#' ||
         c == '$' || c == '&' || c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' ||
         c == '~';
}

}  // namespace

std::string SafeDownloadMediaType(std::string_view stored) {
  constexpr char kOpaque[] = "application/octet-stream";
  // The essence: type/subtype, lower case, without parameters.
  std::string essence = base::LowerAscii(base::Trim(stored.substr(0, stored.find(';'))));
  const size_t slash = essence.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == essence.size()) return kOpaque;
  for (char c : essence) {
    if (c != '/' && !IsTokenChar(c)) return kOpaque;
  }
  if (essence.find('/', slash + 1) != std::string::npos) return kOpaque;
  const std::string_view type = std::string_view(essence).substr(0, slash);
  const std::string_view subtype = std::string_view(essence).substr(slash + 1);
  // Anything a browser may render as a document or execute.
  if (subtype == "html" || subtype == "xhtml+xml" || subtype == "xml" || subtype.ends_with("+xml") ||
      subtype == "javascript" || subtype == "ecmascript" || subtype == "x-javascript" || type == "multipart" ||
      essence == "text/xsl") {
    return kOpaque;
  }
  return essence;
}

std::string AttachmentDisposition(std::string_view filename, std::string_view fallback) {
  if (filename.empty()) filename = fallback;
  std::string ascii;
  bool plain = true;
  for (unsigned char c : filename) {
    const bool safe = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    ascii.push_back(safe ? static_cast<char>(c) : '_');
    plain = plain && safe;
  }
  std::string header = "attachment; filename=\"" + ascii + "\"";
  if (!plain && base::IsValidUtf8(filename)) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    header += "; filename*=UTF-8''";
    for (unsigned char c : filename) {
      if (IsAttrChar(c)) {
        header.push_back(static_cast<char>(c));
      } else {
        header.push_back('%');
        header.push_back(kHex[c >> 4]);
        header.push_back(kHex[c & 0xf]);
      }
    }
  }
  return header;
}

void AddDownloadHeaders(http::HttpResponse& response, std::string_view filename, std::string_view fallback) {
  response.headers.emplace_back("Content-Disposition", AttachmentDisposition(filename, fallback));
  response.headers.emplace_back("Content-Security-Policy", "sandbox");
  response.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
}

}  // namespace omnihub::api
