// Answers the unifier's query protocol (query.proto) from the store, without
// sockets: customer lookup by id or identity, timeline pages (each message with its
// delivery statuses, edits, deletion and reactions), stats, the change log, export and dead letters. Every answer is read from one RocksDB snapshot,
// but purge and backup, which work on the whole store outside any snapshot.
//
// Thread-safety: Handle() may be called from several threads at once (reads only).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/metrics/metrics_backend.h"
#include "services/unifier/search/search_backend.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

struct QueryLimits {
  uint32_t default_page = 50;
  uint32_t max_page = 1000;
};

class QueryService {
 public:
  // References must outlive the service.
  // `search` answers search and purge requests; nullptr when this process runs no index
  // (they then answer Unavailable). `clock` dates backups; nullptr = the system clock.
  // `metrics` answers metrics requests; nullptr when this process keeps none (Unavailable).
  QueryService(Store& store, const event::IdentityNormalizer& normalizer, QueryLimits limits,
               SearchBackend* search = nullptr, base::Clock* clock = nullptr, MetricsBackend* metrics = nullptr);

  // Never fails as a call: errors are in the response's `error`.
  v1::QueryResponse Handle(const v1::QueryRequest& request);

 private:
  // `response`, or, when `s` failed, a response holding only the error.
  static v1::QueryResponse Answer(const base::Status& s, v1::QueryResponse response);
  // `tenant`: the request's (QueryRequest.tenant_id), whose customers FindCustomer looks among.
  base::Status GetCustomer(const v1::GetCustomerRequest& req, const rocksdb::Snapshot* snap,
                           v1::GetCustomerResponse* out, std::string_view tenant);
  base::Status Timeline(const v1::TimelineRequest& req, const rocksdb::Snapshot* snap, v1::TimelineResponse* out,
                        std::string_view tenant);
  base::Status Stats(const rocksdb::Snapshot* snap, v1::StatsResponse* out);
  // The digest of the whole applied state (store/state_digest.h), from the request's snapshot.
  base::Status StateDigestOf(const rocksdb::Snapshot* snap, v1::StateDigestResponse* out);
  base::Status ChangeLog(const v1::ChangeLogRequest& req, const rocksdb::Snapshot* snap, v1::ChangeLogResponse* out);
  base::Status DeadLetters(const v1::DeadLetterListRequest& req, const rocksdb::Snapshot* snap,
                     v1::DeadLetterListResponse* out);
  base::Status GetBlob(const v1::GetBlobRequest& req, const rocksdb::Snapshot* snap, v1::GetBlobResponse* out);
  base::Status Conversation(const v1::ConversationRequest& req, const rocksdb::Snapshot* snap,
                      v1::ConversationResponse* out, std::string_view tenant);
  uint32_t PageSize(uint32_t requested) const;

  Store& store_;
  const event::IdentityNormalizer& normalizer_;
  const QueryLimits limits_;
  SearchBackend* const search_;
  MetricsBackend* const metrics_;
  base::Clock& clock_;
};

// Customer record -> API message.
v1::Customer ToApiCustomer(const v1::CustomerRecord& record);

}  // namespace omnihub::unifier
