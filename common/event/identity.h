// Identity normalization: turns the many spellings of an email address, phone number,
// platform user id, SMS short code or alphanumeric SMS sender id into the one normalized
// v1::Identity that identity matching relies on (docs/identities.md explains each rule and why).
//
// Thread-safety: IdentityNormalizer is immutable after construction; every method may be
// called concurrently (libphonenumber's PhoneNumberUtil is a thread-safe singleton).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::event {

class IdentityNormalizer {
 public:
  // `default_region`: ISO 3166-1 alpha-2 code ("US", "DE") used for phone numbers written
  // without a country code. Case-insensitive. An unknown region makes every national-format
  // number fail with a message naming the region; check it first with IsSupportedRegion.
  explicit IdentityNormalizer(std::string default_region);

  // True when libphonenumber knows `region` (e.g. for validating configuration).
  static bool IsSupportedRegion(std::string_view region);

  const std::string& default_region() const { return default_region_; }

  // "Jane Doe <Jane.Doe@Example.COM>" -> value "jane.doe@example.com", display_name "Jane Doe".
  // Accepts a display name, angle brackets, RFC 5322 comments, surrounding whitespace and a
  // mailto: prefix; lower-cases the address and converts the domain to IDNA ASCII.
  // InvalidArgument naming the input and the defect otherwise. The parsing is ParseEmailAddress's
  // (common/event/email_address.h); the value is its Normalized() form.
  base::Result<v1::Identity> Email(std::string_view raw) const;

  // Any common spelling ("+44 20 7946 0958", "(415) 555-0100", "00 41 44 668 18 00", "tel:...",
  // "whatsapp:+1...", "sms:...") -> value in E.164 ("+442079460958"). Numbers without a country
  // code are read in the default region. InvalidArgument naming input and region otherwise.
  base::Result<v1::Identity> Phone(std::string_view raw) const;

  // A user id scoped by platform and account. `platform` is lower-cased and must match
  // [a-z0-9_-]{1,32} and not be a reserved kind name (email, phone, sms, tel, mailto);
  // `user_id` is kept byte for byte (ids are opaque) and must be 1-256 bytes of UTF-8 without
  // control characters; `account` may be empty. `handle` and `display_name` are trimmed.
  base::Result<v1::Identity> Platform(std::string_view platform, std::string_view account, std::string_view user_id,
                                std::string_view handle = {}, std::string_view display_name = {}) const;

  // An SMS provider's address (Twilio From/To, Vonage msisdn/to), classified:
  //  - "whatsapp:" prefix: a phone number (digits without '+' are read as international);
  //  - '+' first, or 8+ digits whose '+'-prefixed reading is a possible number (Vonage's
  //    "447700900001"): PHONE in E.164;
  //  - 3-8 digits otherwise: SHORT_CODE, value the digits, account the region;
  //  - text with a letter, at most 32 characters: ALPHANUMERIC_SENDER, value trimmed as given;
  //  - anything else (a national number such as "(415) 555-0100"): PHONE read in the region.
  // `region` (ISO 3166-1 alpha-2, case-insensitive) scopes short codes and reads national
  // numbers; empty means the default region. InvalidArgument naming the input otherwise, also
  // for other channel prefixes ("messenger:...").
  base::Result<v1::Identity> SmsAddress(std::string_view raw, std::string_view region = {}) const;

  // A short code of 3-8 ASCII digits (whitespace trimmed) in `region` (empty: the default
  // region); the region must be two ASCII letters and is upper-cased.
  base::Result<v1::Identity> ShortCode(std::string_view code, std::string_view region = {}) const;

  // An alphanumeric sender id: trimmed, 1-32 characters of UTF-8 without control characters,
  // at least one of them a letter (ASCII letter or any non-ASCII character); case is kept.
  base::Result<v1::Identity> AlphanumericSender(std::string_view raw) const;

  // Re-normalizes an identity of any kind: dispatches on kind (KIND_UNSPECIFIED is an error).
  // Idempotent. Fields that do not belong to the kind (platform/account/handle on an email or
  // phone identity) are dropped; a display name given in `raw.display_name` is kept when the value
  // itself carries none. A SHORT_CODE without an account gets the default region.
  base::Result<v1::Identity> Normalize(const v1::Identity& raw) const;

  // Parses a CLI/API identity argument: "email:ADDR", "phone:NUMBER", "whatsapp:NUMBER",
  // "sms:NUMBER", "tel:NUMBER", "mailto:ADDR", or "PLATFORM:ACCOUNT:USER_ID" (the account may be
  // empty; '%' and ':' inside it are written %25 and %3A; the user id is everything after the
  // second ':'). "whatsapp:ACCOUNT:USER_ID" (with two colons) is a WhatsApp platform id, e.g. a
  // business-scoped user id. The global platforms telegram and x also take "telegram:USER_ID"
  // (account empty) and "x:@handle", which is not an identity but a handle reference
  // (IsHandleReference: no user id, the handle as typed) for the unifier to resolve.
  // "shortcode:REGION:CODE" (or "shortcode:CODE" in the default region) is a short code,
  // "sender:NAME" an alphanumeric sender id. The kind prefix is case-insensitive. Errors say
  // what to fix.
  base::Result<v1::Identity> ParseArgument(std::string_view arg) const;

 private:
  base::Result<v1::Identity> ParsePhone(std::string_view raw, const std::string& region) const;
  // Phone() in `region` (memoized only for the default region).
  base::Result<v1::Identity> PhoneInRegion(std::string_view raw, const std::string& region) const;

  std::string default_region_;
  // Phone parsing (libphonenumber's regexes) dominates normalization, and the same
  // numbers recur (a customer writes many times; the business number is on every
  // event): successful results are remembered, up to kPhoneMemoEntries, then the memo
  // starts afresh. Guarded by phone_memo_mu_; the normalizer stays usable from any thread.
  static constexpr size_t kPhoneMemoEntries = 100000;
  mutable std::mutex phone_memo_mu_;
  mutable std::unordered_map<std::string, v1::Identity> phone_memo_;
};

// Deterministic matching key, the RocksDB key of the identities column family. Only the
// normalized fields take part (not handle or display_name). Binary and prefix-free:
//   key = kind (1 byte: the Identity.Kind number) then, each as varint length + bytes,
//         EMAIL/PHONE/ALPHANUMERIC_SENDER: value;  PLATFORM: platform, account, value;
//         SHORT_CODE: account (the region), value.
// No key is a prefix of another, so "a:b"/"c" and "a"/"b:c" cannot collide, and the key can be
// followed by more key parts. Layout in docs/identities.md. REQUIRES: a normalized identity.
std::string IdentityKey(const v1::Identity& id);

// Inverse of IdentityKey (kind and the normalized fields); InvalidArgument on a malformed key.
base::Result<v1::Identity> IdentityFromKey(std::string_view key);

// The CLI form that ParseArgument accepts back: "email:jane@example.com", "phone:+14155550100",
// "messenger:PAGE_ID:PSID", "telegram:USER_ID" and "x:USER_ID" (global platforms, empty
// account), "x:@ana_k" (a handle reference), "shortcode:US:72345", "sender:AcmeBank".
std::string IdentityToArgument(const v1::Identity& id);

// True for what ParseArgument makes of "x:@handle": a PLATFORM identity without a user id
// that names a handle. Never a stored identity (Normalize refuses an empty user id).
bool IsHandleReference(const v1::Identity& id);

}  // namespace omnihub::event
