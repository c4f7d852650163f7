#include "services/api/core/write_position.h"

namespace omnihub::api {

void AttachWritePosition(http::HttpResponse& response, const std::optional<bus::ReadPosition>& written) {
  if (written) response.headers.emplace_back(kWritePositionHeader, bus::FormatReadPosition(*written));
}

}  // namespace omnihub::api
