// The handlers of EraseCustomerCommand and RecordErasureVerificationCommand (docs/erasure.md):
// the logical erasure in the command's own batch (customer_erasure.h), its change and its
// kept receipt; and the verification that `omnihubctl customer erase` adds to that receipt.
#include "common/base/uuid.h"
#include "services/unifier/erasure/customer_erasure.h"
#include "services/unifier/ingest/command_handlers.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

base::Result<v1::CommandResult> ApplyErase(CommandContext& ctx) {
  const v1::Command& command = ctx.command;
  if (!command.erase().has_customer()) return base::Status::InvalidArgument("erase.customer must be set");
  if (command.reason().empty()) return base::Status::InvalidArgument("reason must be set (why the customer is erased)");
  // Erasure acts within the command's tenant: another tenant's customer is not found.
  auto customer = FindTenantCustomer(ctx.store, ctx.normalizer, command.erase().customer(), nullptr, command.tenant_id());
  if (!customer.ok()) return customer.status();

  const std::string erasure_id = base::UuidToString(command.command_id());
  CustomerErasure erasure(ctx.store, *customer, erasure_id, ctx.batch);
  auto outcome = erasure.Run(ctx.counters);
  if (!outcome.ok()) return outcome.status();

  v1::ChangeNotification& change = ctx.add_change(v1::CUSTOMER_ERASED);
  change.set_customer_id(customer->customer_id());
  for (uint64_t id : outcome->identity_ids) change.add_erased_identity_ids(id);

  v1::CommandResult result;
  result.set_customer_id(customer->customer_id());
  v1::ErasureReceipt& receipt = *result.mutable_receipt();
  receipt.set_erasure_id(erasure_id);
  receipt.set_customer_id(customer->customer_id());
  receipt.set_actor(command.actor());
  receipt.set_reason(command.reason());
  receipt.set_erased_at_us(command.issued_at_us());
  for (const auto& [kind, n] : outcome->removed) (*receipt.mutable_removed())[kind] = n;
  receipt.set_tombstoned_changes(outcome->tombstoned_changes);
  for (const auto& id : outcome->merged_customer_ids) receipt.add_merged_customer_ids(id);
  ctx.batch.Put(ctx.store.erasures(), erasure_id, EncodeValue(receipt)).PermitUncheckedError();
  return result;
}

base::Result<v1::CommandResult> ApplyErasureVerified(CommandContext& ctx) {
  const auto& op = ctx.command.erasure_verified();
  if (op.erasure_id().empty()) return base::Status::InvalidArgument("erasure_verified.erasure_id must be set");
  if (!op.has_verification()) return base::Status::InvalidArgument("erasure_verified.verification must be set");
  auto stored = ctx.store.GetRaw(ctx.store.erasures(), op.erasure_id());
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return base::Status::NotFound("no erasure " + op.erasure_id());
  v1::ErasureReceipt receipt;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**stored, &receipt).WithContext("erasure receipt"));
  // A later verification (a rerun after a failed purge) replaces the earlier one.
  *receipt.mutable_verification() = op.verification();
  if (receipt.verification().verified_at_us() == 0) {
    receipt.mutable_verification()->set_verified_at_us(ctx.command.issued_at_us());
  }
  ctx.batch.Put(ctx.store.erasures(), op.erasure_id(), EncodeValue(receipt)).PermitUncheckedError();
  ctx.add_change(v1::COMMAND_APPLIED);

  v1::CommandResult result;
  result.set_customer_id(receipt.customer_id());
  *result.mutable_receipt() = std::move(receipt);
  return result;
}

}  // namespace omnihub::unifier
