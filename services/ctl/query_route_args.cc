#include "services/ctl/query_route_args.h"

#include "common/event/tenant_id.h"

namespace omnihub::ctl {

base::Status CheckTenantOption(const std::string& tenant) {
  if (event::IsValidTenantId(tenant)) return base::Status::Ok();
  return base::Status::InvalidArgument("--tenant '" + tenant + "' is not a tenant id: use " +
                                       std::string(event::kTenantIdRule));
}

base::Result<bus::QueryRoute> TakeQueryRoute(std::vector<std::string>* args) {
  bus::QueryRoute route;
  bool tenant_before_command = false;
  for (size_t i = 0; i < args->size();) {
    const std::string& arg = (*args)[i];
    if (arg != "--tenant" && arg != "--min-position") {
      ++i;
      continue;
    }
    if (i + 1 >= args->size()) return base::Status::InvalidArgument(arg + " needs a value");
    const std::string value = (*args)[i + 1];
    if (arg == "--tenant") {
      OMNIHUB_RETURN_IF_ERROR(CheckTenantOption(value));
      route.tenant = value;
      if (i > 0) {  // left in place: commands that act on a tenant's data read it too (TenantOf)
        i += 2;
        continue;
      }
      tenant_before_command = true;  // the command must stay first: moved behind it below
    } else {
      auto position = bus::ParseReadPosition(value);
      if (!position.ok()) return position.status().WithContext("--min-position");
      route.min_position = *position;
    }
    args->erase(args->begin() + static_cast<std::ptrdiff_t>(i), args->begin() + static_cast<std::ptrdiff_t>(i) + 2);
  }
  if (tenant_before_command && !args->empty()) {
    args->push_back("--tenant");
    args->push_back(route.tenant);
  }
  return route;
}

}  // namespace omnihub::ctl
