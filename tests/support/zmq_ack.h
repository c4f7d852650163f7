// What a test's stand-in for the unifier sends back on its ROUTER socket: one Ack
// (docs/bus-protocol.md) to the publisher connected as `peer`, without blocking (a peer
// that is gone simply does not get it).
//
// Thread-safety: the socket's owner thread calls it.
#pragma once

#include <cstdint>
#include <string>

#include <zmq.hpp>

#include "omnihub/v1/bus.pb.h"

namespace omnihub::testing {

inline void SendAck(zmq::socket_t& router, const std::string& peer, const std::string& publisher_id,
                    uint64_t cumulative_ack, uint32_t credit, bool resend = false) {
  v1::Ack ack;
  ack.set_protocol_version(v1::BusVersion::CURRENT);
  ack.set_publisher_id(publisher_id);
  ack.set_cumulative_ack(cumulative_ack);
  ack.set_credit(credit);
  ack.set_resend(resend);
  const std::string bytes = ack.SerializeAsString();
  (void)router.send(zmq::buffer(peer), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  (void)router.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
}

}  // namespace omnihub::testing
