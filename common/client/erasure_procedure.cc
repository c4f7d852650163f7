#include "common/client/erasure_procedure.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "common/client/byte_scan.h"
#include "common/client/command_rejection.h"
#include "common/event/identity.h"
#include "common/http/admin_post.h"

namespace omnihub::client {
namespace {

constexpr size_t kMinNeedleBytes = 5;  // shorter strings match by chance in binary files
constexpr std::chrono::seconds kAdminPurgeTimeout{300};
constexpr std::chrono::milliseconds kPurgeTimeout{600'000};

base::Status ErrorOf(const v1::QueryResponse& response) {
  return base::Status(base::StatusCodeFromName(response.error().code()), response.error().message());
}

void AddNeedle(std::vector<Needle>& needles, const std::string& bytes, const std::string& label) {
  if (bytes.size() < kMinNeedleBytes) return;
  for (const auto& n : needles) {
    if (n.bytes == bytes) return;
  }
  needles.push_back({bytes, label});
}

void AddIdentityNeedles(std::vector<Needle>& needles, const v1::Identity& id, size_t n) {
  const std::string label = "identity " + std::to_string(n);
  AddNeedle(needles, id.value(), label);
  AddNeedle(needles, id.handle(), label + " handle");
}

// Everything of the customer's to look for afterwards: identities, texts, attachment bytes.
base::Status GatherNeedles(bus::QueryTransport& hub, const v1::Customer& customer, std::vector<Needle>& needles,
                           std::vector<std::string>& attachment_shas) {
  for (int i = 0; i < customer.identities_size(); ++i) AddIdentityNeedles(needles, customer.identities(i), i + 1);
  v1::QueryRequest req;
  req.mutable_timeline()->mutable_customer()->set_customer_id(customer.customer_id());
  req.mutable_timeline()->set_limit(1000);
  size_t event_no = 0;
  while (true) {
    auto resp = hub.Call(req, bus::kBulkQueryTimeout);
    if (!resp.ok()) return resp.status();
    if (resp->has_error()) return ErrorOf(*resp);
    for (const auto& e : resp->timeline().events()) {
      ++event_no;
      AddNeedle(needles, e.text(), "text of event " + std::to_string(event_no));
      AddNeedle(needles, e.subject(), "subject of event " + std::to_string(event_no));
      for (const auto& a : e.attachments()) {
        if (a.sha256().size() == 32) attachment_shas.push_back(a.sha256());
      }
    }
    if (resp->timeline().next_cursor().empty()) break;
    req.mutable_timeline()->set_cursor(resp->timeline().next_cursor());
  }
  for (size_t i = 0; i < attachment_shas.size(); ++i) {
    v1::QueryRequest blob;
    blob.mutable_get_blob()->set_sha256(attachment_shas[i]);
    auto resp = hub.Call(blob, bus::kBulkQueryTimeout);
    if (!resp.ok()) {
      if (resp.status().code() == base::StatusCode::kNotFound) continue;  // never stored (too large, a URL only)
      return resp.status();
    }
    if (resp->has_error()) continue;
    AddNeedle(needles, resp->get_blob().data(),
              "attachment " + std::to_string(i + 1) + " (" + std::to_string(resp->get_blob().data().size()) + " bytes)");
  }
  return base::Status::Ok();
}

// Attachments still stored after the erasure are shared with another customer and stay.
void DropSharedAttachments(ErasureHost& host, const std::vector<std::string>& shas, std::vector<Needle>& needles) {
  for (const auto& sha : shas) {
    v1::QueryRequest blob;
    blob.mutable_get_blob()->set_sha256(sha);
    auto resp = host.Hub().Call(blob, bus::kQueryTimeout);
    if (!resp.ok() || resp->has_error()) continue;
    std::erase_if(needles, [&](const Needle& n) { return n.bytes == resp->get_blob().data(); });
    host.Note("an attachment is shared with another customer and stays");
  }
}

base::Result<std::optional<v1::ErasureReceipt>> EarlierErasure(bus::QueryTransport& hub, const std::string& arg) {
  v1::QueryRequest req;
  req.mutable_erasures();
  auto resp = hub.Call(req, bus::kQueryTimeout);
  if (!resp.ok()) return resp.status();
  if (resp->has_error()) return ErrorOf(*resp);
  for (const auto& r : resp->erasures().receipts()) {
    if (r.customer_id() == arg || r.erasure_id() == arg) return std::optional<v1::ErasureReceipt>(r);
    for (const auto& merged : r.merged_customer_ids()) {
      if (merged == arg) return std::optional<v1::ErasureReceipt>(r);
    }
  }
  return std::optional<v1::ErasureReceipt>();
}

// The command and its result, a rejection as its status.
base::Result<v1::CommandResult> Applied(ErasureHost& host, v1::Command command) {
  auto result = host.SendCommand(std::move(command));
  if (!result.ok()) return result.status();
  if (auto s = RejectionOf(*result); !s.ok()) return s;
  return result;
}

}  // namespace

base::Result<ErasureOutcome> EraseCustomer(ErasureHost& host, const ErasureRequest& request) {
  if (request.reason.empty()) return base::Status::InvalidArgument("a reason is required: say why the customer is erased");
  bus::QueryTransport& hub = host.Hub();

  // 1. The customer, and what to look for afterwards (before it is gone).
  std::vector<Needle> needles;
  std::vector<std::string> attachment_shas;
  std::vector<std::string> identity_args;
  v1::ErasureReceipt receipt;
  uint64_t after_change_seq = 0;
  v1::QueryRequest get;
  *get.mutable_get_customer()->mutable_customer() = request.customer;
  auto found = hub.Call(get, bus::kQueryTimeout);
  const bool missing = (!found.ok() && found.status().code() == base::StatusCode::kNotFound) ||
                       (found.ok() && found->has_error() && found->error().code() == "not_found");
  if (missing) {
    // Erased before? Then purge and verify again.
    auto earlier = EarlierErasure(hub, request.argument);
    if (!earlier.ok()) return earlier.status();
    if (!earlier->has_value()) {
      return base::Status::NotFound(found.ok() ? found->error().message() : found.status().message());
    }
    receipt = **earlier;
    if (request.customer.has_identity()) {
      AddIdentityNeedles(needles, request.customer.identity(), 1);
      identity_args.push_back(event::IdentityToArgument(request.customer.identity()));
    }
    host.Note("customer " + receipt.customer_id() + " was erased before (erasure " + receipt.erasure_id() +
              "); purging and verifying again");
  } else if (!found.ok()) {
    return found.status();
  } else if (found->has_error()) {
    return ErrorOf(*found);
  } else {
    const v1::Customer& customer = found->get_customer().customer();
    for (const auto& id : customer.identities()) identity_args.push_back(event::IdentityToArgument(id));
    OMNIHUB_RETURN_IF_ERROR(GatherNeedles(hub, customer, needles, attachment_shas));

    // 2. The logical erasure, by customer id only.
    v1::Command command;
    command.set_reason(request.reason);
    command.mutable_erase()->mutable_customer()->set_customer_id(customer.customer_id());
    auto result = Applied(host, std::move(command));
    if (!result.ok()) return result.status();
    receipt = result->receipt();
    after_change_seq = result->change_seq();
    DropSharedAttachments(host, attachment_shas, needles);
  }

  // 3. Physical removal: the unifier's store and search index, then each service.
  std::vector<std::string> directories;
  v1::QueryRequest purge;
  purge.mutable_purge()->set_after_change_seq(after_change_seq);
  auto purged = hub.Call(purge, kPurgeTimeout);
  if (!purged.ok()) return purged.status().WithContext("purge (rerun the erase to retry)");
  if (purged->has_error()) return ErrorOf(*purged).WithContext("purge (rerun the erase to retry)");
  for (const auto& d : purged->purge().directories()) directories.push_back(d);
  const nlohmann::json body = {{"identities", identity_args}};
  for (const auto& target : host.PurgeTargets()) {
    if (!target.outbox_dir.empty()) directories.push_back(target.outbox_dir);
    if (target.admin_listen.empty()) continue;
    auto answer = http::AdminPost(target.admin_listen, "/purge", body.dump(), kAdminPurgeTimeout);
    if (!answer.ok()) {
      host.Note(target.name + " not purged: " + answer.status().message());
    } else if (answer->status != 200) {
      host.Note(target.name + " purge answered " + std::to_string(answer->status) + ": " + answer->body);
    }
  }
  for (auto& dir : host.CompactOwnOutboxes()) directories.push_back(std::move(dir));

  // 4. The scan, kept with the receipt.
  const ScanResult scan = ScanForNeedles(directories, needles);
  v1::Command verified;
  verified.set_reason(request.reason);
  auto& op = *verified.mutable_erasure_verified();
  op.set_erasure_id(receipt.erasure_id());
  auto& v = *op.mutable_verification();
  v.set_clean(scan.findings.empty());
  v.set_files_scanned(scan.files);
  v.set_bytes_scanned(scan.bytes);
  v.set_needles(needles.size());
  for (const auto& f : scan.findings) v.add_findings(f);
  for (const auto& d : directories) v.add_directories(d);
  v.set_verified_at_us(host.NowMicros());
  auto recorded = Applied(host, std::move(verified));
  if (!recorded.ok()) return recorded.status();
  return ErasureOutcome{recorded->receipt(), scan.findings.empty()};
}

}  // namespace omnihub::client
