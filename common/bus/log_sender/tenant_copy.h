// Moving a tenant to another partition with its history (docs/cluster.md, "How to move a
// tenant"): the tenant's frames in its old partition's log are appended to the new partition's
// log, in their order, so that the new partition's replicas apply the tenant's whole history
// as they apply anything else. The old partition's log is only read.
//
// Each copy is a frame of its own publisher, "move-<tenant>-from-p<NN>", whose sequence is the
// frame's position in the old partition and whose partition_prev is the position of the
// tenant's previous frame there (log_frame.h), so the new partition's publisher marks follow
// the copies as they follow any publisher, and a copy appended twice (the move run again, or
// resumed after a failure) is dropped by the log's message id or skipped by the marks. The
// frame itself (its event or command, its blobs already in the blob store) is the original.
//
// Thread-safety: none; one caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus {

// "move-acme-from-p00": the publisher of the copies of `tenant`'s frames of partition `from`.
std::string TenantMovePublisherId(std::string_view tenant, uint32_t from);

struct TenantCopyProgress {
  uint64_t next_position = 1;   // the next position of the old partition to read
  uint64_t last_copied = 0;     // the old partition's position of the tenant's last frame seen
  uint64_t frames_read = 0;     // frames of every tenant read
  uint64_t frames_copied = 0;   // the tenant's frames appended to the new partition
  uint64_t already_there = 0;   // of those, copies the new partition's log already held
};

// Copies `tenant`'s frames of partition `from` from `progress.next_position` up to `up_to`
// (inclusive; the old log's last position when the copy began) to partition `to`, and moves
// `progress` on. Frames past the end that the log deleted are not waited for: a read that
// finds nothing for `wait` ends the copy. Errors are the log's (Unavailable: call again
// with the same progress, nothing is lost or doubled) or InvalidArgument for `from` == `to`.
base::Status CopyTenantFrames(PartitionLogSource& source, PartitionLogWriter& writer, std::string_view tenant,
                              uint32_t from, uint32_t to, uint64_t up_to, TenantCopyProgress& progress,
                              std::chrono::milliseconds wait = std::chrono::seconds(2));

}  // namespace omnihub::bus
