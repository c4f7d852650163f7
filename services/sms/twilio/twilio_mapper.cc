#include "services/sms/twilio/twilio_mapper.h"

#include "common/base/text.h"

namespace omnihub::sms {
namespace {

constexpr std::string_view kWhatsAppPrefix = "whatsapp:";

bool HasWhatsAppPrefix(std::string_view address) {
  address = base::Trim(address);
  return address.size() >= kWhatsAppPrefix.size() && base::LowerAscii(address.substr(0, kWhatsAppPrefix.size())) == kWhatsAppPrefix;
}

// Twilio's FromCountry / ToCountry, when they are a usable region; else the default region.
std::string_view RegionOf(const Params& params, std::string_view country_param) {
  const std::string_view country = base::Trim(ParamOrEmpty(params, country_param));
  if (country.size() == 2 && base::IsAsciiAlpha(country[0]) && base::IsAsciiAlpha(country[1])) return country;
  return {};
}

base::Result<v1::Identity> Address(const Params& params, std::string_view name, std::string_view country_param,
                             const event::IdentityNormalizer& normalizer) {
  auto raw = RequiredParam(params, name);
  if (!raw.ok()) return raw.status();
  auto id = normalizer.SmsAddress(*raw, RegionOf(params, country_param));
  if (!id.ok()) return ParamError(name, id.status());
  return id;
}

// "https://.../Media/ME123" -> "", ".../photo.jpg?x=1" -> "photo.jpg": a name only when the
// last path segment looks like a file name (Twilio's media URLs end in an id).
std::string NameFromUrl(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const size_t slash = url.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? url : url.substr(slash + 1);
  return last.find('.') != std::string_view::npos ? std::string(last) : std::string();
}

base::Status AddAttachments(const Params& params, v1::Event* e) {
  const std::string* count_text = FindParam(params, "NumMedia");
  if (count_text == nullptr) return base::Status::Ok();
  int64_t count = 0;
  if (!ParseCount(*count_text, kMaxTwilioMedia, &count)) {
    return InvalidParam("NumMedia", "is not a count of 0-" + std::to_string(kMaxTwilioMedia) + ": " +
                                        base::QuoteForMessage(*count_text));
  }
  for (int64_t i = 0; i < count; ++i) {
    const std::string url_name = "MediaUrl" + std::to_string(i);
    const std::string* url = FindParam(params, url_name);
    if (url == nullptr || base::Trim(*url).empty()) {
      return InvalidParam(url_name, "is missing (NumMedia is " + std::to_string(count) + ")");
    }
    auto* a = e->add_attachments();
    a->set_storage_ref(std::string(base::Trim(*url)));
    a->set_name(NameFromUrl(a->storage_ref()));
    a->set_media_type(std::string(base::Trim(ParamOrEmpty(params, "MediaContentType" + std::to_string(i)))));
  }
  return base::Status::Ok();
}

void SetCommon(const SmsWebhookContext& context, base::UuidV7Generator& ids, v1::Event* e) {
  e->set_event_id(ids.Next());
  e->set_received_at_us(context.received_at_us);
  e->set_occurred_at_us(context.received_at_us);  // Twilio's payload carries no time
}

}  // namespace

bool IsTwilioStatusCallback(const Params& params) { return FindParam(params, "MessageStatus") != nullptr; }

base::Result<v1::Event> MapTwilioMessage(const Params& params, const SmsWebhookContext& context,
                                   const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids) {
  auto sid = RequiredParam(params, "MessageSid");
  if (!sid.ok()) return sid.status();
  auto account_sid = RequiredParam(params, "AccountSid");
  if (!account_sid.ok()) return account_sid.status();
  auto sender = Address(params, "From", "FromCountry", normalizer);
  if (!sender.ok()) return sender.status();
  auto business = Address(params, "To", "ToCountry", normalizer);
  if (!business.ok()) return business.status();

  v1::Event e;
  const bool whatsapp = HasWhatsAppPrefix(ParamOrEmpty(params, "From"));
  e.set_channel(whatsapp ? v1::WHATSAPP : v1::SMS);
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  SetCommon(context, ids, &e);
  e.set_provider_message_id(*sid);
  e.set_account(business->value());
  if (whatsapp) sender->set_display_name(std::string(base::Trim(ParamOrEmpty(params, "ProfileName"))));
  e.set_conversation(SmsConversationKey(e.channel(), *business, *sender));
  *e.mutable_sender() = std::move(*sender);
  *e.add_recipients() = std::move(*business);
  e.set_text(std::string(ParamOrEmpty(params, "Body")));
  OMNIHUB_RETURN_IF_ERROR(AddAttachments(params, &e));
  CopyProviderFields(params, context, &e);
  return e;
}

base::Result<v1::Event> MapTwilioStatus(const Params& params, const SmsWebhookContext& context,
                                  const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids) {
  auto sid = RequiredParam(params, "MessageSid");
  if (!sid.ok()) return sid.status();
  auto status = RequiredParam(params, "MessageStatus");
  if (!status.ok()) return status.status();
  auto business = Address(params, "From", "FromCountry", normalizer);
  if (!business.ok()) return business.status();
  auto customer = Address(params, "To", "ToCountry", normalizer);
  if (!customer.ok()) return customer.status();

  std::string state = base::LowerAscii(*status);
  std::string error_code(base::Trim(ParamOrEmpty(params, "ErrorCode")));
  if (error_code == "0") error_code.clear();

  v1::Event e;
  const bool whatsapp = HasWhatsAppPrefix(ParamOrEmpty(params, "From")) || HasWhatsAppPrefix(ParamOrEmpty(params, "To"));
  e.set_channel(whatsapp ? v1::WHATSAPP : v1::SMS);
  SetCommon(context, ids, &e);
  FillStatusEvent({*sid, std::move(state), std::move(error_code),
                   std::string(base::Trim(ParamOrEmpty(params, "ChannelStatusMessage"))), std::move(*business),
                   std::move(*customer)},
                  &e);
  CopyProviderFields(params, context, &e);
  return e;
}

}  // namespace omnihub::sms
