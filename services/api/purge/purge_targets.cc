#include "services/api/purge/purge_targets.h"

#include "services/api/api_config.h"
#include "services/email/email_config.h"
#include "services/sms/sms_config.h"
#include "services/social/social_config.h"

namespace omnihub::api {

std::vector<client::PurgeTarget> ServicePurgeTargets(const config::Config& config) {
  const auto& email = config.Get<email::EmailConfig>();
  const auto& sms = config.Get<sms::SmsConfig>();
  const auto& social = config.Get<social::SocialConfig>();
  const auto& api = config.Get<ApiConfig>();
  return {{"email", email.admin_listen, email.outbox_dir},
          {"sms", sms.admin_listen, sms.outbox_dir},
          {"social", social.admin_listen, social.outbox_dir},
          {kApiPurgeTarget, api.admin_listen, api.outbox_dir}};
}

}  // namespace omnihub::api
