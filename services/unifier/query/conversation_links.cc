#include "services/unifier/query/conversation_links.h"

#include <algorithm>
#include <deque>
#include <memory>

#include <rocksdb/db.h>

#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/delivery_statuses.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

// Bounds the entries one lookup reads, whatever the size of the conversations involved.
constexpr size_t kMaxScannedEntries = 10000;

class LinkWalk {
 public:
  LinkWalk(Store& store, const rocksdb::Snapshot* snapshot) : store_(store) { options_.snapshot = snapshot; }

  base::Result<std::vector<std::string>> From(const std::string& key) {
    Add(key);
    while (!pending_.empty() && found_.size() < kMaxLinkedConversationKeys) {
      const std::string k = pending_.front();
      pending_.pop_front();
      OMNIHUB_RETURN_IF_ERROR(Up(k));
      OMNIHUB_RETURN_IF_ERROR(Down(k));
    }
    if (found_.size() > kMaxLinkedConversationKeys) found_.resize(kMaxLinkedConversationKeys);
    return found_;
  }

 private:
  void Add(const std::string& key) {
    if (key.empty() || std::find(found_.begin(), found_.end(), key) != found_.end()) return;
    found_.push_back(key);
    pending_.push_back(key);
  }

  // The key is a message's id: that message's own conversation belongs too.
  base::Status Up(const std::string& key) {
    auto message = FindMessage(store_, v1::EMAIL, key, options_.snapshot);
    if (!message.ok()) return message.status();
    if (!message->has_value()) return base::Status::Ok();
    auto rec = store_.GetTimelineRecord((*message)->timeline_key, options_.snapshot);
    if (!rec.ok()) return rec.status();
    Add(rec->event().conversation());
    return base::Status::Ok();
  }

  // A message of the conversation whose id is itself a conversation key: replies to it that
  // named only their parent.
  base::Status Down(const std::string& key) {
    const std::string prefix = ConversationPrefix(key);
    std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(options_, store_.conversations()));
    // One more iterator for the existence checks, reused for every message of the conversation.
    std::unique_ptr<rocksdb::Iterator> child(store_.db()->NewIterator(options_, store_.conversations()));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && scanned_ < kMaxScannedEntries;
         it->Next()) {
      ++scanned_;
      auto timeline_key = DecodeRawValue(it->value().ToStringView(), "conversation index value");
      if (!timeline_key.ok()) return timeline_key.status();
      auto rec = store_.GetTimelineRecord(std::string(*timeline_key), options_.snapshot);
      if (!rec.ok()) return rec.status();
      const std::string& id = rec->event().provider_message_id();
      if (id.empty() || id == key || rec->event().channel() != v1::EMAIL) continue;
      const std::string child_prefix = ConversationPrefix(id);
      child->Seek(child_prefix);
      if (child->Valid() && child->key().starts_with(child_prefix)) Add(id);
      OMNIHUB_RETURN_IF_ERROR(FromRocks(child->status(), "conversation link scan"));
    }
    return FromRocks(it->status(), "conversation link scan");
  }

  Store& store_;
  rocksdb::ReadOptions options_;
  std::vector<std::string> found_;
  std::deque<std::string> pending_;
  size_t scanned_ = 0;
};

}  // namespace

base::Result<std::vector<std::string>> LinkedConversationKeys(Store& store, const rocksdb::Snapshot* snapshot,
                                                        const std::string& key) {
  return LinkWalk(store, snapshot).From(key);
}

}  // namespace omnihub::unifier
