// Asking the hub (the unifier's query protocol) from an endpoint: one query, with its failure
// already turned into the API's error (docs/api.md "Errors"):
//   InvalidArgument about the cursor the request passed -> 400 invalid_cursor, field "cursor"
//     (the unifier's cursor errors all start with "cursor": query-protocol.md "Cursors")
//   any other InvalidArgument -> 400 bad_request naming `invalid_field`
//   NotFound                  -> 404 not_found naming `not_found_field`
//   no answer in time         -> 503 unavailable; anything else as StatusResponse.
// In cluster mode also: no replica reached the request's min_position in 2 s -> 503
// min_position_not_reached, field "min_position"; a min_position of another partition -> 400
// naming "min_position"; a tenant on no partition -> 404 naming "tenant".
//
// Thread-safety: as the transport (bus::QueryClientPool is thread-safe); blocks the calling worker.
#pragma once

#include <chrono>
#include <string_view>

#include "common/bus/query_transport.h"
#include "omnihub/v1/query.pb.h"
#include "services/api/core/request_params.h"

namespace omnihub::api {

struct HubQuery {
  // The parameter a hub's InvalidArgument is about ("id", "identity", "q").
  std::string_view invalid_field;
  // The parameter that named what the hub did not find ("id", "customer").
  std::string_view not_found_field;
  // True when the request passed a cursor, so that a cursor error is the client's.
  bool passed_cursor = false;
  std::chrono::milliseconds timeout = bus::kQueryTimeout;
};

Parsed<v1::QueryResponse> AskHub(bus::QueryTransport& hub, const v1::QueryRequest& request, const HubQuery& how);

// The response for a failed hub query, as above.
http::HttpResponse HubFailure(const base::Status& status, const HubQuery& how);

}  // namespace omnihub::api
