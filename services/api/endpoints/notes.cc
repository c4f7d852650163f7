// Agents' notes (docs/api.md "Notes"): POST /customers/{id}/notes and
// POST /conversations/{id}/notes add a note event (channel note, kind note, direction
// outbound, account "agents") to the customer's timeline. The customer is the note's first
// recipient, one of its own identities, so the unifier files the note with it like any
// outbound message; the note has no sender, so no customer is ever made for its author, whose
// name (the token's) is in provider_fields.author. A conversation's note carries the
// conversation's key and goes to the customer of its first entry. 201 once the note is durable
// in the API's outbox (in cluster mode with its log position: core/write_position.h).
#include <string>

#include "common/base/uuid.h"
#include "common/bus/query_transport.h"
#include "common/event/event_validation.h"
#include "common/event/tenant_id.h"
#include "services/api/core/api_response.h"
#include "services/api/core/request_params.h"
#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {
namespace {

constexpr char kNoteAccount[] = "agents";
constexpr char kAuthorField[] = "author";

// The customer a note goes to: its id and the identity that files the note with it.
struct NoteTarget {
  std::string customer_id;
  v1::Identity identity;
};

Parsed<NoteTarget> TargetOf(ApiServices& services, v1::CustomerSelector selector, std::string_view field) {
  v1::QueryRequest request;
  *request.mutable_get_customer()->mutable_customer() = std::move(selector);
  auto response = services.hub.Call(request, bus::kQueryTimeout);
  if (!response.ok()) return StatusResponse(response.status(), field);
  const v1::Customer& customer = response->get_customer().customer();
  if (customer.identities().empty()) {
    return ApiError(409, "conflict", "customer " + customer.customer_id() + " has no identity a note could be filed by",
                    field);
  }
  return NoteTarget{customer.customer_id(), customer.identities(0)};
}

// The customer of a conversation: the one whose timeline holds its first entry.
Parsed<NoteTarget> ConversationTarget(ApiServices& services, const std::string& conversation) {
  v1::QueryRequest request;
  request.mutable_conversation()->set_conversation(conversation);
  request.mutable_conversation()->set_limit(1);
  auto response = services.hub.Call(request, bus::kQueryTimeout);
  if (!response.ok()) return StatusResponse(response.status(), "id");
  if (response->conversation().entries().empty()) {
    return ApiError(404, "not_found", "no conversation has the key '" + conversation + "'", "id");
  }
  v1::CustomerSelector selector;
  selector.set_customer_id(response->conversation().entries(0).customer_id());
  return TargetOf(services, std::move(selector), "id");
}

// The body's "text".
Parsed<std::string> NoteText(const http::HttpRequest& request) {
  auto body = JsonBody(request);
  if (auto* error = std::get_if<http::HttpResponse>(&body)) return std::move(*error);
  return RequiredString(std::get<nlohmann::json>(body), "text");
}

// Builds the note, appends it durably and answers 201 {event_id, customer_id}.
http::HttpResponse AddNote(ApiServices& services, const ApiCall& call, const NoteTarget& target,
                           const std::string& conversation, std::string text) {
  // The request's tenant (?tenant= or the body's "tenant"), so that in cluster mode the note
  // goes to that tenant's partition, where its customer is.
  auto tenant = TenantParam(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&tenant)) return std::move(*error);
  v1::Event note;
  note.set_tenant_id(event::WireTenant(std::get<std::string>(tenant)));
  note.set_event_id(services.ids.Next());
  note.set_channel(v1::NOTE);
  note.set_account(kNoteAccount);
  note.set_kind(v1::NOTE_ADDED);
  note.set_direction(v1::OUTBOUND);
  // Its own id: two notes of the same text are two notes, never a provider retry.
  note.set_provider_message_id("note:" + base::UuidToString(note.event_id()));
  note.set_occurred_at_us(services.clock.NowMicros());
  note.set_received_at_us(note.occurred_at_us());
  *note.add_recipients() = target.identity;
  note.set_conversation(conversation);
  note.set_text(std::move(text));
  (*note.mutable_provider_fields())[kAuthorField] = call.who.name;
  if (auto s = event::ValidateAndNormalizeEvent(&note, services.normalizer); !s.ok()) {
    return ApiError(400, "bad_request", s.message(), "text");
  }

  bus::OutboxItem item;
  item.event_bytes = note.SerializeAsString();
  auto appended = services.sink.Append({std::move(item)}, {}, {});
  if (!appended.ok()) return StatusResponse(appended.status().WithContext("the note was not stored"));
  return WriteResponse(201, {{"event_id", base::UuidToString(note.event_id())}, {"customer_id", target.customer_id}},
                       services.writes.Await(*appended));
}

http::HttpResponse CustomerNote(ApiServices& services, const ApiCall& call) {
  auto customer = CustomerArgument(call.request.param("id"), "id", services.config.identity.default_region);
  if (auto* error = std::get_if<http::HttpResponse>(&customer)) return std::move(*error);
  auto text = NoteText(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&text)) return std::move(*error);
  auto target = TargetOf(services, std::move(std::get<v1::CustomerSelector>(customer)), "id");
  if (auto* error = std::get_if<http::HttpResponse>(&target)) return std::move(*error);
  return AddNote(services, call, std::get<NoteTarget>(target), "", std::move(std::get<std::string>(text)));
}

http::HttpResponse ConversationNote(ApiServices& services, const ApiCall& call) {
  const std::string conversation(call.request.param("id"));
  auto text = NoteText(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&text)) return std::move(*error);
  auto target = ConversationTarget(services, conversation);
  if (auto* error = std::get_if<http::HttpResponse>(&target)) return std::move(*error);
  return AddNote(services, call, std::get<NoteTarget>(target), conversation, std::move(std::get<std::string>(text)));
}

}  // namespace

base::Status AddNoteRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.Add("POST", "/api/v1/customers/{id}/notes", auth::Scope::kWrite,
                                     [&services](const ApiCall& call) { return CustomerNote(services, call); }));
  return routes.Add("POST", "/api/v1/conversations/{id}/notes", auth::Scope::kWrite,
                    [&services](const ApiCall& call) { return ConversationNote(services, call); });
}

}  // namespace omnihub::api
