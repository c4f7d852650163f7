// A cluster replica's per-publisher marks, tolerant of reordering (docs/cluster.md, "Unifier
// replicas"): for each publisher the contiguous mark C (every sequence <= C is applied) and
// the set of sequences applied above it. In the partition log a resend after a lost publish
// lands after later frames of its publisher, so a replica applies any sequence not applied
// yet, even when earlier ones are missing, and skips one applied before as a duplicate. When
// the missing sequence arrives, C moves up over the set. Acks carry C (CumulativeAck).
//
// Stored per publisher in meta (EncodeMark/DecodeMark, versioned), in the WriteBatch of the
// frames: a replica's marks are a function of the log prefix it applied, so replicas at one
// position hold the same marks (they are part of the state digest).
//
// Thread-safety: none; owned by the replica's apply thread.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::unifier::replica {

struct PublisherMark {
  uint64_t contiguous = 0;       // every sequence 1..contiguous is applied
  std::set<uint64_t> above = {};  // applied sequences > contiguous + 1

  bool Applied(uint64_t sequence) const { return sequence <= contiguous || above.count(sequence) > 0; }
  // Marks `sequence` applied. REQUIRES: !Applied(sequence).
  void Add(uint64_t sequence);
  bool operator==(const PublisherMark&) const = default;
};

// Version 1: 0x01 | fixed64 BE contiguous | fixed64 BE count | count x fixed64 BE sequence.
std::string EncodeMark(const PublisherMark& mark);
// Corruption naming `publisher_id` for an unknown version or a truncated record.
base::Result<PublisherMark> DecodeMark(std::string_view bytes, std::string_view publisher_id);

class PublisherMarks {
 public:
  void Load(const std::string& publisher_id, PublisherMark mark) { committed_[publisher_id] = std::move(mark); }

  // Applied already, committed or staged in this batch.
  bool Applied(const std::string& publisher_id, uint64_t sequence) const;
  // Records `sequence` applied in the batch being built; returns the publisher's mark
  // including it (what to store). REQUIRES: !Applied(publisher_id, sequence).
  const PublisherMark& Stage(const std::string& publisher_id, uint64_t sequence);
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
