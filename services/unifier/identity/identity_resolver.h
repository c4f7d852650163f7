// Identity resolution: which customer an event belongs to. The event's external party (the
// sender of an inbound event, the first recipient of an outbound one) is looked up by its
// normalized identity (event::IdentityKey); the first sight of an identity creates it and a new
// customer, linked by that event (LinkReason FIRST_SIGHT). Matching is deterministic and exact:
// equal normalized identities are one customer, so a WhatsApp sender, which normalizes to a
// phone number, joins that number's SMS history; nothing is ever matched by name. Events are
// resolved in the order they are given, so a batch's new identities get consecutive ids in
// arrival order. (docs/identities.md; links, merges and splits of the identity graph will live
// here too.)
//
// The resolver keeps no state between calls: a batch's identities and customers, as read or
// created so far, live in the caller's IdentityStaging, and committed ones are read through an
// IdentityReader. It returns the writes for the batch instead of making them, so the caller
// commits them atomically with the rest of the batch, or drops the staging when the batch fails.
//
// Thread-safety: single-threaded (the ingest thread owns it).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/identity/identity_store.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// One batch's overlay on the committed identities and customers: every record the batch has
// read or created, as it will be after the batch commits. Start each batch with an empty one.
struct IdentityStaging {
  std::unordered_map<std::string, v1::IdentityRecord> identities;  // by IdentityKey
  std::unordered_map<std::string, v1::CustomerRecord> customers;   // by customer id
};

// Where an event belongs.
struct Assignment {
  // The identity whose timeline the event joins; its customer_id is the event's customer.
  // Points into the IdentityStaging passed to Assign; valid as long as that lives.
  const v1::IdentityRecord* identity = nullptr;
  // True when this event is the identity's first sight: the identity and its customer are new.
  bool first_sight = false;
  // To put into the batch's WriteBatch, in this order: a new identity's identity_ids and
  // identities records (identity records are written once, at creation). Customer records are
  // written at commit (CustomerWrites), once per batch, with their final event counts.
  std::vector<IdentityWrite> writes;
};

class IdentityResolver {
 public:
  // All references must outlive the resolver. `clock` stamps new links and customers; `ids`
  // gives new customers their id.
  IdentityResolver(IdentityReader& reader, base::Clock& clock, base::UuidV7Generator& ids);
  IdentityResolver(const IdentityResolver&) = delete;
  IdentityResolver& operator=(const IdentityResolver&) = delete;

  // Resolves `event` to its customer and counts the event on that customer (event_count),
  // both in `staged`. On a first sight, allocates the identity id from
  // counters.last_identity_id and counts the new identity and customer in `counters`.
  // REQUIRES: `event` passed event::ValidateAndNormalizeEvent (InvalidArgument if it has no
  // external party). On failure (a reader error, or Corruption when an identity points at a
  // customer that does not exist) the batch must be abandoned: `staged` may hold reads.
  base::Result<Assignment> Assign(const v1::Event& event, IdentityStaging& staged, StoreCounters& counters);

  // The committed identity record behind an identity id (its customer_id says whose it is).
  // Identity records never change once written, so the committed one is current.
  base::Result<v1::IdentityRecord> IdentityById(uint64_t identity_id);

 private:
  // The staged or stored record of `identity`, created (with its customer) on first sight.
  base::Result<v1::IdentityRecord*> FindOrCreate(const v1::Identity& identity, const v1::Event& event,
                                                 IdentityStaging& staged, StoreCounters& counters, Assignment* out);
  base::Result<v1::CustomerRecord*> StagedCustomer(const std::string& customer_id, IdentityStaging& staged);

  IdentityReader& reader_;
  base::Clock& clock_;
  base::UuidV7Generator& ids_;
};

// The customers records of a batch, to write when it commits (every staged customer has
// gained an event), in the staging's order.
std::vector<IdentityWrite> CustomerWrites(const IdentityStaging& staged);

}  // namespace omnihub::unifier
