#include "common/service/adapter_purge.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace omnihub::service {

void AdapterPurge::set_state_dropper(StateDropper dropper) {
  std::lock_guard lock(mu_);
  dropper_ = std::move(dropper);
}

http::HttpResponse AdapterPurge::Handle(const std::string& body) {
  std::vector<std::string> identities;
  if (!body.empty()) {
    const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return http::JsonError(400, "bad_request", "the body must be a JSON object");
    if (doc.contains("identities")) {
      const auto& list = doc["identities"];
      if (!list.is_array()) return http::JsonError(400, "bad_request", "identities must be an array of strings");
      for (const auto& item : list) {
        if (!item.is_string()) return http::JsonError(400, "bad_request", "identities must be an array of strings");
        identities.push_back(item.get<std::string>());
      }
    }
  }
  size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    if (dropper_ && !identities.empty()) {
      auto n = dropper_(identities);
      if (!n.ok()) return http::JsonError(500, "internal", n.status().ToString());
      dropped = *n;
    }
  }
  if (base::Status s = outbox_.Compact(); !s.ok()) return http::JsonError(500, "internal", s.ToString());
  spdlog::info("purge: dropped {} pending records, compacted the outbox {}", dropped, outbox_.directory());
  const nlohmann::json answer = {{"purged", true}, {"outbox_dir", outbox_.directory()}, {"dropped", dropped}};
  return http::HttpResponse{.status = 200, .content_type = "application/json", .body = answer.dump(), .headers = {}};
}

void RegisterAdapterPurge(AdminServer& admin, AdapterPurge& purge) {
  admin.AddRoute("POST", "/purge", [&purge](http::HttpRequest request, http::HttpResponder respond) {
    respond(purge.Handle(request.body));
  });
}

}  // namespace omnihub::service
