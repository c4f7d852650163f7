// A cluster replica's per-publisher marks, tolerant of reordering (docs/cluster.md, "Unifier
// replicas" and "Acks with several partitions"): for each publisher the contiguous mark C -
// every sequence <= C that the publisher sent to this partition is applied - and the
// sequences applied above it, each with its frame's partition_prev. A publisher whose tenants
// are on several partitions sends each partition only some of its sequences, chained by
// partition_prev (no sequence between prev and the frame's went here), so C moves over a
// sequence s once prev(s) <= C, and also up to a frame's acked_floor (everything at or below
// it was applied in its partition, earlier in the stream when it came here). A frame of one
// partition per publisher has prev = s - 1, the plain contiguous mark.
//
// In the partition log a resend after a lost publish lands after later frames of its
// publisher, so a replica applies any sequence not applied yet, even when earlier ones are
// missing, and skips one applied before as a duplicate. Acks carry C (CumulativeAck).
//
// Stored per publisher in meta (EncodeMark/DecodeMark, versioned), in the WriteBatch of the
// frames: a replica's marks are a function of the log prefix it applied, so replicas at one
// position hold the same marks (they are part of the state digest).
//
// Thread-safety: none; owned by the replica's apply thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::unifier::replica {

// Where a frame stands in its publisher's sequences sent to this partition.
struct FrameOrder {
  uint64_t sequence = 0;
  uint64_t prev = 0;   // partition_prev, or sequence - 1 when the frame has none
  uint64_t floor = 0;  // acked_floor
};
FrameOrder OrderOf(const v1::BusFrame& frame);

struct PublisherMark {
  uint64_t contiguous = 0;             // every sequence <= contiguous sent here is applied
  std::map<uint64_t, uint64_t> above = {};  // applied sequences > contiguous -> their prev

  bool Applied(uint64_t sequence) const { return sequence <= contiguous || above.count(sequence) > 0; }
  // Raises the contiguous mark to `floor` and folds in what then follows it. Returns
  // whether the mark changed.
  bool Raise(uint64_t floor);
  // Marks order.sequence applied (after Raise(order.floor)). REQUIRES: !Applied(sequence)
  // once raised.
  void Add(const FrameOrder& order);
  bool operator==(const PublisherMark&) const = default;

 private:
  // Moves the contiguous mark over every sequence above it whose prev it reaches.
  void Fold();
};

// Version 2: 0x02 | fixed64 BE contiguous | fixed64 BE count | count x (fixed64 BE sequence,
// fixed64 BE prev). Version 1 (still read): 0x01 | contiguous | count | count x sequence,
// each with prev = sequence - 1.
std::string EncodeMark(const PublisherMark& mark);
// Corruption naming `publisher_id` for an unknown version or a truncated record.
base::Result<PublisherMark> DecodeMark(std::string_view bytes, std::string_view publisher_id);

class PublisherMarks {
 public:
  void Load(const std::string& publisher_id, PublisherMark mark) { committed_[publisher_id] = std::move(mark); }

  // Applied already, committed or staged in this batch.
  bool Applied(const std::string& publisher_id, uint64_t sequence) const;
  // Records a frame of `publisher_id` in the batch being built: raises its mark to
  // order.floor, then marks order.sequence applied unless it is already. *apply says
  // whether the frame is to be applied (false: a duplicate). Returns the publisher's mark
  // when it changed (what to store), nullptr when it did not.
  const PublisherMark* Stage(const std::string& publisher_id, const FrameOrder& order, bool* apply);
  void Commit();
  void Abort() { staged_.clear(); }

  // The committed contiguous mark; 0 for an unknown publisher.
  uint64_t CumulativeAck(const std::string& publisher_id) const;

 private:
  const PublisherMark* Find(const std::string& publisher_id) const;

  std::map<std::string, PublisherMark> committed_;
  std::map<std::string, PublisherMark> staged_;  // whole marks of the publishers touched in this batch
};

}  // namespace omnihub::unifier::replica
