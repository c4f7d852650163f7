// IdentityNormalizer's SMS side: classifying the sender and recipient addresses SMS
// providers send into phone numbers, short codes and alphanumeric sender ids
// (docs/identities.md, docs/sms.md). The rest of the class is in identity.cc.
#include <string>
#include <string_view>

#include "common/event/identity.h"
#include "common/base/text.h"

namespace omnihub::event {
namespace {

// Short codes are 3-8 digits worldwide (US 5-6, UK 5, FR 5, DE 4-5, some 3 or 8).
constexpr size_t kMinShortCodeDigits = 3;
constexpr size_t kMaxShortCodeDigits = 8;
// E.164 numbers have at most 15 digits and, in practice, at least 8 with the country code:
// from 8 digits on, a digit-only SMS address is read as international (section 8 of the
// channel formats: Vonage and WhatsApp send numbers without '+').
constexpr size_t kMinInternationalDigits = 8;
// GSM allows 11 characters in an alphanumeric sender id; providers deliver longer ones
// (other networks, RCS-style names), so up to 32 are accepted.
constexpr size_t kMaxSenderChars = 32;

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!base::IsAsciiDigit(c)) return false;
  }
  return true;
}

// Number of UTF-8 characters. REQUIRES: valid UTF-8.
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool HasLetter(std::string_view s) {
  for (char c : s) {
    if (base::IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

// "" -> the default region; otherwise two ASCII letters, upper-cased.
base::Result<std::string> RegionOrDefault(std::string_view region, const std::string& default_region) {
  const std::string_view r = base::Trim(region);
  if (r.empty()) return default_region;
  if (r.size() != 2 || !base::IsAsciiAlpha(r[0]) || !base::IsAsciiAlpha(r[1])) {
    return base::Status::InvalidArgument("invalid region " + base::QuoteForMessage(region) + ": use an ISO 3166-1 code such as US");
  }
  return base::UpperAscii(r);
}

}  // namespace

base::Result<v1::Identity> IdentityNormalizer::ShortCode(std::string_view code, std::string_view region) const {
  auto scope = RegionOrDefault(region, default_region_);
  if (!scope.ok()) return scope.status();
  const std::string_view digits = base::Trim(code);
  if (!IsAllDigits(digits) || digits.size() < kMinShortCodeDigits || digits.size() > kMaxShortCodeDigits) {
    return base::Status::InvalidArgument("invalid short code " + base::QuoteForMessage(code) + ": use 3-8 digits");
  }
  v1::Identity id;
  id.set_kind(v1::Identity::SHORT_CODE);
  id.set_account(std::move(*scope));
  id.set_value(std::string(digits));
  return id;
}

base::Result<v1::Identity> IdentityNormalizer::AlphanumericSender(std::string_view raw) const {
  auto fail = [&](std::string_view defect) {
    return base::Status::InvalidArgument("invalid alphanumeric sender id " + base::QuoteForMessage(raw) + ": " + std::string(defect));
  };
  if (!base::IsValidUtf8(raw)) return fail("not valid UTF-8");
  const std::string_view s = base::Trim(raw);
  if (s.empty()) return fail("empty");
  if (base::HasControl(s)) return fail("contains a control character");
  if (Utf8Length(s) > kMaxSenderChars) return fail("longer than 32 characters");
  if (!HasLetter(s)) return fail("has no letter (a number is a phone number or a short code)");
  v1::Identity id;
  id.set_kind(v1::Identity::ALPHANUMERIC_SENDER);
  id.set_value(std::string(s));
  return id;
}

base::Result<v1::Identity> IdentityNormalizer::SmsAddress(std::string_view raw, std::string_view region) const {
  auto scope = RegionOrDefault(region, default_region_);
  if (!scope.ok()) return scope.status();
  if (!base::IsValidUtf8(raw)) return base::Status::InvalidArgument("invalid SMS address " + base::QuoteForMessage(raw) + ": not valid UTF-8");
  std::string_view s = base::Trim(raw);
  if (s.empty()) return base::Status::InvalidArgument("SMS address is empty");
  if (base::ConsumePrefix(&s, "whatsapp:")) {
    // A WhatsApp address is always a phone number; WhatsApp writes it without '+' in places.
    s = base::Trim(s);
    if (IsAllDigits(s)) return PhoneInRegion("+" + std::string(s), *scope);
    return PhoneInRegion(s, *scope);
  }
  if (s.front() == '+') return PhoneInRegion(s, *scope);
  if (IsAllDigits(s)) {
    if (s.size() >= kMinInternationalDigits) {
      auto international = PhoneInRegion("+" + std::string(s), *scope);
      if (international.ok()) return international;
    }
    if (s.size() >= kMinShortCodeDigits && s.size() <= kMaxShortCodeDigits) return ShortCode(s, *scope);
    // A national number without separators ("0301234567" from a German caller id).
    return PhoneInRegion(s, *scope);
  }
  if (base::ConsumePrefix(&s, "tel:") || base::ConsumePrefix(&s, "sms:")) return PhoneInRegion(base::Trim(s), *scope);
  // Twilio's other channel addresses; their ids are platform ids, never SMS identities.
  for (std::string_view prefix : {"messenger:", "rcs:"}) {
    if (s.size() >= prefix.size() && base::LowerAscii(s.substr(0, prefix.size())) == prefix) {
      return base::Status::InvalidArgument("SMS address " + base::QuoteForMessage(raw) + " is a '" + std::string(prefix) +
                                     "' channel address, not an SMS address");
    }
  }
  if (HasLetter(s)) return AlphanumericSender(s);
  return PhoneInRegion(s, *scope);
}

}  // namespace omnihub::event
