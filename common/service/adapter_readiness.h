// The readiness checks every channel adapter has (GET /readyz on its admin listener):
//   outbox  its outbox can still take appends (a failed sync stops it for good)
//   bus     its publisher is connected to the unifier (in cluster mode: to NATS) and, with
//           entries waiting, has heard an ack within `max_ack_silence_us` (bus::MaxAckSilenceUs)
// so that email, SMS and every later adapter say "not ready" for the same reasons.
//
// Thread-safety: as Readiness::Add (before the admin listener starts). The outbox and the
// publisher must outlive the admin listener that evaluates the checks.
#pragma once

#include <cstdint>

#include "common/bus/outbox.h"
#include "common/bus/outbox_publisher.h"
#include "common/service/readiness.h"

namespace omnihub::service {

void AddAdapterReadiness(Readiness& readiness, const bus::Outbox& outbox, const bus::OutboxPublisher& publisher,
                         int64_t max_ack_silence_us);

}  // namespace omnihub::service
