#include "services/unifier/graph/graph_commands_common.h"

#include "common/event/identity.h"
#include "services/unifier/graph/graph_records.h"

namespace omnihub::unifier {

base::Status RequireReason(const v1::Command& command, const std::string& operation) {
  if (command.reason().empty()) {
    return base::Status::InvalidArgument(operation + ": reason must be set (why the change is made; --reason)");
  }
  return base::Status::Ok();
}

base::Result<v1::Identity> NormalizeCommandIdentity(CommandContext& ctx, const v1::Identity* identity,
                                                    const std::string& field) {
  if (identity == nullptr) return base::Status::InvalidArgument(field + " must be set");
  if (event::IsHandleReference(*identity)) {
    return base::Status::InvalidArgument(field + ": a handle names a user only while they have it; give the user id");
  }
  auto normalized = ctx.normalizer.Normalize(*identity);
  if (!normalized.ok()) return base::Status::InvalidArgument(field + ": " + normalized.status().message());
  return normalized;
}

base::Status TakeIdentity(v1::CustomerRecord& customer, const v1::IdentityRecord& identity, uint64_t events) {
  if (!RemoveIdentity(customer, identity.identity_id())) {
    return base::Status::Corruption("identity " + event::IdentityToArgument(identity.identity()) + " says customer " +
                                    customer.customer_id() + " has it, which does not list it");
  }
  // Counts are kept per batch; should one ever be short, the customer counts none rather than
  // wrapping around (a split recomputes both sides from the timelines).
  customer.set_event_count(customer.event_count() > events ? customer.event_count() - events : 0);
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
