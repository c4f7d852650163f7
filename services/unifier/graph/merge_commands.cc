// ApplyMerge and ApplySplit (command_handlers.h): one customer taken into another, and the
// exact undo of that (docs/identities.md "Split"). The merge keeps a MergeRecord (merges CF)
// with what a split needs: which identities moved, and the absorbed customer's record as it
// was. Event counts after a split are recomputed from the timelines of both sides.
#include <algorithm>
#include <set>
#include <vector>

#include "common/event/tenant_id.h"
#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "services/unifier/graph/graph_commands_common.h"
#include "services/unifier/graph/graph_records.h"
#include "services/unifier/graph/graph_state.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

// The identities a split gives back to the absorbed customer, in the order it will list them:
// every identity the merge moved that is still on `live` (the customer the survivor resolves
// to now; identities unlinked or linked away since stay where they are), then every identity
// of `live` that an agent linked after the merge anchored on one of those, recursively. A link
// the survivor's side had before the merge stays, whatever its anchor became since: the
// survivor's identities at the merge count as linked before it unless their link is newer.
base::Result<std::vector<v1::IdentityRecord*>> IdentitiesGoingBack(GraphState& g, const v1::MergeRecord& merge,
                                                                   const v1::CustomerRecord& live) {
  std::vector<v1::IdentityRecord*> back;
  std::set<uint64_t> ids;
  for (uint64_t id : merge.moved_identity_ids()) {
    auto record = g.IdentityById(id);
    if (!record.ok()) return record.status();
    if (*record == nullptr) continue;  // erased since
    if ((*record)->customer_id() == live.customer_id() && ids.insert(id).second) back.push_back(*record);
  }
  const std::set<uint64_t> survivor_had(merge.survivor_identity_ids().begin(), merge.survivor_identity_ids().end());
  for (bool grew = true; grew;) {
    grew = false;
    for (uint64_t id : live.identity_ids()) {
      if (ids.count(id) > 0) continue;
      auto record = g.IdentityById(id);
      if (!record.ok()) return record.status();
      if (*record == nullptr) {
        return base::Status::Corruption("customer " + live.customer_id() + " lists identity " + std::to_string(id) +
                                        ", which has no record");
      }
      const v1::LinkReason& reason = (*record)->reason();
      const bool linked_before = survivor_had.count(id) > 0 && reason.linked_at_us() <= merge.merged_at_us();
      if (!linked_before && reason.rule() == v1::LinkReason::AGENT_LINK && ids.count(reason.anchor_identity_id()) > 0) {
        ids.insert(id);
        back.push_back(*record);
        grew = true;
      }
    }
  }
  return back;
}

// The events on the timelines of `customer`'s identities.
base::Result<uint64_t> CountEvents(Store& store, const v1::CustomerRecord& customer) {
  uint64_t total = 0;
  for (uint64_t id : customer.identity_ids()) {
    auto count = CountTimeline(store, id, nullptr);
    if (!count.ok()) return count.status();
    total += *count;
  }
  return total;
}

}  // namespace

base::Result<v1::CommandResult> ApplyMerge(CommandContext& ctx) {
  const v1::MergeCustomersCommand& merge = ctx.command.merge();
  OMNIHUB_RETURN_IF_ERROR(RequireReason(ctx.command, "merge"));
  GraphState g(ctx);
  auto survivor = g.Select(merge.survivor(), "merge.survivor");
  if (!survivor.ok()) return survivor.status();
  auto other = g.Select(merge.other(), "merge.other");
  if (!other.ok()) return other.status();
  if (*survivor == *other) {
    return base::Status::FailedPrecondition("merge.survivor and merge.other are the same customer " +
                                         (*survivor)->customer_id());
  }

  MergeSpec spec;
  spec.merge_id = base::UuidToString(ctx.command.command_id());
  spec.reason = g.Reason(v1::LinkReason::MERGE);
  spec.entry = g.Entry(v1::GraphHistoryEntry::KIND_UNSPECIFIED);
  spec.merged_at_us = ctx.command.issued_at_us();
  auto record = MergeCustomerRecords(
      **survivor, **other, spec, [&](const std::string& key) { return g.Identity(key); },
      [&](const std::string& key) { g.Changed(key); });
  if (!record.ok()) return record.status();
  ctx.batch.Put(ctx.store.merges(), spec.merge_id, EncodeValue(*record)).PermitUncheckedError();
  g.Flush();

  v1::ChangeNotification& change = g.Announce(v1::CUSTOMERS_MERGED);
  change.set_customer_id((*survivor)->customer_id());
  change.set_merged_customer_id((*other)->customer_id());
  change.set_merge_id(spec.merge_id);
  v1::CommandResult result;
  result.set_customer_id((*survivor)->customer_id());
  result.set_merge_id(spec.merge_id);
  return result;
}

base::Result<v1::CommandResult> ApplySplit(CommandContext& ctx) {
  const v1::SplitMergeCommand& split = ctx.command.split();
  OMNIHUB_RETURN_IF_ERROR(RequireReason(ctx.command, "split"));
  std::string id_bytes;
  if (!base::UuidFromString(split.merge_id(), &id_bytes)) {
    return base::Status::InvalidArgument("split.merge_id '" + split.merge_id() + "' is not a merge id (a UUID)");
  }
  const std::string merge_id = base::UuidToString(id_bytes);
  auto stored = ctx.store.GetRaw(ctx.store.merges(), merge_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return base::Status::NotFound("split.merge_id: no merge with id " + merge_id);
  v1::MergeRecord merge;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**stored, &merge));
  if (!merge.split_command_id().empty()) {
    return base::Status::FailedPrecondition("merge " + merge_id + " was already split (by " + merge.split_actor() +
                                            ": " + merge.split_reason() + ")");
  }

  GraphState g(ctx);
  auto other = g.MaybeCustomer(merge.other_id());
  if (!other.ok()) return other.status();
  if (*other == nullptr) {
    return base::Status::FailedPrecondition("customer " + merge.other_id() + " of merge " + merge_id +
                                            " no longer exists");
  }
  // A merge is within one tenant: another tenant's is not found, as if it did not exist.
  const std::string_view tenant = event::TenantOrDefault(ctx.command.tenant_id());
  if ((*other)->tenant_id() != event::WireTenant(tenant)) {
    return base::Status::NotFound("split.merge_id: no merge with id " + merge_id + " in tenant '" +
                                  std::string(tenant) + "'");
  }
  if ((*other)->merge_id() != merge_id || (*other)->merged_into().empty()) {
    return base::Status::FailedPrecondition("customer " + merge.other_id() + " is no longer merged by merge " +
                                            merge_id);
  }
  auto live = g.LiveCustomer(merge.survivor_id());
  if (!live.ok()) return live.status();
  if (*live == nullptr) {
    return base::Status::FailedPrecondition("the survivor of merge " + merge_id + " (customer " + merge.survivor_id() +
                                            ") no longer exists");
  }
  auto back = IdentitiesGoingBack(g, merge, **live);
  if (!back.ok()) return back.status();

  // The absorbed customer as it was before the merge, with the history it has gained since
  // (its MERGED_AWAY) and the identities that go back.
  v1::CustomerRecord restored = merge.other_before();
  *restored.mutable_history() = (*other)->history();
  restored.clear_identity_ids();
  restored.clear_identities();
  restored.clear_merged_into();
  restored.clear_merged_at_us();
  restored.clear_merge_id();
  v1::LinkReason reason = g.Reason(v1::LinkReason::SPLIT);
  reason.set_merge_id(merge_id);
  reason.set_merged_from((*live)->customer_id());
  for (v1::IdentityRecord* identity : *back) {
    RemoveIdentity(**live, identity->identity_id());
    identity->set_customer_id(restored.customer_id());
    ReplaceReason(*identity, reason);
    AddIdentity(restored, *identity);
    g.Changed(g.Key(identity->identity()));
  }
  // Timelines are per identity, so the events that arrived since went with their identity;
  // both counts are recounted rather than carried over.
  auto restored_events = CountEvents(ctx.store, restored);
  if (!restored_events.ok()) return restored_events.status();
  restored.set_event_count(*restored_events);
  auto live_events = CountEvents(ctx.store, **live);
  if (!live_events.ok()) return live_events.status();
  (*live)->set_event_count(*live_events);

  v1::GraphHistoryEntry entry = g.Entry(v1::GraphHistoryEntry::SPLIT);
  entry.set_merge_id(merge_id);
  entry.set_other_customer_id(restored.customer_id());
  *(*live)->add_history() = entry;
  entry.set_other_customer_id((*live)->customer_id());
  *restored.add_history() = std::move(entry);
  **other = std::move(restored);

  merge.set_split_command_id(ctx.command.command_id());
  merge.set_split_at_us(ctx.command.issued_at_us());
  merge.set_split_actor(ctx.command.actor());
  merge.set_split_reason(ctx.command.reason());
  ctx.batch.Put(ctx.store.merges(), merge_id, EncodeValue(merge)).PermitUncheckedError();
  g.Flush();

  v1::ChangeNotification& change = g.Announce(v1::CUSTOMERS_SPLIT);
  change.set_customer_id((*live)->customer_id());
  change.set_merged_customer_id((*other)->customer_id());
  change.set_merge_id(merge_id);
  v1::CommandResult result;
  result.set_merge_id(merge_id);
  result.add_customer_ids((*live)->customer_id());
  result.add_customer_ids((*other)->customer_id());
  return result;
}

}  // namespace omnihub::unifier
