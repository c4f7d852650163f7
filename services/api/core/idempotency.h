// Idempotency-Key for POST requests that append (docs/api.md "Ingest"): the first request
// with a key stores, in the same synced batch as what it appends (EventSink::Append's
// meta_puts), a record of the request's body hash and the answer it got; a repeat with the
// key and the same body gets that answer again without appending, also after a restart (the
// record is read back from the API's outbox); the key with another body is refused (422
// idempotency_key_reused). Keys are per token: two tokens never share an answer.
//
// Requests with one key are serialized (Lock) so that two at once cannot both append: locks
// are striped over a fixed set of mutexes, so unrelated keys rarely wait on each other and the
// memory never grows with the number of keys.
//
// Thread-safety: thread-safe; the outbox outlives this.
#pragma once

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/base/status.h"
#include "common/bus/outbox.h"

namespace omnihub::api {

// What a first request with a key got.
struct IdempotencyRecord {
  std::string body_sha256;  // hex
  int status = 0;
  nlohmann::json body;      // the answer's JSON body
};

class IdempotencyRecords {
 public:
  explicit IdempotencyRecords(const bus::Outbox& outbox) : outbox_(outbox) {}

  // The meta key of `key` sent with token `token_id`: "idem/<token_id>/<sha256 hex of key>"
  // (hashed: a key is the client's text, of any length and bytes).
  static std::string MetaKey(std::string_view token_id, std::string_view key);
  static std::string Encode(const IdempotencyRecord& record);

  // Held while a request with `meta_key` looks for its record and appends.
  std::unique_lock<std::mutex> Lock(std::string_view meta_key);
  // The stored record; nullopt when the key is new. Corruption for an unreadable record.
  base::Result<std::optional<IdempotencyRecord>> Find(std::string_view meta_key) const;

 private:
  static constexpr size_t kStripes = 64;
  const bus::Outbox& outbox_;
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace omnihub::api
