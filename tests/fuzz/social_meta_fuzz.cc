// libFuzzer target: arbitrary bytes through everything a Meta webhook request reaches before
// it is accepted: the X-Hub-Signature-256 check, the subscription handshake and the mapping of
// Messenger, Instagram and WhatsApp Cloud deliveries (with a real IdentityNormalizer). Besides
// "no crash, no sanitizer report" it checks invariants and traps when one breaks:
//   - every event of a mapped delivery, once stamped as the HTTP side stamps it, passes the
//     unifier's ValidateAndNormalizeEvent, has a provider id, and an ACTIVITY keeps raw JSON;
//   - every identity it names (sender, recipients, party links) is normalized: normalizing it
//     again keeps its key;
//   - a signature computed over the body verifies, and fails with one hex digit changed;
//   - a handshake answers nothing but the challenge it was given.
// Input: the whole input is tried as a body; its first line is also used as the signature
// header (and handshake parameters) for the rest.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "common/http/webhook_auth.h"
#include "services/social/meta/meta_mapper.h"
#include "services/social/meta/meta_signature.h"

namespace {

using namespace omnihub;
using namespace omnihub::social;

constexpr std::string_view kSecret = "app_secret_example";
constexpr int64_t kReceivedUs = 1'700'000'000'000'000;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckNormalized(const event::IdentityNormalizer& normalizer, const v1::Identity& id) {
  auto again = normalizer.Normalize(id);
  Check(again.ok());
  Check(event::IdentityKey(*again) == event::IdentityKey(id));
}

void CheckEvent(const event::IdentityNormalizer& normalizer, const MappedEvent& m) {
  v1::Event e = m.event;
  Check(!e.provider_message_id().empty());
  Check(e.provider_fields().count(kAccountNameField) == 1);
  Check(e.kind() != v1::ACTIVITY || (!m.raw_json.empty() && !e.activity().empty()));
  if (e.has_sender()) CheckNormalized(normalizer, e.sender());
  for (const auto& r : e.recipients()) CheckNormalized(normalizer, r);
  for (const auto& link : e.party_links()) CheckNormalized(normalizer, link.identity());
  e.set_event_id(std::string(16, '\x01'));
  e.set_received_at_us(kReceivedUs);
  Check(event::ValidateAndNormalizeEvent(&e, normalizer).ok());
}

void Map(const event::IdentityNormalizer& normalizer, std::string_view body, bool keep_deleted_text) {
  const DeliveryContext ctx{"fuzz", kReceivedUs, &normalizer, keep_deleted_text};
  auto delivery = MapMetaDelivery(body, ctx);
  if (!delivery.ok()) {
    Check(delivery.status().IsInvalidArgument());
    return;
  }
  for (const auto& m : *delivery) CheckEvent(normalizer, m);
}

void Signatures(std::string_view header, std::string_view body) {
  (void)VerifyMetaSignature(kSecret, header, body);
  const std::string valid = "sha256=" + base::HexEncode(http::Hmac(http::Digest::kSha256, kSecret, body));
  Check(VerifyMetaSignature(kSecret, valid, body));
  std::string forged = valid;
  forged.back() = forged.back() == '0' ? '1' : '0';
  Check(!VerifyMetaSignature(kSecret, forged, body));
  Check(!VerifyMetaSignature(kSecret, std::nullopt, body));
}

void Handshake(std::string_view first_line, std::string_view rest) {
  const auto answer = MetaHandshakeChallenge("subscribe", first_line, rest, first_line);
  Check(!answer || *answer == rest);
  Check(!MetaHandshakeChallenge(first_line, "token", rest, "other-token"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const event::IdentityNormalizer* normalizer = new event::IdentityNormalizer("US");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view first_line = input.substr(0, newline);
  const std::string_view rest = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  Map(*normalizer, input, size % 2 == 1);
  Map(*normalizer, rest, size % 2 == 0);
  Signatures(first_line, rest);
  Handshake(first_line, rest);
  return 0;
}
