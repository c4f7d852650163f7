#include "common/service/adapter_readiness.h"

namespace omnihub::service {

void AddAdapterReadiness(Readiness& readiness, const bus::Outbox& outbox, const bus::OutboxPublisher& publisher,
                         int64_t max_ack_silence_us) {
  readiness.Add("outbox", [&outbox] { return outbox.status(); });
  readiness.Add("bus", [&publisher, max_ack_silence_us] { return publisher.BusStatus(max_ack_silence_us); });
}

}  // namespace omnihub::service
