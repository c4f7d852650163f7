// libFuzzer target: arbitrary bytes through what an X Account Activity request reaches before
// it is accepted: the CRC answer, the body signature check and MapXActivity with a real
// IdentityNormalizer. Besides "no crash, no sanitizer report" it traps when an invariant breaks:
//   - a refused delivery is InvalidArgument with a message (answered 400, never 500);
//   - every event is on channel X for for_user_id, has a provider id and its raw element, and
//     once stamped passes the hub's event validation with its identities already normalized;
//   - the signature computed over a body verifies, and fails with one byte of it changed, with
//     another secret or without the header; the CRC body is JSON holding that signature.
// Input: the first line is used as the signature header and CRC token, the rest as the body;
// the whole input is also tried as a body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/social/x/x_mapper.h"
#include "services/social/x/x_signature.h"

namespace {

using namespace omnihub;
using namespace omnihub::social;

constexpr std::string_view kSecret = "dev-x-secret";

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckEvent(const event::IdentityNormalizer& normalizer, const DeliveryContext& ctx, const MappedEvent& m) {
  const v1::Event& e = m.event;
  Check(e.channel() == v1::X);
  Check(!e.account().empty());
  Check(e.provider_fields().at(kAccountNameField) == ctx.account_name);
  Check(!e.provider_message_id().empty());
  Check(!m.raw_json.empty());
  v1::Event stamped = e;
  stamped.set_event_id(std::string(16, '\x01'));
  stamped.set_received_at_us(ctx.received_at_us);
  Check(event::ValidateAndNormalizeEvent(&stamped, normalizer).ok());
  Check(event::IdentityKey(stamped.sender()) == event::IdentityKey(e.sender()));
  for (int i = 0; i < e.recipients_size(); ++i) {
    Check(event::IdentityKey(stamped.recipients(i)) == event::IdentityKey(e.recipients(i)));
  }
}

void Body(const event::IdentityNormalizer& normalizer, std::string_view body) {
  const DeliveryContext ctx{"fuzz", 1'700'000'000'000'000, &normalizer, true};
  auto delivery = MapXActivity(body, ctx);
  if (!delivery.ok()) {
    Check(delivery.status().IsInvalidArgument() && !delivery.status().message().empty());
    return;
  }
  for (const MappedEvent& m : *delivery) CheckEvent(normalizer, ctx, m);
}

void Signatures(std::string_view header, std::string_view body) {
  (void)VerifyXSignature(kSecret, header, body);
  const std::string signature = XSignature(kSecret, body);
  Check(VerifyXSignature(kSecret, signature, body));
  Check(!VerifyXSignature("another-secret", signature, body));
  Check(!VerifyXSignature(kSecret, std::nullopt, body));
  if (!body.empty()) {
    std::string changed(body);
    changed[changed.size() / 2] = static_cast<char>(changed[changed.size() / 2] ^ 1);
    Check(!VerifyXSignature(kSecret, signature, changed));
  }
  const auto crc = nlohmann::json::parse(XCrcResponseBody(kSecret, header), nullptr, false);
  Check(crc.is_object() && crc.size() == 1 && crc.value("response_token", "") == XSignature(kSecret, header));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* normalizer = new event::IdentityNormalizer("US");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view first_line = input.substr(0, newline);
  const std::string_view rest = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  Signatures(first_line, rest);
  Body(*normalizer, rest);
  Body(*normalizer, input);
  return 0;
}
