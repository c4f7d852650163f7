// The handlers of commands (command.proto), called by BatchProcessor::ProcessCommand
// (batch_commands.cc) with the command alone in its batch, so a handler reads committed
// state from the store and puts its writes into `batch`. One handler per operation, in
// the folder of its area: graph/ (link, unlink, merge, split), suggestions/ (dismissal),
// erasure/ (erase, verification).
//
// A handler returns the CommandResult to keep (applied = true, with what it made), or a
// status: InvalidArgument, NotFound, FailedPrecondition or AlreadyExists reject the command
// (the dispatcher drops every write the handler staged and keeps only the rejection, with
// the status's message); any other status is a storage failure that abandons the batch.
//
// Determinism (../design.md): a handler uses no wall clock and no randomness. Its time is
// command.issued_at_us(); every id it makes derives from command.command_id().
//
// Thread-safety: single-threaded (the ingest thread).
#pragma once

#include <functional>

#include <rocksdb/write_batch.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/command.pb.h"
#include "services/unifier/identity/identity_resolver.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

struct CommandContext {
  Store& store;
  const event::IdentityNormalizer& normalizer;
  const v1::Command& command;
  rocksdb::WriteBatch& batch;
  // Identities and customers as the handler reads and changes them; the dispatcher writes
  // every staged customer record at commit (CustomerWrites), identity records are the
  // handler's to put into `batch`.
  IdentityStaging& identities;
  StoreCounters& counters;
  // Appends a change-log entry with change_seq, kind, committed_at_us (= issued_at_us) and
  // command_id set; the dispatcher writes it to the change log and publishes it.
  std::function<v1::ChangeNotification&(v1::ChangeKind)> add_change;
};

// True for the codes that reject a command instead of failing the batch.
bool IsCommandRejection(const base::Status& status);

// graph/
base::Result<v1::CommandResult> ApplyLink(CommandContext& ctx);
base::Result<v1::CommandResult> ApplyUnlink(CommandContext& ctx);
base::Result<v1::CommandResult> ApplyMerge(CommandContext& ctx);
base::Result<v1::CommandResult> ApplySplit(CommandContext& ctx);
// suggestions/
base::Result<v1::CommandResult> ApplyDismissSuggestion(CommandContext& ctx);
// erasure/
base::Result<v1::CommandResult> ApplyErase(CommandContext& ctx);
base::Result<v1::CommandResult> ApplyErasureVerified(CommandContext& ctx);

}  // namespace omnihub::unifier
