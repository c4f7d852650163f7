#include "services/api/core/command_client.h"

#include <thread>

namespace omnihub::api {
namespace {

// How often the result is asked for while the unifier has not committed the command: short
// enough that an agent's click feels immediate, long enough not to load the query endpoint.
constexpr std::chrono::milliseconds kPollInterval{10};

}  // namespace

base::Result<v1::CommandResult> DurableCommandClient::Send(v1::Command command, const std::string& actor,
                                                           std::chrono::milliseconds timeout,
                                                           WrittenPosition* written) {
  command.set_command_id(ids_.Next());
  command.set_actor(actor);
  command.set_issued_at_us(clock_.NowMicros());
  bus::OutboxItem item;
  item.command_bytes = command.SerializeAsString();
  auto appended = sink_.Append({std::move(item)}, {}, {});
  if (!appended.ok()) return appended.status().WithContext("cannot persist the command");

  v1::QueryRequest request;
  request.mutable_command_result()->set_command_id(command.command_id());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto response = hub_.Call(request, bus::kQueryTimeout);
    if (response.ok() && response->command_result().has_result()) {
      // Applied, so the log holds it: its position is known or comes within the wait.
      if (written != nullptr) *written = writes_.Await(*appended);
      return response->command_result().result();
    }
    if (!response.ok() && response.status().code() != base::StatusCode::kNotFound &&
        response.status().code() != base::StatusCode::kUnavailable) {
      return response.status();
    }
    if (std::chrono::steady_clock::now() + kPollInterval > deadline) {
      return base::Status::Unavailable("the unifier did not apply the command in time; it is durable and will be applied");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace omnihub::api
