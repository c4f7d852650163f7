// A publisher's durable outbox: the entries it has promised to deliver to the
// unifier, in a small RocksDB of its own (one directory per publisher).
//
// An adapter acknowledges its own client (SMTP 250, HTTP 200, inject progress)
// only after Append returns OK: from then on the entry survives a crash until the
// unifier acknowledges it and Trim deletes it. Every entry is stored as the
// serialized BusFrame that goes on the wire, so resending is a plain read.
// With a retention window (OutboxOptions::keep_acked_us) Trim keeps acknowledged entries
// that long before deleting them, so that a unifier restored from a backup can have them
// again (docs/operations.md "Backups").
// On-disk layout: docs/formats/outbox.md. Wire protocol: docs/bus-protocol.md.
//
// Thread-safety: all methods are thread-safe. Appends are group-committed: one committer
// thread of the outbox's own writes every append waiting at the time (up to 4 MiB) in one
// synced WriteBatch, then completes them. Append waits for that; AppendAsync returns at once
// and runs its callback on the committer thread, so an event loop can append without a
// thread of its own parked on every request (what the webhook adapters do).
#pragma once

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class WriteBatch;
}  // namespace rocksdb

namespace omnihub::bus {

// Column families and key/value constants; see docs/formats/outbox.md.
inline constexpr char kOutboxEntriesColumnFamily[] = "entries";
// Every stored value starts with this byte. Never reuse a retired version.
inline constexpr uint8_t kOutboxValueVersion = 1;
// Meta keys (default column family) start with a tag byte. Never renumber.
inline constexpr uint8_t kOutboxMetaTagInternal = 0x00;  // the outbox's own records
inline constexpr uint8_t kOutboxMetaTagCaller = 0x01;    // Append's meta_puts
inline constexpr char kOutboxPublisherIdKey[] = "publisher_id";
inline constexpr char kOutboxTrimmedThroughKey[] = "trimmed_through";
// The outbox's layout (docs/formats/outbox.md#layout-version): this build's is 1 and writes no
// key for it; a later layout writes `0x00 "layout_version"` (version byte, fixed64 BE) and
// this build refuses it, as it refuses a column family it does not know.
inline constexpr char kOutboxLayoutVersionKey[] = "layout_version";
inline constexpr uint64_t kOutboxLayoutVersion = 1;
// Written by outboxes that keep acknowledged entries; an outbox without it (older) has
// acked_through == trimmed_through.
inline constexpr char kOutboxAckedThroughKey[] = "acked_through";
// Followed by the acknowledged sequence (fixed64 BE): when it was acknowledged.
inline constexpr char kOutboxAckedAtPrefix[] = "acked_at/";

// One thing to publish. Exactly one of the two is used: `rejected` when set,
// otherwise `event_bytes` (a serialized omnihub.v1.Event).
// `blobs` travel with an event (attachments, the raw message; see bus.proto Blob).
struct OutboxItem {
  std::string event_bytes;
  std::optional<v1::Rejected> rejected;
  std::vector<v1::Blob> blobs = {};
  // A serialized omnihub.v1.Command (command.proto) instead of an event: omnihubctl's
  // graph, suggestion and erasure commands travel the same durable path. (Last, so that the
  // aggregate initializers {event, rejected, blobs} in use keep their meaning.)
  std::string command_bytes = {};
};

// A stored entry: its sequence and the serialized BusFrame ready to send.
struct OutboxEntry {
  uint64_t sequence = 0;
  std::string frame_bytes;
};

struct OutboxOptions {
  // Optional RocksDB environment (tests pass one whose file system fails syncs).
  // Not owned; must outlive the outbox.
  rocksdb::Env* env = nullptr;
  // Times appends for oldest_pending_age_us() (metrics); nullptr = not timed. Not owned;
  // must outlive the outbox.
  base::Clock* clock = nullptr;
  // Keep acknowledged entries this long (by `clock`'s wall time, from their ack) before
  // deleting them; 0 = delete them at once. Needs `clock`.
  int64_t keep_acked_us = 0;
};

// What AppendAsync calls when its append is durable (the sequences) or has failed.
using AppendDone = std::function<void(base::Result<std::vector<uint64_t>>)>;

class Outbox {
 public:
  // Opens or creates the outbox in `dir`. A new outbox gets a random publisher id
  // "<id_prefix>-<16 hex digits>" stored inside it, so the id lives exactly as long
  // as its sequences (a deleted directory starts a new id at sequence 1, which the
  // unifier cannot confuse with the old stream). IoError if RocksDB cannot open,
  // Corruption if the stored records are inconsistent.
  static base::Result<std::unique_ptr<Outbox>> Open(const std::string& dir, std::string_view id_prefix,
                                              base::RandomSource& random, const OutboxOptions& options = {});
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  const std::string& publisher_id() const { return publisher_id_; }

  // Durably appends `items` with consecutive sequence numbers in one synced
  // WriteBatch, together with `meta_puts` (key -> value, readable with GetMeta) and
  // `meta_deletes` (keys to remove), so an adapter can swap state it kept (e.g. the
  // parts of a multi-part SMS) for the event built from it atomically.
  // Returns the sequences in item order. Blocks until the batch is synced.
  // InvalidArgument if an item sets both payloads. Once a sync has failed, the
  // outbox is failed for good: this and every later call return Unavailable, so
  // nothing that is not durable gets acknowledged to a client.
  base::Result<std::vector<uint64_t>> Append(std::vector<OutboxItem> items,
                                       std::vector<std::pair<std::string, std::string>> meta_puts = {},
                                       std::vector<std::string> meta_deletes = {});
  // Append without waiting: `done` gets what Append would have returned. It runs on the
  // committer thread once the batch holding the append is synced (or has failed), after
  // last_sequence() covers it; it must not block, and must not call Append or WaitIdle.
  // An invalid or empty append is completed at once, on the caller's thread.
  void AppendAsync(std::vector<OutboxItem> items, std::vector<std::pair<std::string, std::string>> meta_puts,
                   std::vector<std::string> meta_deletes, AppendDone done);
  // Returns once every append made before the call is complete (its callback has returned):
  // for a service stopping, before what the callbacks use goes away.
  void WaitIdle();

  // A value written through Append's meta_puts; nullopt when absent.
  base::Result<std::optional<std::string>> GetMeta(std::string_view key) const;
  // Every meta key starting with `prefix`, with its value, in key order.
  base::Result<std::vector<std::pair<std::string, std::string>>> ScanMeta(std::string_view prefix) const;

  // Records that entries <= cumulative_ack are acknowledged and deletes those acknowledged
  // longer than keep_acked_us ago (all of them when it is 0). Not synced: a trim lost in a
  // crash only makes the publisher resend entries the unifier then skips as duplicates.
  // InvalidArgument if cumulative_ack > last_sequence(). No-op at or below acked_through().
  base::Status Trim(uint64_t cumulative_ack);

  // Up to `max_entries` entries with sequence >= first_sequence, in order.
  // Entries already trimmed are not returned.
  base::Result<std::vector<OutboxEntry>> ReadFrom(uint64_t first_sequence, size_t max_entries) const;

  // Makes deleted entries and meta (trimmed, acknowledged frames; dropped adapter state)
  // physically gone from the outbox's files (common/storage/physical_purge.h), after an
  // erasure (docs/erasure.md). Acknowledged entries still kept for the retention window
  // are deleted first: an erasure outweighs restoring an older backup. Appends may go on
  // meanwhile.
  base::Status Compact();
  // The outbox's directory.
  std::string directory() const;

  uint64_t last_sequence() const { return last_sequence_.load(); }      // highest appended, 0 if none
  uint64_t trimmed_through() const { return trimmed_through_.load(); }  // highest deleted
  uint64_t acked_through() const { return acked_through_.load(); }      // highest acknowledged
  size_t pending() const;                                               // appended, not acknowledged
  size_t kept_acked() const;  // acknowledged, kept for the retention window
  // Synced WriteBatches written by Append (group commit makes this smaller than
  // the number of Append calls under concurrency). For metrics and tests.
  uint64_t synced_batches() const { return synced_batches_.load(); }
  // How long the oldest entry not yet trimmed has been waiting, in microseconds of the
  // options' clock: since its Append returned, or since Open for entries found at Open.
  // 0 when nothing is pending or no clock was given. Cheap: one small lock, no disk read.
  int64_t oldest_pending_age_us() const;
  // OK, or the sticky failure that makes every Append fail (readiness checks).
  base::Status status() const;

 private:
  struct Writer;

  Outbox() = default;
  base::Status LoadState();
  // Adds to `batch` the deletion of entries, and of ack times, acknowledged at or before
  // `expired_before_us` (every acknowledged one with INT64_MAX), and the new trimmed_through.
  // Returns the new trimmed_through. Called under trim_mu_.
  base::Result<uint64_t> AddExpiry(int64_t expired_before_us, rocksdb::WriteBatch* batch);
  // Trims through what expired (everything acknowledged with INT64_MAX), under trim_mu_.
  base::Status TrimExpired(int64_t expired_before_us);
  // Queues `writer` for the committer thread (started with the first append).
  void Enqueue(std::unique_ptr<Writer> writer);
  // The committer thread: takes what waits, writes it as one group, completes it; until
  // the destructor asks it to stop and nothing waits.
  void CommitLoop();
  // Builds and writes one group's batch. Called by the committer without mu_ held.
  base::Status WriteGroup(const std::vector<std::unique_ptr<Writer>>& group, uint64_t first_sequence);

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; destroyed before db_
  rocksdb::ColumnFamilyHandle* cf_meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* cf_entries_ = nullptr;
  std::string publisher_id_;  // immutable after Open

  mutable std::mutex mu_;
  std::condition_variable commit_cv_;  // the committer waits on it for appends (and stopping_)
  std::condition_variable idle_cv_;    // WaitIdle waits on it for completed groups
  std::deque<std::unique_ptr<Writer>> writers_;  // guarded by mu_; waiting for the committer
  uint64_t enqueued_ = 0;                        // guarded by mu_; appends queued so far
  uint64_t completed_ = 0;                       // guarded by mu_; appends completed so far
  bool stopping_ = false;                        // guarded by mu_
  std::thread committer_;                        // started under mu_ by the first append
  base::Status failed_;                // guarded by mu_; sticky, set on the first failed write
  std::atomic<uint64_t> last_sequence_{0};    // written by the committer only
  std::atomic<uint64_t> trimmed_through_{0};  // written under trim_mu_
  std::atomic<uint64_t> acked_through_{0};    // written under trim_mu_
  int64_t keep_acked_us_ = 0;                 // immutable after Open
  // Acknowledged, kept entries: (highest sequence of an ack, its wall time), in order; the
  // same as the stored acked_at records. Guarded by trim_mu_.
  std::deque<std::pair<uint64_t, int64_t>> ack_times_;
  std::atomic<uint64_t> synced_batches_{0};

  std::mutex trim_mu_;  // serializes Trim so the stored trimmed_through never moves back

  // When each synced group was appended: (its last sequence, clock_'s monotonic micros), in
  // sequence order; groups wholly trimmed are dropped by Trim. Only kept with a clock.
  base::Clock* clock_ = nullptr;  // immutable after Open
  mutable std::mutex marks_mu_;
  std::deque<std::pair<uint64_t, int64_t>> append_marks_;  // guarded by marks_mu_
};

// Encodes a stored entry value: version byte + serialized BusFrame.
std::string EncodeOutboxEntryValue(std::string_view frame_bytes);
// Inverse of EncodeOutboxEntryValue. Corruption on an unknown version.
base::Result<std::string_view> DecodeOutboxEntryValue(std::string_view value);

}  // namespace omnihub::bus
