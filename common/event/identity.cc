#include "common/event/identity.h"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "common/base/coding.h"
#include "common/event/email_address.h"
#include "common/base/text.h"

namespace omnihub::event {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr size_t kMaxPlatformBytes = 32;
constexpr size_t kMaxUserIdBytes = 256;
constexpr size_t kMaxAccountBytes = 256;
constexpr std::string_view kArgumentForms = "use email:ADDR, phone:NUMBER, whatsapp:NUMBER or PLATFORM:ACCOUNT:USER_ID";
constexpr size_t kMaxHandleChars = 64;

// Display names and handles are for people, not matching: trimmed, control characters
// (a newline in a profile name) turned into spaces.
base::Result<std::string> CleanDisplayText(std::string_view s, std::string_view what) {
  if (!base::IsValidUtf8(s)) return base::Status::InvalidArgument(std::string(what) + " " + base::QuoteForMessage(s) + " is not valid UTF-8");
  std::string out(base::Trim(s));
  for (char& c : out) {
    if (base::IsControl(c)) c = ' ';
  }
  return out;
}

bool IsPlatformName(std::string_view name) {
  if (name.empty() || name.size() > kMaxPlatformBytes) return false;
  for (char c : name) {
    if (!base::IsAsciiDigit(c) && !(c >= 'a' && c <= 'z') && c != '_' && c != '-') return false;
  }
  return true;
}

// The kinds of the argument form: a platform with one of these names could not be printed as
// an argument that parses back to it.
bool IsReservedPlatformName(std::string_view name) {
  return name == "email" || name == "phone" || name == "sms" || name == "tel" || name == "mailto" ||
         name == "shortcode" || name == "sender";
}

// Platforms whose user ids are the same under every business account (docs/identities.md):
// their identities have an empty account, so the argument form may leave it out.
bool IsGlobalPlatform(std::string_view name) { return name == "telegram" || name == "x"; }

// "@ana_k" after "x:": a reference to whoever has that handle. X and Telegram handles are
// letters, digits and '_'; anything else is a typo, not a handle to look up.
base::Result<v1::Identity> HandleReference(std::string_view platform, std::string_view at_handle) {
  const std::string_view name = at_handle.substr(1);
  bool ok = !name.empty() && name.size() <= kMaxHandleChars;
  for (char c : name) ok = ok && (base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || c == '_');
  if (!ok) {
    return base::Status::InvalidArgument("invalid handle " + base::QuoteForMessage(at_handle) + " of platform '" +
                                         std::string(platform) + "': use '@' and 1-64 letters, digits or '_'");
  }
  v1::Identity id;
  id.set_kind(v1::Identity::PLATFORM);
  id.set_platform(std::string(platform));
  id.set_handle(std::string(at_handle));
  return id;
}

std::string_view ParseErrorText(PhoneNumberUtil::ErrorType e) {
  switch (e) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return "unknown country code";
    case PhoneNumberUtil::NOT_A_NUMBER:
      return "not a phone number";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return "too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "too short";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "too long";
    default:
      return "cannot be parsed";
  }
}

std::string_view PossibilityText(PhoneNumberUtil::ValidationResult r) {
  switch (r) {
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return "only dialable locally (add the area code)";
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return "unknown country code";
    case PhoneNumberUtil::TOO_SHORT:
      return "too short";
    case PhoneNumberUtil::TOO_LONG:
      return "too long";
    default:
      return "wrong length for its country";
  }
}

// Parses `s` in `region` and returns IS_POSSIBLE or the reason it is not a usable number
// (INVALID_LENGTH, with `*error` set, when it does not even parse).
PhoneNumberUtil::ValidationResult ParsePossible(const PhoneNumberUtil& util, const std::string& s,
                                                const std::string& region, PhoneNumber* pn,
                                                PhoneNumberUtil::ErrorType* error) {
  *error = util.Parse(s, region, pn);
  if (*error != PhoneNumberUtil::NO_PARSING_ERROR) return PhoneNumberUtil::INVALID_LENGTH;
  return util.IsPossibleNumberWithReason(*pn);
}

}  // namespace

IdentityNormalizer::IdentityNormalizer(std::string default_region)
    : default_region_(base::UpperAscii(base::Trim(default_region))) {
  // libphonenumber's default logger writes to stdout, which would corrupt omnihubctl's JSON
  // output; it logs only problems we report through Status anyway. Done once per process.
  static const bool muted = [] {
    PhoneNumberUtil::GetInstance()->SetLogger(new i18n::phonenumbers::NullLogger());
    return true;
  }();
  (void)muted;
}

bool IdentityNormalizer::IsSupportedRegion(std::string_view region) {
  std::set<std::string> regions;
  PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
  return regions.count(base::UpperAscii(region)) > 0;
}

base::Result<v1::Identity> IdentityNormalizer::Email(std::string_view raw) const {
  base::Result<EmailAddress> address = ParseEmailAddress(raw);
  if (!address.ok()) return address.status();
  v1::Identity id;
  id.set_kind(v1::Identity::EMAIL);
  id.set_value(address->Normalized());
  id.set_display_name(std::move(address->display_name));
  return id;
}

base::Result<v1::Identity> IdentityNormalizer::Phone(std::string_view raw) const {
  return PhoneInRegion(raw, default_region_);
}

base::Result<v1::Identity> IdentityNormalizer::PhoneInRegion(std::string_view raw, const std::string& region) const {
  // The memo holds default-region readings only: the same digits mean another number elsewhere.
  if (region != default_region_) return ParsePhone(raw, region);
  const std::string key(raw);
  {
    std::lock_guard lock(phone_memo_mu_);
    if (auto it = phone_memo_.find(key); it != phone_memo_.end()) return it->second;
  }
  auto result = ParsePhone(raw, region);
  if (result.ok()) {
    std::lock_guard lock(phone_memo_mu_);
    if (phone_memo_.size() >= kPhoneMemoEntries) phone_memo_.clear();
    phone_memo_.emplace(key, *result);
  }
  return result;
}

base::Result<v1::Identity> IdentityNormalizer::ParsePhone(std::string_view raw, const std::string& region) const {
  auto fail = [&](std::string_view defect) {
    return base::Status::InvalidArgument("invalid phone number " + base::QuoteForMessage(raw) +
                                   (region == default_region_ ? " (default region " : " (region ") + region +
                                   "): " + std::string(defect));
  };
  if (!base::IsValidUtf8(raw)) return fail("not valid UTF-8");
  std::string_view s = base::Trim(raw);
  if (base::ConsumePrefix(&s, "whatsapp:") || base::ConsumePrefix(&s, "tel:") || base::ConsumePrefix(&s, "sms:")) s = base::Trim(s);
  if (s.empty()) return fail("empty");
  if (base::HasControl(s)) return fail("contains a control character");
  for (char c : s) {
    // libphonenumber would read letters as a vanity number ("1-800-FLOWERS") or skip them; an
    // alphanumeric sender id ("ACME2024") must never become somebody's phone number.
    if (base::IsAsciiAlpha(c)) return fail("contains letters (alphanumeric sender ids and extensions are not phone numbers)");
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const std::string text(s);
  PhoneNumber pn;
  PhoneNumberUtil::ErrorType error = PhoneNumberUtil::NO_PARSING_ERROR;
  PhoneNumberUtil::ValidationResult possible = ParsePossible(util, text, region, &pn, &error);
  if (possible != PhoneNumberUtil::IS_POSSIBLE && text.starts_with("00")) {
    // "00" is the international prefix of most of the world; in a region whose prefix differs
    // (US: 011) read "00 41 ..." as "+41 ..." when the national reading is impossible.
    PhoneNumber alt;
    PhoneNumberUtil::ErrorType alt_error = PhoneNumberUtil::NO_PARSING_ERROR;
    if (ParsePossible(util, "+" + text.substr(2), region, &alt, &alt_error) == PhoneNumberUtil::IS_POSSIBLE) {
      pn = alt;
      error = alt_error;
      possible = PhoneNumberUtil::IS_POSSIBLE;
    }
  }
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    if (error == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR && !text.starts_with("+") && !IsSupportedRegion(region)) {
      return fail("no country code, and the default region is not a known region");
    }
    return fail(ParseErrorText(error));
  }
  // IS_POSSIBLE_LOCAL_ONLY is rejected too: its E.164 form would not be the customer's number.
  if (possible != PhoneNumberUtil::IS_POSSIBLE) return fail(PossibilityText(possible));
  v1::Identity id;
  id.set_kind(v1::Identity::PHONE);
  std::string e164;
  util.Format(pn, PhoneNumberUtil::E164, &e164);
  // libphonenumber may read its own E.164 output differently ("+4900400770001" formats as
  // "+490400770001", which reads as "+49400770001"): take the form that reads back as itself,
  // so normalizing a normalized number never changes it (identity keys depend on that).
  for (int round = 0;; ++round) {
    PhoneNumber again;
    PhoneNumberUtil::ErrorType again_error = PhoneNumberUtil::NO_PARSING_ERROR;
    if (ParsePossible(util, e164, "ZZ", &again, &again_error) != PhoneNumberUtil::IS_POSSIBLE ||
        again_error != PhoneNumberUtil::NO_PARSING_ERROR) {
      return fail("its E.164 form " + e164 + " is not a possible number");
    }
    std::string next;
    util.Format(again, PhoneNumberUtil::E164, &next);
    if (next == e164) break;
    if (round == 3) return fail("it has no stable E.164 form");
    e164 = std::move(next);
  }
  id.set_value(std::move(e164));
  return id;
}

base::Result<v1::Identity> IdentityNormalizer::Platform(std::string_view platform, std::string_view account,
                                                  std::string_view user_id, std::string_view handle,
                                                  std::string_view display_name) const {
  const std::string name = base::LowerAscii(base::Trim(platform));
  if (name.empty()) return base::Status::InvalidArgument("platform name is empty");
  if (!IsPlatformName(name)) {
    return base::Status::InvalidArgument("invalid platform name " + base::QuoteForMessage(platform) +
                                   ": use 1-32 characters of a-z, 0-9, '_' and '-'");
  }
  if (IsReservedPlatformName(name)) {
    return base::Status::InvalidArgument("platform name '" + name + "' is reserved (use an " +
                                   (name == "email" || name == "mailto" ? "email" : "phone") + " identity)");
  }
  const std::string where = " of platform '" + name + "'";
  if (user_id.empty()) return base::Status::InvalidArgument("user id" + where + " is empty");
  if (user_id.size() > kMaxUserIdBytes) return base::Status::InvalidArgument("user id" + where + " is longer than 256 bytes");
  if (!base::IsValidUtf8(user_id) || base::HasControl(user_id)) {
    return base::Status::InvalidArgument("user id " + base::QuoteForMessage(user_id) + where +
                                   " contains control characters or invalid UTF-8");
  }
  if (account.size() > kMaxAccountBytes) return base::Status::InvalidArgument("account" + where + " is longer than 256 bytes");
  if (!base::IsValidUtf8(account) || base::HasControl(account)) {
    return base::Status::InvalidArgument("account " + base::QuoteForMessage(account) + where +
                                   " contains control characters or invalid UTF-8");
  }
  auto clean_handle = CleanDisplayText(handle, "handle");
  if (!clean_handle.ok()) return clean_handle.status();
  auto clean_name = CleanDisplayText(display_name, "display name");
  if (!clean_name.ok()) return clean_name.status();
  v1::Identity id;
  id.set_kind(v1::Identity::PLATFORM);
  id.set_platform(name);
  id.set_account(std::string(account));
  id.set_value(std::string(user_id));
  id.set_handle(std::move(*clean_handle));
  id.set_display_name(std::move(*clean_name));
  return id;
}

base::Result<v1::Identity> IdentityNormalizer::Normalize(const v1::Identity& raw) const {
  switch (raw.kind()) {
    case v1::Identity::EMAIL:
    case v1::Identity::PHONE: {
      base::Result<v1::Identity> id = raw.kind() == v1::Identity::EMAIL ? Email(raw.value()) : Phone(raw.value());
      if (!id.ok() || !id->display_name().empty()) return id;
      auto name = CleanDisplayText(raw.display_name(), "display name");
      if (!name.ok()) return name.status();
      id->set_display_name(std::move(*name));
      return id;
    }
    case v1::Identity::PLATFORM:
      return Platform(raw.platform(), raw.account(), raw.value(), raw.handle(), raw.display_name());
    case v1::Identity::SHORT_CODE:
    case v1::Identity::ALPHANUMERIC_SENDER: {
      base::Result<v1::Identity> id = raw.kind() == v1::Identity::SHORT_CODE ? ShortCode(raw.value(), raw.account())
                                                                        : AlphanumericSender(raw.value());
      if (!id.ok()) return id;
      auto name = CleanDisplayText(raw.display_name(), "display name");
      if (!name.ok()) return name.status();
      id->set_display_name(std::move(*name));
      return id;
    }
    case v1::Identity::KIND_UNSPECIFIED:
      return base::Status::InvalidArgument("identity kind is unspecified (set email, phone or platform)");
    default:
      return base::Status::InvalidArgument("unknown identity kind " + std::to_string(static_cast<int>(raw.kind())));
  }
}

base::Result<v1::Identity> IdentityNormalizer::ParseArgument(std::string_view arg) const {
  const std::string_view s = base::Trim(arg);
  if (s.empty()) return base::Status::InvalidArgument("empty identity (" + std::string(kArgumentForms) + ")");
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    std::string hint;
    if (s.find('@') != std::string_view::npos) {
      hint = "; did you mean email:" + std::string(s) + "?";
    } else if (s.front() == '+' || s.front() == '(' || base::IsAsciiDigit(s.front())) {
      hint = "; did you mean phone:" + std::string(s) + "?";
    }
    return base::Status::InvalidArgument("identity " + base::QuoteForMessage(s) + " has no kind (" + std::string(kArgumentForms) +
                                   ")" + hint);
  }
  const std::string kind = base::LowerAscii(s.substr(0, colon));
  const std::string_view rest = s.substr(colon + 1);
  if (kind == "email") return Email(rest);
  if (kind == "mailto") return Email(s);
  if (kind == "phone" || kind == "tel" || kind == "sms") return Phone(rest);
  if (kind == "sender") return AlphanumericSender(rest);
  if (kind == "shortcode") {
    const size_t region_end = rest.find(':');
    if (region_end == std::string_view::npos) return ShortCode(rest);
    return ShortCode(rest.substr(region_end + 1), rest.substr(0, region_end));
  }
  // A phone number never contains ':', so "whatsapp:ACCOUNT:USER_ID" is a WhatsApp platform id.
  if (kind == "whatsapp" && rest.find(':') == std::string_view::npos) {
    base::Result<v1::Identity> phone = Phone(rest);
    if (phone.ok() || std::none_of(rest.begin(), rest.end(), base::IsAsciiAlpha)) return phone;
    return base::Status::InvalidArgument(phone.status().message() +
                                         "; a WhatsApp business-scoped user id is whatsapp:WABA_ID:USER_ID");
  }
  const size_t second = rest.find(':');
  if (second == std::string_view::npos) {
    if (IsGlobalPlatform(kind)) {
      if (rest.starts_with('@')) return HandleReference(kind, rest);
      return Platform(kind, "", rest);
    }
    // Page- and account-scoped ids: the same user id under another account is another person.
    static const std::map<std::string, std::string, std::less<>> kScopedForms = {
        {"messenger", "messenger:PAGE_ID:PSID"}, {"instagram", "instagram:IG_ACCOUNT_ID:IGSID"}};
    if (auto it = kScopedForms.find(kind); it != kScopedForms.end()) {
      return base::Status::InvalidArgument("identity " + base::QuoteForMessage(s) +
                                           " needs an account and a user id (use " + it->second + ")");
    }
    return base::Status::InvalidArgument("unknown identity kind " + base::QuoteForMessage(s.substr(0, colon)) + " (" +
                                   std::string(kArgumentForms) + ")");
  }
  if (!IsPlatformName(kind)) {
    return base::Status::InvalidArgument("unknown identity kind " + base::QuoteForMessage(s.substr(0, colon)) + " (" +
                                   std::string(kArgumentForms) + ")");
  }
  std::string account;
  if (!base::PercentDecode(rest.substr(0, second), &account)) {
    return base::Status::InvalidArgument("identity " + base::QuoteForMessage(s) +
                                   ": malformed %-escape in the account (write '%' as %25 and ':' as %3A)");
  }
  return Platform(kind, account, rest.substr(second + 1));
}

bool IsHandleReference(const v1::Identity& id) {
  return id.kind() == v1::Identity::PLATFORM && id.value().empty() && !id.handle().empty();
}

std::string IdentityKey(const v1::Identity& id) {
  std::string key;
  // The kind number is stored on disk; Identity.Kind is never renumbered.
  key.push_back(static_cast<char>(id.kind()));
  if (id.kind() == v1::Identity::PLATFORM) {
    base::PutLengthPrefixed(&key, id.platform());
    base::PutLengthPrefixed(&key, id.account());
  } else if (id.kind() == v1::Identity::SHORT_CODE) {
    base::PutLengthPrefixed(&key, id.account());
  }
  base::PutLengthPrefixed(&key, id.value());
  return key;
}

base::Result<v1::Identity> IdentityFromKey(std::string_view key) {
  auto bad = [&] { return base::Status::InvalidArgument("malformed identity key " + base::QuoteForMessage(key)); };
  if (key.empty()) return bad();
  v1::Identity id;
  const auto kind = static_cast<unsigned char>(key.front());
  key.remove_prefix(1);
  if (kind != v1::Identity::EMAIL && kind != v1::Identity::PHONE && kind != v1::Identity::PLATFORM &&
      kind != v1::Identity::SHORT_CODE && kind != v1::Identity::ALPHANUMERIC_SENDER) {
    return bad();
  }
  id.set_kind(static_cast<v1::Identity::Kind>(kind));
  std::string_view part;
  if (kind == v1::Identity::PLATFORM) {
    if (!base::GetLengthPrefixed(&key, &part)) return bad();
    id.set_platform(std::string(part));
    if (!base::GetLengthPrefixed(&key, &part)) return bad();
    id.set_account(std::string(part));
  } else if (kind == v1::Identity::SHORT_CODE) {
    if (!base::GetLengthPrefixed(&key, &part)) return bad();
    id.set_account(std::string(part));
  }
  if (!base::GetLengthPrefixed(&key, &part) || !key.empty()) return bad();
  id.set_value(std::string(part));
  return id;
}

std::string IdentityToArgument(const v1::Identity& id) {
  switch (id.kind()) {
    case v1::Identity::EMAIL:
      return "email:" + id.value();
    case v1::Identity::PHONE:
      return "phone:" + id.value();
    case v1::Identity::PLATFORM:
      if (IsHandleReference(id)) return id.platform() + ":" + id.handle();
      // The short form only where it parses back: a user id with ':' or a leading '@' would
      // be read as an account or a handle.
      if (IsGlobalPlatform(id.platform()) && id.account().empty() && id.value().find(':') == std::string::npos &&
          !id.value().starts_with('@')) {
        return id.platform() + ":" + id.value();
      }
      return id.platform() + ":" + base::EscapeColons(id.account()) + ":" + id.value();
    case v1::Identity::SHORT_CODE:
      return "shortcode:" + id.account() + ":" + id.value();
    case v1::Identity::ALPHANUMERIC_SENDER:
      return "sender:" + id.value();
    default:
      return "unspecified:" + id.value();
  }
}

}  // namespace omnihub::event
