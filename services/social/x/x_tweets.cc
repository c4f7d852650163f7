#include "services/social/x/x_tweets.h"

#include <string>

namespace omnihub::social {
namespace {

constexpr std::string_view kTweets = "tweet_create_events";
constexpr std::string_view kFavorites = "favorite_events";
constexpr std::string_view kDeletes = "tweet_delete_events";
constexpr std::string_view kTweetSpace = "tweets";

// A tweet's full text: extended_tweet.full_text (tweets over 140 characters), else full_text, else text.
std::string TweetText(const Json& tweet) {
  if (const Json* extended = Find(tweet, "extended_tweet"); extended != nullptr) {
    if (std::string text = OptionalString(*extended, "full_text"); !text.empty()) return text;
  }
  if (std::string text = OptionalString(tweet, "full_text"); !text.empty()) return text;
  return OptionalString(tweet, "text");
}

// Whom the subscribed account's tweet is for: the author of the tweet it answers, else the first
// user it mentions who is not the account itself. False when there is nobody.
bool OwnTweetAudience(const XDelivery& d, const Json& tweet, const std::string& path, XSide* out) {
  const std::string replied = OptionalId(tweet, "in_reply_to_user_id_str");
  if (!replied.empty() && replied != d.for_user_id) {
    *out = {replied, JoinPath(path, "in_reply_to_user_id_str")};
    return true;
  }
  const Json* entities = Find(tweet, "entities");
  const Json* mentions = entities != nullptr ? Find(*entities, "user_mentions") : nullptr;
  if (mentions == nullptr || !mentions->is_array()) return false;
  for (size_t i = 0; i < mentions->size(); ++i) {
    const Json& mention = (*mentions)[i];
    const std::string id = OptionalId(mention, "id_str");
    if (id.empty() || id == d.for_user_id) continue;
    *out = {id, JoinPath(IndexPath(JoinPath(JoinPath(path, "entities"), "user_mentions"), i), "id_str"), &mention};
    return true;
  }
  return false;
}

base::Result<MappedEvent> MapTweet(const XDelivery& d, const Json& tweet, const std::string& path) {
  auto id = RequiredId(tweet, "id_str", path);
  if (!id.ok()) return id.status();
  auto user = RequiredObject(tweet, "user", path);
  if (!user.ok()) return user.status();
  const std::string user_path = JoinPath(path, "user");
  auto author_id = RequiredId(**user, "id_str", user_path);
  if (!author_id.ok()) return author_id.status();

  const XSide author{*author_id, JoinPath(user_path, "id_str"), *user};
  XSide audience{d.for_user_id, "for_user_id"};
  const bool own = *author_id == d.for_user_id;
  const bool answers_somebody = !own || OwnTweetAudience(d, tweet, path, &audience);

  v1::Event e = NewXEvent(d, answers_somebody ? v1::MESSAGE : v1::ACTIVITY);
  e.set_provider_message_id(*id);
  SetOccurredFromMillis(OptionalInt(tweet, "timestamp_ms"), *d.ctx, &e);
  e.add_flags(kXMentionFlag);
  std::string customer_id = d.for_user_id;
  if (answers_somebody) {
    auto customer = SetXParties(d, author, audience, &e);
    if (!customer.ok()) return customer.status();
    customer_id = std::move(*customer);
    if (own) e.add_flags(kEchoFlag);
  } else {
    e.set_activity("own_tweet");
    OMNIHUB_RETURN_IF_ERROR(SetOwnAccountParty(d, *user, &e));
  }
  e.set_conversation(XConversation(d, kTweetSpace, customer_id));
  e.set_text(TweetText(tweet));
  if (std::string reply_to = OptionalId(tweet, "in_reply_to_status_id_str"); !reply_to.empty()) {
    (*e.mutable_provider_fields())[kReplyToField] = std::move(reply_to);
  }
  return MappedEvent{std::move(e), Dump(tweet)};
}

// The liker is `user`; the other side is the liked tweet's author (the subscribed account when
// a customer likes its tweet, the customer when the account likes theirs).
base::Result<MappedEvent> MapFavorite(const XDelivery& d, const Json& favorite, const std::string& path) {
  auto id = RequiredId(favorite, "id", path);
  if (!id.ok()) return id.status();
  const std::string status_path = JoinPath(path, "favorited_status");
  auto status = RequiredObject(favorite, "favorited_status", path);
  if (!status.ok()) return status.status();
  auto status_id = RequiredId(**status, "id_str", status_path);
  if (!status_id.ok()) return status_id.status();
  const std::string user_path = JoinPath(path, "user");
  auto user = RequiredObject(favorite, "user", path);
  if (!user.ok()) return user.status();
  auto liker_id = RequiredId(**user, "id_str", user_path);
  if (!liker_id.ok()) return liker_id.status();

  XSide author{d.for_user_id, "for_user_id"};
  if (const Json* status_user = Find(**status, "user"); status_user != nullptr) {
    const std::string author_path = JoinPath(status_path, "user");
    auto author_id = RequiredId(*status_user, "id_str", author_path);
    if (!author_id.ok()) return author_id.status();
    author = {*author_id, JoinPath(author_path, "id_str"), status_user};
  }

  v1::Event e = NewXEvent(d, v1::REACTION);
  e.set_provider_message_id(*id);
  e.set_refers_to_provider_message_id(*status_id);
  SetOccurredFromMillis(OptionalInt(favorite, "timestamp_ms"), *d.ctx, &e);
  auto customer = SetXParties(d, {*liker_id, JoinPath(user_path, "id_str"), *user}, author, &e);
  if (!customer.ok()) return customer.status();
  e.set_conversation(XConversation(d, kTweetSpace, *customer));
  e.mutable_reaction()->set_emoji(kXLikeEmoji);
  e.mutable_reaction()->set_name("like");
  return MappedEvent{std::move(e), Dump(favorite)};
}

// Deletion notices name only the tweet and its author. The subscribed account deleting its
// own tweet concerns no customer the payload names.
base::Result<MappedEvent> MapDelete(const XDelivery& d, const Json& deletion, const std::string& path) {
  const std::string status_path = JoinPath(path, "status");
  auto status = RequiredObject(deletion, "status", path);
  if (!status.ok()) return status.status();
  auto status_id = RequiredId(**status, "id", status_path);
  if (!status_id.ok()) return status_id.status();
  auto author_id = RequiredId(**status, "user_id", status_path);
  if (!author_id.ok()) return author_id.status();

  v1::Event e = NewXEvent(d, v1::DELETE);
  e.set_provider_message_id("delete:" + *status_id);
  e.set_refers_to_provider_message_id(*status_id);
  SetOccurredFromMillis(OptionalInt(deletion, "timestamp_ms"), *d.ctx, &e);
  if (*author_id == d.for_user_id) {
    OMNIHUB_RETURN_IF_ERROR(SetOwnAccountParty(d, nullptr, &e));
  } else {
    auto customer = SetXParties(d, {*author_id, JoinPath(status_path, "user_id")}, {d.for_user_id, "for_user_id"}, &e);
    if (!customer.ok()) return customer.status();
    e.set_conversation(XConversation(d, kTweetSpace, *customer));
  }
  if (d.ctx->keep_deleted_text) e.add_flags(kKeepDeletedTextFlag);
  return MappedEvent{std::move(e), Dump(deletion)};
}

}  // namespace

base::Status MapXTweets(const XDelivery& d, const Json& tweets, MappedDelivery* out) {
  return MapXElements(d, kTweets, tweets, MapTweet, out);
}

base::Status MapXFavorites(const XDelivery& d, const Json& favorites, MappedDelivery* out) {
  return MapXElements(d, kFavorites, favorites, MapFavorite, out);
}

base::Status MapXTweetDeletes(const XDelivery& d, const Json& deletes, MappedDelivery* out) {
  return MapXElements(d, kDeletes, deletes, MapDelete, out);
}

}  // namespace omnihub::social
