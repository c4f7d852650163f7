#include "services/sms/sms_event.h"

#include <charconv>

#include "common/text.h"

namespace omnihub::sms {
namespace {

std::string EscapeKeyPart(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out += "%25";
    } else if (c == ':') {
      out += "%3A";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string SmsConversationKey(v1::Channel channel, const v1::Identity& business, const v1::Identity& customer) {
  const std::string_view prefix = channel == v1::WHATSAPP ? "whatsapp:" : "sms:";
  return std::string(prefix) + EscapeKeyPart(business.value()) + ":" + EscapeKeyPart(customer.value());
}

void CopyProviderFields(const Params& params, const SmsWebhookContext& context, v1::Event* event) {
  auto& fields = *event->mutable_provider_fields();
  for (const auto& [name, value] : params) fields.insert({name, value});
  if (!context.account_name.empty()) fields[kAccountNameField] = context.account_name;
}

Status MissingParam(std::string_view name) {
  return Status::InvalidArgument("parameter '" + std::string(name) + "' is missing");
}

Result<std::string> RequiredParam(const Params& params, std::string_view name) {
  const std::string* value = FindParam(params, name);
  if (value == nullptr) return MissingParam(name);
  const std::string_view trimmed = Trim(*value);
  if (trimmed.empty()) return Status::InvalidArgument("parameter '" + std::string(name) + "' is empty");
  return std::string(trimmed);
}

Status InvalidParam(std::string_view name, std::string_view defect) {
  return Status::InvalidArgument("parameter '" + std::string(name) + "' " + std::string(defect));
}

Status ParamError(std::string_view name, const Status& status) {
  return Status(status.code(), "parameter '" + std::string(name) + "': " + status.message());
}

bool ParseCount(std::string_view text, int64_t max, int64_t* value) {
  text = Trim(text);
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && ptr == text.data() + text.size() && *value <= max;
}

}  // namespace omnihub::sms
