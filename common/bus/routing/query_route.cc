#include "common/bus/routing/query_route.h"

namespace omnihub::bus {
namespace {

thread_local const QueryRoute* current_route = nullptr;

}  // namespace

const QueryRoute* CurrentQueryRoute() { return current_route; }

ScopedQueryRoute::ScopedQueryRoute(QueryRoute route) : route_(std::move(route)), previous_(current_route) {
  current_route = &route_;
}

ScopedQueryRoute::~ScopedQueryRoute() { current_route = previous_; }

}  // namespace omnihub::bus
