#include "services/unifier/erasure/blob_refs.h"

#include <algorithm>

#include "common/base/coding.h"

namespace omnihub::unifier {

std::string BlobRefKey(std::string_view sha256, std::string_view event_id) {
  std::string key(sha256);
  key.append(event_id);
  return key;
}

std::vector<std::string> BlobsReferencedBy(const v1::Event& event) {
  std::vector<std::string> out;
  auto add = [&out](std::string sha) {
    if (sha.size() == kSha256Bytes && std::find(out.begin(), out.end(), sha) == out.end()) out.push_back(std::move(sha));
  };
  for (const auto& attachment : event.attachments()) add(attachment.sha256());
  constexpr std::string_view kBlobPrefix = "blob:";
  if (event.raw().store() == "blob" && event.raw().key().starts_with(kBlobPrefix)) {
    std::string sha;
    if (base::HexDecode(std::string_view(event.raw().key()).substr(kBlobPrefix.size()), &sha)) add(std::move(sha));
  }
  return out;
}

}  // namespace omnihub::unifier
