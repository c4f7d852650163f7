// Owning pointers for the objects the NATS C client hands out, so that every path out of
// a function frees them (each type has its own destroy function).
//
// Thread-safety: as std::unique_ptr.
#pragma once

#include <memory>

#include <nats/nats.h>

namespace omnihub::bus::nats {

struct NatsDeleter {
  void operator()(natsMsg* msg) const { natsMsg_Destroy(msg); }
  void operator()(jsPubAck* ack) const { jsPubAck_Destroy(ack); }
  void operator()(jsStreamInfo* info) const { jsStreamInfo_Destroy(info); }
  void operator()(jsMsgMetaData* meta) const { jsMsgMetaData_Destroy(meta); }
  void operator()(natsSubscription* sub) const {
    natsSubscription_Unsubscribe(sub);  // deletes the ephemeral consumer on the server
    natsSubscription_Destroy(sub);
  }
  void operator()(kvStore* kv) const { kvStore_Destroy(kv); }
  void operator()(kvEntry* entry) const { kvEntry_Destroy(entry); }
};

template <typename T>
using NatsPtr = std::unique_ptr<T, NatsDeleter>;

// Frees the messages a fetch returned (the list object itself lives on the stack).
struct NatsMsgListHolder {
  natsMsgList list{nullptr, 0};
  ~NatsMsgListHolder() { natsMsgList_Destroy(&list); }
};

}  // namespace omnihub::bus::nats
