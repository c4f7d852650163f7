#include "services/sms/concat_assembler.h"

#include <algorithm>

#include "common/coding.h"

namespace omnihub::sms {
namespace {

constexpr char kConcatPartVersion = 0x01;
constexpr uint8_t kFlagTimeMissing = 0x01;

}  // namespace

Status ConcatAssembler::Add(ConcatPart part) {
  if (part.part < 1 || part.part > part.total) {
    return Status::InvalidArgument("concat part " + std::to_string(part.part) + " is outside 1.." +
                                   std::to_string(part.total));
  }
  if (parts_.empty()) {
    key_ = part.key;
    total_ = part.total;
  } else if (part.key != key_) {
    return Status::InvalidArgument("concat part of '" + part.key + "' does not belong to '" + key_ + "'");
  } else if (part.total != total_) {
    return Status::InvalidArgument("concat part announces " + std::to_string(part.total) + " parts, the set " +
                                   std::to_string(total_));
  }
  auto it = parts_.find(part.part);
  if (it != parts_.end()) {
    if (it->second.message_id == part.message_id) return Status::Ok();  // a provider retry
    return Status::InvalidArgument("concat part " + std::to_string(part.part) + " of '" + key_ + "' arrived as " +
                                   part.message_id + " and as " + it->second.message_id);
  }
  const uint32_t number = part.part;
  parts_.emplace(number, std::move(part));
  return Status::Ok();
}

bool ConcatAssembler::Complete() const { return total_ > 0 && parts_.size() == total_; }

Result<v1::Event> ConcatAssembler::Assemble(const IdentityNormalizer& normalizer, UuidV7Generator& ids) const {
  if (parts_.empty()) return Status::InvalidArgument("no concat parts to assemble");
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
  std::string out(1, kConcatPartVersion);
  PutVarint64(&out, part.part);
  PutVarint64(&out, part.total);
  PutOrderedInt64(&out, part.occurred_at_us);
  PutOrderedInt64(&out, part.received_at_us);
  out.push_back(static_cast<char>(part.time_missing ? kFlagTimeMissing : 0));
  PutLengthPrefixed(&out, part.key);
  PutLengthPrefixed(&out, part.text);
  PutLengthPrefixed(&out, part.message_id);
  PutLengthPrefixed(&out, part.account_name);
  PutVarint64(&out, part.params.size());
  for (const auto& [name, value] : part.params) {
    PutLengthPrefixed(&out, name);
    PutLengthPrefixed(&out, value);
  }
  return out;
}

Result<ConcatPart> DecodeConcatPart(std::string_view in) {
  auto bad = [](std::string_view what) { return Status::Corruption("stored concat part: " + std::string(what)); };
  if (in.empty()) return bad("empty");
  if (in.front() != kConcatPartVersion) {
    return bad("unknown version " + std::to_string(static_cast<unsigned char>(in.front())));
  }
  in.remove_prefix(1);
  ConcatPart p;
  uint64_t number = 0;
  uint64_t total = 0;
  if (!GetVarint64(&in, &number) || !GetVarint64(&in, &total)) return bad("truncated part numbers");
  if (total < 2 || total > static_cast<uint64_t>(kMaxConcatParts) || number < 1 || number > total) {
    return bad("part " + std::to_string(number) + " of " + std::to_string(total) + " is out of range");
  }
  p.part = static_cast<uint32_t>(number);
  p.total = static_cast<uint32_t>(total);
  if (!GetOrderedInt64(&in, &p.occurred_at_us) || !GetOrderedInt64(&in, &p.received_at_us)) return bad("truncated times");
  if (in.empty()) return bad("truncated flags");
  const auto flags = static_cast<uint8_t>(in.front());
  in.remove_prefix(1);
  if ((flags & ~kFlagTimeMissing) != 0) return bad("unknown flags");
  p.time_missing = (flags & kFlagTimeMissing) != 0;
  std::string_view field;
  for (std::string* dst : {&p.key, &p.text, &p.message_id, &p.account_name}) {
    if (!GetLengthPrefixed(&in, &field)) return bad("truncated text fields");
    dst->assign(field);
  }
  uint64_t count = 0;
  // Each parameter takes at least two bytes, so a count beyond that is a lie, not an allocation.
  if (!GetVarint64(&in, &count) || count > in.size() / 2) return bad("bad parameter count");
  p.params.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    std::string_view value;
    if (!GetLengthPrefixed(&in, &name) || !GetLengthPrefixed(&in, &value)) return bad("truncated parameters");
    p.params.emplace_back(std::string(name), std::string(value));
  }
  if (!in.empty()) return bad("trailing bytes");
  return p;
}

}  // namespace omnihub::sms
