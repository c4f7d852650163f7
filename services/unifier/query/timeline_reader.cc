#include "services/unifier/query/timeline_reader.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "common/base/coding.h"
#include "common/base/uuid.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

constexpr uint8_t kCursorVersion = 1;

// One identity's timeline, walked newest first within [lower, upper) bounds.
struct IdentityCursor {
  std::string lower;
  std::string upper;
  rocksdb::Slice lower_slice;
  rocksdb::Slice upper_slice;
  rocksdb::ReadOptions options;
  std::unique_ptr<rocksdb::Iterator> it;
  bool exhausted = false;  // nothing older can match (past since_us)
};

std::string NextPrefix(uint64_t identity_id) {
  // identity ids never reach 2^64 - 1 (they count up from 1), so +1 cannot wrap.
  return TimelinePrefix(identity_id + 1);
}

// The part of a timeline key that orders entries across identities.
rocksdb::Slice OrderPart(const rocksdb::Slice& key) { return rocksdb::Slice(key.data() + 8, key.size() - 8); }

}  // namespace

std::string EncodeTimelineCursor(const TimelinePosition& position) {
  std::string raw;
  raw.push_back(static_cast<char>(kCursorVersion));
  base::PutOrderedInt64(&raw, position.occurred_at_us);
  raw.append(position.event_id);
  return base::Base64UrlEncode(raw);
}

base::Result<TimelinePosition> DecodeTimelineCursor(std::string_view cursor) {
  std::string raw;
  if (!base::Base64UrlDecode(cursor, &raw) || raw.size() != 1 + 8 + base::kUuidBytes) {
    return base::Status::InvalidArgument("cursor '" + std::string(cursor) +
                                   "' is not a timeline cursor (pass the value printed after 'next cursor:')");
  }
  if (static_cast<uint8_t>(raw[0]) != kCursorVersion) {
    return base::Status::InvalidArgument("cursor has an unknown version; request the first page again");
  }
  std::string_view in(raw);
  in.remove_prefix(1);
  TimelinePosition pos;
  base::GetOrderedInt64(&in, &pos.occurred_at_us);
  pos.event_id = std::string(in);
  return pos;
}

base::Result<TimelinePage> ReadTimelinePage(Store& store, const rocksdb::Snapshot* snapshot, const TimelineQuery& query) {
  // Start strictly below both the cursor and until_us (or at the end of time).
  std::string start_order;
  base::PutOrderedInt64(&start_order, query.until_us != 0 ? query.until_us : std::numeric_limits<int64_t>::max());
  start_order.append(base::kUuidBytes, query.until_us != 0 ? '\0' : '\xff');
  if (query.before) {
    std::string cursor_order;
    base::PutOrderedInt64(&cursor_order, query.before->occurred_at_us);
    cursor_order.append(query.before->event_id);
    start_order = std::min(start_order, cursor_order);
  }

  std::vector<std::unique_ptr<IdentityCursor>> cursors;
  for (uint64_t identity_id : query.identity_ids) {
    auto c = std::make_unique<IdentityCursor>();
    c->lower = TimelinePrefix(identity_id);
    c->upper = NextPrefix(identity_id);
    c->lower_slice = c->lower;
    c->upper_slice = c->upper;
    c->options.snapshot = snapshot;
    c->options.iterate_lower_bound = &c->lower_slice;
    c->options.iterate_upper_bound = &c->upper_slice;
    c->it.reset(store.db()->NewIterator(c->options, store.timeline()));
    const std::string start = c->lower + start_order;
    c->it->SeekForPrev(start);
    // The start position itself was returned on the previous page (or is a bound).
    if (c->it->Valid() && c->it->key() == rocksdb::Slice(start)) c->it->Prev();
    cursors.push_back(std::move(c));
  }

  TimelinePage page;
  const int64_t since = query.since_us;
  while (true) {
    IdentityCursor* newest = nullptr;
    for (auto& c : cursors) {
      if (c->exhausted) continue;
      if (!c->it->Valid()) {
        OMNIHUB_RETURN_IF_ERROR(FromRocks(c->it->status(), "timeline scan"));
        c->exhausted = true;
        continue;
      }
      if (newest == nullptr || OrderPart(c->it->key()).compare(OrderPart(newest->it->key())) > 0) newest = c.get();
    }
    if (newest == nullptr) break;

    TimelineKeyParts parts;
    if (!DecodeTimelineKey(newest->it->key().ToStringView(), &parts)) {
      return base::Status::Corruption("timeline key of unexpected size " + std::to_string(newest->it->key().size()));
    }
    if (since != 0 && parts.occurred_at_us < since) {
      newest->exhausted = true;  // everything further down this identity is older still
      continue;
    }
    v1::TimelineRecord record;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(newest->it->value().ToStringView(), &record).WithContext("timeline record"));
    newest->it->Prev();
    const auto& e = record.event();
    if (!query.channels.empty() && !query.channels.count(e.channel())) continue;
    if (!query.conversation.empty() && e.conversation() != query.conversation) continue;
    if (query.direction != 0 && e.direction() != query.direction) continue;
    if (!query.kinds.empty() && !query.kinds.count(e.kind())) continue;
    if (page.records.size() == query.limit) {
      // At least one more entry matches: hand out a cursor to it.
      const auto& last = page.records.back().event();
      page.next_cursor = EncodeTimelineCursor({last.occurred_at_us(), last.event_id()});
      break;
    }
    page.records.push_back(std::move(record));
  }
  return page;
}

}  // namespace omnihub::unifier
