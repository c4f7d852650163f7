#include "services/social/social_webhooks.h"

#include "common/event/raw_payload.h"
#include "common/http/form_params.h"
#include "services/social/meta/meta_mapper.h"
#include "services/social/meta/meta_signature.h"
#include "services/social/telegram/telegram_auth.h"
#include "services/social/telegram/telegram_mapper.h"
#include "services/social/x/x_mapper.h"
#include "services/social/x/x_signature.h"

namespace omnihub::social {
namespace {

http::HttpResponse UnknownAccount(std::string_view platform, std::string_view table, std::string_view name) {
  return http::JsonError(404, "unknown_account",
                         "no " + std::string(platform) + " account '" + std::string(name) + "' is configured (social." +
                             std::string(table) + ".NAME)");
}

http::HttpResponse Forbidden(std::string message) { return http::JsonError(403, "forbidden", message); }

http::HttpResponse Json(std::string body) {
  http::HttpResponse r;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

}  // namespace

SocialWebhooks::SocialWebhooks(SocialAccounts accounts, SocialWebhookOptions options, bus::EventSink& sink,
                               const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids,
                               base::Clock& clock)
    : accounts_(std::move(accounts)),
      options_(options),
      sink_(sink),
      normalizer_(normalizer),
      ids_(ids),
      clock_(clock) {}

base::Status SocialWebhooks::AddRoutes(http::HttpRouter& router) {
  // Checked and mapped on the event loop; a delivery is answered once its append is synced.
  auto on_loop = [this](SocialRoute route) {
    return [this, route](http::HttpRequest request, http::HttpResponder respond) {
      service::AnswerWhenDurable(sink_, Reply(route, request), std::move(respond));
    };
  };
  auto health = [](http::HttpRequest, http::HttpResponder respond) { respond(Json(R"({"status":"ok"})")); };
  const struct {
    const char* method;
    const char* pattern;
    http::HttpHandler handler;
  } routes[] = {
      {"GET", "/meta/{account}", on_loop(SocialRoute::kMetaHandshake)},
      {"POST", "/meta/{account}", on_loop(SocialRoute::kMetaDelivery)},
      {"POST", "/telegram/{account}", on_loop(SocialRoute::kTelegramUpdate)},
      {"GET", "/x/{account}", on_loop(SocialRoute::kXCrc)},
      {"POST", "/x/{account}", on_loop(SocialRoute::kXDelivery)},
      {"GET", "/health", health},
      {"POST", "/health", health},
  };
  for (const auto& r : routes) OMNIHUB_RETURN_IF_ERROR(router.Add(r.method, r.pattern, r.handler));
  return base::Status::Ok();
}

http::HttpResponse SocialWebhooks::Handle(SocialRoute route, const http::HttpRequest& request) {
  return service::AnswerDurably(sink_, Reply(route, request));
}

service::WebhookReply SocialWebhooks::Reply(SocialRoute route, const http::HttpRequest& request) {
  switch (route) {
    case SocialRoute::kMetaHandshake:
      return MetaHandshake(request);
    case SocialRoute::kMetaDelivery:
      return MetaDelivery(request);
    case SocialRoute::kTelegramUpdate:
      return TelegramUpdate(request);
    case SocialRoute::kXCrc:
      return XCrc(request);
    case SocialRoute::kXDelivery:
      return XDelivery(request);
  }
  return http::JsonError(500, "internal", "unknown route");
}

service::WebhookReply SocialWebhooks::MetaHandshake(const http::HttpRequest& request) {
  const MetaAccount* account = accounts_.FindMeta(request.param("account"));
  if (account == nullptr) return UnknownAccount("Meta", "meta", request.param("account"));
  auto params = http::ParseFormParams(request.query);
  if (!params.ok()) return http::JsonError(400, "invalid_parameter", params.status().message());
  auto challenge = MetaHandshakeChallenge(http::ParamOrEmpty(*params, "hub.mode"),
                                          http::ParamOrEmpty(*params, "hub.verify_token"),
                                          http::ParamOrEmpty(*params, "hub.challenge"), account->verify_token);
  if (!challenge) {
    return Forbidden("verification refused: hub.mode must be 'subscribe', hub.verify_token the account's verify "
                     "token and hub.challenge present");
  }
  http::HttpResponse r;
  r.body = std::move(*challenge);
  return r;
}

service::WebhookReply SocialWebhooks::MetaDelivery(const http::HttpRequest& request) {
  const MetaAccount* account = accounts_.FindMeta(request.param("account"));
  if (account == nullptr) return UnknownAccount("Meta", "meta", request.param("account"));
  if (!VerifyMetaSignature(account->app_secret, request.header("X-Hub-Signature-256"), request.body)) {
    return Forbidden(request.header("X-Hub-Signature-256")
                         ? "X-Hub-Signature-256 does not match the body (check the app secret)"
                         : "the X-Hub-Signature-256 header is missing");
  }
  return AnswerOnceStored(MapMetaDelivery(request.body, Context(account->name)), "meta", accounts_.TenantOf("meta", account->name));
}

service::WebhookReply SocialWebhooks::TelegramUpdate(const http::HttpRequest& request) {
  const TelegramAccount* account = accounts_.FindTelegram(request.param("account"));
  if (account == nullptr) return UnknownAccount("Telegram", "telegram", request.param("account"));
  const auto secret = request.header("X-Telegram-Bot-Api-Secret-Token");
  if (!VerifyTelegramSecret(account->secret_token, secret)) {
    return Forbidden(secret ? "X-Telegram-Bot-Api-Secret-Token is not the bot's secret token"
                            : "the X-Telegram-Bot-Api-Secret-Token header is missing (set secret_token in setWebhook)");
  }
  return AnswerOnceStored(MapTelegramUpdate(request.body, Context(account->name)), "telegram", accounts_.TenantOf("telegram", account->name));
}

service::WebhookReply SocialWebhooks::XCrc(const http::HttpRequest& request) {
  const XAccount* account = accounts_.FindX(request.param("account"));
  if (account == nullptr) return UnknownAccount("X", "x", request.param("account"));
  auto params = http::ParseFormParams(request.query);
  if (!params.ok()) return http::JsonError(400, "invalid_parameter", params.status().message());
  const std::string_view token = http::ParamOrEmpty(*params, "crc_token");
  if (token.empty()) return http::JsonError(400, "invalid_parameter", "parameter 'crc_token' is missing");
  return Json(XCrcResponseBody(account->consumer_secret, token));
}

service::WebhookReply SocialWebhooks::XDelivery(const http::HttpRequest& request) {
  const XAccount* account = accounts_.FindX(request.param("account"));
  if (account == nullptr) return UnknownAccount("X", "x", request.param("account"));
  if (!VerifyXSignature(account->consumer_secret, request.header("x-twitter-webhooks-signature"), request.body)) {
    return Forbidden(request.header("x-twitter-webhooks-signature")
                         ? "x-twitter-webhooks-signature does not match the body (check the consumer secret)"
                         : "the x-twitter-webhooks-signature header is missing");
  }
  return AnswerOnceStored(MapXActivity(request.body, Context(account->name)), "x", accounts_.TenantOf("x", account->name));
}

DeliveryContext SocialWebhooks::Context(const std::string& account_name) const {
  DeliveryContext c;
  c.account_name = account_name;
  c.received_at_us = clock_.NowMicros();
  c.normalizer = &normalizer_;
  c.keep_deleted_text = options_.keep_deleted_text;
  return c;
}

service::WebhookReply SocialWebhooks::AnswerOnceStored(base::Result<MappedDelivery> delivery,
                                                       std::string_view platform, const std::string& tenant) {
  if (!delivery.ok()) return http::JsonError(400, "invalid_payload", delivery.status().message());
  const int64_t received_at = clock_.NowMicros();
  service::WebhookReply reply;
  reply.items.reserve(delivery->size());
  for (MappedEvent& mapped : *delivery) {
    v1::Event& e = mapped.event;
    e.set_event_id(ids_.Next());
    e.set_received_at_us(received_at);
    e.set_tenant_id(tenant);
    bus::OutboxItem& item = reply.items.emplace_back();
    if (!mapped.raw_json.empty()) {
      item.blobs.push_back(
          event::AttachRawPayload(mapped.raw_json, "application/json", event::RawCompression::kNone, &e));
    }
    e.SerializeToString(&item.event_bytes);
  }
  const size_t count = reply.items.size();
  reply.response = Json(R"({"accepted":)" + std::to_string(count) + "}");
  reply.subject = "the delivery";
  reply.log_name = "social: a " + std::string(platform) + " delivery of " + std::to_string(count) + " events";
  return reply;
}

}  // namespace omnihub::social
