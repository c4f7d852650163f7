// omnihub-test-bus-send: puts arbitrary event bytes on the ingest bus through the real
// durable publisher, so end-to-end tests can show what the unifier does with an event
// no well-behaved adapter would send. Waits until the unifier acknowledges it.
// With --rejected-hex it sends a Rejected frame instead, as an adapter does for input
// it could not read (for example an email an earlier build's parser gave up on).
//
// usage: omnihub-test-bus-send --config PATH --outbox DIR
//          (--event-hex HEX | --rejected-hex HEX --source S --reason R [--context KEY=VALUE ...])
#include <chrono>
#include <iostream>
#include <string>

#include <zmq.hpp>

#include "common/base/coding.h"
#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "common/base/env.h"
#include "common/service/logging.h"
#include "common/bus/outbox.h"
#include "common/bus/zmq_publisher.h"

int main(int argc, char** argv) {
  std::string config_path, outbox_dir, event_hex, rejected_hex;
  omnihub::v1::Rejected rejected;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--config") config_path = value;
    else if (arg == "--outbox") outbox_dir = value;
    else if (arg == "--event-hex") event_hex = value;
    else if (arg == "--rejected-hex") rejected_hex = value;
    else if (arg == "--source") rejected.set_source(value);
    else if (arg == "--reason") rejected.set_reason(value);
    else if (arg == "--context" && value.find('=') != std::string::npos) {
      (*rejected.mutable_context())[value.substr(0, value.find('='))] = value.substr(value.find('=') + 1);
    }
  }
  std::string event_bytes, rejected_bytes;
  const bool as_rejected = !rejected_hex.empty();
  if (config_path.empty() || outbox_dir.empty() ||
      !(as_rejected ? omnihub::base::HexDecode(rejected_hex, &rejected_bytes) : omnihub::base::HexDecode(event_hex, &event_bytes))) {
    std::cerr << "usage: omnihub-test-bus-send --config PATH --outbox DIR (--event-hex HEX | --rejected-hex HEX "
                 "--source S --reason R [--context KEY=VALUE ...])\n";
    return 2;
  }
  rejected.set_raw(rejected_bytes);
  auto config = omnihub::config::LoadConfig(config_path, omnihub::config::AllSections());
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  omnihub::config::LogConfig log = config->log;
  log.level = "warn";  // stdout carries the result
  if (!omnihub::service::SetupLogging(log, "omnihub-test-bus-send").ok()) return 2;
  omnihub::base::SystemClock clock;
  omnihub::base::SystemRandom random;
  auto outbox = omnihub::bus::Outbox::Open(outbox_dir, "test", random);
  if (!outbox.ok()) {
    std::cerr << outbox.status().message() << "\n";
    return 1;
  }
  zmq::context_t ctx(1);
  omnihub::bus::ZmqPublisher publisher(ctx, config->bus.ingest, **outbox, clock, {});
  std::vector<omnihub::bus::OutboxItem> items(1);
  if (as_rejected) {
    items[0].rejected = rejected;
  } else {
    items[0].event_bytes = event_bytes;
  }
  auto seqs = publisher.Publish(std::move(items));
  if (!seqs.ok()) {
    std::cerr << seqs.status().message() << "\n";
    return 1;
  }
  if (!publisher.WaitForAck(seqs->back(), std::chrono::seconds(30))) {
    std::cerr << "not acknowledged within 30 s\n";
    return 3;
  }
  std::cout << publisher.publisher_id() << " " << seqs->back() << "\n";
  return 0;
}
