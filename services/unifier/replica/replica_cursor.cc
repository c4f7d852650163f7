#include "services/unifier/replica/replica_cursor.h"

#include <memory>

#include "common/base/coding.h"

namespace omnihub::unifier::replica {
namespace {

constexpr uint8_t kCursorVersion = 1;

}  // namespace

std::string EncodeCursor(const ReplicaCursor& cursor) {
  std::string out(1, static_cast<char>(kCursorVersion));
  base::PutFixed64BE(&out, cursor.position);
  base::PutFixed64BE(&out, static_cast<uint64_t>(cursor.created_ns));
  out += cursor.message_id;
  return out;
}

base::Result<ReplicaCursor> DecodeCursor(std::string_view bytes) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kCursorVersion) {
    return base::Status::Corruption(std::string("meta ") + kMetaReplicaCursor +
                                    " has an unknown version (a newer build wrote it?)");
  }
  bytes.remove_prefix(1);
  ReplicaCursor cursor;
  uint64_t created = 0;
  if (!base::GetFixed64BE(&bytes, &cursor.position) || !base::GetFixed64BE(&bytes, &created)) {
    return base::Status::Corruption(std::string("meta ") + kMetaReplicaCursor + " is truncated");
  }
  cursor.created_ns = static_cast<int64_t>(created);
  cursor.message_id = std::string(bytes);
  return cursor;
}

base::Result<ReplicaCursor> ReadCursor(Store& store, const rocksdb::Snapshot* snapshot) {
  auto raw = store.GetRaw(store.meta(), kMetaReplicaCursor, snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return ReplicaCursor{};
  return DecodeCursor(**raw);
}

base::Result<std::map<std::string, PublisherMark>> ReadMarks(Store& store) {
  std::map<std::string, PublisherMark> marks;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.meta()));
  const std::string prefix(kMetaReplicaMarkPrefix);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string publisher = it->key().ToString().substr(prefix.size());
    auto mark = DecodeMark(it->value().ToStringView(), publisher);
    if (!mark.ok()) return mark.status();
    marks[publisher] = std::move(*mark);
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan replica marks"));
  return marks;
}

}  // namespace omnihub::unifier::replica
