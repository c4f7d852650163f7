#include "common/bus/partition_log.h"

#include <charconv>
#include <optional>
#include <utility>

namespace omnihub::bus {
namespace {

// A decimal number without sign, spaces or leading '+'; nullopt otherwise.
template <typename T>
std::optional<T> ParseDecimal(std::string_view text) {
  T value{};
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string LogMessageId::ToString() const {
  return publisher_id + "/" + std::to_string(partition) + "/" + std::to_string(sequence);
}

base::Result<LogMessageId> ParseLogMessageId(std::string_view text) {
  const size_t last = text.rfind('/');
  const size_t middle = last == std::string_view::npos || last == 0 ? std::string_view::npos
                                                                    : text.rfind('/', last - 1);
  if (middle == std::string_view::npos) {
    return base::Status::InvalidArgument("log message id '" + std::string(text) +
                                         "' is not <publisher>/<partition>/<sequence>");
  }
  LogMessageId id;
  id.publisher_id = std::string(text.substr(0, middle));
  if (id.publisher_id.empty() || id.publisher_id.find('/') != std::string::npos) {
    return base::Status::InvalidArgument("log message id '" + std::string(text) +
                                         "': the publisher id must be non-empty and hold no '/'");
  }
  auto partition = ParseDecimal<uint32_t>(text.substr(middle + 1, last - middle - 1));
  if (!partition) {
    return base::Status::InvalidArgument("log message id '" + std::string(text) +
                                         "': the partition is not a decimal number");
  }
  auto sequence = ParseDecimal<uint64_t>(text.substr(last + 1));
  if (!sequence || *sequence == 0) {
    return base::Status::InvalidArgument("log message id '" + std::string(text) +
                                         "': the sequence is not a decimal number from 1 on");
  }
  id.partition = *partition;
  id.sequence = *sequence;
  return id;
}

base::Status CheckPartition(uint32_t partition, uint32_t partition_count) {
  if (partition < partition_count) return base::Status::Ok();
  if (partition_count == 0) return base::Status::InvalidArgument("the log has no partitions");
  return base::Status::InvalidArgument("partition " + std::to_string(partition) + " does not exist: the log has " +
                                       std::to_string(partition_count) + " (0.." +
                                       std::to_string(partition_count - 1) + ")");
}

base::Status CheckAppendArguments(uint32_t partition, uint32_t partition_count, std::string_view message_id) {
  OMNIHUB_RETURN_IF_ERROR(CheckPartition(partition, partition_count));
  auto id = ParseLogMessageId(message_id);
  if (!id.ok()) return id.status();
  if (id->partition != partition) {
    return base::Status::InvalidArgument("log message id '" + std::string(message_id) + "' names partition " +
                                         std::to_string(id->partition) + " but is appended to partition " +
                                         std::to_string(partition));
  }
  return base::Status::Ok();
}

LogContinuity::LogContinuity(std::string log_name, LogReadStart start)
    : log_name_(std::move(log_name)),
      next_position_(start.next_position == 0 ? 1 : start.next_position),
      created_ns_(start.created_ns) {}

base::Status LogContinuity::CheckState(const LogState& state) {
  // What a replica must do in each case is the same: stop, and be rebuilt from a peer's
  // checkpoint (docs/cluster.md); the message says which history changed and how.
  const std::string stop = ": this replica stops rather than diverge; rebuild it from a peer's checkpoint";
  if (created_ns_ != 0 && state.created_ns != created_ns_) {
    return base::Status::FailedPrecondition(log_name_ + " was recreated (created at " +
                                            std::to_string(state.created_ns) + " ns, this replica followed the one "
                                            "created at " + std::to_string(created_ns_) + " ns)" + stop);
  }
  const uint64_t handed_out = next_position_ - 1;
  if (state.last_position < handed_out) {
    // A stream's new leader answers from its own copy, which may still be applying what the old
    // leader committed: a last position below what was read is taken for that first, and for a
    // rewind only when every check in a row says so.
    if (++rewind_checks_ < kRewindChecks) {
      return base::Status::Unavailable(log_name_ + " says its last position is " +
                                       std::to_string(state.last_position) + ", below position " +
                                       std::to_string(handed_out) + " already read (check " +
                                       std::to_string(rewind_checks_) + " of " + std::to_string(kRewindChecks) +
                                       "): a new leader catching up, or a rewind");
    }
    return base::Status::FailedPrecondition(log_name_ + " was rewound: its last position is " +
                                            std::to_string(state.last_position) + " but position " +
                                            std::to_string(handed_out) + " was already read" + stop);
  }
  rewind_checks_ = 0;
  if (state.first_position > next_position_ && state.last_position >= next_position_) {
    return base::Status::FailedPrecondition(log_name_ + " no longer holds position " +
                                            std::to_string(next_position_) + " (its first is " +
                                            std::to_string(state.first_position) + ")" + stop);
  }
  if (created_ns_ == 0) created_ns_ = state.created_ns;
  return base::Status::Ok();
}

base::Status LogContinuity::Accept(uint64_t position) {
  if (position < next_position_) {
    return base::Status::FailedPrecondition(log_name_ + " went backwards: position " + std::to_string(position) +
                                            " came after " + std::to_string(next_position_ - 1) +
                                            ": this replica stops rather than diverge; rebuild it from a peer's "
                                            "checkpoint");
  }
  next_position_ = position + 1;
  return base::Status::Ok();
}

}  // namespace omnihub::bus
