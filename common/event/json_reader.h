// The one JSON reader for text that comes from outside: ingest lines (common/event/ingest_json.h)
// and SMS webhook bodies (services/sms/form_params.h). It puts a guard in front of nlohmann's SAX
// parser that enforces, while parsing, what every caller needs:
//   - the text is valid UTF-8 (refused up front, naming the offset of the first bad byte);
//   - exactly one top-level value, and it is an object (refused at its first event);
//   - objects and arrays nest at most JsonReadOptions::max_depth levels (refused when the level
//     opens, so that a hostile text never makes a handler build a deep tree);
//   - a name appears once per object, unless JsonReadOptions::allow_duplicate_keys: nlohmann
//     keeps the last of two silently and most readers do too, while FindParam-style lookups take
//     the first, so two "from"s mean different things to different readers;
//   - syntax errors read "... is not valid JSON: parse error at line L, column C (byte B): why",
//     without the library's "[json.exception.parse_error.101]" prefix.
// Events that pass are forwarded to the caller's JsonHandler, which may refuse with a message
// of its own (e.g. the SMS reader refuses nested values naming the parameter).
//
// Bad input is InvalidArgument; Internal means a handler's bug (it threw, or stopped without
// Refuse). Nothing throws. Thread-safety: the functions are pure; a handler serves one call.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::event {

struct JsonReadOptions {
  // The number of objects and arrays that may be open at once; the top-level object is level 1.
  int max_depth = 8;
  // Off by default: a name given twice has no agreed meaning (RFC 8259, section 4).
  bool allow_duplicate_keys = false;
  // What the text is, for messages: "<subject> is not valid UTF-8 ...", "<subject> must be a
  // JSON object, got array".
  std::string_view subject = "text";
  // How a syntax error reads: by default "<subject> is not valid JSON: parse error at line L,
  // column C (byte B): ..."; a caller whose messages are already documented keeps its wording
  // with its own prefix, and may leave the byte out.
  std::string_view syntax_error_prefix = {};  // empty: "<subject> is not valid JSON: "
  bool syntax_error_byte = true;
  // Appended to the invalid-UTF-8 message (ingest: "; the ingest format is UTF-8 JSON").
  std::string_view utf8_hint = {};
};

// The caller's side of the reader: nlohmann's SAX interface, seen only after the guard's checks
// (so the first event is always start_object, and key() never repeats a name unless allowed).
// A handler stops the parse by returning Refuse("why"), whose message becomes the error.
class JsonHandler : public nlohmann::json_sax<nlohmann::json> {
 public:
  // Records `message` as the reason (the first one wins) and returns false.
  bool Refuse(std::string message);
  const std::string& refusal() const { return refusal_; }

  // The guard reports syntax errors itself, and text never holds binary values.
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) final { return false; }
  bool binary(binary_t&) final { return Refuse("binary values are not JSON"); }

 private:
  std::string refusal_;
};

// Reads `text` through the guard into `handler`. Ok when the whole text was one object that
// the guard and the handler accepted; otherwise InvalidArgument with the first defect.
base::Status ReadJson(std::string_view text, const JsonReadOptions& options, JsonHandler& handler);

// Reads `text` into a DOM (for callers that look values up by name, like ingest). Numbers are
// stored as nlohmann parses them, so a float's text is not kept; SAX users that need it get
// it from number_float's second argument.
base::Result<nlohmann::json> ReadJsonObject(std::string_view text, const JsonReadOptions& options = {});

}  // namespace omnihub::event
