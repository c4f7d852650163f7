#include "services/unifier/store/watermark_statuses.h"

#include "common/base/coding.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

bool IsWatermarkStatus(const v1::Event& e) {
  return e.kind() == v1::STATUS && e.has_delivery_status() && e.delivery_status().watermark_us() != 0;
}

std::string WatermarkKeyOf(const v1::Event& status) {
  return WatermarkKey(status.channel(), status.account(), status.conversation(), status.delivery_status().state(),
                      status.delivery_status().watermark_us());
}

bool CanHaveWatermarkStatuses(const v1::Event& message) {
  return message.kind() == v1::MESSAGE && message.direction() == v1::OUTBOUND && !message.conversation().empty();
}

base::Status ReadWatermarkStatuses(rocksdb::Iterator* it, const v1::Event& message,
                                   google::protobuf::RepeatedPtrField<v1::Event>* out) {
  if (!CanHaveWatermarkStatuses(message)) return base::Status::Ok();
  const std::string prefix = WatermarkPrefix(message.channel(), message.account(), message.conversation());
  std::string position;
  base::PutOrderedInt64(&position, message.occurred_at_us());
  // Two seeks per state: to the state's first receipt, then to its first one at or after the
  // message; the receipts of a long conversation are never walked one by one.
  it->Seek(prefix);
  while (it->Valid() && it->key().starts_with(prefix)) {
    std::string_view rest = it->key().ToStringView().substr(prefix.size());
    std::string_view state;
    if (!base::GetLengthPrefixed(&rest, &state) || rest.size() != 8) {
      return base::Status::Corruption("watermark key of unexpected form (" + std::to_string(it->key().size()) +
                                      " bytes)");
    }
    const std::string state_prefix =
        WatermarkStatePrefix(message.channel(), message.account(), message.conversation(), state);
    it->Seek(state_prefix + position);
    if (it->Valid() && it->key().starts_with(state_prefix)) {
      OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), out->Add()).WithContext("watermark record"));
    }
    // Past every receipt of this state: its keys are state_prefix and 8 bytes.
    it->Seek(state_prefix + std::string(9, '\xff'));
  }
  return FromRocks(it->status(), "watermark scan");
}

}  // namespace omnihub::unifier
