#include "common/client/erasure_json.h"

#include <map>
#include <string>
#include <vector>

#include "common/base/time_format.h"

namespace omnihub::client {

nlohmann::json ReceiptJson(const v1::ErasureReceipt& r) {
  nlohmann::json removed = nlohmann::json::object();
  for (const auto& [kind, n] : std::map<std::string, uint64_t>(r.removed().begin(), r.removed().end())) {
    removed[kind] = n;
  }
  const auto& v = r.verification();
  return {{"erasure_id", r.erasure_id()},
          {"customer_id", r.customer_id()},
          {"merged_customer_ids", std::vector<std::string>(r.merged_customer_ids().begin(), r.merged_customer_ids().end())},
          {"removed", removed},
          {"tombstoned_changes", r.tombstoned_changes()},
          {"erased_at", base::FormatRfc3339Micros(r.erased_at_us())},
          {"actor", r.actor()},
          {"reason", r.reason()},
          {"verification",
           {{"clean", v.clean()},
            {"files_scanned", v.files_scanned()},
            {"bytes_scanned", v.bytes_scanned()},
            {"needles", v.needles()},
            {"findings", std::vector<std::string>(v.findings().begin(), v.findings().end())},
            {"directories", std::vector<std::string>(v.directories().begin(), v.directories().end())}}}};
}

}  // namespace omnihub::client
