// omnihub-test-nats-log: the test side of cluster mode's partition log, for end-to-end
// tests of the adapters (tests/e2e/test_cluster_adapters.py), on the real NATS client:
//
//   messages URL PARTITION         one JSON line per frame of OMNI_Pnn: position, msg_id and
//                                  the BusFrame's publisher_id, sequence, blobs, acked_floor
//                                  and (when set) partition_prev
//   ack URL PARTITION PUBLISHER    what a unifier replica does after applying the stream
//                                  (docs/cluster.md, the replica-ack contract) of a publisher
//                                  whose entries all go to this partition: publishes on
//                                  omni.acks.PUBLISHER an omnihub.v1.Ack with protocol_version 1,
//                                  cumulative_ack = the highest S such that every sequence
//                                  <= S of PUBLISHER is in the stream, partition, replica_id
//                                  "test-acker" and applied_position = the last position read;
//                                  prints {"cumulative_ack":S,"applied_position":P}
//   blob URL SHA256_HEX            reads the blob from OMNI_BLOBS (size and hash checked):
//                                  {"size":N}
//
// Exit status 1 with the error on stderr when something fails.
#include <cstdio>
#include <iostream>
#include <set>
#include <string>

#include "common/base/coding.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_partition_log.h"
#include "omnihub/v1/bus.pb.h"

namespace {

namespace nats = omnihub::bus::nats;
namespace bus = omnihub::bus;

int Fail(const std::string& message) {
  std::cerr << message << "\n";
  return 1;
}

// Every frame of the partition, in order.
omnihub::base::Result<std::vector<bus::LogRecord>> ReadAll(nats::NatsConnection& conn, uint32_t partition) {
  nats::NatsPartitionLog log(conn, {.partitions = partition + 1, .replicas = 1});
  auto reader = log.OpenReader(partition, {});
  if (!reader.ok()) return reader.status();
  std::vector<bus::LogRecord> out;
  while (true) {
    auto records = (*reader)->Read(4096, std::chrono::milliseconds(300));
    if (!records.ok()) return records.status();
    if (records->empty()) return out;
    out.insert(out.end(), records->begin(), records->end());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Fail("usage: omnihub-test-nats-log messages|ack|blob URL ARG [PUBLISHER]");
  const std::string command = argv[1];
  auto conn = nats::NatsConnection::Connect({.servers = {argv[2]}, .name = "omnihub-test-nats-log"});
  if (!conn.ok()) return Fail(conn.status().ToString());
  if (command == "blob") {
    nats::NatsBlobStore store(**conn, {.replicas = 1});
    auto blob = store.Get(argv[3]);
    if (!blob.ok()) return Fail(blob.status().ToString());
    std::printf("{\"size\":%zu}\n", blob->size());
    return 0;
  }
  const auto partition = static_cast<uint32_t>(std::stoul(argv[3]));
  auto records = ReadAll(**conn, partition);
  if (!records.ok()) return Fail(records.status().ToString());
  if (command == "messages") {
    for (const bus::LogRecord& record : *records) {
      omnihub::v1::BusFrame frame;
      if (!frame.ParseFromString(record.frame)) return Fail("not a BusFrame at position " + std::to_string(record.position));
      std::string blobs;
      for (const auto& blob : frame.blobs()) {
        blobs += std::string(blobs.empty() ? "" : ",") + "{\"sha256\":\"" + omnihub::base::HexEncode(blob.sha256()) +
                 "\",\"in_blob_store\":" + (blob.in_blob_store() ? "true" : "false") +
                 ",\"data_bytes\":" + std::to_string(blob.data().size()) +
                 ",\"size_bytes\":" + std::to_string(blob.size_bytes()) + "}";
      }
      // partition_prev only when the frame has it (a sender of cluster mode sets it).
      const std::string prev =
          frame.has_partition_prev() ? ",\"partition_prev\":" + std::to_string(frame.partition_prev()) : "";
      std::printf("{\"position\":%llu,\"msg_id\":\"%s\",\"publisher_id\":\"%s\",\"sequence\":%llu,\"frame_bytes\":%zu,"
                  "\"blobs\":[%s]%s,\"acked_floor\":%llu}\n",
                  static_cast<unsigned long long>(record.position), record.message_id.c_str(),
                  frame.publisher_id().c_str(), static_cast<unsigned long long>(frame.sequence()), record.frame.size(),
                  blobs.c_str(), prev.c_str(), static_cast<unsigned long long>(frame.acked_floor()));
    }
    return 0;
  }
  if (command == "ack" && argc >= 5) {
    const std::string publisher = argv[4];
    std::set<uint64_t> sequences;
    uint64_t applied_position = 0;
    for (const bus::LogRecord& record : *records) {
      omnihub::v1::BusFrame frame;
      if (frame.ParseFromString(record.frame) && frame.publisher_id() == publisher) sequences.insert(frame.sequence());
      applied_position = record.position;
    }
    uint64_t cumulative = 0;
    while (sequences.count(cumulative + 1) != 0) ++cumulative;
    omnihub::v1::Ack ack;
    ack.set_protocol_version(1);
    ack.set_publisher_id(publisher);
    ack.set_cumulative_ack(cumulative);
    ack.set_partition(partition);
    ack.set_replica_id("test-acker");
    ack.set_applied_position(applied_position);
    const std::string bytes = ack.SerializeAsString();
    const std::string subject = "omni.acks." + publisher;
    natsStatus s = natsConnection_Publish((*conn)->connection(), subject.c_str(), bytes.data(),
                                          static_cast<int>(bytes.size()));
    if (s == NATS_OK) s = natsConnection_FlushTimeout((*conn)->connection(), 2000);
    if (s != NATS_OK) return Fail(std::string("publish the ack: ") + natsStatus_GetText(s));
    std::printf("{\"cumulative_ack\":%llu,\"applied_position\":%llu}\n", static_cast<unsigned long long>(cumulative),
                static_cast<unsigned long long>(applied_position));
    return 0;
  }
  return Fail("unknown command " + command);
}
