#include "services/unifier/store/store_layout.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "common/storage/versioned_value.h"

#include "common/base/coding.h"

namespace omnihub::unifier {

std::string TimelinePrefix(uint64_t identity_id) { return base::EncodeFixed64BE(identity_id); }

std::string TimelineKey(uint64_t identity_id, int64_t occurred_at_us, std::string_view event_id) {
  std::string key;
  key.reserve(kTimelineKeyBytes);
  base::PutFixed64BE(&key, identity_id);
  base::PutOrderedInt64(&key, occurred_at_us);
  key.append(event_id);
  return key;
}

bool DecodeTimelineKey(std::string_view key, TimelineKeyParts* out) {
  if (key.size() != kTimelineKeyBytes) return false;
  if (!base::GetFixed64BE(&key, &out->identity_id) || !base::GetOrderedInt64(&key, &out->occurred_at_us)) return false;
  out->event_id = key;
  return true;
}

std::string DedupKey(int channel, std::string_view account, std::string_view provider_message_id) {
  std::string key;
  base::PutVarint64(&key, static_cast<uint64_t>(channel));
  base::PutLengthPrefixed(&key, account);
  base::PutLengthPrefixed(&key, provider_message_id);
  return key;
}

std::string ConversationPrefix(std::string_view conversation) {
  std::string key;
  base::PutLengthPrefixed(&key, conversation);
  return key;
}

std::string ConversationKey(std::string_view conversation, int64_t occurred_at_us, std::string_view event_id) {
  std::string key = ConversationPrefix(conversation);
  base::PutOrderedInt64(&key, occurred_at_us);
  key.append(event_id);
  return key;
}

std::string MessageRefKey(int channel, std::string_view provider_message_id) {
  std::string key;
  base::PutVarint64(&key, static_cast<uint64_t>(channel));
  base::PutLengthPrefixed(&key, provider_message_id);
  return key;
}

std::string StatusKey(int channel, std::string_view refers_to, std::string_view state, std::string_view error_code) {
  std::string key = MessageRefKey(channel, refers_to);
  base::PutLengthPrefixed(&key, state);
  base::PutLengthPrefixed(&key, error_code);
  return key;
}

std::string AmendmentPrefix(int channel, std::string_view account, std::string_view message_id) {
  std::string key(1, kAmendmentOfMessage);
  base::PutVarint64(&key, static_cast<uint64_t>(channel));
  base::PutLengthPrefixed(&key, account);
  base::PutLengthPrefixed(&key, message_id);
  return key;
}

std::string AmendmentKey(int channel, std::string_view account, std::string_view refers_to, int kind,
                         std::string_view own_id) {
  std::string key = AmendmentPrefix(channel, account, refers_to);
  base::PutVarint64(&key, static_cast<uint64_t>(kind));
  base::PutLengthPrefixed(&key, own_id);
  return key;
}

std::string WatermarkPrefix(int channel, std::string_view account, std::string_view conversation) {
  std::string key(1, kWatermarkOfConversation);
  base::PutVarint64(&key, static_cast<uint64_t>(channel));
  base::PutLengthPrefixed(&key, account);
  base::PutLengthPrefixed(&key, conversation);
  return key;
}

std::string WatermarkStatePrefix(int channel, std::string_view account, std::string_view conversation,
                                 std::string_view state) {
  std::string key = WatermarkPrefix(channel, account, conversation);
  base::PutLengthPrefixed(&key, state);
  return key;
}

std::string WatermarkKey(int channel, std::string_view account, std::string_view conversation, std::string_view state,
                         int64_t watermark_us) {
  std::string key = WatermarkStatePrefix(channel, account, conversation, state);
  base::PutOrderedInt64(&key, watermark_us);
  return key;
}

std::string HighWaterKey(std::string_view publisher_id) {
  std::string key(kMetaHighWaterPrefix);
  key.append(publisher_id);
  return key;
}

std::string EncodeRawValue(std::string_view bytes) { return storage::FrameValue(kValueFormatVersion, bytes); }

base::Result<uint64_t> DecodeLayoutVersion(std::string_view value) {
  if (value.size() != 8) {
    return base::Status::Corruption("meta layout_version is " + std::to_string(value.size()) + " bytes, not 8");
  }
  return base::DecodeFixed64BE(value);
}

base::Result<std::string_view> DecodeRawValue(std::string_view value, std::string_view what) {
  return storage::UnframeValue(value, kValueFormatVersion, what);
}

base::Result<uint64_t> DecodeCounterValue(std::string_view value, std::string_view what) {
  auto raw = DecodeRawValue(value, what);
  if (!raw.ok()) return raw.status();
  if (raw->size() != 8) return base::Status::Corruption(std::string(what) + " is not an 8-byte number");
  return base::DecodeFixed64BE(*raw);
}

std::string EncodeValue(const google::protobuf::MessageLite& msg) {
  // Deterministic: map fields (Event.provider_fields, DeadLetter.context, ErasureReceipt.removed)
  // are written in key order, not in the hash order of this process's maps, so that replicas
  // store the same bytes for the same record (docs/storage-format.md, "Deterministic apply").
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    msg.SerializeToCodedStream(&coded);
  }
  return storage::FrameValue(kValueFormatVersion, bytes);
}

base::Status DecodeValue(std::string_view value, google::protobuf::MessageLite* msg) {
  base::Result<std::string_view> payload = storage::UnframeValue(value, kValueFormatVersion, msg->GetTypeName());
  if (!payload.ok()) return payload.status();
  if (!msg->ParseFromArray(payload->data(), static_cast<int>(payload->size()))) {
    return base::Status::Corruption("stored value does not parse as " + msg->GetTypeName());
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
