// Checks and steps the graph command handlers share (graph_commands.cc, merge_commands.cc).
//
// Thread-safety: pure functions on the records given.
#pragma once

#include <cstdint>
#include <string>

#include "common/base/status.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/ingest/command_handlers.h"

namespace omnihub::unifier {

// InvalidArgument naming `operation` when the command gives no reason: every change of the
// graph says why it was made.
base::Status RequireReason(const v1::Command& command, const std::string& operation);

// The normalized form of a command's identity (the same rules as ingest); InvalidArgument
// naming `field` when it is missing or does not normalize.
base::Result<v1::Identity> NormalizeCommandIdentity(CommandContext& ctx, const v1::Identity* identity,
                                                    const std::string& field);

// Takes `identity` and the `events` on its timeline off `customer`'s lists and event count.
// Corruption when the customer does not list it.
base::Status TakeIdentity(v1::CustomerRecord& customer, const v1::IdentityRecord& identity, uint64_t events);

}  // namespace omnihub::unifier
