#include "services/sms/sms_event.h"

#include <charconv>

#include "common/event/delivery_stage.h"
#include "common/base/text.h"

namespace omnihub::sms {

void FillStatusEvent(StatusReport report, v1::Event* e) {
  e->set_kind(v1::STATUS);
  e->set_direction(v1::OUTBOUND);
  e->set_provider_message_id(report.message_id + "/" + report.state +
                             (report.error_code.empty() ? "" : "/" + report.error_code));
  e->set_refers_to_provider_message_id(report.message_id);
  e->set_account(report.business.value());
  e->set_conversation(SmsConversationKey(e->channel(), report.business, report.customer));
  *e->mutable_sender() = std::move(report.business);
  *e->add_recipients() = std::move(report.customer);
  auto* ds = e->mutable_delivery_status();
  ds->set_stage(event::DeliveryStage(report.state));
  ds->set_state(std::move(report.state));
  ds->set_error_code(std::move(report.error_code));
  ds->set_detail(std::move(report.detail));
}

std::string SmsConversationKey(v1::Channel channel, const v1::Identity& business, const v1::Identity& customer) {
  const std::string_view prefix = channel == v1::WHATSAPP ? "whatsapp:" : "sms:";
  return std::string(prefix) + base::EscapeColons(business.value()) + ":" + base::EscapeColons(customer.value());
}

void CopyProviderFields(const Params& params, const SmsWebhookContext& context, v1::Event* event) {
  auto& fields = *event->mutable_provider_fields();
  for (const auto& [name, value] : params) fields.insert({name, value});
  if (!context.account_name.empty()) fields[kAccountNameField] = context.account_name;
}

base::Status MissingParam(std::string_view name) {
  return base::Status::InvalidArgument("parameter '" + std::string(name) + "' is missing");
}

base::Result<std::string> RequiredParam(const Params& params, std::string_view name) {
  const std::string* value = FindParam(params, name);
  if (value == nullptr) return MissingParam(name);
  const std::string_view trimmed = base::Trim(*value);
  if (trimmed.empty()) return base::Status::InvalidArgument("parameter '" + std::string(name) + "' is empty");
  return std::string(trimmed);
}

base::Status InvalidParam(std::string_view name, std::string_view defect) {
  return base::Status::InvalidArgument("parameter '" + std::string(name) + "' " + std::string(defect));
}

base::Status ParamError(std::string_view name, const base::Status& status) {
  return base::Status(status.code(), "parameter '" + std::string(name) + "': " + status.message());
}

bool ParseCount(std::string_view text, int64_t max, int64_t* value) {
  text = base::Trim(text);
  if (text.empty()) return false;
  for (char c : text) {
    if (!base::IsAsciiDigit(c)) return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && ptr == text.data() + text.size() && *value <= max;
}

}  // namespace omnihub::sms
