// Durable reassembly of multi-part Vonage SMS. Each part is stored in the service's outbox
// (as caller meta, synced) before its webhook is acknowledged, so parts survive a restart
// of omnihub-sms; the part that completes a message swaps the stored parts for the joined
// event in one synced batch, so the message is never both lost and acknowledged, nor
// published twice from the same parts.
//
// Meta keys (docs/sms.md): "concat/<key>/<part, 3 digits>" -> EncodeConcatPart, and
// "concat-done/<messageId>" for every part of a joined message, so a provider's late retry
// of a part is recognized and not kept as the start of a new message. Vonage retries for 24
// hours, so markers are kept for kKeepDoneMarkersUs after the join and then deleted (AddPart
// looks for expired ones at most once an hour).
//
// Thread-safety: AddPart may be called from any thread; calls are serialized (the parts of
// one message arriving at once must see each other).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/event/identity.h"
#include "common/bus/event_sink.h"
#include "common/bus/outbox.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "services/sms/concat/concat_assembler.h"

namespace omnihub::sms {

// Two days: Vonage's 24 h of retries, with room for a clock that is off.
inline constexpr int64_t kKeepDoneMarkersUs = int64_t{48} * 3600 * 1000000;

class ConcatStore {
 public:
  // Parts and markers are written through `sink` (the ZmqPublisher in production) and read
  // from `outbox`, which must be the outbox the sink appends to. References must outlive
  // the store.
  ConcatStore(bus::EventSink& sink, const bus::Outbox& outbox, const event::IdentityNormalizer& normalizer,
              base::UuidV7Generator& ids);

  enum class Outcome {
    kStored,     // kept; the message is not complete yet
    kPublished,  // this part completed the message: the joined event is durable
    kRepeat,     // a part already held or already joined: nothing changed
  };
  // Durable when it returns OK (any outcome). A part whose number is already held with
  // another messageId means the concat-ref was reused by a new message: the old parts are
  // published as they are, flagged incomplete, and the new message starts with this part.
  base::Result<Outcome> AddPart(ConcatPart part);

  // Deletes the markers of messages joined more than the keep time before `now_us`.
  base::Status PurgeDoneMarkers(int64_t now_us);
  // For tests: how long markers are kept.
  void set_keep_done_markers_us(int64_t us) { keep_done_markers_us_ = us; }

  // Drops the waiting parts sent by any of `identities` (identity arguments, "phone:+1..."),
  // in one synced outbox batch; returns how many parts it dropped. After an erasure
  // (POST /purge, common/service/adapter_purge.h) no part of the erased customer's unfinished
  // messages stays behind to be published later. The sender is read as the mapper reads it
  // (IdentityNormalizer::SmsAddress of the part's msisdn), so every spelling matches.
  base::Result<size_t> DropPartsOf(const std::vector<std::string>& identities);

  // The tenant of a joined message's events, from its Vonage account's name ("" = the default
  // tenant). Unset: every joined message belongs to the default tenant. Call before AddPart.
  using TenantOfAccount = std::function<std::string(std::string_view account_name)>;
  void set_tenant_of(TenantOfAccount tenant_of) { tenant_of_ = std::move(tenant_of); }

  // Keys of the messages with parts waiting (for tests and the log).
  base::Result<std::vector<std::string>> PendingKeys() const;

 private:
  base::Status PurgeLocked(int64_t now_us);  // REQUIRES: mu_ held
  base::Result<ConcatAssembler> LoadParts(const std::string& key, std::vector<std::string>* meta_keys) const;
  base::Result<std::vector<bus::OutboxItem>> Joined(const ConcatAssembler& parts, bus::MetaPuts* done_markers) const;

  bus::EventSink& sink_;
  const bus::Outbox& outbox_;
  const event::IdentityNormalizer& normalizer_;
  base::UuidV7Generator& ids_;
  std::mutex mu_;  // serializes AddPart
  int64_t keep_done_markers_us_ = kKeepDoneMarkersUs;
  int64_t last_purge_us_ = 0;  // guarded by mu_
  TenantOfAccount tenant_of_;
};

}  // namespace omnihub::sms
