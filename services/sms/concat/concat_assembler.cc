#include "services/sms/concat/concat_assembler.h"

#include "common/storage/versioned_value.h"

#include <algorithm>

#include "common/base/coding.h"

namespace omnihub::sms {
namespace {

constexpr uint8_t kConcatPartVersion = 0x01;
constexpr uint8_t kFlagTimeMissing = 0x01;

}  // namespace

base::Status ConcatAssembler::Add(ConcatPart part) {
  if (part.part < 1 || part.part > part.total) {
    return base::Status::InvalidArgument("concat part " + std::to_string(part.part) + " is outside 1.." +
                                   std::to_string(part.total));
  }
  if (parts_.empty()) {
    key_ = part.key;
    total_ = part.total;
  } else if (part.key != key_) {
    return base::Status::InvalidArgument("concat part of '" + part.key + "' does not belong to '" + key_ + "'");
  } else if (part.total != total_) {
    return base::Status::InvalidArgument("concat part announces " + std::to_string(part.total) + " parts, the set " +
                                   std::to_string(total_));
  }
  auto it = parts_.find(part.part);
  if (it != parts_.end()) {
    if (it->second.message_id == part.message_id) return base::Status::Ok();  // a provider retry
    return base::Status::InvalidArgument("concat part " + std::to_string(part.part) + " of '" + key_ + "' arrived as " +
                                   part.message_id + " and as " + it->second.message_id);
  }
  const uint32_t number = part.part;
  parts_.emplace(number, std::move(part));
  return base::Status::Ok();
}

bool ConcatAssembler::Complete() const { return total_ > 0 && parts_.size() == total_; }

base::Result<v1::Event> ConcatAssembler::Assemble(const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids) const {
  if (parts_.empty()) return base::Status::InvalidArgument("no concat parts to assemble");
  const ConcatPart& first = parts_.begin()->second;
  VonageMessageParts message;
  message.params = &first.params;
  message.message_id = first.message_id;
  message.account_name = first.account_name;
  message.received_at_us = first.received_at_us;
  message.time_missing = true;
  // The earliest provider time; receive times stand in only when no part carried one.
  int64_t earliest_received = first.received_at_us;
  std::string message_ids;
  for (const auto& [number, part] : parts_) {
    message.text += part.text;
    if (!part.time_missing && (message.time_missing || part.occurred_at_us < message.occurred_at_us)) {
      message.occurred_at_us = part.occurred_at_us;
      message.time_missing = false;
    }
    earliest_received = std::min(earliest_received, part.received_at_us);
    message.received_at_us = std::max(message.received_at_us, part.received_at_us);
    if (!message_ids.empty()) message_ids += ',';
    message_ids += part.message_id;
  }
  if (message.time_missing) message.occurred_at_us = earliest_received;
  auto event = BuildVonageMessage(message, normalizer, ids);
  if (!event.ok()) return event.status();
  // The lowest part's own text would read as the whole message; the event's text is that.
  event->mutable_provider_fields()->erase("text");
  (*event->mutable_provider_fields())["messageIds"] = message_ids;
  if (!Complete()) event->add_flags(kConcatIncompleteFlag);
  return event;
}

std::string EncodeConcatPart(const ConcatPart& part) {
  std::string out = storage::FrameValue(kConcatPartVersion, {});
  base::PutVarint64(&out, part.part);
  base::PutVarint64(&out, part.total);
  base::PutOrderedInt64(&out, part.occurred_at_us);
  base::PutOrderedInt64(&out, part.received_at_us);
  out.push_back(static_cast<char>(part.time_missing ? kFlagTimeMissing : 0));
  base::PutLengthPrefixed(&out, part.key);
  base::PutLengthPrefixed(&out, part.text);
  base::PutLengthPrefixed(&out, part.message_id);
  base::PutLengthPrefixed(&out, part.account_name);
  base::PutVarint64(&out, part.params.size());
  for (const auto& [name, value] : part.params) {
    base::PutLengthPrefixed(&out, name);
    base::PutLengthPrefixed(&out, value);
  }
  return out;
}

base::Result<ConcatPart> DecodeConcatPart(std::string_view in) {
  auto bad = [](std::string_view what) { return base::Status::Corruption("stored concat part: " + std::string(what)); };
  base::Result<std::string_view> payload = storage::UnframeValue(in, kConcatPartVersion, "stored concat part");
  if (!payload.ok()) return payload.status();
  in = *payload;
  ConcatPart p;
  uint64_t number = 0;
  uint64_t total = 0;
  if (!base::GetVarint64(&in, &number) || !base::GetVarint64(&in, &total)) return bad("truncated part numbers");
  if (total < 2 || total > static_cast<uint64_t>(kMaxConcatParts) || number < 1 || number > total) {
    return bad("part " + std::to_string(number) + " of " + std::to_string(total) + " is out of range");
  }
  p.part = static_cast<uint32_t>(number);
  p.total = static_cast<uint32_t>(total);
  if (!base::GetOrderedInt64(&in, &p.occurred_at_us) || !base::GetOrderedInt64(&in, &p.received_at_us)) return bad("truncated times");
  if (in.empty()) return bad("truncated flags");
  const auto flags = static_cast<uint8_t>(in.front());
  in.remove_prefix(1);
  if ((flags & ~kFlagTimeMissing) != 0) return bad("unknown flags");
  p.time_missing = (flags & kFlagTimeMissing) != 0;
  std::string_view field;
  for (std::string* dst : {&p.key, &p.text, &p.message_id, &p.account_name}) {
    if (!base::GetLengthPrefixed(&in, &field)) return bad("truncated text fields");
    dst->assign(field);
  }
  uint64_t count = 0;
  // Each parameter takes at least two bytes, so a count beyond that is a lie, not an allocation.
  if (!base::GetVarint64(&in, &count) || count > in.size() / 2) return bad("bad parameter count");
  p.params.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    std::string_view value;
    if (!base::GetLengthPrefixed(&in, &name) || !base::GetLengthPrefixed(&in, &value)) return bad("truncated parameters");
    p.params.emplace_back(std::string(name), std::string(value));
  }
  if (!in.empty()) return bad("trailing bytes");
  return p;
}

}  // namespace omnihub::sms
