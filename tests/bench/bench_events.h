// Synthetic ingest traffic for the benchmarks: events over a fixed population of
// customers, each made the way an integrator's line is (a JSON ingest line through
// ParseIngestLine), so every event is valid, normalized and of realistic size.
//
// Customer c is an email customer when c % 3 == 0 and a phone customer otherwise;
// a phone customer's messages come by SMS or WhatsApp (the same phone identity, so
// both land in one timeline). The unifier therefore ends up with exactly one customer
// per customer index that received an event. Provider message ids follow each
// provider's shape (RFC 5322 Message-ID, Twilio SID, WhatsApp wamid) and are random
// 128-bit values, so no two events are deduplicated.
//
// Thread-safety: none; one thread uses a factory.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::bench {

struct EventMix {
  uint64_t customers = 10000;
  size_t text_bytes = 500;  // approximate length of each event's text
  uint64_t seed = 42;
};

// One generated event and the customer index it belongs to.
struct BenchEvent {
  v1::Event event;
  uint64_t customer = 0;
};

class EventFactory {
 public:
  // `normalizer`, `clock` and `random` must outlive the factory. REQUIRES: mix.customers > 0.
  EventFactory(const EventMix& mix, const event::IdentityNormalizer& normalizer, base::Clock& clock, base::RandomSource& random);

  // The next `count` events; occurred_at advances by 1 ms per event across calls.
  // An error means the generator wrote a line the ingest parser rejects (a bug here).
  base::Result<std::vector<BenchEvent>> Make(uint64_t count);

 private:
  std::string Text(size_t bytes);
  std::string RandomHex(size_t bytes);
  std::string RandomToken(size_t chars);

  const EventMix mix_;
  const event::IdentityNormalizer& normalizer_;
  base::Clock& clock_;
  base::UuidV7Generator ids_;
  std::mt19937_64 rng_;
  uint64_t made_ = 0;
};

// Serialized event bytes (the OutboxItem payload) of each event.
std::vector<std::string> SerializeEvents(const std::vector<BenchEvent>& events);

}  // namespace omnihub::bench
