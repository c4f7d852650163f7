// Reads one page of a customer's timeline: the newest-first merge of the timelines
// of the customer's identities (a k-way merge of per-identity prefix iterators over
// one snapshot), with channel, time-range, conversation, direction and kind filters.
//
// Paging is by key, not by offset: the cursor is the (occurred_at, event_id) of the
// last entry returned, so a page never repeats or skips an entry that existed when the
// first page was read, whatever is written in between (new events, and late events
// older than the page, land in their place in time). Cursor text is opaque to clients:
// unpadded base64url of version byte 1 | occurred_at (8, ordered BE) | event_id (16).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

struct TimelinePosition {
  int64_t occurred_at_us = 0;
  std::string event_id;  // 16 bytes
};

std::string EncodeTimelineCursor(const TimelinePosition& position);
// InvalidArgument naming the defect for anything that is not a cursor we issued.
base::Result<TimelinePosition> DecodeTimelineCursor(std::string_view cursor);

struct TimelineQuery {
  std::vector<uint64_t> identity_ids;
  size_t limit = 50;
  std::optional<TimelinePosition> before;  // exclusive; empty = from the newest
  std::set<int> channels;                  // empty = all
  int64_t since_us = 0;                    // inclusive; 0 = no bound
  int64_t until_us = 0;                    // exclusive; 0 = no bound
  std::string conversation;                // empty = all
  int direction = 0;                       // v1::Direction; 0 = both
  std::set<int> kinds;                     // v1::EventKind; empty = all
};

struct TimelinePage {
  std::vector<v1::TimelineRecord> records;  // newest first
  std::string next_cursor;                  // empty when nothing older matches
};

// Reads from `snapshot` (required: one consistent view for the whole page).
base::Result<TimelinePage> ReadTimelinePage(Store& store, const rocksdb::Snapshot* snapshot, const TimelineQuery& query);

}  // namespace omnihub::unifier
