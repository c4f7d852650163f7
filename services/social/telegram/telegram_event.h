// What every Telegram event shares (docs/social.md, "Telegram"): the channel, the bot as the
// account, the conversation of a chat, message keys, the time, and users and chats as
// identities.
//
// Updates never name the bot they are for, so the account is the bot's name in the config
// (the webhook URL's {account}), and the business side is BusinessParty("telegram", that name).
// Telegram ids are global (a user has one id for every bot), so customers are
// PLATFORM{telegram, account "", id}: the same person on two bots is one identity.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"

namespace omnihub::social {

inline constexpr char kTelegramPlatform[] = "telegram";

// An event of `kind` on TELEGRAM for ctx's bot: account and provider_fields[kAccountNameField]
// are the bot's config name.
v1::Event NewTelegramEvent(v1::EventKind kind, const DeliveryContext& ctx);

// "telegram:<bot name, ':' escaped>:<chat id>". A private chat's id is its user's id.
std::string TelegramConversation(const DeliveryContext& ctx, std::string_view chat_id);

// "<chat id>:<message id>": a message_id is unique only within its chat.
std::string TelegramMessageKey(std::string_view chat_id, std::string_view message_id);

// occurred_at from Unix seconds (`date`, `edit_date`); when they are absent, not positive or
// beyond what microseconds can hold, the receive time and kTimeMissingFlag.
void SetOccurredFromSeconds(std::optional<int64_t> seconds, const DeliveryContext& ctx, v1::Event* e);

// A User object at `path` ("message.from"): handle "@username", display name "first last".
// FieldError "<path>.id is missing" (or the normalizer's complaint about the id).
base::Result<v1::Identity> TelegramUser(const Json& user, std::string_view path, const DeliveryContext& ctx);

// A Chat object at `path` that speaks as itself (a channel post, an anonymous group admin, a
// reaction by a chat): the chat id as the user id (negative for groups and channels), display
// name the title (a private chat's names when it has none), handle "@username".
base::Result<v1::Identity> TelegramChat(const Json& chat, std::string_view path, const DeliveryContext& ctx);

// The author of the Message at `path`: `sender_chat` when the message was sent on behalf of a
// chat, else `from`, else `chat` (channel posts come without `from`).
base::Result<v1::Identity> TelegramMessageAuthor(const Json& message, std::string_view path, const DeliveryContext& ctx);

// A bot receives what others write (its own messages never come back by webhook), so every
// Telegram event is INBOUND from `party` to BusinessParty("telegram", bot name).
void SetInboundFrom(v1::Identity party, const DeliveryContext& ctx, v1::Event* e);

}  // namespace omnihub::social
