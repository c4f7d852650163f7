// The one seam between a channel adapter and the ingest bus: where an adapter puts the
// events it built (and the state it keeps between requests) before it acknowledges its
// client. An adapter says SMTP 250, HTTP 200 or moves a Maildir file only after Append
// returned OK; from then on the event reaches the unifier even across a crash.
//
// Implementations: ZmqPublisher (production: appends to the outbox, then sends) and
// OutboxEventSink (appends to an outbox, sends nothing: unit tests, tools).
//
// How an adapter uses it: main.cc builds the outbox and the ZmqPublisher and injects the
// publisher as `bus::EventSink&` into the adapter's handler. A webhook handler (SmsWebhooks,
// SocialWebhooks) checks and maps a request on the server's event loop and calls
// AppendAsync, whose callback answers once the append is synced: no thread waits per
// request, and every request that arrives during one sync shares the next
// (common/service/webhook_reply.h). Work that must block (omnihub-email's parsing, the SMS
// multi-part store) runs on a base::WorkerPool whose jobs call Append. main stops the
// listeners first, then drains the pool and the outbox (Outbox::WaitIdle), so what was
// already taken finishes while the handler and the sink it uses are still alive.
//
// Adapter state: meta_puts and meta_deletes change keys in the same synced batch as the
// events, so an adapter can swap state it kept (the parts of a multi-part SMS) for the
// event built from it without ever holding both or neither. The state is read back from
// the same outbox (Outbox::GetMeta, ScanMeta). Keys are the adapter's own; docs/sms.md
// lists the ones omnihub-sms uses.
//
// Thread-safety: implementations are thread-safe; concurrent Append calls may be
// group-committed into one synced write.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status.h"
#include "common/bus/outbox.h"

namespace omnihub::bus {

// Adapter state written with Append: key -> value.
using MetaPuts = std::vector<std::pair<std::string, std::string>>;

class EventSink {
 public:
  EventSink() = default;
  virtual ~EventSink() = default;
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;

  // Appends `items` (events or dead letters, with their blobs), writes `meta_puts` and
  // removes `meta_deletes` (deletes apply after puts), all in one batch.
  // OK means durable: the whole batch was synced to disk before Append returned, so it
  // survives a crash of the process or the machine; the result holds the items' outbox
  // sequences, in item order (empty when `items` is).
  // A failure means nothing was promised: no item got a sequence, no state changed as far
  // as this process will read or send, and the client must not be acknowledged (it
  // retries). Unavailable once the disk failed, and for good after that; InvalidArgument
  // for an item that sets both payloads. A batch whose sync failed may still be found
  // after a restart, but only whole (it was written to the log), like a crash just
  // before OK; the unifier's dedup drops the event the client's retry brings again.
  // Blocks until the sync is done: call it from a worker, never from an event loop.
  virtual base::Result<std::vector<uint64_t>> Append(std::vector<OutboxItem> items, MetaPuts meta_puts,
                                                     std::vector<std::string> meta_deletes) = 0;
  // Append without blocking: `done` gets what Append would have returned, on the outbox's
  // committer thread once the batch is synced (Outbox::AppendAsync); it must not block.
  virtual void AppendAsync(std::vector<OutboxItem> items, MetaPuts meta_puts, std::vector<std::string> meta_deletes,
                           AppendDone done) = 0;
};

}  // namespace omnihub::bus
