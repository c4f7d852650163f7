// Sending one command (command.proto) to the unifier the durable way and reading how it was
// answered: the command goes into omnihubctl's command outbox (the [inject] outbox with
// "-commands" appended), is published like an event, and once the unifier has acknowledged
// (committed) it, its CommandResult is read over the query protocol. A rerun after a crash
// finds an unsent command in the outbox and delivers it; the unifier applies each command id
// once (docs/identities.md).
//
// Thread-safety: call from the command's thread.
#pragma once

#include <chrono>
#include <string>

#include "common/base/status.h"
#include "common/client/command_rejection.h"
#include "omnihub/v1/command.pb.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

// The options every command-sending subcommand accepts besides its own: --actor NAME
// (default: the login name), --timeout SECONDS (default: wait as long as it takes) and
// --tenant T (default "default": the tenant whose data the command acts on).
inline constexpr char kActorOption[] = "actor";
inline constexpr char kTimeoutOption[] = "timeout";
inline constexpr char kTenantOption[] = "tenant";

// --actor's value, else $LOGNAME / $USER / the login name, else "unknown".
std::string ActorOf(const ParsedArgs& args);

// --tenant's value ("default" when absent); InvalidArgument naming --tenant when it is not a
// tenant id (common/event/tenant_id.h).
base::Result<std::string> TenantOf(const ParsedArgs& args);

// Fills command_id (a new UUIDv7), actor (ActorOf), tenant_id (TenantOf) and issued_at_us
// (ctx.clock), sends the
// command and waits for its result. In cluster mode it prints the command's log position to
// ctx.err as "position: P:N", the token for --min-position (docs/cli.md). Unavailable when the hub does not commit it in time (the
// command stays in the outbox and goes with the next command); the result's own error when
// the unifier rejected it (the code it names: NotFound, InvalidArgument, ...).
base::Result<v1::CommandResult> SendCommand(CtlContext& ctx, const ParsedArgs& args, v1::Command command);

using client::RejectionOf;  // common/client/command_rejection.h

}  // namespace omnihub::ctl
