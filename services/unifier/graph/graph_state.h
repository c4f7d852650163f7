// The identity graph as one command's handler reads and changes it: identities and customers
// staged in the command's IdentityStaging (so a record read twice is the same record, with
// the handler's changes), the identities it changed written to the command's batch at the
// end, and the reason and history entry every change of the command carries (actor, reason,
// issued_at_us, command_id). The dispatcher writes the staged customers at commit.
//
// Thread-safety: single-threaded (the ingest thread), like the handlers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/ingest/command_handlers.h"

namespace omnihub::unifier {

class GraphState {
 public:
  // `ctx` must outlive the state.
  explicit GraphState(CommandContext& ctx) : ctx_(ctx) {}

  // The `identities` key of `identity` in the command's tenant (tenant_identity_keys.h).
  std::string Key(const v1::Identity& identity) const;
  // The staged or stored identity under `identity_key`; nullptr when there is none.
  base::Result<v1::IdentityRecord*> Identity(const std::string& identity_key);
  // The identity behind an internal id; nullptr when the id or its record is gone (an
  // erasure removes both), so that a record naming it (a MergeRecord) is not poison.
  base::Result<v1::IdentityRecord*> IdentityById(uint64_t identity_id);
  // The staged or stored customer record under `customer_id`; Corruption when there is none
  // (callers hold an id that a record points at).
  base::Result<v1::CustomerRecord*> Customer(const std::string& customer_id);
  // The staged or stored customer record under `customer_id`; nullptr when there is none.
  base::Result<v1::CustomerRecord*> MaybeCustomer(const std::string& customer_id);
  // The customer at the end of `customer_id`'s merged_into chain, staged; nullptr when the
  // chain ends at a customer that is gone.
  base::Result<v1::CustomerRecord*> LiveCustomer(const std::string& customer_id);
  // The live customer a selector of the command names in the command's tenant
  // (FindTenantCustomer), staged. Its errors (InvalidArgument, NotFound) name `field`.
  base::Result<v1::CustomerRecord*> Select(const v1::CustomerSelector& selector, const std::string& field);
  // A new customer record of the command's tenant, staged and counted.
  v1::CustomerRecord& NewCustomer(const std::string& customer_id);

  // Notes that the identity under `identity_key` changed; Flush writes it.
  void Changed(const std::string& identity_key);
  // Puts every changed identity record into the command's batch, once each.
  void Flush();

  // The reason the command gives an identity it moves or creates: `rule`, agent = actor,
  // detail = the command's reason, command_id, linked_at_us = issued_at_us.
  v1::LinkReason Reason(v1::LinkReason::Rule rule) const;
  // A history entry of the command: `kind`, actor, reason, at_us, command_id.
  v1::GraphHistoryEntry Entry(v1::GraphHistoryEntry::Kind kind) const;
  // The change-log entry of the command (ctx.add_change).
  v1::ChangeNotification& Announce(v1::ChangeKind kind) { return ctx_.add_change(kind); }

  CommandContext& ctx() { return ctx_; }

 private:
  CommandContext& ctx_;
  std::vector<std::string> changed_;  // identity keys, in the order of their first change
};

// Events on one identity's timeline (a prefix scan of the timeline CF, from `snapshot` or,
// with nullptr, the latest committed state). How a split recomputes event counts, and what
// an identity brings along when it moves.
base::Result<uint64_t> CountTimeline(Store& store, uint64_t identity_id, const rocksdb::Snapshot* snapshot);

}  // namespace omnihub::unifier
