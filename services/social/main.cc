// omnihub-social: the Meta, Telegram and X webhooks on the shared HTTP server, each accepted
// delivery made durable in the adapter's outbox before it is answered, and published on the
// ingest bus. This file only reads the config and wires real implementations together.
#include <cstdlib>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "common/base/env.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "common/bus/outbox.h"
#include "common/bus/zmq_publisher.h"
#include "common/config/all_sections.h"
#include "common/event/identity.h"
#include "common/http/router.h"
#include "common/http/server.h"
#include "common/service/adapter_readiness.h"
#include "common/service/admin_server.h"
#include "common/service/metrics.h"
#include "common/service/readiness.h"
#include "common/service/service_main.h"
#include "common/service/stop_signals.h"
#include "services/social/social_accounts.h"
#include "services/social/social_config.h"
#include "services/social/social_metrics.h"
#include "services/social/social_webhooks.h"

namespace {

// Deliveries waiting for an outbox sync at once; they share one group-committed sync.
constexpr size_t kWorkerThreads = 64;

int Fail(const omnihub::base::Status& s) {
  spdlog::critical("{}", s.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  auto started = omnihub::service::StartService(argc, argv, "omnihub-social", {}, "[--config PATH]",
                                                omnihub::config::AllSections());
  if (auto* code = std::get_if<int>(&started)) return *code;
  const omnihub::config::Config& config = std::get<omnihub::service::ServiceStart>(started).config;
  const auto& sc = config.Get<omnihub::social::SocialConfig>();
  if (sc.listen.empty()) return Fail(omnihub::base::Status::InvalidArgument("nothing to do: social.listen is empty"));

  auto accounts =
      omnihub::social::ResolveSocialAccounts(sc, [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
      });
  if (!accounts.ok()) return Fail(accounts.status());
  for (const auto& warning : accounts->warnings) spdlog::warn("{}", warning);

  // Before any thread starts, so that none of them is interrupted by SIGINT/SIGTERM.
  omnihub::service::StopSignals stop_signals;

  omnihub::base::SystemClock clock;
  omnihub::base::SystemRandom random;
  omnihub::base::UuidV7Generator ids(clock, random);
  omnihub::event::IdentityNormalizer normalizer(config.identity.default_region);
  omnihub::service::Registry registry;
  omnihub::social::SocialMetrics metrics(registry);
  auto outbox = omnihub::bus::Outbox::Open(sc.outbox_dir, "social", random, {.clock = &clock});
  if (!outbox.ok()) return Fail(outbox.status().WithContext("social.outbox_dir"));
  omnihub::bus::AddOutboxGauges(registry, **outbox);
  zmq::context_t zmq_ctx(1);
  omnihub::bus::PublisherOptions publisher_options = omnihub::bus::PublisherOptionsFrom(config.publisher);
  publisher_options.metrics = &metrics.publisher;
  omnihub::bus::ZmqPublisher publisher(zmq_ctx, config.bus.ingest, **outbox, clock, publisher_options);

  omnihub::service::Readiness readiness;
  omnihub::service::AddAdapterReadiness(readiness, **outbox, publisher,
                                        omnihub::bus::MaxAckSilenceUs(publisher_options));
  omnihub::service::AdminServer admin(sc.admin_listen, registry, readiness);
  if (auto s = admin.StartIfListening("social.admin_listen"); !s.ok()) return Fail(s);

  auto workers = std::make_unique<omnihub::base::WorkerPool>(kWorkerThreads);
  omnihub::social::SocialWebhooks webhooks(std::move(*accounts), {sc.keep_deleted_text}, publisher, normalizer, ids,
                                           clock, *workers);
  omnihub::http::HttpRouter router;
  if (auto s = webhooks.AddRoutes(router); !s.ok()) return Fail(s);

  omnihub::http::HttpServerOptions options;
  options.listen = sc.listen;
  options.max_body_bytes = sc.max_body_bytes;
  options.access_log = sc.access_log;
  options.metrics = &metrics.http;
  omnihub::http::HttpServer server(options, router.AsHandler());
  if (auto s = server.Start(); !s.ok()) return Fail(s.WithContext("social.listen"));
  spdlog::info("social webhooks listening on {}: /meta/{{account}}, /telegram/{{account}}, /x/{{account}}", sc.listen);

  stop_signals.Wait();
  spdlog::info("stopping");
  server.Stop();    // no new requests; answers still owed are dropped and the platform retries
  workers.reset();  // deliveries already taken finish while everything they use is alive
  admin.Stop();
  spdlog::info("stopped cleanly");
  return 0;
}
