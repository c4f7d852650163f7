// Keeping a message's raw payload beside its event: the bytes travel to the unifier as a
// content-addressed blob (omnihub.v1.Blob, stored once per SHA-256) and the event names them in
// `raw`. Every adapter that keeps what the provider sent (the email's RFC 5322 text, a social
// platform's JSON element) builds the pair here, so the reference form is the same everywhere.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::event {

// "blob:<64 hex>", the storage_ref of an attachment and the key of a raw payload.
std::string BlobRef(std::string_view sha256);

enum class RawCompression { kNone, kZstd };

// The blob holding `raw` (compressed as asked) and, in `event->raw`, the reference to it with
// its uncompressed size and media type. The caller sends the blob with the event.
v1::Blob AttachRawPayload(std::string_view raw, std::string_view media_type, RawCompression compression,
                          v1::Event* event);

}  // namespace omnihub::event
