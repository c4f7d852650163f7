#include "services/social/telegram/telegram_activity.h"

#include "services/social/telegram/telegram_event.h"

namespace omnihub::social {
namespace {

// The update's content: its first member besides update_id (an Update holds at most one).
std::string ContentKey(const Json& update) {
  for (const auto& [key, value] : update.items()) {
    if (key != "update_id" && !value.is_null()) return key;
  }
  return "update";
}

const Json* ChatOf(const Json& content) {
  if (const Json* chat = Find(content, "chat"); chat != nullptr) return chat;
  if (const Json* message = Find(content, "message"); message != nullptr) return Find(*message, "chat");
  return nullptr;
}

}  // namespace

MappedEvent MapTelegramActivity(const Json& update, std::string_view update_id, std::string raw_json,
                                const DeliveryContext& ctx) {
  const std::string key = ContentKey(update);
  const Json* content = Find(update, key);
  static const Json kEmpty = Json::object();
  if (content == nullptr) content = &kEmpty;

  v1::Event e = NewTelegramEvent(v1::ACTIVITY, ctx);
  e.set_activity(key);
  e.set_provider_message_id("update:" + std::string(update_id));
  SetOccurredFromSeconds(OptionalInt(*content, "date"), ctx, &e);

  v1::Identity party = BusinessParty(kTelegramPlatform, ctx.account_name);
  bool business = true;
  for (std::string_view user_key : {"from", "user"}) {
    const Json* user = Find(*content, user_key);
    if (user == nullptr) continue;
    if (auto id = TelegramUser(*user, JoinPath(key, user_key), ctx); id.ok()) {
      party = std::move(*id);
      business = false;
    }
    break;
  }
  std::string chat_id;
  if (const Json* chat = ChatOf(*content); chat != nullptr) chat_id = OptionalId(*chat, "id");
  if (chat_id.empty() && !business) chat_id = party.value();  // a private chat's id is its user's
  if (!chat_id.empty()) e.set_conversation(TelegramConversation(ctx, chat_id));
  SetInboundFrom(std::move(party), ctx, &e);
  if (business) e.add_flags(kBusinessPartyFlag);
  return {std::move(e), std::move(raw_json)};
}

}  // namespace omnihub::social
