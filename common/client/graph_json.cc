#include "common/client/graph_json.h"

#include <map>
#include <string>

#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/event/event_json.h"
#include "common/event/identity.h"

namespace omnihub::client {
namespace {

using Json = nlohmann::json;
using IdentityNames = IdentityArguments;

Json TextOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return base::IsValidUtf8(text) ? Json(text) : Json("\xEF\xBF\xBD");
}
Json UuidOrNull(const std::string& bytes) {
  return bytes.size() == base::kUuidBytes ? Json(base::UuidToString(bytes)) : Json(nullptr);
}
Json TimeOrNull(int64_t us) { return us == 0 ? Json(nullptr) : Json(base::FormatRfc3339Micros(us)); }

}  // namespace

Json LinkReasonToJson(const v1::LinkReason& reason, const IdentityNames& names) {
  Json anchor = nullptr;
  if (reason.anchor_identity_id() != 0) {
    anchor = {{"identity_id", reason.anchor_identity_id()}};
    if (auto it = names.find(reason.anchor_identity_id()); it != names.end()) anchor["argument"] = it->second;
  }
  return {{"rule", base::LowerAscii(v1::LinkReason::Rule_Name(reason.rule()))},
          {"event_id", UuidOrNull(reason.event_id())},
          {"actor", TextOrNull(reason.agent())},
          {"reason", TextOrNull(reason.detail())},
          {"at", TimeOrNull(reason.linked_at_us())},
          {"merge_id", TextOrNull(reason.merge_id())},
          {"merged_from", TextOrNull(reason.merged_from())},
          {"anchor", std::move(anchor)}};
}

namespace {

Json IdentityToJson(const v1::IdentityExplanation& e, const IdentityNames& names) {
  Json j = event::IdentityToJson(e.identity());
  j["argument"] = event::IdentityToArgument(e.identity());
  j["identity_id"] = e.identity_id();
  j["event_count"] = e.event_count();
  j["reason"] = LinkReasonToJson(e.reason(), names);
  Json history = Json::array();
  for (const auto& earlier : e.history()) history.push_back(LinkReasonToJson(earlier, names));
  j["history"] = std::move(history);
  return j;
}

IdentityNames NamesOf(const google::protobuf::RepeatedPtrField<v1::IdentityExplanation>& identities) {
  IdentityNames names;
  for (const auto& e : identities) names[e.identity_id()] = event::IdentityToArgument(e.identity());
  return names;
}

Json HistoryToJson(const v1::GraphHistoryEntry& h) {
  return {{"kind", base::LowerAscii(v1::GraphHistoryEntry::Kind_Name(h.kind()))},
          {"merge_id", TextOrNull(h.merge_id())},
          {"other_customer_id", TextOrNull(h.other_customer_id())},
          {"identity", h.has_identity() ? Json(event::IdentityToArgument(h.identity())) : Json(nullptr)},
          {"actor", TextOrNull(h.actor())},
          {"reason", TextOrNull(h.reason())},
          {"at", TimeOrNull(h.at_us())},
          {"event_id", UuidOrNull(h.event_id())}};
}

Json MergeToJson(const v1::MergeRecord& m) {
  Json split = nullptr;
  if (!m.split_command_id().empty()) {
    split = {{"actor", TextOrNull(m.split_actor())},
             {"reason", TextOrNull(m.split_reason())},
             {"at", TimeOrNull(m.split_at_us())}};
  }
  return {{"merge_id", m.merge_id()},
          {"survivor_id", m.survivor_id()},
          {"other_id", m.other_id()},
          {"moved_identity_ids", m.moved_identity_ids()},
          {"survivor_identity_ids", m.survivor_identity_ids()},
          {"actor", TextOrNull(m.actor())},
          {"reason", TextOrNull(m.reason())},
          {"merged_at", TimeOrNull(m.merged_at_us())},
          {"event_id", UuidOrNull(m.event_id())},
          {"split", std::move(split)}};
}

Json SideToJson(const v1::MergeSide& side) {
  const IdentityNames names = NamesOf(side.identities());
  Json identities = Json::array();
  for (const auto& e : side.identities()) identities.push_back(IdentityToJson(e, names));
  Json conversations = Json::array();
  for (const auto& c : side.conversations()) conversations.push_back(TextOrNull(c));
  return {{"customer_id", side.customer_id()},
          {"event_count", side.event_count()},
          {"identities", std::move(identities)},
          {"conversations", std::move(conversations)}};
}

}  // namespace

Json ExplainToJson(const v1::ExplainResponse& explain) {
  const IdentityNames names = NamesOf(explain.identities());
  Json identities = Json::array();
  for (const auto& e : explain.identities()) identities.push_back(IdentityToJson(e, names));
  Json history = Json::array();
  for (const auto& h : explain.history()) history.push_back(HistoryToJson(h));
  Json merges = Json::array();
  for (const auto& m : explain.merges()) merges.push_back(MergeToJson(m));
  const v1::Customer& c = explain.customer();
  return {{"customer",
           {{"customer_id", c.customer_id()},
            {"event_count", c.event_count()},
            {"created_at", TimeOrNull(c.created_at_us())}}},
          {"identities", std::move(identities)},
          {"history", std::move(history)},
          {"merges", std::move(merges)},
          {"merged_customer_ids", explain.merged_customer_ids()}};
}

Json MergePreviewToJson(const v1::MergePreviewResponse& preview) {
  return {{"survivor", SideToJson(preview.survivor())},
          {"other", SideToJson(preview.other())},
          {"event_count_after", preview.event_count_after()}};
}

}  // namespace omnihub::client
