#include "services/sms/sms_webhooks.h"

#include <spdlog/spdlog.h>

#include "services/sms/form_params.h"
#include "services/sms/twilio_mapper.h"
#include "services/sms/twilio_signature.h"
#include "services/sms/vonage_mapper.h"
#include "services/sms/vonage_signature.h"

namespace omnihub::sms {
namespace {

HttpResponse BadRequest(const Status& s) { return JsonError(400, "invalid_parameter", s.message()); }

bool IsJson(const HttpRequest& request) {
  const auto type = request.header("Content-Type");
  return type && type->substr(0, type->find(';')).find("json") != std::string_view::npos;
}

// Vonage wants 200 or 204 and nothing else; an empty 200 reads plainly in every log.
HttpResponse EmptyOk() {
  HttpResponse r;
  r.content_type.clear();
  return r;
}

}  // namespace

HttpResponse EmptyTwiml() {
  HttpResponse r;
  r.content_type = "text/xml";
  r.body = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";
  return r;
}

SmsWebhooks::SmsWebhooks(SmsAccounts accounts, SmsWebhookOptions options, DurableAppendFn append,
                         ConcatStore& concat, const IdentityNormalizer& normalizer, UuidV7Generator& ids,
                         Clock& clock, WorkerPool& workers)
    : accounts_(std::move(accounts)),
      options_(std::move(options)),
      append_(std::move(append)),
      concat_(concat),
      normalizer_(normalizer),
      ids_(ids),
      clock_(clock),
      workers_(workers) {}

Status SmsWebhooks::AddRoutes(HttpRouter& router) {
  auto deferred = [this](SmsRoute route) {
    return [this, route](HttpRequest request, HttpResponder respond) {
      workers_.Submit([this, route, request = std::move(request), respond = std::move(respond)] {
        respond(Handle(route, request));
      });
    };
  };
  auto health = [](HttpRequest, HttpResponder respond) {
    HttpResponse r;
    r.content_type = "application/json";
    r.body = R"({"status":"ok"})";
    respond(std::move(r));
  };
  const struct {
    const char* method;
    const char* pattern;
    HttpHandler handler;
  } routes[] = {
      {"POST", "/twilio/{account}/messages", deferred(SmsRoute::kTwilioMessage)},
      {"POST", "/twilio/{account}/status", deferred(SmsRoute::kTwilioStatus)},
      {"GET", "/vonage/{account}/inbound", deferred(SmsRoute::kVonageInbound)},
      {"POST", "/vonage/{account}/inbound", deferred(SmsRoute::kVonageInbound)},
      {"GET", "/vonage/{account}/dlr", deferred(SmsRoute::kVonageReceipt)},
      {"POST", "/vonage/{account}/dlr", deferred(SmsRoute::kVonageReceipt)},
      {"GET", "/health", health},
      {"POST", "/health", health},
  };
  for (const auto& r : routes) OMNIHUB_RETURN_IF_ERROR(router.Add(r.method, r.pattern, r.handler));
  return Status::Ok();
}

HttpResponse SmsWebhooks::Handle(SmsRoute route, const HttpRequest& request) {
  if (route == SmsRoute::kTwilioMessage || route == SmsRoute::kTwilioStatus) return HandleTwilio(route, request);
  return HandleVonage(route, request);
}

HttpResponse SmsWebhooks::HandleTwilio(SmsRoute route, const HttpRequest& request) {
  const TwilioAccount* account = accounts_.FindTwilio(request.param("account"));
  if (account == nullptr) {
    return JsonError(404, "unknown_account",
                     "no Twilio account '" + std::string(request.param("account")) + "' is configured (sms.twilio.NAME)");
  }
  auto params = ParseFormParams(request.body);
  if (!params.ok()) return BadRequest(params.status());
  const auto signature = request.header("X-Twilio-Signature");
  if (!signature) return JsonError(403, "invalid_signature", "the X-Twilio-Signature header is missing");
  const std::string url = options_.public_base_url + request.target;
  if (!ValidTwilioSignature(account->auth_token, url, *params, *signature)) {
    return JsonError(403, "invalid_signature",
                     "X-Twilio-Signature does not match " + url +
                         " and the parameters (check the auth token and that sms.public_base_url is the URL "
                         "Twilio calls)");
  }
  const SmsWebhookContext context{account->name, clock_.NowMicros()};
  auto event = route == SmsRoute::kTwilioMessage ? MapTwilioMessage(*params, context, normalizer_, ids_)
                                                 : MapTwilioStatus(*params, context, normalizer_, ids_);
  if (!event.ok()) return BadRequest(event.status());
  return Persist(*event, EmptyTwiml());
}

HttpResponse SmsWebhooks::HandleVonage(SmsRoute route, const HttpRequest& request) {
  const VonageAccount* account = accounts_.FindVonage(request.param("account"));
  if (account == nullptr) {
    return JsonError(404, "unknown_account",
                     "no Vonage account '" + std::string(request.param("account")) + "' is configured (sms.vonage.NAME)");
  }
  Result<Params> params = request.method == "GET" ? ParseFormParams(request.query)
                          : IsJson(request)       ? ParseJsonObjectParams(request.body)
                                                  : ParseFormParams(request.body);
  if (!params.ok()) return BadRequest(params.status());
  if (!account->signature_secret.empty()) {
    Status verified = VerifyVonageRequest(account->method, account->signature_secret, *params, clock_.NowMicros(),
                                          options_.signature_window_s);
    if (!verified.ok()) return JsonError(403, "invalid_signature", verified.message());
  }
  const SmsWebhookContext context{account->name, clock_.NowMicros()};
  if (route == SmsRoute::kVonageReceipt) {
    auto event = MapVonageReceipt(*params, context, normalizer_, ids_);
    if (!event.ok()) return BadRequest(event.status());
    return Persist(*event, EmptyOk());
  }
  auto inbound = MapVonageInbound(*params, context, normalizer_, ids_);
  if (!inbound.ok()) return BadRequest(inbound.status());
  if (auto* event = std::get_if<v1::Event>(&*inbound)) return Persist(*event, EmptyOk());
  auto added = concat_.AddPart(std::get<ConcatPart>(std::move(*inbound)));
  if (!added.ok()) {
    spdlog::error("sms: cannot keep a message part: {}", added.status().message());
    return JsonError(503, "unavailable", "cannot persist the message part; retry");
  }
  return EmptyOk();
}

HttpResponse SmsWebhooks::Persist(const v1::Event& event, HttpResponse ok) {
  std::vector<OutboxItem> items(1);
  items[0].event_bytes = event.SerializeAsString();
  auto seqs = append_(std::move(items), {}, {});
  if (!seqs.ok()) {
    spdlog::error("sms: cannot persist {}: {}", event.provider_message_id(), seqs.status().message());
    return JsonError(503, "unavailable", "cannot persist the message; retry");
  }
  return ok;
}

}  // namespace omnihub::sms
