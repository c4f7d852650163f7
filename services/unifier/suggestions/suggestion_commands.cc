// STUB: replaced by the suggestions implementation.
#include "services/unifier/ingest/command_handlers.h"
namespace omnihub::unifier {
base::Result<v1::CommandResult> ApplyDismissSuggestion(CommandContext&) {
  return base::Status::FailedPrecondition("dismiss: not built yet");
}
}  // namespace omnihub::unifier
