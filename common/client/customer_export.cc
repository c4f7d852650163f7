#include "common/client/customer_export.h"

#include "common/base/coding.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/client/customer_json.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"

namespace omnihub::client {
namespace {

constexpr uint32_t kTimelinePage = 500;

std::string IdText(const std::string& bytes) {
  return bytes.size() == base::kUuidBytes ? base::UuidToString(bytes) : base::HexEncode(bytes);
}

// A stored link reason (store.proto LinkReason, as `explain` gives it); only the fields set.
nlohmann::json ReasonToJson(const v1::LinkReason& r) {
  nlohmann::json j = {{"rule", base::LowerAscii(v1::LinkReason::Rule_Name(r.rule()))}};
  if (!r.event_id().empty()) j["event_id"] = IdText(r.event_id());
  if (!r.agent().empty()) j["agent"] = r.agent();
  if (r.linked_at_us() != 0) j["linked_at"] = base::FormatRfc3339Micros(r.linked_at_us());
  if (!r.detail().empty()) j["detail"] = r.detail();
  if (!r.merged_from().empty()) j["merged_from"] = r.merged_from();
  if (!r.merge_id().empty()) j["merge_id"] = r.merge_id();
  if (!r.command_id().empty()) j["command_id"] = IdText(r.command_id());
  return j;
}

// The reason get_customer gives (query.proto IdentityLinkReason), in the same shape.
nlohmann::json ReasonToJson(const v1::IdentityLinkReason& r) {
  nlohmann::json j = {{"rule", base::LowerAscii(v1::LinkReason::Rule_Name(r.rule()))}};
  if (!r.event_id().empty()) j["event_id"] = IdText(r.event_id());
  if (!r.agent().empty()) j["agent"] = r.agent();
  if (r.linked_at_us() != 0) j["linked_at"] = base::FormatRfc3339Micros(r.linked_at_us());
  if (!r.detail().empty()) j["detail"] = r.detail();
  if (!r.merged_from().empty()) j["merged_from"] = r.merged_from();
  return j;
}

nlohmann::json IdentityEntry(const v1::Identity& identity) {
  nlohmann::json j = event::IdentityToJson(identity);
  j["argument"] = event::IdentityToArgument(identity);
  return j;
}

// The customer's identities, each with why it belongs: from `explain` (the current reason and
// every earlier one) when the hub answers it, else from get_customer's link reasons (current
// reason only). `source` says which.
nlohmann::json IdentitiesWithReasons(bus::QueryTransport& hub, const v1::Customer& customer, std::string* source) {
  v1::QueryRequest req;
  req.mutable_explain()->mutable_customer()->set_customer_id(customer.customer_id());
  auto resp = hub.Call(req, bus::kQueryTimeout);
  nlohmann::json identities = nlohmann::json::array();
  if (resp.ok() && resp->has_explain() && resp->explain().identities_size() > 0) {
    *source = "explain";
    for (const auto& e : resp->explain().identities()) {
      nlohmann::json j = IdentityEntry(e.identity());
      j["reason"] = ReasonToJson(e.reason());
      nlohmann::json history = nlohmann::json::array();
      for (const auto& h : e.history()) history.push_back(ReasonToJson(h));
      j["history"] = std::move(history);
      j["event_count"] = e.event_count();
      identities.push_back(std::move(j));
    }
    return identities;
  }
  // A hub without the identity graph (or one that cannot explain this customer) still gives
  // the current reason of each identity with the customer.
  *source = "get_customer";
  for (int i = 0; i < customer.identities_size(); ++i) {
    nlohmann::json j = IdentityEntry(customer.identities(i));
    if (i < customer.link_reasons_size()) j["reason"] = ReasonToJson(customer.link_reasons(i));
    j["history"] = nlohmann::json::array();
    identities.push_back(std::move(j));
  }
  return identities;
}

void AddUse(std::map<std::string, BlobUses>& blobs, const std::string& sha_hex, const std::string& media_type,
            nlohmann::json use) {
  BlobUses& uses = blobs[sha_hex];
  if (uses.media_type.empty()) uses.media_type = media_type;
  uses.referenced_by.push_back(std::move(use));
}

// The blobs an event names: its attachments with bytes (a SHA-256) and its raw payload when
// stored as a blob ("blob:<64 hex>").
void CollectBlobs(const v1::Event& event, std::map<std::string, BlobUses>& blobs) {
  const std::string event_id = IdText(event.event_id());
  for (const auto& a : event.attachments()) {
    if (a.sha256().size() != 32) continue;  // the bytes never reached the hub
    AddUse(blobs, base::HexEncode(a.sha256()), a.media_type(),
           {{"event_id", event_id}, {"role", "attachment"}, {"name", a.name()}});
  }
  const std::string& key = event.raw().key();
  std::string sha;
  if (key.starts_with("blob:") && key.size() == 5 + 64 && base::HexDecode(key.substr(5), &sha)) {
    AddUse(blobs, base::LowerAscii(key.substr(5)), event.raw().media_type(),
           {{"event_id", event_id}, {"role", "raw_payload"}});
  }
}

}  // namespace

base::Result<CustomerExport> BuildCustomerExport(bus::QueryTransport& hub, const v1::CustomerSelector& selector,
                                                 int64_t exported_at_us) {
  v1::QueryRequest lookup;
  *lookup.mutable_get_customer()->mutable_customer() = selector;
  auto found = hub.Call(lookup, bus::kQueryTimeout);
  if (!found.ok()) return found.status();
  const v1::Customer customer = found->get_customer().customer();

  std::string reasons_from;
  nlohmann::json identities = IdentitiesWithReasons(hub, customer, &reasons_from);

  // Every event, newest first, exactly as `omnihubctl timeline --all` prints them.
  CustomerExport out;
  out.customer_id = customer.customer_id();
  nlohmann::json events = nlohmann::json::array();
  v1::TimelineRequest page_req;
  page_req.mutable_customer()->set_customer_id(customer.customer_id());
  page_req.set_limit(kTimelinePage);
  do {
    v1::QueryRequest query;
    *query.mutable_timeline() = page_req;
    auto resp = hub.Call(query, bus::kQueryTimeout);
    if (!resp.ok()) return resp.status();
    const v1::TimelineResponse& page = resp->timeline();
    for (nlohmann::json& j : TimelinePageToJson(page)) events.push_back(std::move(j));
    for (const auto& e : page.events()) CollectBlobs(e, out.blobs);
    for (const auto& message : page.statuses()) {
      for (const auto& status : message.statuses()) CollectBlobs(status, out.blobs);
    }
    page_req.set_cursor(page.next_cursor());
  } while (!page_req.cursor().empty());

  out.document = {{"format", "omnihub-export"},
                  {"version", kExportFormatVersion},
                  {"exported_at", base::FormatRfc3339Micros(exported_at_us)},
                  {"customer", CustomerToJson(customer)},
                  {"identities", std::move(identities)},
                  {"identity_reasons_from", reasons_from},
                  {"events", std::move(events)},
                  {"notes", nlohmann::json::array()},
                  {"manifest", "manifest.json"}};
  return out;
}

}  // namespace omnihub::client
