// omnihub-social: the Meta, Telegram and X webhooks on the shared HTTP server, each accepted
// delivery made durable in the adapter's outbox before it is answered, and published on the
// ingest bus. This file only reads the config and builds the social handler; the rest of the
// wiring is every webhook adapter's (common/service/webhook_adapter.h).
#include <memory>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

#include "common/config/all_sections.h"
#include "common/service/service_main.h"
#include "common/service/webhook_adapter.h"
#include "services/social/social_accounts.h"
#include "services/social/social_config.h"
#include "services/social/social_webhooks.h"

int main(int argc, char** argv) {
  // The accounts' secrets are resolved with the config: a missing one fails the start and
  // --check-config alike.
  std::optional<omnihub::social::SocialAccounts> accounts;
  auto started = omnihub::service::StartService(
      argc, argv, "omnihub-social", {}, "[--config PATH]", omnihub::config::AllSections(),
      omnihub::service::ResolveInto(&accounts, [](const omnihub::config::Config& c) {
        return omnihub::social::ResolveSocialAccounts(c.Get<omnihub::social::SocialConfig>(),
                                                      omnihub::config::ProcessEnvironment());
      }));
  if (auto* code = std::get_if<int>(&started)) return *code;
  const omnihub::config::Config& config = std::get<omnihub::service::ServiceStart>(started).config;
  const auto& sc = config.Get<omnihub::social::SocialConfig>();
  for (const auto& warning : accounts->warnings) spdlog::warn("{}", warning);

  const omnihub::service::WebhookAdapterConfig adapter{.section = "social",
                                                       .outbox_id = "social",
                                                       .listen = sc.listen,
                                                       .outbox_dir = sc.outbox_dir,
                                                       .admin_listen = sc.admin_listen,
                                                       .max_body_bytes = sc.max_body_bytes,
                                                       .access_log = sc.access_log};
  return omnihub::service::RunWebhookAdapter(
      config, adapter, [&](omnihub::service::WebhookAdapterParts& parts) -> omnihub::base::Result<std::shared_ptr<void>> {
        auto webhooks = std::make_shared<omnihub::social::SocialWebhooks>(
            std::move(*accounts), omnihub::social::SocialWebhookOptions{sc.keep_deleted_text}, parts.sink,
            parts.normalizer, parts.ids, parts.clock);
        OMNIHUB_RETURN_IF_ERROR(webhooks->AddRoutes(parts.router));
        spdlog::info("social webhooks on {}: /meta/{{account}}, /telegram/{{account}}, /x/{{account}}", sc.listen);
        return std::shared_ptr<void>(std::move(webhooks));
      });
}
