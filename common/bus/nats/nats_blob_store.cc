#include "common/bus/nats/nats_blob_store.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include "common/base/sha256.h"
#include "common/bus/nats/nats_handles.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

constexpr char kSizeHeader[] = "Omni-Blob-Size";
constexpr char kChunksHeader[] = "Omni-Blob-Chunks";
constexpr char kSubjectPrefix[] = "omni.blobs.";
// Room for the subject, the headers and the protocol line next to a chunk's bytes.
constexpr int64_t kChunkHeadroomBytes = 4096;

std::string ChunkSubject(std::string_view sha256_hex, int64_t index) {
  return kSubjectPrefix + std::string(sha256_hex) + "." + std::to_string(index);
}

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<int64_t> HeaderNumber(natsMsg* msg, const char* key) {
  const char* value = nullptr;
  if (natsMsgHeader_Get(msg, key, &value) != NATS_OK || value == nullptr) return std::nullopt;
  int64_t number = 0;
  const std::string_view text(value);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number < 0) return std::nullopt;
  return number;
}

// The stored chunk on `subject`; NotFound when there is none.
base::Result<NatsPtr<natsMsg>> ReadChunk(NatsConnection& connection, const std::string& subject) {
  natsMsg* raw = nullptr;
  jsErrCode jerr = kNoJsError;
  natsStatus s = js_GetLastMsg(&raw, connection.jetstream(), kBlobStream, subject.c_str(), nullptr, &jerr);
  if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr) {
    return base::Status::NotFound(std::string(kBlobStream) + " has no " + subject +
                                  ": the blob was never stored whole; its publisher puts it again before "
                                  "appending the frame that names it");
  }
  if (s != NATS_OK) return NatsError(s, jerr, "read " + subject + " from " + kBlobStream);
  return NatsPtr<natsMsg>(raw);
}

}  // namespace

NatsBlobStore::NatsBlobStore(NatsConnection& connection, BlobStoreOptions options)
    : connection_(connection), options_(options) {}

int64_t NatsBlobStore::chunk_bytes() const {
  return std::max<int64_t>(1, std::min(options_.chunk_bytes, connection_.max_payload() - kChunkHeadroomBytes));
}

base::Status NatsBlobStore::EnsureStream() {
  const std::string subjects_pattern = std::string(kSubjectPrefix) + ">";
  const char* subjects[] = {subjects_pattern.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = kBlobStream;
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Replicas = options_.replicas;
  // One message per subject: a chunk put again replaces its identical copy.
  config.MaxMsgsPerSubject = 1;
  jsStreamInfo* raw = nullptr;
  jsErrCode jerr = kNoJsError;
  natsStatus s = js_AddStream(&raw, connection_.jetstream(), &config, nullptr, &jerr);
  NatsPtr<jsStreamInfo> info(raw);
  if (s != NATS_OK) return NatsError(s, jerr, std::string("create stream ") + kBlobStream);
  return base::Status::Ok();
}

base::Result<std::string> NatsBlobStore::Put(std::string_view bytes) {
  if (static_cast<int64_t>(bytes.size()) > options_.max_blob_bytes) {
    return base::Status::InvalidArgument("a blob of " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                                         std::to_string(options_.max_blob_bytes) + " bytes");
  }
  const std::string hash = base::Sha256Hex(bytes);
  const int64_t chunk = chunk_bytes();
  const int64_t size = static_cast<int64_t>(bytes.size());
  const int64_t chunks = std::max<int64_t>(1, (size + chunk - 1) / chunk);
  // Chunks are put in order, each acknowledged before the next: the last one stored means
  // the blob is whole.
  auto last = ReadChunk(connection_, ChunkSubject(hash, chunks - 1));
  if (last.ok() && HeaderNumber(last->get(), kSizeHeader) == size) return hash;
  if (!last.ok() && !last.status().IsNotFound()) return last.status();

  const std::string size_text = std::to_string(size);
  const std::string chunks_text = std::to_string(chunks);
  for (int64_t index = 0; index < chunks; ++index) {
    const std::string subject = ChunkSubject(hash, index);
    const std::string id = "blob/" + hash + "/" + std::to_string(index);
    const int64_t offset = index * chunk;
    const int64_t length = std::min(chunk, size - offset);
    natsMsg* raw = nullptr;
    natsStatus s = natsMsg_Create(&raw, subject.c_str(), nullptr, bytes.data() + offset, static_cast<int>(length));
    NatsPtr<natsMsg> msg(raw);
    if (s == NATS_OK) s = natsMsgHeader_Set(msg.get(), kSizeHeader, size_text.c_str());
    if (s == NATS_OK) s = natsMsgHeader_Set(msg.get(), kChunksHeader, chunks_text.c_str());
    if (s != NATS_OK) return NatsError(s, kNoJsError, "build " + subject);
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MsgId = id.c_str();
    options.MaxWait = options_.publish_timeout_ms;
    options.ExpectStream = kBlobStream;
    jsPubAck* ack = nullptr;
    jsErrCode jerr = kNoJsError;
    s = js_PublishMsg(&ack, connection_.jetstream(), msg.get(), &options, &jerr);
    NatsPtr<jsPubAck> ack_holder(ack);
    if (s != NATS_OK) {
      return NatsError(s, jerr, "publish " + subject + " (timeout " + std::to_string(options_.publish_timeout_ms) +
                                    " ms)");
    }
  }
  return hash;
}

base::Result<std::string> NatsBlobStore::Get(std::string_view sha256_hex) {
  if (!IsSha256Hex(sha256_hex)) {
    return base::Status::InvalidArgument("blob id '" + std::string(sha256_hex) +
                                         "' is not a SHA-256 in 64 lower-case hex digits");
  }
  std::string out;
  int64_t size = -1;
  int64_t chunks = 1;
  for (int64_t index = 0; index < chunks; ++index) {
    const std::string subject = ChunkSubject(sha256_hex, index);
    auto msg = ReadChunk(connection_, subject);
    if (!msg.ok()) return msg.status();
    auto chunk_size = HeaderNumber(msg->get(), kSizeHeader);
    auto chunk_count = HeaderNumber(msg->get(), kChunksHeader);
    const bool consistent = chunk_size && chunk_count && *chunk_count >= 1 &&
                            (index == 0 || (*chunk_size == size && *chunk_count == chunks));
    if (!consistent) {
      return base::Status::Corruption(subject + " in " + kBlobStream + " has missing or inconsistent " + kSizeHeader +
                                      "/" + kChunksHeader + " headers: put the blob again");
    }
    if (index == 0) {
      size = *chunk_size;
      chunks = *chunk_count;
      out.reserve(static_cast<size_t>(size));
    }
    const char* data = natsMsg_GetData(msg->get());
    if (data != nullptr) out.append(data, static_cast<size_t>(natsMsg_GetDataLength(msg->get())));
  }
  if (static_cast<int64_t>(out.size()) != size || base::Sha256Hex(out) != sha256_hex) {
    return base::Status::Corruption("blob " + std::string(sha256_hex) + " in " + kBlobStream +
                                    " reassembles to " + std::to_string(out.size()) + " bytes with another SHA-256 (" +
                                    std::to_string(size) + " bytes claimed): put the blob again");
  }
  return out;
}

}  // namespace omnihub::bus::nats
