// BatchProcessor::ProcessCommand: applies one command (command.proto) through its handler
// (command_handlers.h) and keeps how it was answered in command_results.
#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "common/base/uuid.h"
#include "common/event/tenant_id.h"
#include "services/unifier/ingest/apply_time.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/ingest/command_handlers.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

bool IsCommandRejection(const base::Status& status) {
  switch (status.code()) {
    case base::StatusCode::kInvalidArgument:
    case base::StatusCode::kNotFound:
    case base::StatusCode::kAlreadyExists:
    case base::StatusCode::kFailedPrecondition:
      return true;
    default:
      return false;
  }
}

namespace {

using Handler = base::Result<v1::CommandResult> (*)(CommandContext&);

Handler HandlerOf(const v1::Command& command) {
  switch (command.op_case()) {
    case v1::Command::kLink: return ApplyLink;
    case v1::Command::kUnlink: return ApplyUnlink;
    case v1::Command::kMerge: return ApplyMerge;
    case v1::Command::kSplit: return ApplySplit;
    case v1::Command::kDismissSuggestion: return ApplyDismissSuggestion;
    case v1::Command::kErase: return ApplyErase;
    case v1::Command::kErasureVerified: return ApplyErasureVerified;
    case v1::Command::OP_NOT_SET: break;
  }
  return nullptr;
}

// The defect that keeps a command from reaching its handler, or "" when there is none.
std::string CheckCommand(const v1::Command& command) {
  if (command.command_id().size() != base::kUuidBytes) return "command_id must be 16 bytes";
  if (command.issued_at_us() <= 0) return "issued_at_us must be set";
  if (command.actor().empty()) return "actor must be set (who is acting)";
  if (HandlerOf(command) == nullptr) return "command names no operation this unifier knows";
  return "";
}

}  // namespace

base::Status BatchProcessor::ProcessCommand(const v1::BusFrame& frame, Staging& st) {
  v1::Command command;
  if (!command.ParseFromString(frame.command())) {
    return AddDeadLetter("command bytes are not a valid omnihub.v1.Command", frame.command(), "", &frame, st);
  }
  st.counters.last_apply_time_us = AdvanceApplyTime(st.counters.last_apply_time_us, command.issued_at_us());
  st.tenant = event::WireTenant(command.tenant_id());
  if (command.command_id().size() == base::kUuidBytes) {
    // A command already answered (its frame resent after a crash of the issuer) is not applied again.
    auto earlier = store_.GetRaw(store_.command_results(), command.command_id());
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      ++st.counters.duplicates;
      return base::Status::Ok();
    }
  }
  // What the frame's own bookkeeping (its high-water mark) staged, to keep on a rejection.
  const std::string frame_writes = st.batch.Data();
  const StoreCounters counters_before = st.counters;

  v1::CommandResult result;
  base::Status rejection;
  if (std::string defect = CheckCommand(command); !defect.empty()) {
    rejection = base::Status::InvalidArgument(std::move(defect));
  } else {
    CommandContext ctx{store_,
                       normalizer_,
                       command,
                       st.batch,
                       st.identities,
                       st.counters,
                       [&](v1::ChangeKind kind) -> v1::ChangeNotification& {
                         v1::ChangeNotification& change = AddChange(kind, st);
                         change.set_committed_at_us(command.issued_at_us());
                         change.set_command_id(command.command_id());
                         return change;
                       }};
    auto applied = HandlerOf(command)(ctx);
    if (applied.ok()) {
      result = std::move(*applied);
      result.set_applied(true);
    } else if (IsCommandRejection(applied.status())) {
      rejection = applied.status();
    } else {
      return applied.status();
    }
  }
  if (!rejection.ok()) {
    spdlog::info("command {} rejected: {}", base::UuidToString(command.command_id().size() == base::kUuidBytes
                                                                    ? command.command_id()
                                                                    : std::string(base::kUuidBytes, '\0')),
                 rejection.message());
    st.batch.Clear();
    st.batch = rocksdb::WriteBatch(frame_writes);
    st.identities = {};
    st.changes.clear();
    st.counters = counters_before;
    result.Clear();
    result.set_applied(false);
    result.set_error_code(std::string(base::StatusCodeName(rejection.code())));
    result.set_error_message(rejection.message());
    AddChange(v1::COMMAND_REJECTED, st).set_command_id(command.command_id());
  }
  if (command.command_id().size() != base::kUuidBytes) return base::Status::Ok();  // nothing to key the answer by
  result.set_command_id(command.command_id());
  if (!st.changes.empty()) result.set_change_seq(st.changes.back().change_seq());
  st.batch.Put(store_.command_results(), command.command_id(), EncodeValue(result)).PermitUncheckedError();
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
