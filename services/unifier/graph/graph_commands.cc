// ApplyLink and ApplyUnlink (command_handlers.h): an identity joins a customer, or leaves
// into a customer of its own. Timelines are keyed by identity, so only the identities and
// customers records change; the identity's events go wherever it goes (docs/identities.md).
#include "common/base/coding.h"
#include "common/event/identity.h"
#include "services/unifier/graph/graph_commands_common.h"
#include "services/unifier/graph/graph_records.h"
#include "services/unifier/graph/graph_state.h"
#include "services/unifier/identity/handle_index.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

// The identity id a link is anchored on: the identity the CUSTOMER selector named, so that a
// split keeps the linked identity on that identity's side. 0 for a customer id or a handle
// reference (which names a user by a handle that can change hands).
base::Result<uint64_t> AnchorOf(GraphState& g, const v1::CustomerSelector& selector) {
  if (!selector.has_identity() || event::IsHandleReference(selector.identity())) return uint64_t{0};
  auto normalized = g.ctx().normalizer.Normalize(selector.identity());
  if (!normalized.ok()) return normalized.status();
  auto anchor = g.Identity(g.Key(*normalized));
  if (!anchor.ok()) return anchor.status();
  return *anchor == nullptr ? uint64_t{0} : (*anchor)->identity_id();
}

// A new identity's record on `customer` (counted, with its identity_ids entry and, for a
// platform user with a handle, its handle index entry), staged.
v1::IdentityRecord* CreateIdentity(GraphState& g, const v1::Identity& identity, const std::string& key,
                                   const std::string& customer_id, v1::LinkReason reason) {
  CommandContext& ctx = g.ctx();
  v1::IdentityRecord created;
  created.set_identity_id(++ctx.counters.last_identity_id);
  *created.mutable_identity() = identity;
  created.set_customer_id(customer_id);
  *created.mutable_reason() = std::move(reason);
  ++ctx.counters.identities;
  ctx.batch.Put(ctx.store.identity_ids(), base::EncodeFixed64BE(created.identity_id()), EncodeRawValue(key))
      .PermitUncheckedError();
  if (identity.kind() == v1::Identity::PLATFORM && !HandleIndexName(identity.handle()).empty()) {
    created.set_current_handle(identity.handle());
    ctx.batch.Put(ctx.store.identities(), HandleIndexKey(identity.platform(), identity.handle(), key), EncodeRawValue(""))
        .PermitUncheckedError();
  }
  return &ctx.identities.identities.insert_or_assign(key, std::move(created)).first->second;
}

}  // namespace

base::Result<v1::CommandResult> ApplyLink(CommandContext& ctx) {
  const v1::LinkIdentityCommand& link = ctx.command.link();
  OMNIHUB_RETURN_IF_ERROR(RequireReason(ctx.command, "link"));
  auto identity = NormalizeCommandIdentity(ctx, link.has_identity() ? &link.identity() : nullptr, "link.identity");
  if (!identity.ok()) return identity.status();
  GraphState g(ctx);
  auto target = g.Select(link.customer(), "link.customer");
  if (!target.ok()) return target.status();
  auto anchor = AnchorOf(g, link.customer());
  if (!anchor.ok()) return anchor.status();

  const std::string key = g.Key(*identity);
  auto existing = g.Identity(key);
  if (!existing.ok()) return existing.status();
  v1::LinkReason reason = g.Reason(v1::LinkReason::AGENT_LINK);
  reason.set_anchor_identity_id(*anchor);
  v1::IdentityRecord* record = *existing;
  std::string moved_from;
  if (record == nullptr) {
    record = CreateIdentity(g, *identity, key, (*target)->customer_id(), std::move(reason));
  } else {
    if (record->customer_id() == (*target)->customer_id()) {
      return base::Status::FailedPrecondition("identity " + event::IdentityToArgument(*identity) +
                                              " is already linked to customer " + record->customer_id());
    }
    // It moves with its events: the count goes with it.
    auto from = g.Customer(record->customer_id());
    if (!from.ok()) return from.status();
    auto events = CountTimeline(ctx.store, record->identity_id(), nullptr);
    if (!events.ok()) return events.status();
    OMNIHUB_RETURN_IF_ERROR(TakeIdentity(**from, *record, *events));
    v1::GraphHistoryEntry out = g.Entry(v1::GraphHistoryEntry::LINK_MOVED_OUT);
    *out.mutable_identity() = record->identity();
    out.set_other_customer_id((*target)->customer_id());
    *(*from)->add_history() = std::move(out);
    moved_from = (*from)->customer_id();
    record->set_customer_id((*target)->customer_id());
    ReplaceReason(*record, std::move(reason));
    (*target)->set_event_count((*target)->event_count() + *events);
  }
  AddIdentity(**target, *record);
  v1::GraphHistoryEntry in = g.Entry(v1::GraphHistoryEntry::LINKED);
  *in.mutable_identity() = record->identity();
  in.set_other_customer_id(moved_from);
  *(*target)->add_history() = std::move(in);
  g.Changed(key);
  g.Flush();

  v1::ChangeNotification& change = g.Announce(v1::IDENTITY_LINKED);
  change.set_customer_id((*target)->customer_id());
  *change.mutable_identity() = record->identity();
  change.set_merged_customer_id(moved_from);  // the customer it left, if any
  v1::CommandResult result;
  result.set_customer_id((*target)->customer_id());
  return result;
}

base::Result<v1::CommandResult> ApplyUnlink(CommandContext& ctx) {
  const v1::UnlinkIdentityCommand& unlink = ctx.command.unlink();
  OMNIHUB_RETURN_IF_ERROR(RequireReason(ctx.command, "unlink"));
  auto identity =
      NormalizeCommandIdentity(ctx, unlink.has_identity() ? &unlink.identity() : nullptr, "unlink.identity");
  if (!identity.ok()) return identity.status();
  GraphState g(ctx);
  const std::string key = g.Key(*identity);
  auto found = g.Identity(key);
  if (!found.ok()) return found.status();
  if (*found == nullptr) {
    return base::Status::NotFound("unlink.identity: no customer has identity " + event::IdentityToArgument(*identity));
  }
  v1::IdentityRecord& record = **found;
  auto from = g.Customer(record.customer_id());
  if (!from.ok()) return from.status();
  if ((*from)->identity_ids_size() <= 1) {
    return base::Status::FailedPrecondition("identity " + event::IdentityToArgument(*identity) +
                                            " is the only identity of customer " + (*from)->customer_id() +
                                            ": there is nothing to unlink it from");
  }
  auto events = CountTimeline(ctx.store, record.identity_id(), nullptr);
  if (!events.ok()) return events.status();
  OMNIHUB_RETURN_IF_ERROR(TakeIdentity(**from, record, *events));

  // The new customer's id derives from the command and the identity (graph_records.h), so a
  // replica applying the same command makes the same customer.
  v1::CustomerRecord& created = g.NewCustomer(DerivedUuid("unlink:" + ctx.command.command_id() + key));
  record.set_customer_id(created.customer_id());
  ReplaceReason(record, g.Reason(v1::LinkReason::UNLINK));
  AddIdentity(created, record);
  created.set_event_count(*events);
  v1::GraphHistoryEntry left = g.Entry(v1::GraphHistoryEntry::UNLINKED);
  *left.mutable_identity() = record.identity();
  left.set_other_customer_id(created.customer_id());
  *(*from)->add_history() = std::move(left);
  v1::GraphHistoryEntry made = g.Entry(v1::GraphHistoryEntry::CREATED_BY_UNLINK);
  *made.mutable_identity() = record.identity();
  made.set_other_customer_id((*from)->customer_id());
  *created.add_history() = std::move(made);
  g.Changed(key);
  g.Flush();

  v1::ChangeNotification& change = g.Announce(v1::IDENTITY_UNLINKED);
  change.set_customer_id(created.customer_id());
  change.set_merged_customer_id((*from)->customer_id());
  *change.mutable_identity() = record.identity();
  v1::CommandResult result;
  result.set_customer_id(created.customer_id());
  return result;
}

}  // namespace omnihub::unifier
