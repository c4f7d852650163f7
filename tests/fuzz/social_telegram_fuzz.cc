// libFuzzer target: arbitrary bytes through what a Telegram webhook request reaches before it
// is accepted: the secret-token check and MapTelegramUpdate with a real IdentityNormalizer.
// Besides "no crash, no sanitizer report" it traps when an invariant breaks:
//   - a refused update is InvalidArgument with a message (answered 400, never 500);
//   - every event is on TELEGRAM for the bot, has a provider id and its raw update, and once
//     stamped passes the hub's event validation with its identities already normalized;
//   - the secret check accepts the secret itself and refuses it with one byte changed.
// Input: the first line is used as the secret header and the rest as the body; the whole
// input is also tried as a body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/social/telegram/telegram_auth.h"
#include "services/social/telegram/telegram_mapper.h"

namespace {

using namespace omnihub;
using namespace omnihub::social;

constexpr std::string_view kSecret = "dev-telegram-secret";

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckEvent(const event::IdentityNormalizer& normalizer, const DeliveryContext& ctx, const MappedEvent& m) {
  const v1::Event& e = m.event;
  Check(e.channel() == v1::TELEGRAM);
  Check(e.account() == ctx.account_name);
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
  const DeliveryContext ctx{"fuzz", 1'700'000'000'000'000, &normalizer, false};
  auto delivery = MapTelegramUpdate(body, ctx);
  if (!delivery.ok()) {
    Check(delivery.status().IsInvalidArgument() && !delivery.status().message().empty());
    return;
  }
  for (const MappedEvent& m : *delivery) CheckEvent(normalizer, ctx, m);
}

void Secret(std::string_view header) {
  (void)VerifyTelegramSecret(kSecret, header);
  if (header.empty()) return;
  Check(VerifyTelegramSecret(header, header));
  std::string changed(header);
  changed[0] = static_cast<char>(changed[0] ^ 1);
  Check(!VerifyTelegramSecret(header, std::string_view(changed)));
  Check(!VerifyTelegramSecret(header, std::nullopt));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* normalizer = new event::IdentityNormalizer("US");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view first_line = input.substr(0, newline);
  const std::string_view rest = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  Secret(first_line);
  Body(*normalizer, rest);
  Body(*normalizer, input);
  return 0;
}
