#include "services/social/meta/messenger_receipts.h"

#include <vector>

#include "common/event/delivery_stage.h"

namespace omnihub::social {
namespace {

// The message ids a receipt names: `mids` (delivery) and `mid` (an Instagram read).
base::Result<std::vector<std::string>> NamedMessages(const Json& receipt, std::string_view path) {
  std::vector<std::string> mids;
  auto list = OptionalArray(receipt, "mids", path);
  if (!list.ok()) return list.status();
  if (*list != nullptr) {
    const std::string list_path = JoinPath(path, "mids");
    for (size_t i = 0; i < (*list)->size(); ++i) {
      const Json& mid = (**list)[i];
      if (!mid.is_string() || mid.get_ref<const std::string&>().empty()) {
        return FieldError(IndexPath(list_path, i), "must be a non-empty string");
      }
      mids.push_back(mid.get<std::string>());
    }
  }
  if (std::string mid = OptionalId(receipt, "mid"); !mid.empty()) mids.push_back(std::move(mid));
  return mids;
}

MappedEvent NewStatus(const MessengerElement& el, const MessengerSides& sides, const std::string& state) {
  MappedEvent m = NewElementEvent(el, sides, v1::OUTBOUND);
  m.event.set_kind(v1::STATUS);
  auto* ds = m.event.mutable_delivery_status();
  ds->set_state(state);
  ds->set_stage(event::DeliveryStage(state));
  return m;
}

}  // namespace

base::Status MapMessengerReceipt(const MessengerElement& el, std::string_view key, const Json& receipt,
                                 MappedDelivery* out) {
  const std::string path = JoinPath(el.path, key);
  const std::string state = key == "delivery" ? "delivered" : "read";
  auto mids = NamedMessages(receipt, path);
  if (!mids.ok()) return mids.status();
  std::optional<int64_t> watermark_ms;
  if (Find(receipt, "watermark") != nullptr || mids->empty()) {
    auto ms = RequiredInt(receipt, "watermark", path);
    if (!ms.ok()) return ms.status();
    if (!MillisToMicros(*ms)) return FieldError(JoinPath(path, "watermark"), "must be a positive time in milliseconds");
    watermark_ms = *ms;
  }
  // The customer's app sends the receipt: its sender is the customer, as for an inbound message.
  auto sides = ReadSides(el, /*from_business=*/false);
  if (!sides.ok()) return sides.status();

  if (watermark_ms) {
    MappedEvent m = NewStatus(el, *sides, state);
    m.event.mutable_delivery_status()->set_watermark_us(*MillisToMicros(*watermark_ms));
    m.event.set_provider_message_id(state + ":" + sides->user_id + ":" + std::to_string(*watermark_ms));
    out->push_back(std::move(m));
  }
  for (const std::string& mid : *mids) {
    MappedEvent m = NewStatus(el, *sides, state);
    m.event.set_refers_to_provider_message_id(mid);
    m.event.set_provider_message_id(mid + "/" + state);
    out->push_back(std::move(m));
  }
  return base::Status::Ok();
}

}  // namespace omnihub::social
