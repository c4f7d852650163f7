// STUB: replaced by the erasure implementation.
#include "services/unifier/ingest/command_handlers.h"
namespace omnihub::unifier {
base::Result<v1::CommandResult> ApplyErase(CommandContext&) { return base::Status::FailedPrecondition("erase: not built yet"); }
base::Result<v1::CommandResult> ApplyErasureVerified(CommandContext&) {
  return base::Status::FailedPrecondition("erasure verification: not built yet");
}
}  // namespace omnihub::unifier
