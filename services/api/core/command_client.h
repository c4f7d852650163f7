// Agent commands (command.proto: link, unlink, merge, split, suggestion dismissal, erase,
// erasure verification) sent from the API the durable way: the command goes into the API's
// outbox as an OutboxItem with command_bytes and is published like an event; the client then
// asks the unifier for the command's result (query.proto command_result) until it is there.
// The actor of every command is the token's name, so the customer's history shows who did it.
// omnihubctl does the same through its own outbox (services/ctl/command_sender.h).
//
// Thread-safety: Send is thread-safe (it blocks its caller: call from a worker).
#pragma once

#include <chrono>
#include <string>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "common/bus/event_sink.h"
#include "common/bus/query_transport.h"
#include "omnihub/v1/command.pb.h"
#include "services/api/core/write_position.h"

namespace omnihub::api {

class CommandClient {
 public:
  virtual ~CommandClient() = default;

  // Fills command_id (new UUIDv7), actor and issued_at_us, appends the command durably and
  // waits up to `timeout` for the unifier's result. Unavailable when it did not come in time
  // (the command is durable and will still be applied); the result otherwise, applied or
  // rejected: client::RejectionOf, common/client/command_rejection.h). With a result,
  // `*written` (when not null) gets where the command went in the partition log
  // (core/write_position.h); it is left alone on failure.
  virtual base::Result<v1::CommandResult> Send(v1::Command command, const std::string& actor,
                                               std::chrono::milliseconds timeout, WrittenPosition* written) = 0;
};

class DurableCommandClient final : public CommandClient {
 public:
  DurableCommandClient(bus::EventSink& sink, bus::QueryTransport& hub, base::UuidV7Generator& ids, base::Clock& clock,
                       WritePositions writes)
      : sink_(sink), hub_(hub), ids_(ids), clock_(clock), writes_(writes) {}

  base::Result<v1::CommandResult> Send(v1::Command command, const std::string& actor,
                                       std::chrono::milliseconds timeout, WrittenPosition* written) override;

 private:
  bus::EventSink& sink_;
  bus::QueryTransport& hub_;
  base::UuidV7Generator& ids_;
  base::Clock& clock_;
  const WritePositions writes_;
};

}  // namespace omnihub::api
