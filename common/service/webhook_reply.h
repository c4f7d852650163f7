// What a webhook handler (omnihub-sms, omnihub-social) decides about one request, and the one
// way it is answered: an answer that needs nothing stored goes out at once; an answer that
// promises events goes out only once they are synced in the outbox, and a failed append
// becomes 503 so the provider retries. The handler checks and maps the request on the HTTP
// server's event loop and hands the reply over with AnswerWhenDurable, whose append is
// group-committed with every other request arriving meanwhile; no thread waits per request.
//
// Thread-safety: plain functions; AnswerWhenDurable may be called from any thread, and the
// responder is called on the outbox's committer thread (or the caller's, with nothing to store).
#pragma once

#include <string>
#include <vector>

#include "common/bus/event_sink.h"
#include "common/bus/outbox.h"
#include "common/http/types.h"

namespace omnihub::service {

struct WebhookReply {
  WebhookReply() = default;
  // An answer that stores nothing (an error, a handshake): implicit, so that a handler's
  // early `return http::JsonError(...)` reads as it always did.
  WebhookReply(http::HttpResponse answer) : response(std::move(answer)) {}  // NOLINT: implicit by design

  // The answer: sent at once when `items` is empty, else once they are durable.
  http::HttpResponse response;
  std::vector<bus::OutboxItem> items;
  // What `items` are, for the 503 and the log line of a failed append ("the message",
  // "the delivery").
  std::string subject;
  // Who sent them, for the log line ("sms: SM123...", "social: meta delivery of 2 events").
  std::string log_name;
};

// Appends reply.items without blocking and answers through `respond` when they are synced.
void AnswerWhenDurable(bus::EventSink& sink, WebhookReply reply, http::HttpResponder respond);

// The same, blocking until the answer is known (workers, unit tests).
http::HttpResponse AnswerDurably(bus::EventSink& sink, WebhookReply reply);

}  // namespace omnihub::service
