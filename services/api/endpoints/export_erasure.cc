// A customer's export and erasure (admin scope; docs/api.md "Export and erasure").
// GET /customers/{id}/export answers the export format's customer.json document
// (common/client/customer_export.h, as omnihubctl customer export writes it); the bytes of its
// attachments come from GET /attachments/{sha256}. POST /customers/{id}/erase runs the erasure
// procedure omnihubctl runs (common/client/erasure_procedure.h) with the token's name as the
// actor: the adapters are asked to purge, the API's own outbox is compacted, every data
// directory is scanned, and the answer is the kept receipt with its verification.
#include <chrono>

#include <spdlog/spdlog.h>

#include "common/client/customer_export.h"
#include "common/client/erasure_json.h"
#include "common/client/erasure_procedure.h"
#include "services/api/core/api_response.h"
#include "services/api/core/command_client.h"
#include "services/api/core/request_params.h"
#include "services/api/core/write_position.h"
#include "services/api/endpoints/endpoints.h"
#include "services/api/purge/purge_targets.h"

namespace omnihub::api {
namespace {

// An erasure command waits for the unifier to remove every event of the customer.
constexpr std::chrono::milliseconds kErasureCommandTimeout{120'000};

class ApiErasureHost final : public client::ErasureHost {
 public:
  // `tenant`: the wire form of the tenant every command acts on ("" = default).
  ApiErasureHost(ApiServices& services, std::string actor, std::string tenant)
      : services_(services), actor_(std::move(actor)), tenant_(std::move(tenant)) {}

  base::Result<v1::CommandResult> SendCommand(v1::Command command) override {
    command.set_tenant_id(tenant_);
    WrittenPosition written;
    auto result = services_.commands.Send(std::move(command), actor_, kErasureCommandTimeout, &written);
    // The erasure's commands all go to the tenant's partition, in order: the last one's
    // position covers them all.
    if (result.ok()) written_ = written;
    return result;
  }
  // Where the last command applied went in the log (core/write_position.h).
  const WrittenPosition& written() const { return written_; }
  bus::QueryTransport& Hub() override { return services_.hub; }

  // Every service but this one, whose outbox is compacted directly (CompactOwnOutboxes).
  std::vector<client::PurgeTarget> PurgeTargets() override {
    std::vector<client::PurgeTarget> targets = ServicePurgeTargets(services_.config);
    std::erase_if(targets, [](const client::PurgeTarget& t) { return t.name == kApiPurgeTarget; });
    return targets;
  }

  std::vector<std::string> CompactOwnOutboxes() override {
    if (auto s = services_.outbox.Compact(); !s.ok()) Note("the API's outbox was not compacted: " + s.ToString());
    return {services_.outbox.directory()};
  }

  void Note(const std::string& message) override { spdlog::warn("erasure: {}", message); }
  int64_t NowMicros() override { return services_.clock.NowMicros(); }

 private:
  ApiServices& services_;
  const std::string actor_;
  const std::string tenant_;
  WrittenPosition written_;
};

http::HttpResponse Export(ApiServices& services, const ApiCall& call) {
  auto customer = CustomerArgument(call.request.param("id"), "id", services.config.identity.default_region);
  if (auto* error = std::get_if<http::HttpResponse>(&customer)) return std::move(*error);
  auto exported =
      client::BuildCustomerExport(services.hub, std::get<v1::CustomerSelector>(customer), services.clock.NowMicros());
  if (!exported.ok()) return StatusResponse(exported.status(), "id");
  return JsonResponse(200, exported->document);
}

http::HttpResponse Erase(ApiServices& services, const ApiCall& call) {
  const std::string argument(call.request.param("id"));
  auto customer = CustomerArgument(argument, "id", services.config.identity.default_region);
  if (auto* error = std::get_if<http::HttpResponse>(&customer)) return std::move(*error);
  auto body = JsonBody(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&body)) return std::move(*error);
  auto reason = RequiredString(std::get<nlohmann::json>(body), "reason");
  if (auto* error = std::get_if<http::HttpResponse>(&reason)) return std::move(*error);

  auto tenant = TenantParam(call.request);
  if (auto* error = std::get_if<http::HttpResponse>(&tenant)) return std::move(*error);
  ApiErasureHost host(services, call.who.name, std::move(std::get<std::string>(tenant)));
  auto outcome = client::EraseCustomer(host, {argument, std::move(std::get<v1::CustomerSelector>(customer)),
                                              std::move(std::get<std::string>(reason))});
  if (!outcome.ok()) return StatusResponse(outcome.status(), "id");
  return WriteResponse(200, client::ReceiptJson(outcome->receipt), host.written());
}

}  // namespace

base::Status AddExportErasureRoutes(ApiRoutes& routes, ApiServices& services) {
  OMNIHUB_RETURN_IF_ERROR(routes.Add("GET", "/api/v1/customers/{id}/export", auth::Scope::kAdmin,
                                     [&services](const ApiCall& call) { return Export(services, call); }));
  return routes.Add("POST", "/api/v1/customers/{id}/erase", auth::Scope::kAdmin,
                    [&services](const ApiCall& call) { return Erase(services, call); });
}

}  // namespace omnihub::api
