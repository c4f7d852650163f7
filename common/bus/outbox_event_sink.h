// An EventSink that only appends to an outbox, with no socket and no sender thread: what
// is appended stays in the outbox (until a ZmqPublisher on the same directory sends it).
// Unit tests of adapters use it over a real outbox in a temp dir, and read back what
// became durable with Outbox::ReadFrom and ScanMeta; a tool that fills an outbox offline
// could use it too.
//
// Thread-safety: as Outbox::Append and AppendAsync (thread-safe, group-committed).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/bus/event_sink.h"
#include "common/bus/outbox.h"

namespace omnihub::bus {

class OutboxEventSink final : public EventSink {
 public:
  // `outbox` must outlive the sink.
  explicit OutboxEventSink(Outbox& outbox) : outbox_(outbox) {}

  // EventSink: Outbox::Append.
  base::Result<std::vector<uint64_t>> Append(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                             std::vector<std::string> meta_deletes) override {
    return outbox_.Append(std::move(items), std::move(meta_puts), std::move(meta_deletes));
  }
  // EventSink: Outbox::AppendAsync.
  void AppendAsync(std::vector<OutboxItem> items, MetaPuts meta_puts, std::vector<std::string> meta_deletes,
                   AppendDone done) override {
    outbox_.AppendAsync(std::move(items), std::move(meta_puts), std::move(meta_deletes), std::move(done));
  }

 private:
  Outbox& outbox_;
};

}  // namespace omnihub::bus
