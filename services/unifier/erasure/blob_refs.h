// Who references a stored blob (docs/formats/erasure.md, blob_refs): blobs are content
// addressed and shared (the same PDF mailed by two customers is stored once), so an erasure
// may delete a blob only when no event of anybody else still names it. Ingest writes one
// entry per (blob, event) where it stores blobs; an erasure deletes its events' entries and
// then the blobs left without any.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "omnihub/v1/event.pb.h"

namespace omnihub::unifier {

inline constexpr size_t kSha256Bytes = 32;

// blob_refs key: sha256 (32) | event id (16).
std::string BlobRefKey(std::string_view sha256, std::string_view event_id);

// The SHA-256 of every blob `event` names (its attachments, its raw payload "blob:<hex>"),
// each once, in first-seen order. A blob a frame carries that its event does not name gets
// no ref: to an erasure it looks like a blob written before refs existed (docs/erasure.md).
std::vector<std::string> BlobsReferencedBy(const v1::Event& event);

}  // namespace omnihub::unifier
