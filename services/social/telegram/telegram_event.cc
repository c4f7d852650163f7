#include "services/social/telegram/telegram_event.h"

#include <limits>

#include "common/base/text.h"

namespace omnihub::social {
namespace {

constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1'000'000;

std::string JoinNames(std::string first, std::string_view last) {
  if (!first.empty() && !last.empty()) first += ' ';
  first += last;
  return first;
}

std::string Handle(const Json& obj) {
  std::string username = OptionalString(obj, "username");
  return username.empty() ? username : "@" + username;
}

base::Result<v1::Identity> GlobalIdentity(const Json& obj, std::string_view path, std::string_view display_name,
                                          const DeliveryContext& ctx) {
  auto id = RequiredId(obj, "id", path);
  if (!id.ok()) return id.status();
  auto identity = ctx.normalizer->Platform(kTelegramPlatform, "", *id, Handle(obj), display_name);
  if (!identity.ok()) return identity.status().WithContext(JoinPath(path, "id"));
  return identity;
}

}  // namespace

v1::Event NewTelegramEvent(v1::EventKind kind, const DeliveryContext& ctx) {
  v1::Event e;
  e.set_channel(v1::TELEGRAM);
  e.set_kind(kind);
  e.set_account(ctx.account_name);
  (*e.mutable_provider_fields())[kAccountNameField] = ctx.account_name;
  return e;
}

std::string TelegramConversation(const DeliveryContext& ctx, std::string_view chat_id) {
  return std::string(kTelegramPlatform) + ":" + base::EscapeColons(ctx.account_name) + ":" + std::string(chat_id);
}

std::string TelegramMessageKey(std::string_view chat_id, std::string_view message_id) {
  return std::string(chat_id) + ":" + std::string(message_id);
}

void SetOccurredFromSeconds(std::optional<int64_t> seconds, const DeliveryContext& ctx, v1::Event* e) {
  if (seconds.has_value() && *seconds > 0 && *seconds <= kMaxSeconds) {
    e->set_occurred_at_us(*seconds * 1'000'000);
    return;
  }
  e->set_occurred_at_us(ctx.received_at_us);
  e->add_flags(kTimeMissingFlag);
}

base::Result<v1::Identity> TelegramUser(const Json& user, std::string_view path, const DeliveryContext& ctx) {
  return GlobalIdentity(user, path, JoinNames(OptionalString(user, "first_name"), OptionalString(user, "last_name")),
                        ctx);
}

base::Result<v1::Identity> TelegramChat(const Json& chat, std::string_view path, const DeliveryContext& ctx) {
  std::string title = OptionalString(chat, "title");
  if (title.empty()) title = JoinNames(OptionalString(chat, "first_name"), OptionalString(chat, "last_name"));
  return GlobalIdentity(chat, path, title, ctx);
}

base::Result<v1::Identity> TelegramMessageAuthor(const Json& message, std::string_view path,
                                                 const DeliveryContext& ctx) {
  // A message sent on behalf of a chat has a placeholder `from` (GroupAnonymousBot,
  // Channel_Bot) shared by everybody who does that: the chat is the author.
  if (Find(message, "sender_chat") == nullptr && Find(message, "from") != nullptr) {
    auto from = RequiredObject(message, "from", path);
    if (!from.ok()) return from.status();
    return TelegramUser(**from, JoinPath(path, "from"), ctx);
  }
  const std::string_view chat_key = Find(message, "sender_chat") != nullptr ? "sender_chat" : "chat";
  auto chat = RequiredObject(message, chat_key, path);
  if (!chat.ok()) return chat.status();
  return TelegramChat(**chat, JoinPath(path, chat_key), ctx);
}

void SetInboundFrom(v1::Identity party, const DeliveryContext& ctx, v1::Event* e) {
  e->set_direction(v1::INBOUND);
  *e->mutable_sender() = std::move(party);
  *e->add_recipients() = BusinessParty(kTelegramPlatform, ctx.account_name);
}

}  // namespace omnihub::social
