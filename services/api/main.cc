// omnihub-api: the agent API and web console (docs/api.md). Ingested events, notes and agent
// commands are made durable in the API's own outbox before they are answered, like a webhook
// adapter's requests; reads go to the unifier over the query protocol. This file only reads the
// config and builds the ApiService; the rest of the wiring is every HTTP adapter's
// (common/service/webhook_adapter.h).
#include <memory>

#include <spdlog/spdlog.h>

#include "common/config/all_sections.h"
#include "common/service/service_main.h"
#include "common/service/webhook_adapter.h"
#include "services/api/api_config.h"
#include "services/api/api_service.h"

int main(int argc, char** argv) {
  auto started = omnihub::service::StartService(argc, argv, "omnihub-api", {}, "[--config PATH]",
                                                omnihub::config::AllSections());
  if (auto* code = std::get_if<int>(&started)) return *code;
  const omnihub::config::Config& config = std::get<omnihub::service::ServiceStart>(started).config;
  const auto& api = config.Get<omnihub::api::ApiConfig>();

  const omnihub::service::WebhookAdapterConfig adapter{.section = "api",
                                                       .outbox_id = "api",
                                                       .listen = api.listen,
                                                       .outbox_dir = api.outbox_dir,
                                                       .admin_listen = api.admin_listen,
                                                       .max_body_bytes = api.max_body_bytes,
                                                       .access_log = api.access_log,
                                                       .worker_threads = api.worker_threads,
                                                       // Login links carry one-time codes, searches a
                                                       // customer's words: neither belongs in a log.
                                                       .access_log_query = false};
  return omnihub::service::RunWebhookAdapter(
      config, adapter, [&](omnihub::service::WebhookAdapterParts& parts) -> omnihub::base::Result<std::shared_ptr<void>> {
        auto service = omnihub::api::ApiService::Build(api, parts);
        if (!service.ok()) return service.status();
        spdlog::info("agent API and console on {} ({})", api.listen, api.public_url);
        return std::shared_ptr<void>(std::move(*service));
      });
}
