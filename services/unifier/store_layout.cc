#include "services/unifier/store_layout.h"

#include "common/coding.h"

namespace omnihub::unifier {

std::string TimelinePrefix(uint64_t identity_id) { return EncodeFixed64BE(identity_id); }

std::string TimelineKey(uint64_t identity_id, int64_t occurred_at_us, std::string_view event_id) {
  std::string key;
  key.reserve(kTimelineKeyBytes);
  PutFixed64BE(&key, identity_id);
  PutOrderedInt64(&key, occurred_at_us);
  key.append(event_id);
  return key;
}

bool DecodeTimelineKey(std::string_view key, TimelineKeyParts* out) {
  if (key.size() != kTimelineKeyBytes) return false;
  if (!GetFixed64BE(&key, &out->identity_id) || !GetOrderedInt64(&key, &out->occurred_at_us)) return false;
  out->event_id = key;
  return true;
}

std::string DedupKey(int channel, std::string_view account, std::string_view provider_message_id) {
  std::string key;
  PutVarint64(&key, static_cast<uint64_t>(channel));
  PutLengthPrefixed(&key, account);
  PutLengthPrefixed(&key, provider_message_id);
  return key;
}

std::string ConversationPrefix(std::string_view conversation) {
  std::string key;
  PutLengthPrefixed(&key, conversation);
  return key;
}

std::string ConversationKey(std::string_view conversation, int64_t occurred_at_us, std::string_view event_id) {
  std::string key = ConversationPrefix(conversation);
  PutOrderedInt64(&key, occurred_at_us);
  key.append(event_id);
  return key;
}

std::string MessageRefKey(int channel, std::string_view provider_message_id) {
  std::string key;
  PutVarint64(&key, static_cast<uint64_t>(channel));
  PutLengthPrefixed(&key, provider_message_id);
  return key;
}

std::string StatusKey(int channel, std::string_view refers_to, std::string_view state, std::string_view error_code) {
  std::string key = MessageRefKey(channel, refers_to);
  PutLengthPrefixed(&key, state);
  PutLengthPrefixed(&key, error_code);
  return key;
}

std::string HighWaterKey(std::string_view publisher_id) {
  std::string key(kMetaHighWaterPrefix);
  key.append(publisher_id);
  return key;
}

std::string EncodeRawValue(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 1);
  out.push_back(static_cast<char>(kValueFormatVersion));
  out.append(bytes);
  return out;
}

Result<std::string_view> DecodeRawValue(std::string_view value, std::string_view what) {
  if (value.empty() || static_cast<uint8_t>(value.front()) != kValueFormatVersion) {
    return Status::Corruption(std::string(what) + ": empty value or unknown format version");
  }
  value.remove_prefix(1);
  return value;
}

Result<uint64_t> DecodeCounterValue(std::string_view value, std::string_view what) {
  auto raw = DecodeRawValue(value, what);
  if (!raw.ok()) return raw.status();
  if (raw->size() != 8) return Status::Corruption(std::string(what) + " is not an 8-byte number");
  return DecodeFixed64BE(*raw);
}

std::string EncodeValue(const google::protobuf::MessageLite& msg) {
  std::string out;
  out.push_back(static_cast<char>(kValueFormatVersion));
  msg.AppendToString(&out);
  return out;
}

Status DecodeValue(std::string_view value, google::protobuf::MessageLite* msg) {
  if (value.empty()) return Status::Corruption("empty stored value");
  const auto version = static_cast<uint8_t>(value.front());
  if (version != kValueFormatVersion) {
    return Status::Corruption("stored value has format version " + std::to_string(version) + ", this build reads " +
                              std::to_string(kValueFormatVersion));
  }
  value.remove_prefix(1);
  if (!msg->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return Status::Corruption("stored value does not parse as " + msg->GetTypeName());
  }
  return Status::Ok();
}

}  // namespace omnihub::unifier
