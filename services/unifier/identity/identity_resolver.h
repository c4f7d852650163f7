// Identity resolution: which customer an event belongs to. The event's external party (the
// sender of an inbound event, the first recipient of an outbound one) is looked up by its
// normalized identity (event::IdentityKey); the first sight of an identity creates it and a new
// customer, linked by that event (LinkReason FIRST_SIGHT). Matching is deterministic and exact:
// equal normalized identities are one customer, so a WhatsApp sender, which normalizes to a
// phone number, joins that number's SMS history; nothing is ever matched by name.
//
// The only other way two identities become one customer is the platform's word: the event's
// party_links name identities of the same person (a WhatsApp sender's number beside their
// business-scoped user id). Each joins the party's customer (LinkReason PLATFORM_LINK); a new
// party joins the customer of a link that exists instead of getting a new one; and when a link
// belongs to another customer, the two customers are merged into the older one, whose id
// stays, and the other's record says where it went (CustomerRecord.merged_into). The merge is
// the identity graph's (graph/graph_records.h MergeCustomerRecords): it leaves a MergeRecord,
// whose id derives from the event, so that an agent can split it. A phone first seen as a
// WhatsApp sender is linked by SENDER_IS_PHONE, a Telegram party link by OWN_CONTACT. Events are
// resolved in the order they are given, so a batch's new identities get consecutive ids in
// arrival order (the party's first, then its links'). (docs/identities.md)
//
// The resolver keeps no state between calls: a batch's identities and customers, as read or
// created so far, live in the caller's IdentityStaging, and committed ones are read through an
// IdentityReader. It returns the writes for the batch instead of making them, so the caller
// commits them atomically with the rest of the batch, or drops the staging when the batch fails.
// It also keeps the handle index (handle_index.h) of the identities it sees.
//
// Thread-safety: single-threaded (the ingest thread owns it).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"
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
  // True when this event is the identity's first sight and its customer is new (false when a
  // new party joined the customer of one of its links).
  bool first_sight = false;
  // To put into the batch's WriteBatch, in this order: new identities' identity_ids records,
  // handle index entries, and every identities record this event created or changed. Customer
  // records are written at commit (CustomerWrites), once per batch, with their final state.
  std::vector<IdentityWrite> writes;
  // Changes to announce before the event's EVENT_ADDED, in order (IDENTITY_LINKED,
  // CUSTOMERS_MERGED); change_seq and committed_at_us are left for the caller to set.
  std::vector<v1::ChangeNotification> changes;
};

class IdentityResolver {
 public:
  // `reader` must outlive the resolver. Resolution is deterministic: new links and customers
  // are stamped with the event's time (apply_time.h) and a new customer's id derives from its
  // first identity (customer_ids.h), so no clock or id generator is needed.
  explicit IdentityResolver(IdentityReader& reader);
  IdentityResolver(const IdentityResolver&) = delete;
  IdentityResolver& operator=(const IdentityResolver&) = delete;

  // Resolves `event` to its customer, links its party_links to that customer (merging
  // customers where a link belongs to another one) and counts the event on the customer
  // (event_count), all in `staged`. New identities get their ids from
  // counters.last_identity_id; new identities and customers are counted in `counters`.
  // REQUIRES: `event` passed event::ValidateAndNormalizeEvent (InvalidArgument if it has no
  // external party). On failure (a reader error, or Corruption when an identity points at a
  // customer that does not exist or was merged away) the batch must be abandoned: `staged`
  // may hold reads and partial changes.
  base::Result<Assignment> Assign(const v1::Event& event, IdentityStaging& staged, StoreCounters& counters);

  // The committed identity record behind an identity id (its customer_id says whose it is).
  // A record changes only when its identity moves in a merge; a batch that moves it reads the
  // state before the batch here (callers that need more use the customer's merged_into).
  base::Result<v1::IdentityRecord> IdentityById(uint64_t identity_id);

 private:
  struct Pass;  // the state of one Assign call

  // The staged or stored record under `key`, staged on first read; nullptr when there is none.
  base::Result<v1::IdentityRecord*> Find(const std::string& key, IdentityStaging& staged);
  // Creates the record of the new party: on the customer of its first link that exists, or
  // (first sight) on a new customer.
  base::Result<v1::IdentityRecord*> CreateParty(const v1::Identity& party, const std::string& key, Pass& p);
  // Creates an identity record on `customer` (staged) with `reason`, in the customer's lists.
  v1::IdentityRecord* CreateIdentity(const v1::Identity& identity, const std::string& key, v1::CustomerRecord& customer,
                                     v1::LinkReason reason, Pass& p);
  // Joins each of the event's party_links to the party's customer.
  base::Status LinkPartyIdentities(const std::string& party_key, v1::IdentityRecord& party, Pass& p);
  // Merges the customers of `a` and `b` (different) into the older one, with a MergeRecord.
  base::Status MergeCustomers(const std::string& a, const std::string& b, const v1::IdentityLink& link, Pass& p);
  // Keeps `record.current_handle` and the handle index up to date with the handle `seen` gives.
  void NoteHandle(const v1::Identity& seen, const std::string& key, v1::IdentityRecord& record, Pass& p);
  v1::LinkReason Reason(v1::LinkReason::Rule rule, const v1::Event& event, const std::string& detail) const;
  base::Result<v1::CustomerRecord*> StagedCustomer(const std::string& customer_id, IdentityStaging& staged);

  IdentityReader& reader_;
};

// The customers records of a batch, to write when it commits (every staged customer has
// gained an event or lost its identities in a merge), in the staging's order.
std::vector<IdentityWrite> CustomerWrites(const IdentityStaging& staged);

}  // namespace omnihub::unifier
