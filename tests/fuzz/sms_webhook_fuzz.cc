// libFuzzer target: arbitrary bytes through everything an SMS webhook request reaches before
// it is accepted: form and JSON parameter parsing, both signature checks, both mappers, the
// concat-part serialization and reassembly, and SMS address classification. Besides "no
// crash, no sanitizer report" it checks invariants and traps when one breaks:
//   - every identity a mapper puts on an event is normalized (re-normalizing keeps its key);
//   - a concat part decodes back from its encoding to the same bytes;
//   - a signature computed over the parameters verifies, and fails with one byte changed.
// Input: the first line is used as URL and signature header, the rest as the body; the whole
// input is also tried as a body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/base/uuid.h"
#include "services/sms/concat/concat_assembler.h"
#include "services/sms/form_params.h"
#include "services/sms/twilio/twilio_mapper.h"
#include "services/sms/twilio/twilio_signature.h"
#include "services/sms/vonage/vonage_mapper.h"
#include "services/sms/vonage/vonage_signature.h"

namespace {

using namespace omnihub;
using namespace omnihub::sms;

struct Fixture {
  event::IdentityNormalizer normalizer{"US"};
  base::ManualClock clock;
  base::SeededRandom random{1};
  base::UuidV7Generator ids{clock, random};
};

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckNormalized(const event::IdentityNormalizer& normalizer, const v1::Identity& id) {
  auto again = normalizer.Normalize(id);
  Check(again.ok());
  Check(event::IdentityKey(*again) == event::IdentityKey(id));
}

void CheckEvent(const event::IdentityNormalizer& normalizer, const v1::Event& e) {
  Check(e.event_id().size() == base::kUuidBytes);
  Check(!e.provider_message_id().empty());
  CheckNormalized(normalizer, e.sender());
  for (const auto& r : e.recipients()) CheckNormalized(normalizer, r);
}

void Signatures(const Params& params, std::string_view url, std::string_view header, std::string_view body) {
  (void)ValidTwilioSignature("12345", url, params, header);
  (void)ValidTwilioJsonSignature("12345", url, body, header);
  const std::string twilio = ComputeTwilioSignature("12345", url, params);
  Check(ValidTwilioSignature("12345", url, params, twilio));
  std::string forged = twilio;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  Check(!ValidTwilioSignature("12345", url, params, forged));
  for (auto method : {VonageSignatureMethod::kMd5Hash, VonageSignatureMethod::kSha256Hmac}) {
    (void)ValidVonageSignature(method, "secret", params);
    (void)VerifyVonageRequest(method, "secret", params, 1'700'000'000'000'000);
  }
  (void)CheckVonageTimestamp(params, 1'700'000'000'000'000);
}

void Mappers(Fixture& f, const Params& params) {
  const SmsWebhookContext context{"fuzz", 1'700'000'000'000'000};
  if (auto e = MapTwilioMessage(params, context, f.normalizer, f.ids); e.ok()) CheckEvent(f.normalizer, *e);
  if (auto e = MapTwilioStatus(params, context, f.normalizer, f.ids); e.ok()) CheckEvent(f.normalizer, *e);
  if (auto e = MapVonageReceipt(params, context, f.normalizer, f.ids); e.ok()) CheckEvent(f.normalizer, *e);
  auto inbound = MapVonageInbound(params, context, f.normalizer, f.ids);
  if (!inbound.ok()) return;
  if (auto* e = std::get_if<v1::Event>(&*inbound)) {
    CheckEvent(f.normalizer, *e);
    return;
  }
  const ConcatPart& part = std::get<ConcatPart>(*inbound);
  const std::string bytes = EncodeConcatPart(part);
  auto decoded = DecodeConcatPart(bytes);
  Check(decoded.ok());
  Check(EncodeConcatPart(*decoded) == bytes);
  ConcatAssembler assembler;
  Check(assembler.Add(std::move(*decoded)).ok());
  Check(assembler.Add(part).ok());  // a redelivery is ignored
  Check(assembler.size() == 1);
  auto joined = assembler.Assemble(f.normalizer, f.ids);
  Check(joined.ok());
  CheckEvent(f.normalizer, *joined);
}

void Body(Fixture& f, std::string_view body, std::string_view url, std::string_view header) {
  for (auto parsed : {ParseFormParams(body), ParseJsonObjectParams(body)}) {
    if (!parsed.ok()) continue;
    Signatures(*parsed, url, header, body);
    Mappers(f, *parsed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view first_line = input.substr(0, newline);
  const std::string_view rest = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  Body(*fixture, rest, first_line, first_line);
  Body(*fixture, input, "https://hub.example/twilio/main/messages", "");
  (void)DecodeConcatPart(input);
  (void)TwilioUrlWithDefaultPort(first_line);
  (void)TwilioUrlWithoutPort(first_line);
  if (auto id = fixture->normalizer.SmsAddress(first_line); id.ok()) CheckNormalized(fixture->normalizer, *id);
  return 0;
}
