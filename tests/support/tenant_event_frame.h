// A bus frame of an adapter for tests that route by tenant: an event of `tenant` ("" for the
// default tenant) whose text is `text`, from publisher "email-1" under `sequence`.
#pragma once

#include <cstdint>
#include <string>

#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::testing {

inline std::string TenantEventFrame(const std::string& tenant, const std::string& text, uint64_t sequence) {
  v1::Event event;
  event.set_tenant_id(tenant);
  event.set_text(text);
  v1::BusFrame frame;
  frame.set_protocol_version(v1::BusVersion::CURRENT);
  frame.set_publisher_id("email-1");
  frame.set_sequence(sequence);
  frame.set_event(event.SerializeAsString());
  return frame.SerializeAsString();
}

}  // namespace omnihub::testing
