#include "services/unifier/search/search_index.h"

#include <filesystem>
#include <map>

#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/query/timeline_reader.h"
#include "services/unifier/search/index_terms.h"
#include "services/unifier/search/indexed_message.h"
#include "services/unifier/search/search_query.h"
#include "services/unifier/search/snippet.h"

namespace omnihub::unifier::search {
namespace {

namespace fs = std::filesystem;

// After a failed step (a full disk, a store read error) the indexer retries this much later.
constexpr std::chrono::seconds kRetryAfterError{1};
// RELEVANCE cursors: version byte, then the offset of the next page (8, BE).
constexpr char kOffsetCursorVersion = '\x02';

base::Status XapianError(const Xapian::Error& e, std::string_view what) {
  return base::Status::IoError(std::string(what) + ": " + e.get_description());
}

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

// The directory next to the index that a compaction writes, and the one the old index moves
// to while the new one takes its place.
std::string CompactingDir(const std::string& dir) { return dir + ".compacting"; }
std::string RetiredDir(const std::string& dir) { return dir + ".old"; }

}  // namespace

SearchIndex::SearchIndex(Store& store, const event::IdentityNormalizer& normalizer, SearchIndexOptions options)
    : store_(store), normalizer_(normalizer), options_(std::move(options)), indexer_(store, normalizer) {}

SearchIndex::~SearchIndex() { Stop(); }

base::Result<std::unique_ptr<SearchIndex>> SearchIndex::Open(Store& store, const event::IdentityNormalizer& normalizer,
                                                             SearchIndexOptions options) {
  if (options.dir.empty()) return base::Status::InvalidArgument("unifier.search_dir is empty");
  std::unique_ptr<SearchIndex> index(new SearchIndex(store, normalizer, std::move(options)));
  const std::string& dir = index->options_.dir;
  std::error_code ec;
  // Leftovers of a compaction that was interrupted: the index proper is `dir` or, when the
  // process died between the two renames, lost (and rebuilt below).
  fs::remove_all(CompactingDir(dir), ec);
  fs::remove_all(RetiredDir(dir), ec);
  if (auto s = index->OpenWriter(); !s.ok()) {
    if (s.code() == base::StatusCode::kUnavailable) return s;
    // Unreadable (a torn copy, another format): the store has everything to rebuild it.
    spdlog::warn("search index {}: {}; rebuilding it from the change log", dir, s.ToString());
    fs::remove_all(dir, ec);
    OMNIHUB_RETURN_IF_ERROR(index->OpenWriter());
  }
  auto counters = store.ReadCounters();
  if (!counters.ok()) return counters.status();
  if (index->indexed_.load() > counters->last_change_seq) {
    // An index newer than the store (the store was restored from a backup) names changes the
    // store does not have: start over.
    spdlog::warn("search index {} is at change {} but the store only at {}; rebuilding it", dir,
                 index->indexed_.load(), counters->last_change_seq);
    index->writer_.reset();
    fs::remove_all(dir, ec);
    OMNIHUB_RETURN_IF_ERROR(index->OpenWriter());
  }
  return index;
}

base::Status SearchIndex::OpenWriter() {
  try {
    fs::create_directories(fs::path(options_.dir).parent_path().empty() ? fs::path(".") : fs::path(options_.dir).parent_path());
    writer_ = std::make_unique<Xapian::WritableDatabase>(options_.dir, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    auto seq = ReadIndexedSeq(*writer_);
    if (!seq.ok()) {
      writer_.reset();
      return seq.status();
    }
    indexed_.store(*seq);
    return base::Status::Ok();
  } catch (const Xapian::DatabaseLockError& e) {
    // Another process has it open: never the case for an index to rebuild.
    return base::Status::Unavailable("search index " + options_.dir + " is in use by another process: " +
                                     e.get_description());
  } catch (const Xapian::Error& e) {
    writer_.reset();
    return XapianError(e, "opening search index " + options_.dir);
  } catch (const fs::filesystem_error& e) {
    return base::Status::IoError("creating the directory of search index " + options_.dir + ": " + e.what());
  }
}

void SearchIndex::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SearchIndex::Stop() {
  {
    std::lock_guard lock(wake_mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

base::Result<bool> SearchIndex::Step() {
  std::lock_guard lock(writer_mu_);
  if (writer_ == nullptr) return base::Status::Unavailable("search index " + options_.dir + " is not open");
  auto seq = indexer_.ApplyNext(*writer_, options_.changes_per_commit);
  if (!seq.ok()) return seq.status();
  const bool advanced = *seq != indexed_.load();
  if (advanced) {
    {
      std::lock_guard wake_lock(wake_mu_);
      indexed_.store(*seq);
    }
    indexed_cv_.notify_all();
  }
  return advanced;
}

base::Result<uint64_t> SearchIndex::CatchUp() {
  while (true) {
    auto advanced = Step();
    if (!advanced.ok()) return advanced.status();
    if (!*advanced) return indexed_.load();
  }
}

void SearchIndex::Run() {
  std::unique_lock lock(wake_mu_);
  while (!stop_) {
    lock.unlock();
    auto advanced = Step();
    lock.lock();
    if (!advanced.ok()) {
      spdlog::error("search indexer: {} (retrying)", advanced.status().ToString());
      wake_.wait_for(lock, kRetryAfterError, [this] { return stop_; });
    } else if (!*advanced) {
      wake_.wait_for(lock, options_.poll_interval, [this] { return stop_; });
    }
  }
}

bool SearchIndex::WaitIndexed(uint64_t change_seq, std::chrono::milliseconds timeout) {
  std::unique_lock lock(wake_mu_);
  return indexed_cv_.wait_for(lock, timeout, [&] { return indexed_.load() >= change_seq; });
}

base::Result<std::string> SearchIndex::Compact() {
  std::lock_guard lock(writer_mu_);
  const std::string& dir = options_.dir;
  try {
    if (writer_ != nullptr) {
      writer_->commit();
      writer_->close();
      writer_.reset();
    }
    std::error_code ec;
    fs::remove_all(CompactingDir(dir), ec);
    {
      Xapian::Database source(dir);
      // Compaction copies only what live documents use: a deleted document's terms, positions
      // and data are not in the new files.
      source.compact(CompactingDir(dir));
    }
    // Readers open the directory under the shared side of swap_mu_: none sees it missing.
    std::unique_lock swap(swap_mu_);
    fs::rename(dir, RetiredDir(dir));
    fs::rename(CompactingDir(dir), dir);
    generation_.fetch_add(1);  // readers holding the old files open the new ones
    fs::remove_all(RetiredDir(dir));
  } catch (const Xapian::Error& e) {
    return Reopened(XapianError(e, "compacting search index " + dir));
  } catch (const fs::filesystem_error& e) {
    return Reopened(base::Status::IoError("swapping in the compacted search index " + dir + ": " + e.what()));
  }
  OMNIHUB_RETURN_IF_ERROR(OpenWriter());
  return dir;
}

base::Status SearchIndex::Reopened(base::Status failure) {
  // The old index is still in place (nothing was renamed) or lost (rebuilt at the next start):
  // either way the indexer goes on with what is there.
  if (auto s = OpenWriter(); !s.ok()) spdlog::error("search index {}: {}", options_.dir, s.ToString());
  return failure;
}

base::Result<SearchIndex::Reader> SearchIndex::AcquireReader() {
  Reader reader;
  {
    std::lock_guard lock(readers_mu_);
    if (!readers_.empty()) {
      reader = std::move(readers_.back());
      readers_.pop_back();
    }
  }
  std::shared_lock swap(swap_mu_);
  const uint64_t generation = generation_.load();
  try {
    if (reader.db != nullptr && reader.generation == generation) {
      reader.db->reopen();
    } else {
      reader.db = std::make_unique<Xapian::Database>(options_.dir);
      reader.generation = generation;
    }
  } catch (const Xapian::Error& e) {
    return XapianError(e, "opening search index " + options_.dir);
  }
  return reader;
}

void SearchIndex::ReleaseReader(Reader reader) {
  std::lock_guard lock(readers_mu_);
  readers_.push_back(std::move(reader));
}

base::Status SearchIndex::Search(const v1::SearchRequest& request, const rocksdb::Snapshot* snapshot,
                                 v1::SearchResponse* out) {
  auto text = ParseTextQuery(request.query(), analyzer_, normalizer_);
  if (!text.ok()) return text.status();
  auto counters = store_.ReadCounters(snapshot);
  if (!counters.ok()) return counters.status();
  out->set_last_change_seq(counters->last_change_seq);
  out->set_indexed_change_seq(indexed_.load());  // the reader's own, once it is open

  std::vector<Xapian::Query> filters;
  if (request.has_customer()) {
    auto customer = FindCustomer(store_, normalizer_, request.customer(), snapshot);
    if (!customer.ok()) return customer.status();
    std::vector<Xapian::Query> identities;
    for (uint64_t id : customer->identity_ids()) identities.emplace_back(IdentityTerm(id));
    if (identities.empty()) return base::Status::Ok();
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
  std::string low;
  std::optional<std::string> high;
  if (request.since_us() != 0) low = SortKey(request.since_us(), "");
  if (request.until_us() != 0) {
    high = Predecessor(SortKey(request.until_us(), std::string(16, '\0')));
    if (!high.has_value()) return base::Status::Ok();
  }
  const bool newest = request.order() == v1::SearchRequest::NEWEST;
  uint64_t offset = 0;
  if (!request.cursor().empty()) {
    if (newest) {
      auto position = DecodeTimelineCursor(request.cursor());
      if (!position.ok()) return position.status();
      auto below = Predecessor(SortKey(position->occurred_at_us, position->event_id));
      if (!below.has_value()) return base::Status::Ok();
      if (!high.has_value() || *below < *high) high = below;
    } else {
      auto decoded = DecodeOffsetCursor(request.cursor());
      if (!decoded.ok()) return decoded.status();
      offset = *decoded;
    }
  }
  if (high.has_value()) {
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSortSlot, low, *high);
  } else if (!low.empty()) {
    filters.emplace_back(Xapian::Query::OP_VALUE_GE, kSortSlot, low);
  }
  Xapian::Query query = text->query;
  if (!filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  const uint32_t limit = std::min(request.limit() == 0 ? options_.default_limit : request.limit(), options_.max_limit);

  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Xapian::MSet mset;
  try {
    auto seq = ReadIndexedSeq(*reader->db);
    if (!seq.ok()) return seq.status();
    out->set_indexed_change_seq(*seq);
    Xapian::Enquire enquire(*reader->db);
    enquire.set_query(query);
    if (newest) {
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_sort_by_value(kSortSlot, true);
    } else {
      enquire.set_sort_by_relevance_then_value(kSortSlot, true);
    }
    mset = enquire.get_mset(static_cast<Xapian::doccount>(offset), limit + 1);
    out->set_estimated_matches(mset.get_matches_estimated());
  } catch (const Xapian::Error& e) {
    ReleaseReader(std::move(*reader));
    return XapianError(e, "searching " + options_.dir);
  }

  AmendmentReader amendments(store_, snapshot);
  std::map<uint64_t, std::pair<std::string, v1::Identity>> owners;  // identity id -> customer, identity
  size_t taken = 0;
  std::string last_key;
  try {
    for (auto it = mset.begin(); it != mset.end() && taken < limit; ++it, ++taken) {
      Xapian::Document doc = it.get_document();
      last_key = doc.get_value(kSortSlot);
      auto message = ReadCurrentMessage(store_, amendments, doc.get_data(), snapshot);
      if (!message.ok()) return message.status();
      if (!message->has_value()) continue;  // erased, and the index has not caught up yet
      const v1::TimelineRecord& record = (*message)->record;
      const v1::Event& e = record.event();
      auto owner = owners.find(record.identity_id());
      if (owner == owners.end()) {
        auto identity = store_.GetIdentityById(record.identity_id(), snapshot);
        if (!identity.ok()) return identity.status();
        auto customer = ReadLiveCustomer(store_, identity->customer_id(), snapshot);
        if (!customer.ok()) return customer.status();
        owner = owners.emplace(record.identity_id(), std::make_pair(customer->customer_id(), identity->identity())).first;
      }
      v1::SearchHit* hit = out->add_hits();
      hit->set_event_id(e.event_id());
      hit->set_customer_id(owner->second.first);
      *hit->mutable_identity() = owner->second.second;
      hit->set_channel(e.channel());
      hit->set_direction(e.direction());
      hit->set_occurred_at_us(e.occurred_at_us());
      hit->set_subject(e.subject());
      hit->set_conversation(e.conversation());
      hit->set_score(newest ? 0 : it.get_weight());
      auto ranges = MatchRanges((*message)->text, text->highlights, analyzer_, normalizer_);
      if (ranges.empty() && !e.subject().empty()) {
        auto in_subject = MatchRanges(e.subject(), text->highlights, analyzer_, normalizer_);
        if (!in_subject.empty()) {
          hit->set_snippet(MakeSnippet(e.subject(), in_subject));
          continue;
        }
      }
      hit->set_snippet(MakeSnippet((*message)->text, ranges));
    }
  } catch (const Xapian::Error& e) {
    ReleaseReader(std::move(*reader));
    return XapianError(e, "reading search results from " + options_.dir);
  }
  ReleaseReader(std::move(*reader));
  if (mset.size() > limit) {
    if (newest) {
      TimelinePosition position;
      std::string_view key = last_key;
      base::GetOrderedInt64(&key, &position.occurred_at_us);
      position.event_id = std::string(key);
      out->set_next_cursor(EncodeTimelineCursor(position));
    } else {
      out->set_next_cursor(EncodeOffsetCursor(offset + limit));
    }
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier::search
