#include "services/sms/sms_webhooks.h"

#include <spdlog/spdlog.h>

#include "services/sms/form_params.h"
#include "services/sms/twilio/twilio_mapper.h"
#include "services/sms/twilio/twilio_signature.h"
#include "services/sms/vonage/vonage_mapper.h"
#include "services/sms/vonage/vonage_signature.h"

namespace omnihub::sms {
namespace {

http::HttpResponse BadRequest(const base::Status& s) { return http::JsonError(400, "invalid_parameter", s.message()); }

bool IsJson(const http::HttpRequest& request) {
  const auto type = request.header("Content-Type");
  return type && type->substr(0, type->find(';')).find("json") != std::string_view::npos;
}

// Vonage wants 200 or 204 and nothing else; an empty 200 reads plainly in every log.
http::HttpResponse EmptyOk() {
  http::HttpResponse r;
  r.content_type.clear();
  return r;
}

}  // namespace

http::HttpResponse EmptyTwiml() {
  http::HttpResponse r;
  r.content_type = "text/xml";
  r.body = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";
  return r;
}

SmsWebhooks::SmsWebhooks(SmsAccounts accounts, SmsWebhookOptions options, bus::EventSink& sink,
                         ConcatStore& concat, const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids,
                         base::Clock& clock, base::WorkerPool& workers)
    : accounts_(std::move(accounts)),
      options_(std::move(options)),
      sink_(sink),
      concat_(concat),
      normalizer_(normalizer),
      ids_(ids),
      clock_(clock),
      workers_(workers) {}

base::Status SmsWebhooks::AddRoutes(http::HttpRouter& router) {
  // Twilio's webhooks are checked and mapped on the event loop and answered from the outbox's
  // commit (common/service/webhook_reply.h).
  auto on_loop = [this](SmsRoute route) {
    return [this, route](http::HttpRequest request, http::HttpResponder respond) {
      service::AnswerWhenDurable(sink_, Reply(route, request), std::move(respond));
    };
  };
  // Vonage's multi-part store waits for its own syncs (ConcatStore): on a worker.
  auto deferred = [this](SmsRoute route) {
    return [this, route](http::HttpRequest request, http::HttpResponder respond) {
      workers_.Submit([this, route, request = std::move(request), respond = std::move(respond)] {
        service::AnswerWhenDurable(sink_, Reply(route, request), respond);
      });
    };
  };
  auto health = [](http::HttpRequest, http::HttpResponder respond) {
    http::HttpResponse r;
    r.content_type = "application/json";
    r.body = R"({"status":"ok"})";
    respond(std::move(r));
  };
  const struct {
    const char* method;
    const char* pattern;
    http::HttpHandler handler;
  } routes[] = {
      {"POST", "/twilio/{account}/messages", on_loop(SmsRoute::kTwilioMessage)},
      {"POST", "/twilio/{account}/status", on_loop(SmsRoute::kTwilioStatus)},
      {"GET", "/vonage/{account}/inbound", deferred(SmsRoute::kVonageInbound)},
      {"POST", "/vonage/{account}/inbound", deferred(SmsRoute::kVonageInbound)},
      {"GET", "/vonage/{account}/dlr", deferred(SmsRoute::kVonageReceipt)},
      {"POST", "/vonage/{account}/dlr", deferred(SmsRoute::kVonageReceipt)},
      {"GET", "/health", health},
      {"POST", "/health", health},
  };
  for (const auto& r : routes) OMNIHUB_RETURN_IF_ERROR(router.Add(r.method, r.pattern, r.handler));
  return base::Status::Ok();
}

http::HttpResponse SmsWebhooks::Handle(SmsRoute route, const http::HttpRequest& request) {
  return service::AnswerDurably(sink_, Reply(route, request));
}

service::WebhookReply SmsWebhooks::Reply(SmsRoute route, const http::HttpRequest& request) {
  if (route == SmsRoute::kTwilioMessage || route == SmsRoute::kTwilioStatus) return HandleTwilio(route, request);
  return HandleVonage(route, request);
}

service::WebhookReply SmsWebhooks::HandleTwilio(SmsRoute route, const http::HttpRequest& request) {
  const TwilioAccount* account = accounts_.FindTwilio(request.param("account"));
  if (account == nullptr) {
    return http::JsonError(404, "unknown_account",
                     "no Twilio account '" + std::string(request.param("account")) + "' is configured (sms.twilio.NAME)");
  }
  auto params = ParseFormParams(request.body);
  if (!params.ok()) return BadRequest(params.status());
  const auto signature = request.header("X-Twilio-Signature");
  if (!signature) return http::JsonError(403, "invalid_signature", "the X-Twilio-Signature header is missing");
  const std::string url = options_.public_base_url + request.target;
  if (!ValidTwilioSignature(account->auth_token, url, *params, *signature)) {
    return http::JsonError(403, "invalid_signature",
                     "X-Twilio-Signature does not match " + url +
                         " and the parameters (check the auth token and that sms.public_base_url is the URL "
                         "Twilio calls)");
  }
  const SmsWebhookContext context{account->name, clock_.NowMicros()};
  auto event = route == SmsRoute::kTwilioMessage ? MapTwilioMessage(*params, context, normalizer_, ids_)
                                                 : MapTwilioStatus(*params, context, normalizer_, ids_);
  if (!event.ok()) return BadRequest(event.status());
  event->set_tenant_id(accounts_.TenantOf("twilio", account->name));
  return AnswerOnceStored(*event, EmptyTwiml());
}

service::WebhookReply SmsWebhooks::HandleVonage(SmsRoute route, const http::HttpRequest& request) {
  const VonageAccount* account = accounts_.FindVonage(request.param("account"));
  if (account == nullptr) {
    return http::JsonError(404, "unknown_account",
                     "no Vonage account '" + std::string(request.param("account")) + "' is configured (sms.vonage.NAME)");
  }
  base::Result<Params> params = request.method == "GET" ? ParseFormParams(request.query)
                          : IsJson(request)       ? ParseJsonObjectParams(request.body)
                                                  : ParseFormParams(request.body);
  if (!params.ok()) return BadRequest(params.status());
  if (!account->signature_secret.empty()) {
    base::Status verified = VerifyVonageRequest(account->method, account->signature_secret, *params, clock_.NowMicros(),
                                          options_.signature_window_s);
    if (!verified.ok()) return http::JsonError(403, "invalid_signature", verified.message());
  }
  const SmsWebhookContext context{account->name, clock_.NowMicros()};
  if (route == SmsRoute::kVonageReceipt) {
    auto event = MapVonageReceipt(*params, context, normalizer_, ids_);
    if (!event.ok()) return BadRequest(event.status());
    event->set_tenant_id(accounts_.TenantOf("vonage", account->name));
    return AnswerOnceStored(*event, EmptyOk());
  }
  auto inbound = MapVonageInbound(*params, context, normalizer_, ids_);
  if (!inbound.ok()) return BadRequest(inbound.status());
  if (auto* event = std::get_if<v1::Event>(&*inbound)) {
    event->set_tenant_id(accounts_.TenantOf("vonage", account->name));
    return AnswerOnceStored(*event, EmptyOk());
  }
  auto added = concat_.AddPart(std::get<ConcatPart>(std::move(*inbound)));
  if (!added.ok()) {
    spdlog::error("sms: cannot keep a message part: {}", added.status().message());
    return http::JsonError(503, "unavailable", "cannot persist the message part; retry");
  }
  return EmptyOk();
}

service::WebhookReply SmsWebhooks::AnswerOnceStored(const v1::Event& event, http::HttpResponse ok) {
  service::WebhookReply reply{std::move(ok)};
  reply.items.resize(1);
  event.SerializeToString(&reply.items[0].event_bytes);
  reply.subject = "the message";
  reply.log_name = "sms: " + event.provider_message_id();
  return reply;
}

}  // namespace omnihub::sms
