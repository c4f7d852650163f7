// Reassembly of multi-part (concatenated) inbound Vonage SMS: each part arrives as its own
// webhook with its own messageId, in any order, possibly more than once. The service keeps
// the parts of one key (msisdn, to, concat-ref) durably, feeds them to a ConcatAssembler and,
// once Complete(), publishes Assemble()'s one event (docs/sms.md, "Multi-part messages").
//
// The assembled event's provider_message_id is the messageId of part 1 (of the lowest part
// present when assembling an incomplete set): unique per message, unlike concat-ref (one byte
// or two on the air, so it repeats), and the same every time the same parts are assembled,
// so a provider retry after assembly is a duplicate of the published event.
//
// Also here: the serialization that keeps a ConcatPart in the service's outbox.
//
// Thread-safety: a ConcatAssembler is a plain value; use one from one thread at a time.
// The free functions are pure.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/event.pb.h"
#include "services/sms/vonage/vonage_mapper.h"

namespace omnihub::sms {

// Flag of an event assembled from fewer parts than concat-total (the service gave up waiting).
inline constexpr char kConcatIncompleteFlag[] = "concat-incomplete";

class ConcatAssembler {
 public:
  ConcatAssembler() = default;

  // Adds a part. OK when it was added or is a repeat of a part already held (same part
  // number and messageId: ignored). InvalidArgument when it does not belong here: another
  // key or concat-total than the first part's, or a part number already held with another
  // messageId (concat-ref reused by a later message; the caller decides what to do).
  base::Status Add(ConcatPart part);

  // True when every part 1..total is held.
  bool Complete() const;
  // Parts held, and the total they announce (0 before the first Add).
  size_t size() const { return parts_.size(); }
  uint32_t total() const { return total_; }
  const std::string& key() const { return key_; }
  // The parts held, by part number.
  const std::map<uint32_t, ConcatPart>& parts() const { return parts_; }

  // The joined message: texts in part order; occurred_at = the earliest part's time;
  // received_at = the latest part's receive time; provider_fields = the lowest part's
  // parameters without its "text", plus "messageIds" (every part's messageId in part order,
  // comma-separated). An incomplete set is joined from the parts held and flagged
  // kConcatIncompleteFlag. InvalidArgument when no part is held or the addresses no longer
  // normalize.
  base::Result<v1::Event> Assemble(const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids) const;

 private:
  std::string key_;
  uint32_t total_ = 0;
  std::map<uint32_t, ConcatPart> parts_;
};

// Compact binary form of a part, for durable storage: version byte 0x01, then (coding.h)
// varint part, varint total, ordered int64 occurred_at, ordered int64 received_at, one byte
// flags (bit 0: time_missing), length-prefixed key, text, message_id, account_name, varint
// parameter count, and each parameter as length-prefixed name and value.
std::string EncodeConcatPart(const ConcatPart& part);

// Inverse of EncodeConcatPart. Corruption naming the defect for an unknown version, short or
// malformed input, trailing bytes, or part numbers outside 1..total / 2..255.
base::Result<ConcatPart> DecodeConcatPart(std::string_view bytes);

}  // namespace omnihub::sms
