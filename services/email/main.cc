// omnihub-email: SMTP and LMTP listeners (and an optional Maildir importer) that turn
// every received message into a durable event on the ingest bus.
// This file only reads the config and wires real implementations together.
#include <atomic>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/service/service_main.h"
#include "common/service/stop_signals.h"
#include "common/service/systemd_notify.h"
#include "common/bus/outbox.h"
#include "common/service/adapter_publisher.h"
#include "common/service/adapter_readiness.h"
#include "common/service/adapter_purge.h"
#include "common/service/admin_server.h"
#include "common/service/drain.h"
#include "common/service/metrics.h"
#include "common/service/readiness.h"
#include "common/service/service_gauges.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "common/bus/outbox_publisher.h"
#include "common/net/listen_address.h"
#include "services/email/ingest/email_ingest.h"
#include "services/email/email_config.h"
#include "services/email/email_metrics.h"
#include "services/email/ingest/maildir_importer.h"
#include "services/email/smtp/recipient_policy.h"
#include "services/email/smtp/smtp_server.h"

namespace {

namespace base = omnihub::base;

// Deliveries waiting for the outbox sync at once: they share one group-committed sync, so
// this bounds how many messages one sync can acknowledge (parsing is the only CPU).
constexpr size_t kWorkerThreads = 32;
int Fail(const base::Status& s) {
  spdlog::critical("{}", s.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  omnihub::service::StopSignals stop_signals;  // first: every thread started later inherits its mask
  auto started = omnihub::service::StartService(argc, argv, "omnihub-email", {"maildir"}, "[--config PATH] [--maildir DIR]",
                                                omnihub::config::AllSections());
  if (auto* code = std::get_if<int>(&started)) return *code;
  auto& service = std::get<omnihub::service::ServiceStart>(started);
  const omnihub::config::Config* config = &service.config;
  const std::string maildir_flag = service.options.count("maildir") ? service.options["maildir"] : "";
  const auto& ec = config->Get<omnihub::email::EmailConfig>();
  omnihub::email::RecipientPolicy policy(ec.mailboxes, ec.domains, ec.tenants);
  if (!policy.invalid_entries().empty()) {
    return Fail(base::Status::InvalidArgument("config: email.mailboxes/domains: cannot parse '" +
                                        policy.invalid_entries().front() + "'"));
  }

  omnihub::base::SystemClock clock;
  omnihub::base::SystemRandom random;
  omnihub::base::UuidV7Generator ids(clock, random);
  omnihub::event::IdentityNormalizer normalizer(config->identity.default_region);
  omnihub::service::Registry registry;
  omnihub::email::EmailMetrics metrics(registry, clock);
  auto outbox = omnihub::bus::Outbox::Open(ec.outbox_dir, "email", random,
                                           omnihub::bus::OutboxOptionsFrom(config->publisher, clock));
  if (!outbox.ok()) return Fail(outbox.status());
  omnihub::bus::AddOutboxGauges(registry, **outbox);
  zmq::context_t zmq_ctx(1);
  omnihub::bus::PublisherOptions publisher_options = omnihub::bus::PublisherOptionsFrom(config->publisher);
  publisher_options.metrics = &metrics.publisher;
  auto adapter_publisher = omnihub::service::AdapterPublisher::Start(*config, "omnihub-email", zmq_ctx, **outbox,
                                                                     clock, publisher_options, registry);
  if (!adapter_publisher.ok()) return Fail(adapter_publisher.status());
  omnihub::bus::OutboxPublisher& publisher = (*adapter_publisher)->get();

  omnihub::service::Drain drain(clock, std::chrono::milliseconds(config->service.shutdown_timeout_ms));
  omnihub::service::Readiness readiness;
  omnihub::service::AddDrainReadiness(readiness, drain);
  omnihub::service::AddAdapterReadiness(readiness, **outbox, publisher,
                                       omnihub::bus::MaxAckSilenceUs(publisher_options));
  omnihub::service::AddServiceGauges(registry, readiness, ec.outbox_dir);
  omnihub::service::AdminServer admin(ec.admin_listen, registry, readiness);
  omnihub::service::AdapterPurge purge(**outbox);  // POST /purge: email keeps no pending state
  omnihub::service::RegisterAdapterPurge(admin, purge);
  if (auto s = admin.StartIfListening("email.admin_listen"); !s.ok()) return Fail(s);

  omnihub::email::MimeOptions mime_options;
  mime_options.max_attachment_bytes = ec.max_attachment_bytes;
  auto workers = std::make_unique<omnihub::base::WorkerPool>(kWorkerThreads);
  omnihub::email::EmailIngest ingest(publisher, normalizer, ids, clock, mime_options, *workers, &policy);

  boost::asio::io_context io;
  std::vector<std::unique_ptr<omnihub::email::SmtpServer>> servers;
  for (const auto& [key, value, lmtp] : {std::tuple{"smtp_listen", ec.smtp_listen, false},
                                         std::tuple{"lmtp_listen", ec.lmtp_listen, true}}) {
    if (value.empty()) continue;
    auto listen = omnihub::net::ParseListenAddress(std::string("config: email.") + key, value,
                                                   omnihub::net::PortZero::kRejected);
    if (!listen.ok()) return Fail(listen.status());
    omnihub::email::SmtpServerOptions options;
    options.listen_address = listen->address().to_string();
    options.port = listen->port();
    options.lmtp = lmtp;
    options.hostname = ec.hostname;
    options.limits.max_message_bytes = ec.max_message_bytes;
    options.limits.max_recipients = ec.max_recipients;
    options.limits.idle_timeout = std::chrono::seconds(ec.idle_timeout_s);
    options.tls_certificate_file = ec.tls_certificate;
    options.tls_private_key_file = ec.tls_private_key;
    options.metrics = &metrics.smtp;
    auto server = std::make_unique<omnihub::email::SmtpServer>(io, ingest, policy, options);
    if (auto s = server->Start(); !s.ok()) return Fail(s.WithContext(std::string("email.") + key));
    spdlog::info("{} listening on {}", lmtp ? "LMTP" : "SMTP", omnihub::net::FormatEndpoint(*listen));
    servers.push_back(std::move(server));
  }

  std::unique_ptr<omnihub::email::MaildirImporter> importer;
  const std::string maildir = !maildir_flag.empty() ? maildir_flag : ec.maildir;
  if (!maildir.empty()) {
    importer = std::make_unique<omnihub::email::MaildirImporter>(maildir, ingest,
                                                                 std::chrono::milliseconds(ec.maildir_poll_ms));
    if (auto s = importer->Prepare(); !s.ok()) return Fail(s);
    importer->Start();
    spdlog::info("importing Maildir {}", maildir);
  }
  if (servers.empty() && !importer) {
    return Fail(base::Status::InvalidArgument("nothing to do: no smtp_listen, lmtp_listen or maildir configured"));
  }

  // Ready to accept: the outbox is open and every listener is bound, so mail is taken and kept
  // from here on, whether or not the unifier is reachable yet (that is /readyz's "bus" check).
  omnihub::service::NotifyReady("accepting mail");

  // The drain waits on the signal thread; the servers are told on the loop's thread. Until
  // they are, a transaction may still begin there (and count from then on), so the wait counts
  // the servers not yet told as work too: without that it could see no transaction, return,
  // and the Stop that follows would cut off one begun in between.
  std::atomic<bool> servers_told{false};
  drain.Track("SMTP/LMTP server not yet draining", [&servers_told] { return servers_told.load() ? size_t{0} : size_t{1}; });
  drain.Track("SMTP/LMTP transaction", [&servers] {
    size_t n = 0;
    for (const auto& server : servers) n += server->transactions_in_flight();
    return n;
  });
  base::Status drained;
  stop_signals.WaitInBackground([&](int) {
    drain.Begin();
    boost::asio::post(io, [&] {
      spdlog::info("draining: new connections and transactions get 421, those in progress may finish within {} ms",
                   drain.timeout().count());
      for (auto& server : servers) server->BeginDrain();
      servers_told.store(true);
    });
    drained = drain.WaitIdle();
    boost::asio::post(io, [&] {
      for (auto& server : servers) server->Stop();
      io.stop();
    });
  });
  io.run();
  if (importer) importer->Stop();
  workers.reset();  // deliveries already taken finish while everything they use is alive
  admin.Stop();
  return omnihub::service::StoppedExitCode(drained);
}
