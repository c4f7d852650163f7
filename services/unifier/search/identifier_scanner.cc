#include "services/unifier/search/identifier_scanner.h"

#include <algorithm>

#include "common/base/text.h"

namespace omnihub::unifier::search {
namespace {

// Shortest and longest digit counts of a phone number as people write it: 7 (a local number
// in the default region) to 15 (E.164's limit) plus an international "00" or "011" prefix.
constexpr size_t kMinPhoneDigits = 7;
constexpr size_t kMaxPhoneDigits = 18;

bool IsLocalPartChar(char c) {
  return base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) { return base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || c == '.' || c == '-'; }
bool IsHandleChar(char c) { return base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || c == '_' || c == '.'; }
bool IsPhoneSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }
// A byte that continues a word: an ASCII letter or digit, or any byte of a non-ASCII character
// (a phone run glued to "Tel" or to "№" is not read as a number).
bool IsWordByte(char c) {
  return base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || static_cast<unsigned char>(c) >= 0x80;
}

void FindEmailsAndHandles(std::string_view text, const event::IdentityNormalizer& normalizer,
                          std::vector<FoundIdentifier>* out) {
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && IsLocalPartChar(text[begin - 1])) --begin;
    if (begin < at) {
      // local@domain: the domain runs to the last letter or digit ("ana@example.com." ends a sentence).
      size_t end = at + 1;
      while (end < text.size() && IsDomainChar(text[end])) ++end;
      while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
      const std::string_view candidate = text.substr(begin, end - begin);
      if (candidate.find('.', at + 1 - begin) == std::string_view::npos) continue;  // "a@localhost" in prose is not mail
      auto email = normalizer.Email(candidate);
      if (email.ok()) out->push_back({FoundIdentifier::kEmail, email->value(), begin, end});
      continue;
    }
    // @handle: '@' at the start of a word, then letters, digits, '_' and inner dots.
    if (at > 0 && IsWordByte(text[at - 1])) continue;
    size_t end = at + 1;
    while (end < text.size() && IsHandleChar(text[end])) ++end;
    while (end > at + 1 && text[end - 1] == '.') --end;
    if (end == at + 1) continue;
    out->push_back({FoundIdentifier::kHandle, base::LowerAscii(text.substr(at + 1, end - at - 1)), at, end});
  }
}

// A run of digits and the separators people put in phone numbers, optionally after a '+'.
void FindPhones(std::string_view text, const event::IdentityNormalizer& normalizer, std::vector<FoundIdentifier>* out) {
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool starts = c == '+' || c == '(' || base::IsAsciiDigit(c);
    if (!starts || (i > 0 && (IsWordByte(text[i - 1]) || text[i - 1] == '+'))) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    size_t digits = base::IsAsciiDigit(c) ? 1 : 0;
    while (end < text.size() && (base::IsAsciiDigit(text[end]) || IsPhoneSeparator(text[end]))) {
      // Two separators in a row end the number ("415 555 0100 - call me").
      if (!base::IsAsciiDigit(text[end]) && text[end] != '(' && !base::IsAsciiDigit(text[end - 1]) &&
          text[end - 1] != ')') {
        break;
      }
      if (base::IsAsciiDigit(text[end])) ++digits;
      ++end;
    }
    while (end > i && !base::IsAsciiDigit(text[end - 1])) --end;  // trailing separators belong to the prose
    const bool glued = end < text.size() && IsWordByte(text[end]);
    if (!glued && digits >= kMinPhoneDigits && digits <= kMaxPhoneDigits) {
      auto phone = normalizer.Phone(text.substr(i, end - i));
      if (phone.ok()) out->push_back({FoundIdentifier::kPhone, phone->value(), i, end});
    }
    i = std::max(end, i + 1);
  }
}

}  // namespace

std::vector<FoundIdentifier> FindIdentifiers(std::string_view text, const event::IdentityNormalizer& normalizer) {
  std::vector<FoundIdentifier> out;
  FindEmailsAndHandles(text, normalizer, &out);
  FindPhones(text, normalizer, &out);
  // A phone-like run inside an email address ("4155550100@example.com") is the address's.
  std::erase_if(out, [&](const FoundIdentifier& f) {
    return f.kind == FoundIdentifier::kPhone && std::any_of(out.begin(), out.end(), [&](const FoundIdentifier& e) {
             return e.kind == FoundIdentifier::kEmail && e.begin <= f.begin && f.end <= e.end;
           });
  });
  std::sort(out.begin(), out.end(), [](const FoundIdentifier& a, const FoundIdentifier& b) { return a.begin < b.begin; });
  return out;
}

}  // namespace omnihub::unifier::search
