// The unifier's embedded full-text index (docs/search.md): a Xapian database in its own
// directory that a thread of its own keeps up with the store's change log (ChangeIndexer), so
// ingest never waits for it, and that answers searches (SearchBackend).
//
// Lifecycle: Open (creates the directory, or rebuilds it from change 1 when it is lost,
// unreadable or ahead of the store), Start (the indexer thread), Stop (joins it; everything
// applied is committed). Without Start, CatchUp applies the log on the calling thread (tests,
// the benchmark).
//
// Threading: one Xapian::WritableDatabase, used under writer_mu_ by the indexer thread and by
// Compact. Searches use Xapian::Database readers of their own (a small pool; Xapian objects
// are not thread-safe), reopened before each search to see the latest commit, and opened
// afresh after a Compact swapped the directory.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "common/event/identity.h"
#include "services/unifier/search/change_indexer.h"
#include "services/unifier/search/search_backend.h"
#include "services/unifier/search/search_plan.h"
#include "services/unifier/search/text_analyzer.h"
#include "services/unifier/store/change_log_follower.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::search {

struct SearchIndexOptions {
  std::string dir;
  // How often the indexer looks for new changes when it has caught up.
  std::chrono::milliseconds poll_interval{20};
  // Changes applied per Xapian commit.
  size_t changes_per_commit = 2000;
  // Added to the indexer thread's nice value when it starts (0: unchanged). Indexing costs more
  // CPU per message than ingest; at the same priority it took a third of the unifier's CPU
  // during an ingest burst on a 2-core machine, beside the ingest thread, which then waited for
  // a CPU (docs/benchmarks.md, "Unifier ingest: profile and changes"). Ingest never waits for
  // the index, and the index catches up when the CPU is free.
  int indexer_nice_increment = 10;
  uint32_t default_limit = 20;
  uint32_t max_limit = 1000;
};

class SearchIndex final : public SearchBackend {
 public:
  // `store` and `normalizer` must outlive the index.
  static base::Result<std::unique_ptr<SearchIndex>> Open(Store& store, const event::IdentityNormalizer& normalizer,
                                                         SearchIndexOptions options);
  ~SearchIndex() override;
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Starts the indexer thread. At most once.
  void Start() { follower_.Start(); }
  // Stops and joins it; idempotent.
  void Stop() { follower_.Stop(); }
  // Without a started thread: applies every change committed so far. Returns the indexed seq.
  base::Result<uint64_t> CatchUp() { return follower_.CatchUp(); }

  const std::string& dir() const { return options_.dir; }

  base::Status Search(const v1::SearchRequest& request, const rocksdb::Snapshot* snapshot,
                      v1::SearchResponse* out, std::string_view tenant) override;
  uint64_t indexed_change_seq() const override { return follower_.applied(); }
  bool WaitIndexed(uint64_t change_seq, std::chrono::milliseconds timeout) override {
    return follower_.WaitApplied(change_seq, timeout);
  }
  base::Result<std::string> Compact() override;

 private:
  SearchIndex(Store& store, const event::IdentityNormalizer& normalizer, SearchIndexOptions options);
  base::Status OpenWriter();
  // After a failed compaction: reopens the writer, logs if that fails too, returns `failure`.
  base::Status Reopened(base::Status failure);
  // One ApplyNext under writer_mu_. Returns the indexed sequence.
  base::Result<uint64_t> Step();

  struct Reader {
    std::unique_ptr<Xapian::Database> db;
    uint64_t generation = 0;
  };
  base::Result<Reader> AcquireReader();
  // Search's matching and reading on one reader; Xapian errors are thrown.
  base::Status SearchWith(Xapian::Database& db, const SearchPlan& plan, const rocksdb::Snapshot* snapshot,
                          v1::SearchResponse* out);
  void ReleaseReader(Reader reader);

  Store& store_;
  const event::IdentityNormalizer& normalizer_;
  const SearchIndexOptions options_;
  TextAnalyzer analyzer_;

  std::mutex writer_mu_;  // guards writer_ and indexer_
  std::unique_ptr<Xapian::WritableDatabase> writer_;
  ChangeIndexer indexer_;

  std::atomic<uint64_t> generation_{0};  // bumped when Compact swaps the directory
  std::shared_mutex swap_mu_;            // Compact's renames (unique) vs readers opening the directory (shared)

  std::mutex readers_mu_;  // guards readers_
  std::vector<Reader> readers_;

  ChangeLogFollower follower_;  // the indexer thread; last: it uses the members above
};

}  // namespace omnihub::unifier::search
