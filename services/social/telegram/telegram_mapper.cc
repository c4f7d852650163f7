#include "services/social/telegram/telegram_mapper.h"

#include <string>

#include "services/social/json_fields.h"
#include "services/social/telegram/telegram_activity.h"
#include "services/social/telegram/telegram_event.h"
#include "services/social/telegram/telegram_message.h"
#include "services/social/telegram/telegram_reaction.h"

namespace omnihub::social {
namespace {

// A message (`edit` false) or an edit of one, from the Message at update[key]. An edit is its
// own event, "<chat id>:<message_id>:edit:<edit_date>", so that each edit is kept once however
// often Telegram retries it; without edit_date the update id tells edits apart.
base::Result<MappedEvent> MapMessage(const Json& update, std::string_view key, bool edit, std::string_view update_id,
                                     std::string raw_json, const DeliveryContext& ctx) {
  auto message = RequiredObject(update, key, "");
  if (!message.ok()) return message.status();
  const Json& m = **message;
  auto chat = RequiredObject(m, "chat", key);
  if (!chat.ok()) return chat.status();
  auto chat_id = RequiredId(**chat, "id", JoinPath(key, "chat"));
  if (!chat_id.ok()) return chat_id.status();
  auto message_id = RequiredId(m, "message_id", key);
  if (!message_id.ok()) return message_id.status();
  auto author = TelegramMessageAuthor(m, key, ctx);
  if (!author.ok()) return author.status();

  v1::Event e = NewTelegramEvent(edit ? v1::EDIT : v1::MESSAGE, ctx);
  const std::string message_key = TelegramMessageKey(*chat_id, *message_id);
  if (edit) {
    const std::optional<int64_t> edit_date = OptionalInt(m, "edit_date");
    e.set_refers_to_provider_message_id(message_key);
    e.set_provider_message_id(message_key + ":edit:" +
                              (edit_date ? std::to_string(*edit_date) : "update:" + std::string(update_id)));
    SetOccurredFromSeconds(edit_date ? edit_date : OptionalInt(m, "date"), ctx, &e);
  } else {
    e.set_provider_message_id(message_key);
    SetOccurredFromSeconds(OptionalInt(m, "date"), ctx, &e);
  }
  e.set_conversation(TelegramConversation(ctx, *chat_id));
  SetInboundFrom(std::move(*author), ctx, &e);
  AddTelegramMessageContent(m, *chat_id, ctx, &e);
  return MappedEvent{std::move(e), std::move(raw_json)};
}

base::Result<MappedDelivery> One(base::Result<MappedEvent> event) {
  if (!event.ok()) return event.status();
  MappedDelivery out;
  out.push_back(std::move(*event));
  return out;
}

}  // namespace

base::Result<MappedDelivery> MapTelegramUpdate(std::string_view body, const DeliveryContext& ctx) {
  auto update = ParseBody(body);
  if (!update.ok()) return update.status();
  auto update_number = RequiredInt(*update, "update_id", "");
  if (!update_number.ok()) return update_number.status();
  const std::string update_id = std::to_string(*update_number);
  std::string raw_json = Dump(*update);

  for (std::string_view key : {"message", "channel_post"}) {
    if (Find(*update, key) != nullptr) return One(MapMessage(*update, key, false, update_id, std::move(raw_json), ctx));
  }
  for (std::string_view key : {"edited_message", "edited_channel_post"}) {
    if (Find(*update, key) != nullptr) return One(MapMessage(*update, key, true, update_id, std::move(raw_json), ctx));
  }
  if (Find(*update, "message_reaction") != nullptr) {
    auto reaction = RequiredObject(*update, "message_reaction", "");
    if (!reaction.ok()) return reaction.status();
    return MapTelegramReaction(**reaction, update_id, raw_json, ctx);
  }
  return One(MapTelegramActivity(*update, update_id, std::move(raw_json), ctx));
}

}  // namespace omnihub::social
