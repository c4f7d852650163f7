#include "common/service/webhook_reply.h"

#include <spdlog/spdlog.h>

namespace omnihub::service {
namespace {

// What the client is told once the append has ended.
http::HttpResponse AfterAppend(const base::Status& appended, const std::string& subject, const std::string& log_name,
                               http::HttpResponse ok) {
  if (appended.ok()) return ok;
  spdlog::error("{}: cannot persist {}: {}", log_name, subject, appended.message());
  return http::JsonError(503, "unavailable", "cannot persist " + subject + "; retry");
}

}  // namespace

void AnswerWhenDurable(bus::EventSink& sink, WebhookReply reply, http::HttpResponder respond) {
  if (reply.items.empty()) return respond(std::move(reply.response));
  std::vector<bus::OutboxItem> items = std::move(reply.items);
  sink.AppendAsync(std::move(items), {}, {},
                   [reply = std::move(reply), respond = std::move(respond)](
                       base::Result<std::vector<uint64_t>> sequences) mutable {
                     respond(AfterAppend(sequences.status(), reply.subject, reply.log_name, std::move(reply.response)));
                   });
}

http::HttpResponse AnswerDurably(bus::EventSink& sink, WebhookReply reply) {
  if (reply.items.empty()) return std::move(reply.response);
  auto sequences = sink.Append(std::move(reply.items), {}, {});
  return AfterAppend(sequences.status(), reply.subject, reply.log_name, std::move(reply.response));
}

}  // namespace omnihub::service
