#include "common/bus/log_sender/tenant_copy.h"

#include <cstdio>

#include "common/bus/log_sender/log_frame.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {

std::string TenantMovePublisherId(std::string_view tenant, uint32_t from) {
  char partition[16];
  std::snprintf(partition, sizeof partition, "%02u", from);
  return "move-" + std::string(tenant) + "-from-p" + partition;
}

namespace {

constexpr size_t kReadBatch = 500;

// The copy of `record` (a frame of the tenant) as publisher `publisher` sends it to `to`.
base::Result<std::string> CopyOf(const LogRecord& record, const std::string& publisher, uint64_t prev) {
  v1::BusFrame frame;
  if (!frame.ParseFromString(record.frame)) {
    return base::Status::Corruption("the frame at position " + std::to_string(record.position) +
                                    " is not a BusFrame");
  }
  frame.set_publisher_id(publisher);
  frame.set_sequence(record.position);
  frame.clear_partition_prev();
  frame.clear_acked_floor();
  return FrameWithPartitionOrder(frame.SerializeAsString(), prev, 0);
}

}  // namespace

base::Status CopyTenantFrames(PartitionLogSource& source, PartitionLogWriter& writer, std::string_view tenant,
                              uint32_t from, uint32_t to, uint64_t up_to, TenantCopyProgress& progress,
                              std::chrono::milliseconds wait) {
  if (from == to) {
    return base::Status::InvalidArgument("the tenant is on partition " + std::to_string(from) + " already");
  }
  if (progress.next_position > up_to) return base::Status::Ok();
  auto reader = source.OpenReader(from, LogReadStart{progress.next_position, 0});
  if (!reader.ok()) return reader.status();
  const std::string publisher = TenantMovePublisherId(tenant, from);
  while (progress.next_position <= up_to) {
    auto records = (*reader)->Read(kReadBatch, wait);
    if (!records.ok()) return records.status();
    if (records->empty()) return base::Status::Ok();  // the rest up to `up_to` was deleted
    for (const LogRecord& record : *records) {
      if (record.position > up_to) return base::Status::Ok();
      auto frame_tenant = TenantOfFrame(record.frame);
      if (!frame_tenant.ok()) {
        return base::Status::Corruption("position " + std::to_string(record.position) + " of partition " +
                                        std::to_string(from) + ": " + frame_tenant.status().message());
      }
      if (*frame_tenant == tenant) {
        auto copy = CopyOf(record, publisher, progress.last_copied);
        if (!copy.ok()) return copy.status();
        auto appended = writer.Append(to, LogMessageId{publisher, to, record.position}.ToString(), *copy);
        if (!appended.ok()) return appended.status();  // progress stays before this frame
        progress.last_copied = record.position;
        ++progress.frames_copied;
        if (appended->duplicate) ++progress.already_there;
      }
      ++progress.frames_read;
      progress.next_position = record.position + 1;
    }
  }
  return base::Status::Ok();
}

}  // namespace omnihub::bus
