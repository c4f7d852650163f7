#include "services/social/telegram/telegram_reaction.h"

#include <algorithm>
#include <string>
#include <vector>

#include "services/social/telegram/telegram_event.h"

namespace omnihub::social {
namespace {

constexpr std::string_view kPath = "message_reaction";

// A ReactionType as the hub's Reaction: {type:"emoji", emoji} keeps the emoji; a custom emoji
// has no text of its own, so it is named "custom:<custom_emoji_id>"; "paid" (a star reaction)
// and types Telegram may add later are named by their type.
bool ToReaction(const Json& type, v1::Reaction* out) {
  const std::string kind = OptionalString(type, "type");
  if (kind == "emoji") {
    out->set_emoji(OptionalString(type, "emoji"));
    return !out->emoji().empty();
  }
  if (kind == "custom_emoji") {
    const std::string id = OptionalString(type, "custom_emoji_id");
    out->set_name("custom:" + id);
    return !id.empty();
  }
  out->set_name(kind);
  return !kind.empty();
}

bool SameReaction(const v1::Reaction& a, const v1::Reaction& b) { return a.emoji() == b.emoji() && a.name() == b.name(); }

// The reactions of `key` (an array of ReactionType), each once; unreadable entries are skipped.
std::vector<v1::Reaction> ReactionSet(const Json& reaction, std::string_view key) {
  std::vector<v1::Reaction> out;
  const Json* list = Find(reaction, key);
  if (list == nullptr || !list->is_array()) return out;
  for (const Json& type : *list) {
    v1::Reaction r;
    if (!ToReaction(type, &r)) continue;
    if (std::none_of(out.begin(), out.end(), [&](const v1::Reaction& seen) { return SameReaction(seen, r); })) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

// The members of `from` that are not in `other`.
std::vector<v1::Reaction> Missing(const std::vector<v1::Reaction>& from, const std::vector<v1::Reaction>& other) {
  std::vector<v1::Reaction> out;
  for (const auto& r : from) {
    if (std::none_of(other.begin(), other.end(), [&](const v1::Reaction& o) { return SameReaction(o, r); })) {
      out.push_back(r);
    }
  }
  return out;
}

base::Result<v1::Identity> Reactor(const Json& reaction, const DeliveryContext& ctx, bool* business) {
  *business = false;
  for (std::string_view key : {"user", "actor_chat"}) {
    if (Find(reaction, key) == nullptr) continue;
    auto obj = RequiredObject(reaction, key, kPath);
    if (!obj.ok()) return obj.status();
    const std::string path = JoinPath(kPath, key);
    return key == "user" ? TelegramUser(**obj, path, ctx) : TelegramChat(**obj, path, ctx);
  }
  *business = true;
  return BusinessParty(kTelegramPlatform, ctx.account_name);
}

}  // namespace

base::Result<MappedDelivery> MapTelegramReaction(const Json& reaction, std::string_view update_id,
                                                 const std::string& raw_json, const DeliveryContext& ctx) {
  auto chat = RequiredObject(reaction, "chat", kPath);
  if (!chat.ok()) return chat.status();
  auto chat_id = RequiredId(**chat, "id", JoinPath(kPath, "chat"));
  if (!chat_id.ok()) return chat_id.status();
  auto message_id = RequiredId(reaction, "message_id", kPath);
  if (!message_id.ok()) return message_id.status();
  bool business = false;
  auto reactor = Reactor(reaction, ctx, &business);
  if (!reactor.ok()) return reactor.status();

  const std::vector<v1::Reaction> before = ReactionSet(reaction, "old_reaction");
  const std::vector<v1::Reaction> after = ReactionSet(reaction, "new_reaction");
  std::vector<v1::Reaction> changes = Missing(before, after);
  for (auto& r : changes) r.set_removed(true);
  for (auto& r : Missing(after, before)) changes.push_back(std::move(r));

  MappedDelivery out;
  for (size_t i = 0; i < changes.size(); ++i) {
    v1::Event e = NewTelegramEvent(v1::REACTION, ctx);
    e.set_provider_message_id("update:" + std::string(update_id) + ":" + std::to_string(i));
    e.set_refers_to_provider_message_id(TelegramMessageKey(*chat_id, *message_id));
    e.set_conversation(TelegramConversation(ctx, *chat_id));
    SetOccurredFromSeconds(OptionalInt(reaction, "date"), ctx, &e);
    SetInboundFrom(*reactor, ctx, &e);
    if (business) e.add_flags(kBusinessPartyFlag);
    *e.mutable_reaction() = std::move(changes[i]);
    out.push_back({std::move(e), raw_json});
  }
  return out;
}

}  // namespace omnihub::social
