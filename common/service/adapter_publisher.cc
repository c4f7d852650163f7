#include "common/service/adapter_publisher.h"

#include <utility>

#include "common/bus/cluster_config.h"

namespace omnihub::service {

base::Result<std::unique_ptr<AdapterPublisher>> AdapterPublisher::Start(const config::Config& config,
                                                                        std::string process, zmq::context_t& zmq_ctx,
                                                                        bus::Outbox& outbox, base::Clock& clock,
                                                                        bus::PublisherOptions options,
                                                                        Registry& registry) {
  std::unique_ptr<AdapterPublisher> out(new AdapterPublisher());
  const auto& cluster = config.Get<bus::ClusterConfig>();
  if (!cluster.enabled) {
    out->zmq_ = std::make_unique<bus::ZmqPublisher>(zmq_ctx, config.bus.ingest, outbox, clock, options);
    out->publisher_ = out->zmq_.get();
    return out;
  }
  base::Result<std::unique_ptr<bus::NatsClusterPublisher>> started =
      bus::NatsClusterPublisher::Start(cluster, std::move(process), outbox, clock, options, &registry);
  if (!started.ok()) return started.status().WithContext("cluster mode");
  out->cluster_ = std::move(*started);
  out->publisher_ = &out->cluster_->publisher();
  return out;
}

}  // namespace omnihub::service
