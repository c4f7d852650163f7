// Reads one page of the export: every stored event exactly once. First every timeline record
// in storage order (identity id, occurred_at, event id), then every delivery status in its
// storage order (channel, message id, state, error code), then every amendment (edits,
// deletions, reactions, watermark receipts) in its storage order; neither of the last two are
// timeline entries (delivery_statuses.h, message_amendments.h).
//
// Cursor text is opaque to clients: unpadded base64url of a version byte and a position,
//   0x01 | timeline key (32 bytes)  continue in the timeline after this key;
//   0x02 | statuses key (any size)  continue among the statuses after this key (empty: from
//                                   the first),
//   0x03 | amendments key (any size)  the same among the amendments,
// so a page never repeats or skips a record that existed when the export started.
//
// Thread-safety: a pure function over a thread-safe Store.
#pragma once

#include <cstdint>
#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// Fills `out` with up to `limit` (>= 1) entries after `cursor` (empty: from the start), read
// from `snapshot` (required), and sets out->next_cursor unless nothing follows. A status's
// entry names the customer and identity of the message it describes; while the hub does not
// have that message, customer_id is empty and identity is the status's own customer side.
// InvalidArgument for a cursor this hub did not issue; Corruption for an undecodable record.
base::Status ReadExportPage(Store& store, const rocksdb::Snapshot* snapshot, std::string_view cursor, uint32_t limit,
                      v1::ExportResponse* out);

}  // namespace omnihub::unifier
