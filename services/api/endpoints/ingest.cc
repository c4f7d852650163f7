// POST /api/v1/events (docs/api.md "Ingest"): integrators send events in the ingest format
// (docs/ingest-format.md), one JSON object (application/json) or JSON Lines
// (application/x-ndjson), parsed exactly as `omnihubctl inject` parses a line
// (common/event/ingest_json.h). A request is all or nothing: one bad line refuses it (400
// naming the line and the field) and nothing is stored. 202 {event_ids, accepted} once every
// event is durable in the API's outbox; the unifier files them from there. In cluster mode the
// answer carries the events' log position when they are on one partition (core/write_position.h).
//
// Idempotency-Key (core/idempotency.h): the answer is recorded in the same synced batch as the
// events, so a retry after a lost answer, or after a restart of omnihub-api, gets the same ids
// and stores nothing again (and no position: the record is written before the log has one).
#include <memory>
#include <string>
#include <vector>

#include "common/base/sha256.h"
#include "common/base/text.h"
#include "common/base/uuid.h"
#include "common/event/ingest_json.h"
#include "services/api/core/api_response.h"
#include "services/api/core/idempotency.h"
#include "services/api/core/request_params.h"
#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

constexpr size_t kMaxIdempotencyKeyBytes = 255;
constexpr char kNdjson[] = "application/x-ndjson";
constexpr char kJson[] = "application/json";

// The field an ingest error names ("field 'to' must be ...", "missing required field 'from'"),
// else "body".
std::string FieldOfIngestError(std::string_view message) {
  const size_t word = message.find("field '");
  if (word == std::string_view::npos) return "body";
  const size_t start = word + 7;
  const size_t end = message.find('\'', start);
  if (end == std::string_view::npos) return "body";
  return std::string(message.substr(start, end - start));
}

// The media type without parameters ("application/json; charset=utf-8" -> "application/json").
std::string MediaType(const http::HttpRequest& request) {
  const std::string_view value = request.header("Content-Type").value_or("");
  return base::LowerAscii(std::string(base::Trim(value.substr(0, value.find(';')))));
}

// The request's events, parsed; the 400 for its first bad line otherwise.
Parsed<std::vector<v1::Event>> ParseEvents(ApiServices& services, const http::HttpRequest& request) {
  const event::IngestContext ingest{services.normalizer, services.ids, services.clock};
  const std::string type = MediaType(request);
  std::vector<v1::Event> events;
  if (type == kJson) {
    auto event = event::ParseIngestLine(request.body, ingest);
    if (!event.ok()) return ApiError(400, "bad_request", event.status().message(), FieldOfIngestError(event.status().message()));
    events.push_back(std::move(*event));
    return events;
  }
  if (type != kNdjson) {
    return ApiError(400, "bad_request",
                    "Content-Type must be application/json (one event) or application/x-ndjson (one event a line)",
                    "Content-Type");
  }
  size_t line_no = 0;
  for (size_t pos = 0; pos < request.body.size();) {
    size_t end = request.body.find('\n', pos);
    if (end == std::string::npos) end = request.body.size();
    std::string_view line(request.body.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto event = event::ParseIngestLine(line, ingest);
    if (!event.ok()) {
      return ApiError(400, "bad_request", "line " + std::to_string(line_no) + ": " + event.status().message(),
                      FieldOfIngestError(event.status().message()));
    }
    events.push_back(std::move(*event));
  }
  if (events.empty()) return ApiError(400, "bad_request", "the body holds no event (one JSON object a line)", "body");
  return events;
}

// The 202 answer: the ids the events were given, in request order.
nlohmann::json Accepted(const std::vector<v1::Event>& events) {
  nlohmann::json ids = nlohmann::json::array();
  for (const v1::Event& e : events) ids.push_back(base::UuidToString(e.event_id()));
  return {{"event_ids", std::move(ids)}, {"accepted", events.size()}};
}

// Appends the events, and `meta` (the idempotency record) in the same synced batch; their
// outbox sequences.
base::Result<std::vector<uint64_t>> Store(ApiServices& services, std::vector<v1::Event> events, bus::MetaPuts meta) {
  std::vector<bus::OutboxItem> items;
  items.reserve(events.size());
  for (const v1::Event& e : events) {
    bus::OutboxItem item;
    item.event_bytes = e.SerializeAsString();
    items.push_back(std::move(item));
  }
  return services.sink.Append(std::move(items), std::move(meta), {});
}

http::HttpResponse Ingest(ApiServices& services, IdempotencyRecords& records, const ApiCall& call) {
  const std::optional<std::string_view> key = call.request.header("Idempotency-Key");
  if (key.has_value() && (key->empty() || key->size() > kMaxIdempotencyKeyBytes)) {
    return ApiError(400, "bad_request", "Idempotency-Key must be 1 to 255 bytes", "Idempotency-Key");
  }
  std::string meta_key;
  std::unique_lock<std::mutex> lock;
  if (key.has_value()) {
    meta_key = IdempotencyRecords::MetaKey(call.who.token_id, *key);
    lock = records.Lock(meta_key);
    auto earlier = records.Find(meta_key);
    if (!earlier.ok()) return StatusResponse(earlier.status());
    if (earlier->has_value()) {
      const IdempotencyRecord& record = **earlier;
      if (record.body_sha256 != base::Sha256Hex(call.request.body)) {
        return ApiError(422, "idempotency_key_reused",
                        "this Idempotency-Key was used with another body; use a new key for a new request",
                        "Idempotency-Key");
      }
      return JsonResponse(record.status, record.body);
    }
  }

  auto events = ParseEvents(services, call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&events)) return std::move(*error);
  auto& parsed = std::get<std::vector<v1::Event>>(events);
  nlohmann::json answer = Accepted(parsed);
  bus::MetaPuts meta;
  if (key.has_value()) {
    meta.emplace_back(meta_key, IdempotencyRecords::Encode({base::Sha256Hex(call.request.body), 202, answer}));
  }
  auto stored = Store(services, std::move(parsed), std::move(meta));
  if (!stored.ok()) return StatusResponse(stored.status().WithContext("the events were not stored"));
  return WriteResponse(202, std::move(answer), services.writes.Await(*stored));
}

}  // namespace

base::Status AddIngestRoutes(ApiRoutes& routes, ApiServices& services) {
  auto records = std::make_shared<IdempotencyRecords>(services.outbox);
  return routes.Add("POST", "/api/v1/events", auth::Scope::kIngest,
                    [&services, records](const ApiCall& call) { return Ingest(services, *records, call); });
}

}  // namespace omnihub::api
