// The HTTP side of omnihub-social: the webhook routes (a contract, docs/social.md)
//   GET      /meta/{account}       Meta's verification handshake (hub.challenge)
//   POST     /meta/{account}       Messenger, Instagram and WhatsApp Cloud notifications
//   POST     /telegram/{account}   one Telegram Update
//   GET      /x/{account}          X's challenge-response check (crc_token)
//   POST     /x/{account}          X Account Activity events
//   GET|POST /health               200 without touching the disk (load balancers, benchmarks)
// Each delivery is checked in this order: known account (404), authenticity over the raw body
// as received (403), the platform's payload (400, naming the JSON path); then all of its events
// are appended to the outbox in one synced write and only then answered 200. Nothing is stored
// for a request that fails a check; a failed append is 503 so the platform retries.
//
// Thread-safety: every route is checked and mapped on the server's event loop; a delivery is
// answered from the outbox's commit (common/service/webhook_reply.h), so no thread waits for a
// sync per request. Handle may be called from any thread.
#pragma once

#include <string>

#include "common/base/env.h"
#include "common/base/uuid.h"
#include "common/bus/event_sink.h"
#include "common/event/identity.h"
#include "common/http/router.h"
#include "common/http/types.h"
#include "common/service/webhook_reply.h"
#include "services/social/social_accounts.h"
#include "services/social/social_event.h"

namespace omnihub::social {

struct SocialWebhookOptions {
  bool keep_deleted_text = false;  // social.keep_deleted_text
};

enum class SocialRoute { kMetaHandshake, kMetaDelivery, kTelegramUpdate, kXCrc, kXDelivery };

class SocialWebhooks {
 public:
  // References must outlive the object; `sink` takes the events (the ZmqPublisher in
  // production). Its appends' callbacks do not use this object.
  SocialWebhooks(SocialAccounts accounts, SocialWebhookOptions options, bus::EventSink& sink,
                 const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids, base::Clock& clock);

  base::Status AddRoutes(http::HttpRouter& router);

  // Checks, maps and persists one request synchronously; returns the answer. For tests.
  http::HttpResponse Handle(SocialRoute route, const http::HttpRequest& request);

 private:
  // Checks and maps one request: the answer and the events it promises, not yet stored.
  service::WebhookReply Reply(SocialRoute route, const http::HttpRequest& request);
  service::WebhookReply MetaHandshake(const http::HttpRequest& request);
  service::WebhookReply MetaDelivery(const http::HttpRequest& request);
  service::WebhookReply TelegramUpdate(const http::HttpRequest& request);
  service::WebhookReply XCrc(const http::HttpRequest& request);
  service::WebhookReply XDelivery(const http::HttpRequest& request);
  DeliveryContext Context(const std::string& account_name) const;
  // Stamps every event (id, received time) and attaches raw payloads: 200 {"accepted": N} once
  // the whole delivery is appended in one synced write, or 400 at once.
  // `tenant`: the account's, the tenant_id of every event of the delivery ("" = default).
  service::WebhookReply AnswerOnceStored(base::Result<MappedDelivery> delivery, std::string_view platform,
                                         const std::string& tenant);

  const SocialAccounts accounts_;
  const SocialWebhookOptions options_;
  bus::EventSink& sink_;
  const event::IdentityNormalizer& normalizer_;
  base::UuidV7Generator& ids_;
  base::Clock& clock_;
};

}  // namespace omnihub::social
