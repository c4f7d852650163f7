#include "common/bus/routing/routed_query_transport.h"

#include <algorithm>
#include <set>
#include <thread>

#include "common/bus/routing/replica_choice.h"

namespace omnihub::bus {
namespace {

int64_t Us(std::chrono::milliseconds ms) { return ms.count() * 1000; }

}  // namespace

RoutedQueryTransport::RoutedQueryTransport(ReplicaDirectory& directory, PartitionResolver& partitions,
                                           EndpointTransports& transports, base::Clock& clock,
                                           QueryRoute default_route, RoutingOptions options)
    : directory_(directory),
      partitions_(partitions),
      transports_(transports),
      clock_(clock),
      default_route_(std::move(default_route)),
      options_(std::move(options)) {
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

base::Result<v1::QueryResponse> RoutedQueryTransport::Call(const v1::QueryRequest& request,
                                                           std::chrono::milliseconds timeout) {
  const QueryRoute* current = CurrentQueryRoute();
  const QueryRoute& route = current != nullptr ? *current : default_route_;
  auto partition = route.partition ? base::Result<uint32_t>(*route.partition) : partitions_.PartitionOf(route.tenant);
  if (!partition.ok()) return partition.status();
  if (route.min_position && route.min_position->partition != *partition) {
    return base::Status::InvalidArgument("min_position " + FormatReadPosition(*route.min_position) +
                                         " names partition " + std::to_string(route.min_position->partition) +
                                         ", but tenant '" + route.tenant + "' is on partition " +
                                         std::to_string(*partition));
  }
  const uint64_t min_position = route.min_position ? route.min_position->position : 0;
  const int64_t start_us = clock_.MonotonicMicros();
  const int64_t deadline_us = start_us + Us(timeout);
  const int64_t wait_until_us = start_us + Us(options_.catch_up_wait);
  uint64_t turn = 0;
  {
    std::lock_guard lock(mu_);
    turn = turn_++;
  }
  std::set<std::string> tried;
  std::optional<base::Status> last_error;
  const auto gave_up = [&] {
    return last_error->WithContext("no replica of partition " + std::to_string(*partition) + " answered");
  };
  for (;;) {
    const int64_t now_us = clock_.MonotonicMicros();
    std::vector<ReplicaEntry> candidates = OrderReplicas(
        directory_.Live(*partition), min_position, turn,
        [&](const ReplicaEntry& e) { return Unresponsive(e.query_endpoint, now_us); });
    std::erase_if(candidates, [&](const ReplicaEntry& e) { return tried.contains(e.query_endpoint); });
    if (candidates.empty()) {
      if (last_error) return gave_up();
      if (now_us >= std::min(wait_until_us, deadline_us)) return NoReplica(*partition, route);
      options_.sleep(options_.recheck_interval);
      continue;
    }
    const ReplicaEntry& replica = candidates.front();
    const int64_t left_us = std::max<int64_t>(deadline_us - now_us, 1000);
    const int64_t attempt_us = candidates.size() > 1 ? std::min(left_us, Us(options_.attempt_timeout)) : left_us;
    auto response = transports_.For(replica.query_endpoint)
                        .Call(request, std::chrono::milliseconds(attempt_us / 1000));
    // Only "did not answer" moves on: the replica's own answer (not found, a bad cursor) is the
    // answer every replica would give, since they hold the same state.
    if (response.ok() || !response.status().IsUnavailable()) {
      MarkAnswered(replica.query_endpoint);
      return response;
    }
    MarkUnresponsive(replica.query_endpoint, clock_.MonotonicMicros());
    tried.insert(replica.query_endpoint);
    last_error = response.status().WithContext("replica " + replica.replica_id);
    if (clock_.MonotonicMicros() >= deadline_us) return gave_up();
  }
}

base::Status RoutedQueryTransport::NoReplica(uint32_t partition, const QueryRoute& route) const {
  const std::string p = std::to_string(partition);
  const std::vector<ReplicaEntry> live = directory_.Live(partition);
  if (live.empty()) {
    const std::string of = route.partition ? std::string() : " for tenant '" + route.tenant + "'";
    return base::Status::Unavailable("no live replica of partition " + p + of + " (" +
                                     kReplicaRegistryBucket + " has no entry of p" + (partition < 10 ? "0" : "") +
                                     p + " written in the last " + std::to_string(kReplicaDownAfterMs / 1000) +
                                     " s: are the unifier replicas running?)");
  }
  std::string applied;
  for (const ReplicaEntry& e : live) {
    applied += (applied.empty() ? "" : ", ") + e.replica_id + " at " + std::to_string(e.applied_position);
  }
  return base::Status::Unavailable(std::string(kMinPositionNotReached) + " " +
                                   FormatReadPosition(*route.min_position) + " not reached within " +
                                   std::to_string(options_.catch_up_wait.count()) + " ms: the live replicas of partition " +
                                   p + " have applied " + applied + " (try again, or read without min_position)");
}

bool RoutedQueryTransport::Unresponsive(const std::string& endpoint, int64_t now_us) {
  std::lock_guard lock(mu_);
  auto it = unresponsive_until_.find(endpoint);
  return it != unresponsive_until_.end() && it->second > now_us;
}

void RoutedQueryTransport::MarkUnresponsive(const std::string& endpoint, int64_t now_us) {
  std::lock_guard lock(mu_);
  unresponsive_until_[endpoint] = now_us + Us(options_.unresponsive_for);
}

void RoutedQueryTransport::MarkAnswered(const std::string& endpoint) {
  std::lock_guard lock(mu_);
  unresponsive_until_.erase(endpoint);
}

}  // namespace omnihub::bus
