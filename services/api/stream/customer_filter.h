// The filter of GET /api/v1/customers/{id}/stream: the changes of one customer -- those
// naming it as customer_id, or as merged_customer_id (a merge, unlink or split that took
// something from it). Once a merge absorbs it (CUSTOMERS_MERGED with it as
// merged_customer_id) the survivor's changes count too, since its timeline lives there now;
// a split of that merge (CUSTOMERS_SPLIT of the same two) stops that again.
//
// Thread-safety: the returned filter keeps state; call it from one thread (the hub's), once
// per change in change_seq order.
#pragma once

#include <string>

#include "services/api/stream/change_hub.h"

namespace omnihub::api::stream {

ChangeFilter CustomerChangeFilter(std::string customer_id);

}  // namespace omnihub::api::stream
