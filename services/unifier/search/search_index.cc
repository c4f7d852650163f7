#include "services/unifier/search/search_index.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "services/unifier/search/index_terms.h"
#include "services/unifier/search/search_hits.h"

namespace omnihub::unifier::search {
namespace {

namespace fs = std::filesystem;

base::Status XapianError(const Xapian::Error& e, std::string_view what) {
  return base::Status::IoError(std::string(what) + ": " + e.get_description());
}

// The directory next to the index that a compaction writes, and the one the old index moves
// to while the new one takes its place.
std::string CompactingDir(const std::string& dir) { return dir + ".compacting"; }
std::string RetiredDir(const std::string& dir) { return dir + ".old"; }

}  // namespace

SearchIndex::SearchIndex(Store& store, const event::IdentityNormalizer& normalizer, SearchIndexOptions options)
    : store_(store),
      normalizer_(normalizer),
      options_(std::move(options)),
      indexer_(store, normalizer),
      follower_({"search indexer", options_.poll_interval, std::chrono::seconds(1), options_.indexer_nice_increment},
                [this] { return Step(); }, 0) {}

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
  if (index->follower_.applied() > counters->last_change_seq) {
    // An index newer than the store (the store was restored from a backup) names changes the
    // store does not have: start over.
    spdlog::warn("search index {} is at change {} but the store only at {}; rebuilding it", dir,
                 index->follower_.applied(), counters->last_change_seq);
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
    if (auto format = seq.ok() ? CheckIndexFormat(*writer_) : seq.status(); !format.ok()) {
      writer_.reset();
      return format;
    }
    follower_.Publish(*seq);
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

base::Result<uint64_t> SearchIndex::Step() {
  std::lock_guard lock(writer_mu_);
  if (writer_ == nullptr) return base::Status::Unavailable("search index " + options_.dir + " is not open");
  return indexer_.ApplyNext(*writer_, options_.changes_per_commit);
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
                                 v1::SearchResponse* out, std::string_view tenant) {
  auto plan = PlanSearch(request, store_, normalizer_, analyzer_, snapshot,
                         {options_.default_limit, options_.max_limit}, tenant);
  if (!plan.ok()) return plan.status();
  auto counters = store_.ReadCounters(snapshot);
  if (!counters.ok()) return counters.status();
  out->set_last_change_seq(counters->last_change_seq);
  out->set_indexed_change_seq(follower_.applied());  // the reader's own, once it is open
  if (plan->nothing) return base::Status::Ok();

  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  base::Status status;
  try {
    status = SearchWith(*reader->db, *plan, snapshot, out);
  } catch (const Xapian::Error& e) {
    status = XapianError(e, "searching " + options_.dir);
  }
  ReleaseReader(std::move(*reader));
  return status;
}

base::Status SearchIndex::SearchWith(Xapian::Database& db, const SearchPlan& plan, const rocksdb::Snapshot* snapshot,
                                     v1::SearchResponse* out) {
  auto seq = ReadIndexedSeq(db);
  if (!seq.ok()) return seq.status();
  out->set_indexed_change_seq(*seq);
  Xapian::Enquire enquire(db);
  enquire.set_query(plan.query);
  if (plan.newest) {
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_sort_by_value(kSortSlot, true);
  } else {
    enquire.set_sort_by_relevance_then_value(kSortSlot, true);
  }
  // One more than the page: whether another page follows.
  const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(plan.offset), plan.limit + 1);
  out->set_estimated_matches(mset.get_matches_estimated());
  std::string last_sort_key;
  OMNIHUB_RETURN_IF_ERROR(AppendHits(store_, snapshot, mset, plan, analyzer_, normalizer_, out, &last_sort_key));
  if (mset.size() > plan.limit) out->set_next_cursor(NextCursor(plan, last_sort_key));
  return base::Status::Ok();
}

}  // namespace omnihub::unifier::search
