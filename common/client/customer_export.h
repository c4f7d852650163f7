// One customer's export document (docs/export-format.md, customer.json): the customer, its
// identities with why each belongs, and every event of its timeline with statuses, edits and
// reactions; plus the blobs its events name (attachment and raw payload bytes) with the events
// that use them. omnihubctl customer export writes it and the blobs as files; the API answers
// GET /customers/{id}/export with the document, whose blobs are fetched from /attachments/.
// A pure client of the query protocol.
//
// Thread-safety: one export per call; `hub` must be usable from the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/base/status.h"
#include "common/bus/query_transport.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::client {

inline constexpr int kExportFormatVersion = 1;

// Which events use a blob, and how.
struct BlobUses {
  std::string media_type;
  nlohmann::json referenced_by = nlohmann::json::array();  // [{event_id, role, name?}]
};

struct CustomerExport {
  std::string customer_id;
  nlohmann::json document;             // customer.json
  std::map<std::string, BlobUses> blobs;  // by SHA-256 hex
};

// The hub's error (NotFound for an unknown customer) when it cannot be read whole.
base::Result<CustomerExport> BuildCustomerExport(bus::QueryTransport& hub, const v1::CustomerSelector& customer,
                                                 int64_t exported_at_us);

}  // namespace omnihub::client
