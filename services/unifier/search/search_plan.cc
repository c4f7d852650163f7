#include "services/unifier/search/search_plan.h"

#include <optional>
#include <vector>

#include "common/base/coding.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/query/timeline_reader.h"
#include "services/unifier/search/index_terms.h"

namespace omnihub::unifier::search {
namespace {

// RELEVANCE cursors: version byte, then the offset of the next page (8, BE).
constexpr char kOffsetCursorVersion = '\x02';

std::string EncodeOffsetCursor(uint64_t offset) {
  return base::Base64UrlEncode(std::string(1, kOffsetCursorVersion) + base::EncodeFixed64BE(offset));
}

base::Result<uint64_t> DecodeOffsetCursor(std::string_view cursor) {
  std::string raw;
  if (!base::Base64UrlDecode(cursor, &raw) || raw.size() != 9 || raw[0] != kOffsetCursorVersion) {
    return base::Status::InvalidArgument("cursor is not a cursor of a search in relevance order");
  }
  return base::DecodeFixed64BE(std::string_view(raw).substr(1));
}

// The greatest key strictly below `key` among keys of the same length; nullopt below all-zero.
std::optional<std::string> Predecessor(std::string key) {
  for (size_t i = key.size(); i-- > 0;) {
    if (key[i] != '\0') {
      key[i] = static_cast<char>(static_cast<unsigned char>(key[i]) - 1);
      return key;
    }
    key[i] = '\xff';
  }
  return std::nullopt;
}

}  // namespace

base::Result<SearchPlan> PlanSearch(const v1::SearchRequest& request, Store& store,
                                    const event::IdentityNormalizer& normalizer, const TextAnalyzer& analyzer,
                                    const rocksdb::Snapshot* snapshot, PageLimits limits,
                                    std::string_view tenant) {
  auto text = ParseTextQuery(request.query(), analyzer, normalizer);
  if (!text.ok()) return text.status();
  SearchPlan plan;
  plan.highlights = std::move(text->highlights);
  plan.newest = request.order() == v1::SearchRequest::NEWEST;
  plan.limit = std::min(request.limit() == 0 ? limits.default_limit : request.limit(), limits.max_limit);

  // A partition's index holds every tenant assigned to it.
  std::vector<Xapian::Query> filters{Xapian::Query(TenantTerm(tenant))};
  if (request.has_customer()) {
    auto customer = FindCustomer(store, normalizer, request.customer(), snapshot, tenant);
    if (!customer.ok()) return customer.status();
    std::vector<Xapian::Query> identities;
    for (uint64_t id : customer->identity_ids()) identities.emplace_back(IdentityTerm(id));
    if (identities.empty()) plan.nothing = true;
    filters.emplace_back(Xapian::Query::OP_OR, identities.begin(), identities.end());
  }
  if (request.channels_size() > 0) {
    std::vector<Xapian::Query> channels;
    for (int ch : request.channels()) channels.emplace_back(ChannelTerm(ch));
    filters.emplace_back(Xapian::Query::OP_OR, channels.begin(), channels.end());
  }
  if (request.direction() != v1::DIRECTION_UNSPECIFIED) filters.emplace_back(DirectionTerm(request.direction()));
  if (request.since_us() != 0 && request.until_us() != 0 && request.until_us() <= request.since_us()) {
    return base::Status::InvalidArgument("until_us must be later than since_us");
  }
  // The time range and the NEWEST cursor are one range of sort keys: [low, high].
  std::string low;
  std::optional<std::string> high;
  if (request.since_us() != 0) low = SortKey(request.since_us(), "");
  if (request.until_us() != 0) {
    high = Predecessor(SortKey(request.until_us(), std::string(16, '\0')));
    if (!high.has_value()) plan.nothing = true;
  }
  if (!request.cursor().empty()) {
    if (plan.newest) {
      auto position = DecodeTimelineCursor(request.cursor());
      if (!position.ok()) return position.status();
      auto below = Predecessor(SortKey(position->occurred_at_us, position->event_id));
      if (!below.has_value()) plan.nothing = true;
      if (below.has_value() && (!high.has_value() || *below < *high)) high = below;
    } else {
      auto offset = DecodeOffsetCursor(request.cursor());
      if (!offset.ok()) return offset.status();
      plan.offset = *offset;
    }
  }
  if (high.has_value()) {
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSortSlot, low, *high);
  } else if (!low.empty()) {
    filters.emplace_back(Xapian::Query::OP_VALUE_GE, kSortSlot, low);
  }
  plan.query = text->query;
  if (!filters.empty()) {
    plan.query = Xapian::Query(Xapian::Query::OP_FILTER, plan.query,
                               Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  return plan;
}

std::string NextCursor(const SearchPlan& plan, const std::string& last_sort_key) {
  if (!plan.newest) return EncodeOffsetCursor(plan.offset + plan.limit);
  TimelinePosition position;
  std::string_view key = last_sort_key;
  base::GetOrderedInt64(&key, &position.occurred_at_us);
  position.event_id = std::string(key);
  return EncodeTimelineCursor(position);
}

}  // namespace omnihub::unifier::search
