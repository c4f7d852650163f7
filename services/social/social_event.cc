#include "services/social/social_event.h"

namespace omnihub::social {

v1::Identity BusinessParty(std::string_view platform, std::string_view account) {
  v1::Identity id;
  id.set_kind(v1::Identity::PLATFORM);
  id.set_platform(std::string(platform));
  id.set_account(std::string(account));
  id.set_value(std::string(account));
  return id;
}

}  // namespace omnihub::social
