#include "services/email/parse/quote_trimmer.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "common/base/text.h"

namespace omnihub::email {
namespace {

// Attribution lines longer than this are prose that happens to start with "On", not a header.
constexpr size_t kMaxAttributionBytes = 400;
// How far below a From: line the rest of an Outlook header block may appear.
constexpr size_t kHeaderBlockLines = 5;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool IsBlank(std::string_view line) { return base::Trim(line).empty(); }

// A localized "<opening> … <closing>" attribution pattern; `middle` must also occur if set.
struct Attribution {
  std::string_view opening;
  std::string_view closing;
  std::string_view middle;
};

constexpr std::array<Attribution, 12> kAttributions = {{
    {"On ", "wrote:", ""},
    {"On ", "wrote :", ""},
    {"Le ", "a écrit :", ""},
    {"Le ", "a écrit:", ""},
    {"Am ", ":", " schrieb"},
    {"El ", "escribió:", ""},
    {"El ", "escribió :", ""},
    {"Op ", ":", " schreef"},
    {"Il ", "ha scritto:", ""},
    {"Em ", "escreveu:", ""},
    {"Den ", "skrev:", ""},
    {"W dniu ", "pisze:", ""},
}};

bool HasDigitOrAt(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return base::IsAsciiDigit(c) || c == '@'; });
}

bool IsAttribution(std::string_view joined) {
  if (joined.size() > kMaxAttributionBytes || !HasDigitOrAt(joined)) return false;
  for (const Attribution& a : kAttributions) {
    if (base::StartsWithIgnoreAsciiCase(joined, a.opening) && base::EndsWithIgnoreAsciiCase(joined, a.closing) &&
        (a.middle.empty() || joined.find(a.middle) != std::string_view::npos)) {
      return true;
    }
  }
  // talon's date-first splitter: "2014-10-17 11:28 GMT+03:00 Bob <bob@example.com>:".
  return base::IsAsciiDigit(joined.front()) && joined.ends_with(">:") && joined.find('@') != std::string_view::npos;
}

// An attribution starting at lines[i], possibly wrapped over up to three lines.
bool AttributionAt(const std::vector<std::string_view>& lines, size_t i) {
  std::string joined;
  for (size_t k = i; k < lines.size() && k < i + 3; ++k) {
    const std::string_view line = base::Trim(lines[k]);
    if (line.empty()) return false;
    if (!joined.empty()) joined += ' ';
    joined.append(line);
    if (IsAttribution(joined)) return true;
  }
  return false;
}

bool IsOriginalMessageLine(std::string_view line) {
  line = base::Trim(line);
  if (!line.starts_with("--") || !line.ends_with("--")) return false;
  while (!line.empty() && line.front() == '-') line.remove_prefix(1);
  while (!line.empty() && line.back() == '-') line.remove_suffix(1);
  const std::string inner = base::LowerAscii(base::Trim(line));
  static constexpr std::array<std::string_view, 8> kNames = {
      "original message", "ursprüngliche nachricht", "message d'origine", "mensaje original",
      "messaggio originale", "oorspronkelijk bericht", "mensagem original", "ursprungligt meddelande"};
  return std::find(kNames.begin(), kNames.end(), inner) != kNames.end();
}

bool IsForwardMarker(std::string_view line) {
  const std::string lower = base::LowerAscii(base::Trim(line));
  return lower.find("forwarded message") != std::string::npos || lower == "begin forwarded message:" ||
         lower.find("weitergeleitete nachricht") != std::string::npos ||
         lower.find("message transféré") != std::string::npos ||
         lower.find("mensaje reenviado") != std::string::npos;
}

// True when `line` starts with one of `labels` followed by optional spaces and ':' ("Envoyé :"
// has a space in French typography). A leading '*' (bold, in text rendered from HTML) is skipped.
template <size_t N>
bool HasLabel(std::string_view line, const std::array<std::string_view, N>& labels) {
  line = base::Trim(line);
  if (line.starts_with('*')) line.remove_prefix(1);
  for (std::string_view label : labels) {
    if (!base::StartsWithIgnoreAsciiCase(line, label)) continue;
    std::string_view rest = line.substr(label.size());
    while (rest.starts_with(' ') || rest.starts_with("\xC2\xA0")) rest.remove_prefix(rest[0] == ' ' ? 1 : 2);
    if (rest.starts_with(':')) return true;
  }
  return false;
}

constexpr std::array<std::string_view, 6> kFromLabels = {"From", "Von", "De", "Van", "Da", "Od"};
constexpr std::array<std::string_view, 8> kSentLabels = {"Sent",   "Date",  "Gesendet", "Datum",
                                                         "Envoyé", "Enviado", "Inviato",  "Verzonden"};
constexpr std::array<std::string_view, 7> kSubjectLabels = {"Subject", "Betreff", "Objet",   "Asunto",
                                                            "Oggetto", "Onderwerp", "Assunto"};

// The line an Outlook header block starting at lines[i] should be cut from, if it is one.
std::optional<size_t> HeaderBlockAt(const std::vector<std::string_view>& lines, size_t i) {
  if (!HasLabel(lines[i], kFromLabels)) return std::nullopt;
  bool sent = false;
  bool subject = false;
  for (size_t k = i + 1; k < lines.size() && k <= i + kHeaderBlockLines; ++k) {
    sent = sent || HasLabel(lines[k], kSentLabels);
    subject = subject || HasLabel(lines[k], kSubjectLabels);
  }
  if (!sent || !subject) return std::nullopt;
  size_t start = i;
  size_t above = i;
  while (above > 0 && IsBlank(lines[above - 1])) --above;
  if (above > 0) {
    const std::string_view previous = base::Trim(lines[above - 1]);
    if (IsForwardMarker(previous)) return std::nullopt;
    // Outlook on the web draws a rule of underscores above the block.
    if (previous.size() >= 10 && previous.find_first_not_of('_') == std::string_view::npos) start = above - 1;
  }
  return start;
}

bool IsQuoteLine(std::string_view line) { return line.starts_with('>'); }

// Start of the block of ">" lines that ends the text, if it does end with one.
std::optional<size_t> TrailingQuoteBlock(const std::vector<std::string_view>& lines) {
  size_t last = lines.size();
  while (last > 0 && IsBlank(lines[last - 1])) --last;
  if (last == 0 || !IsQuoteLine(lines[last - 1])) return std::nullopt;
  size_t start = last - 1;
  for (size_t k = last - 1; k-- > 0;) {
    if (IsQuoteLine(lines[k])) {
      start = k;
    } else if (!IsBlank(lines[k])) {
      break;
    }
  }
  return start;
}

}  // namespace

TrimmedText TrimQuotedHistory(std::string_view text) {
  const std::vector<std::string_view> lines = SplitLines(text);
  std::optional<size_t> cut = TrailingQuoteBlock(lines);
  for (size_t i = 0; i < lines.size() && (!cut.has_value() || i < *cut); ++i) {
    if (IsOriginalMessageLine(lines[i]) || AttributionAt(lines, i)) {
      cut = i;
      break;
    }
    if (std::optional<size_t> block = HeaderBlockAt(lines, i)) {
      cut = *block;
      break;
    }
  }
  if (cut.has_value()) {
    std::string kept;
    for (size_t i = 0; i < *cut; ++i) {
      kept.append(lines[i]);
      kept += '\n';
    }
    while (!kept.empty() && base::IsAsciiSpace(kept.back())) kept.pop_back();
    if (!base::Trim(kept).empty()) return {std::move(kept), true};
  }
  return {std::string(text), false};
}

}  // namespace omnihub::email
