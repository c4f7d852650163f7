#include "services/sms/vonage/vonage_mapper.h"

#include "common/base/text.h"
#include "common/base/time_format.h"

namespace omnihub::sms {
namespace {

base::Result<v1::Identity> Address(const Params& params, std::string_view name, const event::IdentityNormalizer& normalizer) {
  auto raw = RequiredParam(params, name);
  if (!raw.ok()) return raw.status();
  auto id = normalizer.SmsAddress(*raw);
  if (!id.ok()) return ParamError(name, id.status());
  return id;
}

bool IsConcat(const Params& params) {
  return base::LowerAscii(base::Trim(ParamOrEmpty(params, "concat"))) == "true" || FindParam(params, "concat-ref") != nullptr ||
         FindParam(params, "concat-total") != nullptr || FindParam(params, "concat-part") != nullptr;
}

// The provider time: message-timestamp, else the receive time (and say so).
int64_t OccurredAt(const Params& params, int64_t received_at_us, bool* time_missing) {
  auto t = ParseVonageTimestamp(ParamOrEmpty(params, "message-timestamp"));
  *time_missing = !t.ok();
  return t.ok() ? *t : received_at_us;
}

bool IsBinary(const Params& params) { return base::LowerAscii(base::Trim(ParamOrEmpty(params, "type"))) == "binary"; }

base::Result<ConcatPart> ReadConcatPart(const Params& params, const SmsWebhookContext& context, std::string msisdn,
                                  std::string to, std::string message_id) {
  auto ref = RequiredParam(params, "concat-ref");
  if (!ref.ok()) return ref.status();
  auto total_text = RequiredParam(params, "concat-total");
  if (!total_text.ok()) return total_text.status();
  auto part_text = RequiredParam(params, "concat-part");
  if (!part_text.ok()) return part_text.status();
  int64_t total = 0;
  if (!ParseCount(*total_text, kMaxConcatParts, &total) || total < 2) {
    return InvalidParam("concat-total", "is not a part count of 2-255: " + base::QuoteForMessage(*total_text));
  }
  int64_t part = 0;
  if (!ParseCount(*part_text, total, &part) || part < 1) {
    return InvalidParam("concat-part", "is not a part number of 1-" + std::to_string(total) + ": " +
                                           base::QuoteForMessage(*part_text));
  }
  ConcatPart p;
  p.key = msisdn + ":" + to + ":" + *ref;
  p.part = static_cast<uint32_t>(part);
  p.total = static_cast<uint32_t>(total);
  p.text = IsBinary(params) ? "" : std::string(ParamOrEmpty(params, "text"));
  p.message_id = std::move(message_id);
  p.received_at_us = context.received_at_us;
  p.occurred_at_us = OccurredAt(params, context.received_at_us, &p.time_missing);
  p.account_name = context.account_name;
  p.params = params;
  return p;
}

}  // namespace

base::Result<int64_t> ParseVonageTimestamp(std::string_view text) {
  // Exactly "YYYY-MM-DD HH:MM:SS": anything else is not Vonage's format, even if RFC 3339 could read it.
  constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
  bool shaped = text.size() == kShape.size();
  for (size_t i = 0; shaped && i < kShape.size(); ++i) {
    shaped = kShape[i] == 'd' ? base::IsAsciiDigit(text[i]) : text[i] == kShape[i];
  }
  if (!shaped) return InvalidParam("message-timestamp", "is not \"YYYY-MM-DD HH:MM:SS\": " + base::QuoteForMessage(text));
  auto us = base::ParseRfc3339Micros(std::string(text) + "Z");
  if (!us.ok()) return ParamError("message-timestamp", us.status());
  return us;
}

bool IsVonageReceipt(const Params& params) {
  return FindParam(params, "status") != nullptr && FindParam(params, "type") == nullptr;
}

base::Result<v1::Event> BuildVonageMessage(const VonageMessageParts& parts, const event::IdentityNormalizer& normalizer,
                                     base::UuidV7Generator& ids) {
  const Params& params = *parts.params;
  auto sender = Address(params, "msisdn", normalizer);
  if (!sender.ok()) return sender.status();
  auto business = Address(params, "to", normalizer);
  if (!business.ok()) return business.status();
  v1::Event e;
  e.set_event_id(ids.Next());
  e.set_channel(v1::SMS);
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_provider_message_id(parts.message_id);
  e.set_received_at_us(parts.received_at_us);
  e.set_occurred_at_us(parts.occurred_at_us);
  if (parts.time_missing) e.add_flags(kTimeMissingFlag);
  if (IsBinary(params)) e.add_flags("binary");
  e.set_account(business->value());
  e.set_conversation(SmsConversationKey(e.channel(), *business, *sender));
  *e.mutable_sender() = std::move(*sender);
  *e.add_recipients() = std::move(*business);
  e.set_text(parts.text);
  CopyProviderFields(params, SmsWebhookContext{parts.account_name, parts.received_at_us}, &e);
  return e;
}

base::Result<VonageInbound> MapVonageInbound(const Params& params, const SmsWebhookContext& context,
                                       const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids) {
  auto msisdn = RequiredParam(params, "msisdn");
  if (!msisdn.ok()) return msisdn.status();
  auto to = RequiredParam(params, "to");
  if (!to.ok()) return to.status();
  auto message_id = RequiredParam(params, "messageId");
  if (!message_id.ok()) return message_id.status();
  if (IsConcat(params)) {
    // The addresses are checked now, so a part that could never be assembled is refused
    // while Vonage can still be told (and the sender is not waited for).
    if (auto s = Address(params, "msisdn", normalizer); !s.ok()) return s.status();
    if (auto b = Address(params, "to", normalizer); !b.ok()) return b.status();
    auto part = ReadConcatPart(params, context, std::move(*msisdn), std::move(*to), std::move(*message_id));
    if (!part.ok()) return part.status();
    return VonageInbound(std::move(*part));
  }
  VonageMessageParts parts;
  parts.params = &params;
  parts.text = IsBinary(params) ? "" : std::string(ParamOrEmpty(params, "text"));
  parts.message_id = std::move(*message_id);
  parts.received_at_us = context.received_at_us;
  parts.occurred_at_us = OccurredAt(params, context.received_at_us, &parts.time_missing);
  parts.account_name = context.account_name;
  auto event = BuildVonageMessage(parts, normalizer, ids);
  if (!event.ok()) return event.status();
  return VonageInbound(std::move(*event));
}

base::Result<v1::Event> MapVonageReceipt(const Params& params, const SmsWebhookContext& context,
                                   const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids) {
  auto message_id = RequiredParam(params, "messageId");
  if (!message_id.ok()) return message_id.status();
  auto status = RequiredParam(params, "status");
  if (!status.ok()) return status.status();
  auto customer = Address(params, "msisdn", normalizer);
  if (!customer.ok()) return customer.status();
  auto business = Address(params, "to", normalizer);
  if (!business.ok()) return business.status();

  std::string state = base::LowerAscii(*status);
  std::string error_code(base::Trim(ParamOrEmpty(params, "err-code")));
  if (error_code == "0") error_code.clear();

  v1::Event e;
  e.set_event_id(ids.Next());
  e.set_channel(v1::SMS);
  e.set_received_at_us(context.received_at_us);
  bool time_missing = false;
  e.set_occurred_at_us(OccurredAt(params, context.received_at_us, &time_missing));
  if (time_missing) e.add_flags(kTimeMissingFlag);
  FillStatusEvent({*message_id, std::move(state), std::move(error_code), "", std::move(*business),
                   std::move(*customer)},
                  &e);
  CopyProviderFields(params, context, &e);
  return e;
}

}  // namespace omnihub::sms
