#include "services/api/core/write_position.h"

#include "common/bus/cluster_config.h"
#include "services/api/core/api_response.h"

namespace omnihub::api {

WritePositions WritePositions::FromConfig(const config::Config& config, const bus::AppendedPositions* positions) {
  if (positions == nullptr) return {};
  return {positions, std::chrono::milliseconds(config.Get<bus::ClusterConfig>().publish_timeout_ms)};
}

WrittenPosition WritePositions::Await(std::span<const uint64_t> sequences) const {
  if (positions == nullptr) return {};
  return {.logged = true, .position = positions->WaitFor(sequences, wait)};
}

void AttachWritePosition(http::HttpResponse& response, const std::optional<bus::ReadPosition>& written) {
  if (written) response.headers.emplace_back(kWritePositionHeader, bus::FormatReadPosition(*written));
}

http::HttpResponse WriteResponse(int status, nlohmann::json body, const WrittenPosition& written) {
  if (!written.logged) return JsonResponse(status, body);
  if (!written.position) return JsonResponse(202, body);
  if (body.is_object()) body[kWritePositionMember] = bus::FormatReadPosition(*written.position);
  http::HttpResponse response = JsonResponse(status, body);
  AttachWritePosition(response, written.position);
  return response;
}

}  // namespace omnihub::api
