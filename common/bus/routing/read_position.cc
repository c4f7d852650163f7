#include "common/bus/routing/read_position.h"

#include <charconv>

namespace omnihub::bus {
namespace {

template <typename Int>
bool ParseDecimal(std::string_view text, Int* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

base::Result<ReadPosition> ParseReadPosition(std::string_view text) {
  const size_t colon = text.find(':');
  ReadPosition position;
  if (colon == std::string_view::npos || !ParseDecimal(text.substr(0, colon), &position.partition) ||
      !ParseDecimal(text.substr(colon + 1), &position.position)) {
    return base::Status::InvalidArgument("min_position '" + std::string(text) +
                                         "' is not PARTITION:POSITION (two decimal numbers, e.g. 0:1042)");
  }
  return position;
}

std::string FormatReadPosition(const ReadPosition& position) {
  return std::to_string(position.partition) + ":" + std::to_string(position.position);
}

}  // namespace omnihub::bus
