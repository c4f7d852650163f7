// Key layouts and value framing of the unifier's RocksDB (docs/storage-format.md).
//
// Keys are big-endian so that byte order is numeric and time order. Every value is
// one format-version byte followed by a protobuf message from store.proto or by raw
// bytes (an event id, a key, a counter); a reader refuses versions it does not know
// instead of misreading them. The one exception is meta's layout_version, a bare
// 8-byte number, because it is what tells a reader which layout it is looking at.
// Column family names and the version byte reach disk: never rename or renumber.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/message_lite.h>

#include "common/base/status.h"

namespace omnihub::unifier {

// Column families (see docs/storage-format.md for each key/value grammar).
inline constexpr char kCfTimeline[] = "timeline";          // identity_id|occurred_at|event_id -> TimelineRecord
inline constexpr char kCfEvents[] = "events";              // event_id -> timeline key
inline constexpr char kCfDedup[] = "dedup";                // channel|account|provider_id -> event_id
inline constexpr char kCfIdentities[] = "identities";      // IdentityKey -> IdentityRecord
inline constexpr char kCfIdentityIds[] = "identity_ids";   // identity_id -> IdentityKey
inline constexpr char kCfCustomers[] = "customers";        // customer id text -> CustomerRecord
inline constexpr char kCfChangeLog[] = "change_log";       // change_seq -> ChangeLogRecord
inline constexpr char kCfDeadLetters[] = "dead_letters";   // dead_letter_id -> DeadLetter
inline constexpr char kCfMeta[] = "meta";                  // named counters and high-water marks
inline constexpr char kCfBlobs[] = "blobs";                // sha256 -> BlobRecord
inline constexpr char kCfConversations[] = "conversations";  // conversation|occurred_at|event_id -> timeline key
inline constexpr char kCfStatuses[] = "statuses";          // channel|refers_to|state|error_code -> Event (STATUS)
inline constexpr char kCfMessageRefs[] = "message_refs";   // channel|provider_id -> timeline key (MESSAGE events)
inline constexpr char kCfAmendments[] = "amendments";      // 01|message|kind|own id, 02|conversation|state|watermark -> Event
inline constexpr char kCfMerges[] = "merges";              // merge id text -> MergeRecord
inline constexpr char kCfSuggestions[] = "suggestions";    // suggestion id text -> SuggestionRecord
inline constexpr char kCfCommandResults[] = "command_results";  // command id (16) -> CommandResult
inline constexpr char kCfErasures[] = "erasures";          // erasure id text -> ErasureReceipt
inline constexpr char kCfErasedKeys[] = "erased_keys";     // 01|HMAC(dedup key), 02|HMAC(identity key), 03|HMAC(message ref key), 04|HMAC(amendment prefix) -> erasure id
inline constexpr char kCfBlobRefs[] = "blob_refs";         // sha256 (32)|event_id (16) -> empty

// The value format version written by this code.
inline constexpr uint8_t kValueFormatVersion = 1;
// Storage layout version, kept in meta under kMetaLayoutVersion.
// 1: one tenant. 2: tenants (docs/storage-format.md, "Tenants"): identities and handle index
// entries of tenants other than "default" under their tenant's key prefix, customers naming
// their tenant; a layout-1 store is the default tenant's and keeps its keys.
inline constexpr uint64_t kLayoutVersion = 2;
// The version of the apply logic (how a frame becomes writes), kept in meta under
// kMetaApplyVersion: replicas agree only when they apply the same log with the same logic, so
// a change of what apply writes is a new version (docs/storage-format.md, "Deterministic apply").
// 1 (never written): customer ids were UUIDv7 and records carried the unifier's wall clock.
// 2: customer ids derived (identity/customer_ids.h), times from the log (ingest/apply_time.h).
// 3: every change names its frame's tenant (ChangeNotification.tenant_id; default: empty).
// 4: a dismissal of another tenant's suggestion is refused (not_found) instead of applied.
inline constexpr uint64_t kApplyVersion = 4;

inline constexpr size_t kIdentityIdBytes = 8;
inline constexpr size_t kTimelineKeyBytes = 8 + 8 + 16;

// meta keys (values are 8-byte big-endian unless noted).
inline constexpr char kMetaLayoutVersion[] = "layout_version";
inline constexpr char kMetaApplyVersion[] = "apply_version";  // raw value: fixed64 BE
inline constexpr char kMetaEvents[] = "count/events";
inline constexpr char kMetaCustomers[] = "count/customers";
inline constexpr char kMetaIdentities[] = "count/identities";
inline constexpr char kMetaDeadLetters[] = "count/dead_letters";
inline constexpr char kMetaDuplicates[] = "count/duplicates";
inline constexpr char kMetaStatuses[] = "count/statuses";
inline constexpr char kMetaAmendments[] = "count/amendments";
inline constexpr char kMetaLastChangeSeq[] = "last/change_seq";
inline constexpr char kMetaLastIdentityId[] = "last/identity_id";
inline constexpr char kMetaLastDeadLetterId[] = "last/dead_letter_id";
inline constexpr char kMetaLastApplyTime[] = "last/apply_time_us";  // ingest/apply_time.h
inline constexpr char kMetaHighWaterPrefix[] = "hwm/";     // + publisher id
// The per-installation secret (32 random bytes, made when the store is created) that keys
// the hashes an erasure leaves behind (erased_keys), so they cannot be reversed by guessing.
inline constexpr char kMetaErasureSecret[] = "secret/erasure";
inline constexpr size_t kErasureSecretBytes = 32;
// The build that last opened the store (base::BuildVersion(), a raw value: version byte, then
// the text), written at open when it changed, so that an older build's refusal can name it.
inline constexpr char kMetaWrittenBy[] = "written_by";

// timeline key: identity_id (8, BE) | occurred_at_us (8, sign-flipped BE) | event_id (16).
std::string TimelineKey(uint64_t identity_id, int64_t occurred_at_us, std::string_view event_id);
std::string TimelinePrefix(uint64_t identity_id);
struct TimelineKeyParts {
  uint64_t identity_id = 0;
  int64_t occurred_at_us = 0;
  std::string_view event_id;  // points into the decoded key
};
bool DecodeTimelineKey(std::string_view key, TimelineKeyParts* out);

// dedup key: varint channel number | varint-length-prefixed account | varint-length-prefixed provider message id.
std::string DedupKey(int channel, std::string_view account, std::string_view provider_message_id);

std::string HighWaterKey(std::string_view publisher_id);

// message_refs key, and the prefix of all statuses keys of one message (docs/formats/statuses.md):
// varint channel number | varint-length-prefixed provider message id. No account: the provider
// ids that receive statuses (MessageSid, wamid) are unique across accounts.
std::string MessageRefKey(int channel, std::string_view provider_message_id);
// statuses key: MessageRefKey(channel, refers_to) | varint-length-prefixed state |
// varint-length-prefixed error code. One record per (message, state, error code): provider
// retries of a callback overwrite nothing and are counted as duplicates.
std::string StatusKey(int channel, std::string_view refers_to, std::string_view state, std::string_view error_code);

// amendments keys (docs/formats/amendments.md). The first byte says which of two kinds of
// record follows, so that neither kind's prefix scan can return the other's.
inline constexpr char kAmendmentOfMessage = '\x01';
inline constexpr char kWatermarkOfConversation = '\x02';
// The prefix of every amendment of one message: 0x01 | varint channel | varint-length-prefixed
// account | varint-length-prefixed provider message id. Unlike MessageRefKey it holds the
// account: the ids that are edited and reacted to (Telegram "<chat>:<message>") repeat across bots.
std::string AmendmentPrefix(int channel, std::string_view account, std::string_view message_id);
// An amendment: AmendmentPrefix(channel, account, refers_to) | varint kind (EventKind) |
// varint-length-prefixed own id (the amendment's provider_message_id, or its event id when it
// has none). One record per own id and kind: a provider's retry of it writes nothing.
std::string AmendmentKey(int channel, std::string_view account, std::string_view refers_to, int kind,
                         std::string_view own_id);
// The prefix of every watermark receipt of one conversation: 0x02 | varint channel |
// varint-length-prefixed account | varint-length-prefixed conversation.
std::string WatermarkPrefix(int channel, std::string_view account, std::string_view conversation);
// The prefix of one state's receipts in it: WatermarkPrefix | varint-length-prefixed state.
std::string WatermarkStatePrefix(int channel, std::string_view account, std::string_view conversation,
                                 std::string_view state);
// A watermark receipt: WatermarkStatePrefix | watermark_us (8, ordered BE), so that a Seek to
// a message's occurred_at finds the first receipt that covers it. One record per (state, watermark).
std::string WatermarkKey(int channel, std::string_view account, std::string_view conversation, std::string_view state,
                         int64_t watermark_us);

// conversations key: varint-length-prefixed conversation | occurred_at (8, ordered BE) | event_id (16).
std::string ConversationPrefix(std::string_view conversation);
std::string ConversationKey(std::string_view conversation, int64_t occurred_at_us, std::string_view event_id);

// Frames raw bytes (an event id, a key, a big-endian counter) as a stored value: version byte + bytes.
std::string EncodeRawValue(std::string_view bytes);
// meta layout_version's bare fixed64 BE; Corruption when it is not 8 bytes.
base::Result<uint64_t> DecodeLayoutVersion(std::string_view value);
// Reverse of EncodeRawValue; Corruption naming `what` on an unknown version.
base::Result<std::string_view> DecodeRawValue(std::string_view value, std::string_view what);
// A stored 8-byte big-endian counter or mark.
base::Result<uint64_t> DecodeCounterValue(std::string_view value, std::string_view what);

// Frames a message as a stored value: version byte + the message serialized deterministically
// (map entries in key order).
std::string EncodeValue(const google::protobuf::MessageLite& msg);
// Reverse of EncodeValue; Corruption on an unknown version or unparsable bytes.
base::Status DecodeValue(std::string_view value, google::protobuf::MessageLite* msg);

}  // namespace omnihub::unifier
