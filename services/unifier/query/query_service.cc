#include "services/unifier/query/query_service.h"

#include <algorithm>
#include <memory>

#include "common/base/coding.h"
#include "common/base/compression.h"
#include "common/bus/dead_letter_entry.h"
#include "common/base/sha256.h"
#include "common/base/uuid.h"
#include "common/event/tenant_id.h"
#include "services/unifier/backup/store_backup.h"
#include "services/unifier/erasure/purge.h"
#include "services/unifier/graph/graph_queries.h"
#include "services/unifier/query/amendment_view.h"
#include "services/unifier/query/command_results.h"
#include "services/unifier/suggestions/suggestion_queries.h"
#include "services/unifier/query/conversation_links.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/query/customer_profile.h"
#include "services/unifier/store/delivery_statuses.h"
#include "services/unifier/query/export_reader.h"
#include "services/unifier/query/recent_customers.h"
#include "services/unifier/store/state_digest.h"
#include "services/unifier/store/store_layout.h"
#include "services/unifier/query/timeline_reader.h"
#include "services/unifier/replica/replica_cursor.h"

namespace omnihub::unifier {
namespace {

// Releases a snapshot when the request is answered.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB* db) : db_(db), snap_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snap_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snap_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

}  // namespace

v1::Customer ToApiCustomer(const v1::CustomerRecord& record) {
  v1::Customer c;
  c.set_customer_id(record.customer_id());
  *c.mutable_identities() = record.identities();
  c.set_event_count(record.event_count());
  c.set_created_at_us(record.created_at_us());
  return c;
}

static base::Clock& SystemClockInstance() {
  static base::SystemClock clock;
  return clock;
}

QueryService::QueryService(Store& store, const event::IdentityNormalizer& normalizer, QueryLimits limits,
                           SearchBackend* search, base::Clock* clock, MetricsBackend* metrics)
    : store_(store),
      normalizer_(normalizer),
      limits_(limits),
      search_(search),
      metrics_(metrics),
      clock_(clock != nullptr ? *clock : SystemClockInstance()) {}

uint32_t QueryService::PageSize(uint32_t requested) const {
  if (requested == 0) return std::min(limits_.default_page, limits_.max_page);
  return std::min(requested, limits_.max_page);
}

v1::QueryResponse QueryService::Handle(const v1::QueryRequest& request) {
  v1::QueryResponse response;
  if (request.request_case() == v1::QueryRequest::kPurge) {
    // Outside any snapshot: compaction keeps whatever an open snapshot can still see.
    const base::Status purged = Purge(store_, search_, request.purge(), response.mutable_purge());
    return Answer(purged, std::move(response));
  }
  if (request.request_case() == v1::QueryRequest::kBackup) {
    // Outside any snapshot too: the backup is of the store as its flush leaves it.
    const base::Status backed_up = TakeStoreBackup(store_, clock_, request.backup(), response.mutable_backup());
    return Answer(backed_up, std::move(response));
  }
  if (request.request_case() == v1::QueryRequest::kMetrics) {
    // From the metrics' own database, which follows the change log: no store snapshot.
    const base::Status reported = metrics_ == nullptr
                                      ? base::Status::Unavailable("this unifier keeps no relationship metrics")
                                      : metrics_->Report(request.metrics(), response.mutable_metrics(),
                                                         request.tenant_id());
    return Answer(reported, std::move(response));
  }
  ScopedSnapshot snap(store_.db());
  base::Status s;
  const std::string& tenant = request.tenant_id();
  if (!tenant.empty()) {
    if (auto valid = event::CheckTenantId(tenant); !valid.ok()) return Answer(valid, std::move(response));
  }
  switch (request.request_case()) {
    case v1::QueryRequest::kGetCustomer:
      s = GetCustomer(request.get_customer(), snap.get(), response.mutable_get_customer(), tenant);
      break;
    case v1::QueryRequest::kTimeline:
      s = Timeline(request.timeline(), snap.get(), response.mutable_timeline(), tenant);
      break;
    case v1::QueryRequest::kStats:
      s = Stats(snap.get(), response.mutable_stats());
      break;
    case v1::QueryRequest::kChangeLog:
      s = ChangeLog(request.change_log(), snap.get(), response.mutable_change_log());
      break;
    case v1::QueryRequest::kExport:
      s = ReadExportPage(store_, snap.get(), request.export_().cursor(), PageSize(request.export_().limit()),
                         response.mutable_export_());
      break;
    case v1::QueryRequest::kDeadLetters:
      s = DeadLetters(request.dead_letters(), snap.get(), response.mutable_dead_letters());
      break;
    case v1::QueryRequest::kGetBlob:
      s = GetBlob(request.get_blob(), snap.get(), response.mutable_get_blob());
      break;
    case v1::QueryRequest::kConversation:
      s = Conversation(request.conversation(), snap.get(), response.mutable_conversation(), tenant);
      break;
    case v1::QueryRequest::kExplain:
      s = Explain(store_, normalizer_, request.explain(), snap.get(), response.mutable_explain(), tenant);
      break;
    case v1::QueryRequest::kMergePreview:
      s = PreviewMerge(store_, normalizer_, request.merge_preview(), snap.get(), response.mutable_merge_preview(),
                       tenant);
      break;
    case v1::QueryRequest::kSuggestions:
      s = ListSuggestions(store_, normalizer_, request.suggestions(), PageSize(request.suggestions().limit()),
                          snap.get(), response.mutable_suggestions(), tenant);
      break;
    case v1::QueryRequest::kCommandResult:
      s = GetCommandResult(store_, request.command_result(), snap.get(), response.mutable_command_result());
      break;
    case v1::QueryRequest::kCustomerProfile:
      s = ReadCustomerProfile(store_, normalizer_, request.customer_profile(),
                              PageSize(request.customer_profile().recent_limit()), snap.get(),
                              response.mutable_customer_profile(), tenant);
      break;
    case v1::QueryRequest::kErasures:
      s = ListErasures(store_, snap.get(), response.mutable_erasures());
      break;
    case v1::QueryRequest::kSearch:
      s = search_ == nullptr ? base::Status::Unavailable("this unifier runs no search index")
                             : search_->Search(request.search(), snap.get(), response.mutable_search(), tenant);
      break;
    case v1::QueryRequest::kRecentCustomers:
      s = RecentCustomers(store_, request.recent_customers(), PageSize(request.recent_customers().limit()), snap.get(),
                          response.mutable_recent_customers(), tenant);
      break;
    case v1::QueryRequest::kStateDigest:
      s = StateDigestOf(snap.get(), response.mutable_state_digest());
      break;
    case v1::QueryRequest::kPurge:  // answered above
    case v1::QueryRequest::kBackup:
    case v1::QueryRequest::kMetrics:
      break;
    case v1::QueryRequest::REQUEST_NOT_SET:
      s = base::Status::InvalidArgument("query request names no operation");
      break;
  }
  return Answer(s, std::move(response));
}

base::Status QueryService::StateDigestOf(const rocksdb::Snapshot* snap, v1::StateDigestResponse* out) {
  auto digest = ComputeStateDigest(store_, snap);
  if (!digest.ok()) return digest.status();
  // A cluster replica's position is its stream position, the one its registry entry publishes
  // with its digest; a single host's, the last committed change.
  auto cursor = replica::ReadCursor(store_, snap);
  if (!cursor.ok()) return cursor.status();
  out->set_applied_position(cursor->position != 0 ? cursor->position : digest->applied_position);
  out->set_digest(std::move(digest->digest));
  out->set_apply_version(digest->apply_version);
  for (auto& [name, hex] : digest->column_families) (*out->mutable_column_families())[name] = std::move(hex);
  return base::Status::Ok();
}

v1::QueryResponse QueryService::Answer(const base::Status& s, v1::QueryResponse response) {
  if (!s.ok()) {
    response.Clear();
    response.mutable_error()->set_code(std::string(base::StatusCodeName(s.code())));
    response.mutable_error()->set_message(s.message());
  }
  return response;
}

base::Status QueryService::GetCustomer(const v1::GetCustomerRequest& req, const rocksdb::Snapshot* snap,
                                 v1::GetCustomerResponse* out, std::string_view tenant) {
  auto customer = FindCustomer(store_, normalizer_, req.customer(), snap, tenant);
  if (!customer.ok()) return customer.status();
  auto api = CustomerForClient(store_, *customer, snap);
  if (!api.ok()) return api.status();
  *out->mutable_customer() = std::move(*api);
  return base::Status::Ok();
}

base::Status QueryService::Timeline(const v1::TimelineRequest& req, const rocksdb::Snapshot* snap,
                              v1::TimelineResponse* out, std::string_view tenant) {
  auto customer = FindCustomer(store_, normalizer_, req.customer(), snap, tenant);
  if (!customer.ok()) return customer.status();
  TimelineQuery q;
  q.identity_ids.assign(customer->identity_ids().begin(), customer->identity_ids().end());
  q.limit = PageSize(req.limit());
  if (!req.cursor().empty()) {
    auto pos = DecodeTimelineCursor(req.cursor());
    if (!pos.ok()) return pos.status();
    q.before = std::move(*pos);
  }
  for (int ch : req.channels()) q.channels.insert(ch);
  q.since_us = req.since_us();
  q.until_us = req.until_us();
  if (q.since_us != 0 && q.until_us != 0 && q.since_us >= q.until_us) {
    return base::Status::InvalidArgument("since must be earlier than until");
  }
  q.conversation = req.conversation();
  q.direction = req.direction();
  for (int kind : req.kinds()) q.kinds.insert(kind);
  auto page = ReadTimelinePage(store_, snap, q);
  if (!page.ok()) return page.status();
  auto api = CustomerForClient(store_, *customer, snap);
  if (!api.ok()) return api.status();
  *out->mutable_customer() = std::move(*api);
  StatusReader statuses(store_, snap);
  AmendmentReader amendments(store_, snap);
  for (auto& rec : page->records) {
    v1::MessageStatuses message;
    OMNIHUB_RETURN_IF_ERROR(statuses.Read(rec.event(), message.mutable_statuses()));
    if (message.statuses_size() > 0) {
      message.set_event_id(rec.event().event_id());
      *out->add_statuses() = std::move(message);
    }
    auto amended = ReadMessageAmendments(amendments, rec.event());
    if (!amended.ok()) return amended.status();
    if (amended->has_value()) *out->add_amendments() = std::move(**amended);
    *out->add_events() = std::move(*rec.mutable_event());
  }
  out->set_next_cursor(page->next_cursor);
  return base::Status::Ok();
}

base::Status QueryService::Stats(const rocksdb::Snapshot* snap, v1::StatsResponse* out) {
  auto counters = store_.ReadCounters(snap);
  if (!counters.ok()) return counters.status();
  out->set_events(counters->events);
  out->set_customers(counters->customers);
  out->set_identities(counters->identities);
  out->set_dead_letters(counters->dead_letters);
  out->set_duplicates(counters->duplicates);
  out->set_statuses(counters->statuses);
  out->set_amendments(counters->amendments);
  out->set_last_change_seq(counters->last_change_seq);
  auto marks = store_.ReadHighWaterMarks(snap);
  if (!marks.ok()) return marks.status();
  for (const auto& [publisher, mark] : *marks) {
    auto* m = out->add_publishers();
    m->set_publisher_id(publisher);
    m->set_high_water(mark);
  }
  return base::Status::Ok();
}

base::Status QueryService::ChangeLog(const v1::ChangeLogRequest& req, const rocksdb::Snapshot* snap,
                               v1::ChangeLogResponse* out) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(ro, store_.change_log()));
  const uint32_t limit = PageSize(req.limit());
  for (it->Seek(base::EncodeFixed64BE(std::max<uint64_t>(req.from_seq(), 1)));
       it->Valid() && static_cast<uint32_t>(out->changes_size()) < limit; it->Next()) {
    v1::ChangeLogRecord rec;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &rec).WithContext("change log"));
    *out->add_changes() = std::move(*rec.mutable_change());
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "change log scan"));
  auto counters = store_.ReadCounters(snap);
  if (!counters.ok()) return counters.status();
  out->set_last_change_seq(counters->last_change_seq);
  return base::Status::Ok();
}

base::Status QueryService::GetBlob(const v1::GetBlobRequest& req, const rocksdb::Snapshot* snap, v1::GetBlobResponse* out) {
  if (req.sha256().size() != 32) return base::Status::InvalidArgument("a blob is named by its 32-byte SHA-256");
  auto raw = store_.GetRaw(store_.blobs(), req.sha256(), snap);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return base::Status::NotFound("no stored bytes with SHA-256 " + base::HexEncode(req.sha256()));
  v1::BlobRecord rec;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**raw, &rec).WithContext("blob"));
  if (rec.compression() == "zstd") {
    auto data = base::ZstdDecompress(rec.data());
    if (!data.ok()) return data.status().WithContext("blob " + base::HexEncode(req.sha256()));
    out->set_data(std::move(*data));
  } else {
    out->set_data(std::move(*rec.mutable_data()));
  }
  // Content-addressed: what is handed out must be what the address names.
  if (base::Sha256(out->data()) != req.sha256()) {
    return base::Status::Corruption("stored bytes of blob " + base::HexEncode(req.sha256()) + " do not match their SHA-256");
  }
  out->set_media_type(rec.media_type());
  return base::Status::Ok();
}

base::Status QueryService::Conversation(const v1::ConversationRequest& req, const rocksdb::Snapshot* snap,
                                  v1::ConversationResponse* out, std::string_view tenant) {
  std::string conversation = req.conversation();
  if (req.by_case() == v1::ConversationRequest::kCustomer) {
    // The conversation the customer wrote in most recently.
    auto customer = FindCustomer(store_, normalizer_, req.customer(), snap, tenant);
    if (!customer.ok()) return customer.status();
    TimelineQuery q;
    q.identity_ids.assign(customer->identity_ids().begin(), customer->identity_ids().end());
    q.limit = 1;
    auto newest = ReadTimelinePage(store_, snap, q);
    if (!newest.ok()) return newest.status();
    if (newest->records.empty() || newest->records[0].event().conversation().empty()) {
      return base::Status::NotFound("customer " + customer->customer_id() + " has no conversation yet");
    }
    conversation = newest->records[0].event().conversation();
  }
  if (conversation.empty()) return base::Status::InvalidArgument("name a conversation or a customer");
  out->set_conversation(conversation);

  // Every key linked to this one (conversation_links.h), merged in (occurred_at, event_id)
  // order: the part of an index key after its prefix sorts exactly so.
  auto keys = LinkedConversationKeys(store_, snap, conversation);
  if (!keys.ok()) return keys.status();
  std::string after;  // the cursor as an index key suffix
  if (!req.cursor().empty()) {
    auto pos = DecodeTimelineCursor(req.cursor());
    if (!pos.ok()) return pos.status();
    base::PutOrderedInt64(&after, pos->occurred_at_us);
    after.append(pos->event_id);
  }
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  const uint32_t limit = PageSize(req.limit());
  std::vector<std::pair<std::string, std::string>> hits;  // (key suffix, timeline key)
  for (const std::string& key : *keys) {
    const std::string prefix = ConversationPrefix(key);
    std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(ro, store_.conversations()));
    it->Seek(prefix + after);
    size_t taken = 0;
    for (; it->Valid() && it->key().starts_with(prefix) && taken <= limit; it->Next()) {
      std::string suffix(it->key().ToStringView().substr(prefix.size()));
      if (!after.empty() && suffix == after) continue;
      auto timeline_key = DecodeRawValue(it->value().ToStringView(), "conversation index value");
      if (!timeline_key.ok()) return timeline_key.status();
      hits.emplace_back(std::move(suffix), std::string(*timeline_key));
      ++taken;
    }
    OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "conversation scan"));
  }
  std::sort(hits.begin(), hits.end());
  StatusReader statuses(store_, snap);
  AmendmentReader amendments(store_, snap);
  for (const auto& [suffix, timeline_key] : hits) {
    if (static_cast<uint32_t>(out->entries_size()) == limit) {
      const auto& last = out->entries(out->entries_size() - 1).event();
      out->set_next_cursor(EncodeTimelineCursor({last.occurred_at_us(), last.event_id()}));
      break;
    }
    auto rec = store_.GetTimelineRecord(timeline_key, snap);
    if (!rec.ok()) return rec.status();
    auto identity = store_.GetIdentityById(rec->identity_id(), snap);
    if (!identity.ok()) return identity.status();
    auto* entry = out->add_entries();
    entry->set_customer_id(identity->customer_id());
    OMNIHUB_RETURN_IF_ERROR(statuses.Read(rec->event(), entry->mutable_statuses()));
    auto amended = ReadMessageAmendments(amendments, rec->event());
    if (!amended.ok()) return amended.status();
    if (amended->has_value()) *entry->mutable_amendments() = std::move(**amended);
    *entry->mutable_event() = std::move(*rec->mutable_event());
  }
  if (out->entries_size() == 0 && req.cursor().empty()) {
    return base::Status::NotFound("no conversation '" + conversation + "'");
  }
  return base::Status::Ok();
}

base::Status QueryService::DeadLetters(const v1::DeadLetterListRequest& req, const rocksdb::Snapshot* snap,
                                 v1::DeadLetterListResponse* out) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(ro, store_.dead_letters()));
  const uint32_t limit = PageSize(req.limit());
  for (it->Seek(base::EncodeFixed64BE(req.after_id() + 1)); it->Valid() && static_cast<uint32_t>(out->entries_size()) < limit;
       it->Next()) {
    v1::DeadLetter dl;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &dl).WithContext("dead letter"));
    *out->add_entries() = bus::ToDeadLetterEntry(dl);
    // Make-before-break: clients from before `entries` read the stored record here.
    *out->add_dead_letters() = std::move(dl);
  }
  return FromRocks(it->status(), "dead letter scan");
}

}  // namespace omnihub::unifier
