#include "common/storage/versioned_value.h"

namespace omnihub::storage {

std::string FrameValue(uint8_t version, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 1);
  out.push_back(static_cast<char>(version));
  out.append(payload);
  return out;
}

base::Result<std::string_view> UnframeValue(std::string_view value, uint8_t version, std::string_view what) {
  if (value.empty()) return base::Status::Corruption(std::string(what) + ": empty stored value");
  const auto found = static_cast<uint8_t>(value.front());
  if (found != version) {
    return base::Status::Corruption(std::string(what) + ": stored value has format version " + std::to_string(found) +
                                    ", this build reads " + std::to_string(version));
  }
  value.remove_prefix(1);
  return value;
}

}  // namespace omnihub::storage
