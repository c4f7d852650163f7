// STUB: replaced by the identity graph implementation.
#include "services/unifier/ingest/command_handlers.h"
namespace omnihub::unifier {
base::Result<v1::CommandResult> ApplyLink(CommandContext&) { return base::Status::FailedPrecondition("link: not built yet"); }
base::Result<v1::CommandResult> ApplyUnlink(CommandContext&) { return base::Status::FailedPrecondition("unlink: not built yet"); }
base::Result<v1::CommandResult> ApplyMerge(CommandContext&) { return base::Status::FailedPrecondition("merge: not built yet"); }
base::Result<v1::CommandResult> ApplySplit(CommandContext&) { return base::Status::FailedPrecondition("split: not built yet"); }
}  // namespace omnihub::unifier
