// Applies the store's change log to the relationship metrics database (metrics_store.h), one
// stretch of changes at a time (docs/metrics.md; docs/storage-format.md "Metrics database"):
//  - EVENT_ADDED (a timeline entry, or an amendment naming its message in message_event_id):
//    reads the message as it is now and puts it in, or takes it out of, its identity's list
//    of counted messages (counted_message.h): a DELETE takes its message out;
//  - CUSTOMER_CREATED, IDENTITY_LINKED, CUSTOMERS_MERGED, IDENTITY_UNLINKED, CUSTOMERS_SPLIT:
//    the customers named are re-read from the store's identity graph (an absorbed customer
//    has no identities left, so it loses its episodes);
//  - CUSTOMER_ERASED: the erased identities' lists go, and with them the customer's episodes;
//  - every other kind: nothing.
// Every customer a stretch touches (and every customer that held one of their identities
// before) is recomputed once at its end, from the merged lists of its identities; what
// changed of its episodes and summary is written (the episodes before the earliest change
// stay as stored, MetricsWrites::CustomerWrite), and the stretch and its sequence commit in
// one WriteBatch.
// Re-applying a change is harmless: each one re-reads the current state, so the result
// depends on the store alone, not on the stretch size or on where a restart resumed.
//
// Thread-safety: a MetricsConsumer belongs to the thread that writes its MetricsStore.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/base/status.h"
#include "services/unifier/metrics/episodes.h"
#include "services/unifier/metrics/metrics_store.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::metrics {

class MetricsConsumer {
 public:
  // References must outlive the consumer.
  MetricsConsumer(Store& store, MetricsStore& metrics, const EpisodeSettings& settings)
      : store_(store), metrics_(metrics), settings_(settings) {}

  // Applies up to `max_changes` changes after the database's applied sequence and commits
  // them with the new sequence. Returns the sequence now applied (unchanged when the log has
  // nothing newer).
  base::Result<uint64_t> ApplyNext(size_t max_changes);

 private:
  Store& store_;
  MetricsStore& metrics_;
  const EpisodeSettings& settings_;
};

}  // namespace omnihub::unifier::metrics
