#include "common/bus/publisher_metrics.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include "common/event/enum_names.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::bus {
namespace {

// The channel of a serialized Event without parsing the rest of it (an email event carries
// the whole raw message): fields come in number order, and channel (2) follows the event id.
v1::Channel ChannelOf(const std::string& event_bytes) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(event_bytes.data()),
                                            static_cast<int>(event_bytes.size()));
  for (int fields = 0; fields < 8; ++fields) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (WireFormatLite::GetTagFieldNumber(tag) == v1::Event::kChannelFieldNumber &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_VARINT) {
      uint32_t value = 0;
      if (!in.ReadVarint32(&value) || !v1::Channel_IsValid(static_cast<int>(value))) break;
      return static_cast<v1::Channel>(value);
    }
    if (!WireFormatLite::SkipField(&in, tag)) break;
  }
  return v1::CHANNEL_UNSPECIFIED;
}

}  // namespace

PublisherMetrics::PublisherMetrics(service::Registry& registry)
    : accepted(registry.AddCounterFamily("omnihub_events_accepted_total",
                                         "Events made durable in the outbox (and so acknowledged to the sender), "
                                         "by channel.",
                                         {"channel"})),
      rejected(registry.AddCounter("omnihub_events_rejected_total",
                                   "Inputs the adapter could not normalize, kept as dead letters.")),
      ack_latency(registry.AddHistogram("omnihub_publisher_ack_latency_seconds",
                                        "From a frame's first send to the unifier's cumulative ack covering it.",
                                        service::kLatencyBuckets)),
      acked(registry.AddCounter("omnihub_publisher_acked_total", "Outbox entries acknowledged by the unifier.")),
      resends(registry.AddCounterFamily(
          "omnihub_publisher_resends_total",
          "Times the publisher started over from the last ack with frames in flight, by reason "
          "(resend_requested, ack_timeout, reconnected).",
          {"reason"})),
      resend_requests(registry.AddCounter("omnihub_publisher_resend_requests_total",
                                          "Acks asking for a resend: the unifier saw a gap in the sequence.")),
      append_failures(registry.AddCounter("omnihub_outbox_append_failures_total",
                                          "Events that could not be made durable in the outbox (the client got "
                                          "a temporary failure).")),
      connected(registry.AddGauge("omnihub_publisher_connected",
                                  "1 while the publisher has a connection to the unifier, else 0.")) {}

service::Counter& PublisherMetrics::CounterFor(const OutboxItem& item) {
  if (item.rejected) return rejected;
  return accepted.With({event::ChannelName(ChannelOf(item.event_bytes))});
}

void AddOutboxGauges(service::Registry& registry, const Outbox& outbox) {
  registry.AddGaugeCallback("omnihub_outbox_depth", "Outbox entries not yet acknowledged by the unifier.",
                            [&outbox] { return static_cast<double>(outbox.pending()); });
  registry.AddGaugeCallback("omnihub_outbox_oldest_unacked_age_seconds",
                            "How long the oldest unacknowledged outbox entry has waited (0 when none).",
                            [&outbox] { return static_cast<double>(outbox.oldest_pending_age_us()) / 1e6; });
  registry.AddGaugeCallback("omnihub_outbox_kept_acked",
                            "Acknowledged outbox entries kept for restores (publisher.keep_acked_hours).",
                            [&outbox] { return static_cast<double>(outbox.kept_acked()); });
}

}  // namespace omnihub::bus
