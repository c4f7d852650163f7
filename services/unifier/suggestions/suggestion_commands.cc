// ApplyDismissSuggestion (ingest/command_handlers.h): an agent says a suggestion is not a
// duplicate. The record stays, marked, so the same pair is not suggested again as open
// however often it is mentioned later. Only the command's tenant's suggestions: another
// tenant's id is not found, as if it did not exist.
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/ingest/command_handlers.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/suggestions/suggestion_tenant.h"

namespace omnihub::unifier {

base::Result<v1::CommandResult> ApplyDismissSuggestion(CommandContext& ctx) {
  const v1::Command& command = ctx.command;
  const std::string& id = command.dismiss_suggestion().suggestion_id();
  if (id.empty()) return base::Status::InvalidArgument("dismiss_suggestion.suggestion_id must be set");
  if (command.reason().empty()) return base::Status::InvalidArgument("reason must be set (why it is not a duplicate)");
  auto raw = ctx.store.GetRaw(ctx.store.suggestions(), id);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return base::Status::NotFound("no suggestion with id " + id);
  v1::SuggestionRecord record;
  if (base::Status s = DecodeValue(**raw, &record); !s.ok()) return s.WithContext("suggestion " + id);
  auto tenant = SuggestionTenant(ctx.store, record);
  if (!tenant.ok()) return tenant.status();
  if (!tenant->has_value() || **tenant != TenantOfDerivedIds(command)) {
    return base::Status::NotFound("no suggestion with id " + id + " in tenant '" +
                                  std::string(TenantOfDerivedIds(command)) + "'");
  }
  if (record.dismissed()) {
    return base::Status::FailedPrecondition("suggestion " + id + " was already dismissed by " + record.dismissed_by() +
                                            ": " + record.dismiss_reason());
  }
  record.set_dismissed(true);
  record.set_dismissed_by(command.actor());
  record.set_dismiss_reason(command.reason());
  record.set_dismissed_at_us(command.issued_at_us());
  ctx.batch.Put(ctx.store.suggestions(), id, EncodeValue(record)).PermitUncheckedError();
  ctx.add_change(v1::COMMAND_APPLIED).set_suggestion_id(id);
  return v1::CommandResult();
}

}  // namespace omnihub::unifier
