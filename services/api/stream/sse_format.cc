#include "services/api/stream/sse_format.h"

#include <nlohmann/json.hpp>

#include "common/client/change_json.h"

namespace omnihub::api::stream {
namespace {

// One event; `data` is one line of compact JSON, so it needs a single data field.
std::string Frame(uint64_t id, std::string_view event, const nlohmann::json& data) {
  std::string out = "id: " + std::to_string(id) + "\nevent: ";
  out.append(event);
  out += "\ndata: ";
  out += data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += "\n\n";
  return out;
}

}  // namespace

std::string SseStreamStart() { return "retry: " + std::to_string(kSseRetryMs) + "\n: omnihub live changes\n\n"; }

std::string SseChangeFrame(const v1::ChangeNotification& change) {
  return Frame(change.change_seq(), "change", client::ChangeToJson(change));
}

std::string SseResetFrame(std::string_view reason, uint64_t last_change_seq) {
  return Frame(last_change_seq, "reset", {{"reason", reason}, {"last_change_seq", last_change_seq}});
}

std::string SseHeartbeat() { return ": heartbeat\n\n"; }

}  // namespace omnihub::api::stream
