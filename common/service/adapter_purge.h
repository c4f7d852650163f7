// POST /purge on an adapter's admin listener (docs/operations.md, docs/erasure.md): after an
// erasure, `omnihubctl customer erase` asks every adapter to make the customer's bytes
// physically gone from what it keeps. Body (optional): {"identities":["phone:+14155550100",...]}
// (identity arguments as omnihubctl takes them). First the adapter's pending state naming one
// of those identities is dropped (SMS multi-part parts waiting for the rest: set_state_dropper),
// then the outbox is flushed and compacted (Outbox::Compact), so acknowledged frames and the
// dropped state leave its files. Answers 200 {"purged":true,"outbox_dir":...,"dropped":N},
// 400 naming the field of a bad body, 500 with the storage error.
//
// One piece for every adapter: the webhook runner (omnihub-sms, omnihub-social) and
// omnihub-email's main register it the same way (RegisterAdapterPurge).
//
// Thread-safety: the route runs on the admin listener's thread; set_state_dropper may be
// called from another thread at start-up (guarded).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/bus/outbox.h"
#include "common/service/admin_server.h"

namespace omnihub::service {

class AdapterPurge {
 public:
  // Drops pending state naming any of `identities`; returns how many records it dropped.
  using StateDropper = std::function<base::Result<size_t>(const std::vector<std::string>& identities)>;

  // `outbox` must outlive the object.
  explicit AdapterPurge(bus::Outbox& outbox) : outbox_(outbox) {}

  void set_state_dropper(StateDropper dropper);

  // The answer to one POST /purge with `body`.
  http::HttpResponse Handle(const std::string& body);

 private:
  bus::Outbox& outbox_;
  std::mutex mu_;
  StateDropper dropper_;  // guarded by mu_
};

// Adds POST /purge, served by `purge` (which must outlive the admin server's Stop), to `admin`.
void RegisterAdapterPurge(AdminServer& admin, AdapterPurge& purge);

}  // namespace omnihub::service
