#include "common/service/webhook_adapter.h"

#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "common/http/server.h"
#include "common/service/adapter_publisher.h"
#include "common/service/adapter_readiness.h"
#include "common/service/adapter_purge.h"
#include "common/service/admin_server.h"
#include "common/service/drain.h"
#include "common/service/readiness.h"
#include "common/service/service_gauges.h"
#include "common/service/stop_signals.h"
#include "common/service/systemd_notify.h"

namespace omnihub::service {
namespace {

int Fail(const base::Status& s) {
  spdlog::critical("{}", s.ToString());
  return 1;
}

}  // namespace

int RunWebhookAdapter(const config::Config& config, const WebhookAdapterConfig& adapter,
                      const BuildWebhookHandler& build) {
  if (adapter.listen.empty()) {
    return Fail(base::Status::InvalidArgument("nothing to do: " + adapter.section + ".listen is empty"));
  }
  // Before any thread starts, so that none of them is interrupted by SIGINT/SIGTERM.
  StopSignals stop_signals;

  base::SystemClock clock;
  base::SystemRandom random;
  base::UuidV7Generator ids(clock, random);
  event::IdentityNormalizer normalizer(config.identity.default_region);
  Registry registry;
  WebhookAdapterMetrics metrics(registry);
  auto outbox = bus::Outbox::Open(adapter.outbox_dir, adapter.outbox_id, random,
                                  bus::OutboxOptionsFrom(config.publisher, clock));
  if (!outbox.ok()) return Fail(outbox.status().WithContext(adapter.section + ".outbox_dir"));
  bus::AddOutboxGauges(registry, **outbox);
  zmq::context_t zmq_ctx(1);
  bus::PublisherOptions publisher_options = bus::PublisherOptionsFrom(config.publisher);
  publisher_options.metrics = &metrics.publisher;
  auto adapter_publisher = AdapterPublisher::Start(config, "omnihub-" + adapter.section, zmq_ctx, **outbox, clock,
                                                  publisher_options, registry);
  if (!adapter_publisher.ok()) return Fail(adapter_publisher.status());
  bus::OutboxPublisher& publisher = (*adapter_publisher)->get();

  Drain drain(clock, std::chrono::milliseconds(config.service.shutdown_timeout_ms));
  Readiness readiness;
  AddAdapterReadiness(readiness, **outbox, publisher, bus::MaxAckSilenceUs(publisher_options));
  AddDrainReadiness(readiness, drain);
  AddServiceGauges(registry, readiness, adapter.outbox_dir);
  AdminServer admin(adapter.admin_listen, registry, readiness);
  AdapterPurge purge(**outbox);
  RegisterAdapterPurge(admin, purge);
  if (auto s = admin.StartIfListening(adapter.section + ".admin_listen"); !s.ok()) return Fail(s);

  auto workers = std::make_unique<base::WorkerPool>(adapter.worker_threads);
  http::HttpRouter router;
  WebhookAdapterParts parts{config, publisher, **outbox, normalizer, ids, clock,
                            *workers, router, purge, (*adapter_publisher)->positions()};
  auto handler = build(parts);
  if (!handler.ok()) return Fail(handler.status());

  http::HttpServerOptions options;
  options.listen = adapter.listen;
  options.max_body_bytes = adapter.max_body_bytes;
  options.access_log = adapter.access_log;
  options.access_log_query = adapter.access_log_query;
  options.metrics = &metrics.http;
  http::HttpServer server(options, router.AsHandler());
  if (auto s = server.Start(); !s.ok()) return Fail(s.WithContext(adapter.section + ".listen"));
  // Ready to accept: the outbox is open and the listener bound, so requests are answered and
  // kept from here on, whether or not the unifier is reachable yet (/readyz's "bus" check).
  NotifyReady("accepting requests on " + adapter.listen);

  drain.Track("HTTP request", [&server] { return server.in_flight(); });
  stop_signals.Wait();
  drain.Begin();
  spdlog::info("draining: new requests get 503, {} in flight may finish within {} ms", server.in_flight(),
               drain.timeout().count());
  server.BeginDrain(drain.retry_after_s());
  const base::Status drained = drain.WaitIdle();
  server.Stop();    // answers still owed past the deadline are dropped and their senders retry
  workers.reset();  // requests already taken finish while everything they use is alive
  (*outbox)->WaitIdle();  // and so do the appends they made, whose callbacks answer them
  purge.set_state_dropper(nullptr);  // the dropper may point into the handler
  handler->reset();
  admin.Stop();
  return StoppedExitCode(drained);
}

}  // namespace omnihub::service
