#include "services/ctl/command_sender.h"

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "common/base/uuid.h"
#include "common/bus/routing/query_route.h"
#include "common/bus/outbox.h"
#include "common/bus/zmq_publisher.h"
#include "common/bus/query_client.h"
#include "common/event/tenant_id.h"
#include "services/ctl/query_route_args.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/commit_wait.h"
#include "services/ctl/inject_config.h"

namespace omnihub::ctl {

std::string ActorOf(const ParsedArgs& args) {
  if (args.Has(kActorOption) && !args.Get(kActorOption).empty()) return args.Get(kActorOption);
  for (const char* name : {"LOGNAME", "USER"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  }
  if (const char* login = getlogin(); login != nullptr && *login != '\0') return login;
  return "unknown";
}

base::Result<std::string> TenantOf(const ParsedArgs& args) {
  if (!args.Has(kTenantOption)) return std::string(event::kDefaultTenant);
  std::string tenant = args.Get(kTenantOption);
  OMNIHUB_RETURN_IF_ERROR(CheckTenantOption(tenant));
  return tenant;
}

base::Result<v1::CommandResult> SendCommand(CtlContext& ctx, const ParsedArgs& args, v1::Command command) {
  auto tenant = TenantOf(args);
  if (!tenant.ok()) return tenant.status();
  std::chrono::seconds timeout(0);
  if (args.Has(kTimeoutOption)) {
    auto t = ParsePositive("--timeout", args.Get(kTimeoutOption));
    if (!t.ok()) return t.status();
    timeout = std::chrono::seconds(*t);
  }
  base::UuidV7Generator ids(ctx.clock, ctx.random);
  command.set_command_id(ids.Next());
  command.set_actor(ActorOf(args));
  command.set_tenant_id(event::WireTenant(*tenant));
  command.set_issued_at_us(ctx.clock.NowMicros());

  const std::string dir = ctx.config.Get<InjectConfig>().outbox_dir + "-commands";
  auto outbox = bus::Outbox::Open(dir, "ctl", ctx.random, bus::OutboxOptionsFrom(ctx.config.publisher, ctx.clock));
  if (!outbox.ok()) {
    return outbox.status().WithContext("command outbox " + dir + " (is another omnihubctl command running?)");
  }
  const std::unique_ptr<EventPublisher> publisher = ctx.publishers(**outbox);
  bus::OutboxItem item;
  item.command_bytes = command.SerializeAsString();
  auto seqs = publisher->Publish({std::move(item)}, {});
  if (!seqs.ok()) return seqs.status().WithContext("cannot persist the command to " + dir);
  if (!WaitForCommit(ctx, *publisher, (*outbox)->last_sequence(), timeout, "command",
                     "the command is safe in the outbox and is delivered with the next command")) {
    return base::Status::Unavailable("the unifier did not commit the command in time");
  }
  // Cluster mode: the command's log position, printed as the token a script passes to
  // --min-position, and the route of the result's query, so that it goes to a replica that
  // applied the command.
  std::optional<bus::QueryRoute> route;
  if (std::optional<bus::ReadPosition> position = publisher->PositionOf(*seqs)) {
    ctx.err << "position: " << bus::FormatReadPosition(*position) << "\n";
    route = bus::QueryRoute{*tenant, position};
  }
  std::optional<bus::ScopedQueryRoute> scoped;
  if (route) scoped.emplace(*route);
  v1::QueryRequest request;
  request.mutable_command_result()->set_command_id(command.command_id());
  auto response = ctx.hub.Call(request, bus::kQueryTimeout);
  if (!response.ok()) return response.status();
  return response->command_result().result();
}

}  // namespace omnihub::ctl
