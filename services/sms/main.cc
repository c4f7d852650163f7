// omnihub-sms: the Twilio and Vonage webhooks on the shared HTTP server, each accepted
// request made durable in the adapter's outbox before it is answered, and published on
// the ingest bus. This file only reads the config and builds the SMS handler; the rest of
// the wiring is every webhook adapter's (common/service/webhook_adapter.h).
#include <memory>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

#include "common/config/all_sections.h"
#include "common/service/service_main.h"
#include "common/service/webhook_adapter.h"
#include "services/sms/concat/concat_store.h"
#include "services/sms/sms_accounts.h"
#include "services/sms/sms_config.h"
#include "services/sms/sms_webhooks.h"

namespace {

// What serves the requests; members are destroyed in reverse order, the webhooks before the
// concat store they use.
struct SmsHandler {
  std::unique_ptr<omnihub::sms::ConcatStore> concat;
  std::unique_ptr<omnihub::sms::SmsWebhooks> webhooks;
};

}  // namespace

int main(int argc, char** argv) {
  // The accounts' secrets are resolved with the config: a missing one fails the start and
  // --check-config alike.
  std::optional<omnihub::sms::SmsAccounts> accounts;
  auto started = omnihub::service::StartService(
      argc, argv, "omnihub-sms", {}, "[--config PATH]", omnihub::config::AllSections(),
      omnihub::service::ResolveInto(&accounts, [](const omnihub::config::Config& c) {
        return omnihub::sms::ResolveSmsAccounts(c.Get<omnihub::sms::SmsConfig>(), omnihub::config::ProcessEnvironment());
      }));
  if (auto* code = std::get_if<int>(&started)) return *code;
  const omnihub::config::Config& config = std::get<omnihub::service::ServiceStart>(started).config;
  const auto& sc = config.Get<omnihub::sms::SmsConfig>();
  for (const auto& warning : accounts->warnings) spdlog::warn("{}", warning);

  std::string base_url = sc.public_base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  const omnihub::service::WebhookAdapterConfig adapter{.section = "sms",
                                                       .outbox_id = "sms",
                                                       .listen = sc.listen,
                                                       .outbox_dir = sc.outbox_dir,
                                                       .admin_listen = sc.admin_listen,
                                                       .max_body_bytes = sc.max_body_bytes,
                                                       .access_log = sc.access_log};
  return omnihub::service::RunWebhookAdapter(
      config, adapter, [&](omnihub::service::WebhookAdapterParts& parts) -> omnihub::base::Result<std::shared_ptr<void>> {
        // The concat store keeps the parts of multi-part messages in the outbox, beside the events.
        auto handler = std::make_shared<SmsHandler>();
        handler->concat =
            std::make_unique<omnihub::sms::ConcatStore>(parts.sink, parts.outbox, parts.normalizer, parts.ids);
        handler->concat->set_tenant_of([tenants = *accounts](std::string_view account_name) {  // a copy: *accounts moves on
          return tenants.TenantOf("vonage", account_name);
        });
        parts.purge.set_state_dropper([concat = handler->concat.get()](const std::vector<std::string>& identities) {
          return concat->DropPartsOf(identities);
        });
        if (auto pending = handler->concat->PendingKeys(); pending.ok() && !pending->empty()) {
          spdlog::info("{} multi-part messages are waiting for more parts", pending->size());
        }
        handler->webhooks = std::make_unique<omnihub::sms::SmsWebhooks>(
            std::move(*accounts), omnihub::sms::SmsWebhookOptions{base_url, sc.signature_window_s}, parts.sink,
            *handler->concat, parts.normalizer, parts.ids, parts.clock, parts.workers);
        OMNIHUB_RETURN_IF_ERROR(handler->webhooks->AddRoutes(parts.router));
        spdlog::info("SMS webhooks on {} (public URL {})", sc.listen, base_url);
        return std::shared_ptr<void>(std::move(handler));
      });
}
