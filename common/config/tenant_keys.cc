#include "common/config/tenant_keys.h"

#include "common/event/tenant_id.h"

namespace omnihub::config {

void ReadTenant(TableReader& r, std::string* out) {
  r.CheckedString(
      "tenant", out,
      [](const std::string& v) {
        return event::IsValidTenantId(v) ? base::Status::Ok()
                                         : base::Status::InvalidArgument("use " + std::string(event::kTenantIdRule));
      },
      "a tenant id");
}

bool ReadTenantList(TableReader& r, std::string_view key, std::string_view field, std::vector<std::string>* values,
                    std::map<std::string, std::string>* tenants) {
  // A plain list of strings is the common form, and what a wrong type is told to be.
  const toml::array* list = r.Array(key, "a list of strings");
  if (list == nullptr) return false;
  std::vector<std::string> read_values;
  std::map<std::string, std::string> read_tenants;
  bool ok = true;
  for (size_t i = 0; i < list->size(); ++i) {
    const toml::node& item = *list->get(i);
    if (item.is_string()) {
      read_values.push_back(item.as_string()->get());
      continue;
    }
    const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    if (!item.is_table()) {
      r.errors().Add(LineNumberOf(item), (r.prefix().empty() ? "" : r.prefix() + ".") + where + LineOf(item) +
                                             " must be a string or { " + std::string(field) +
                                             " = \"...\", tenant = \"...\" }");
      ok = false;
      continue;
    }
    TableReader entry(*item.as_table(), (r.prefix().empty() ? "" : r.prefix() + ".") + where, r.errors());
    std::string value;
    std::string tenant(event::kDefaultTenant);
    const size_t errors_before = r.errors().size();
    if (!entry.Has(field)) entry.Fail("", "needs the key '" + std::string(field) + "'");
    entry.String(field, &value);
    ReadTenant(entry, &tenant);
    entry.CheckNoUnknownKeys();
    if (r.errors().size() != errors_before) {
      ok = false;
      continue;
    }
    if (tenant != event::kDefaultTenant) read_tenants[value] = tenant;
    read_values.push_back(std::move(value));
  }
  if (!ok) return false;
  *values = std::move(read_values);
  *tenants = std::move(read_tenants);
  return true;
}

}  // namespace omnihub::config
