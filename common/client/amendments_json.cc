#include "common/client/amendments_json.h"

#include <string>

#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/event/identity.h"

namespace omnihub::client {
namespace {

using Json = nlohmann::json;

// Validated events hold UTF-8 only; a stray byte must still not make dump() throw.
std::string Utf8(const std::string& s) { return base::IsValidUtf8(s) ? s : std::string("\xEF\xBF\xBD"); }

}  // namespace

void AddAmendmentsToJson(const v1::MessageAmendments& amendments, Json* message) {
  if (amendments.edited()) {
    (*message)["text"] = Utf8(amendments.current().text());
    (*message)["edited"] = true;
    (*message)["edited_at"] = base::FormatRfc3339Micros(amendments.current().at_us());
    Json history = Json::array();
    for (const auto& t : amendments.history()) {
      history.push_back({{"text", Utf8(t.text())}, {"at", base::FormatRfc3339Micros(t.at_us())}});
    }
    (*message)["history"] = std::move(history);
  }
  if (amendments.deleted()) {
    (*message)["deleted"] = true;
    (*message)["deleted_at"] = base::FormatRfc3339Micros(amendments.deleted_at_us());
  }
  if (amendments.reactions_size() == 0) return;
  Json reactions = Json::array();
  for (const auto& r : amendments.reactions()) {
    Json* item = nullptr;
    for (auto& existing : reactions) {
      if (existing["emoji"] == Utf8(r.emoji()) && existing.value("name", "") == Utf8(r.name())) item = &existing;
    }
    if (item == nullptr) {
      Json fresh = {{"emoji", Utf8(r.emoji())}, {"count", 0}, {"by", Json::array()}};
      if (!r.name().empty()) fresh["name"] = Utf8(r.name());
      reactions.push_back(std::move(fresh));
      item = &reactions.back();
    }
    (*item)["count"] = (*item)["count"].get<int>() + 1;
    (*item)["by"].push_back(event::IdentityToArgument(r.reactor()));
  }
  (*message)["reactions"] = std::move(reactions);
}

}  // namespace omnihub::client
