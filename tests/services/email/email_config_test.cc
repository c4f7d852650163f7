// The [email] section (services/email/email_config.h).
#include "services/email/email_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/config.h"

namespace omnihub::email {
namespace {

using ::testing::HasSubstr;

base::Result<config::Config> Parse(std::string_view toml) {
  static const config::Section* const kSections[] = {&EmailConfigSection()};
  return config::ParseConfig(toml, "test.toml", kSections);
}

TEST(EmailConfigTest, DefaultsWhenTheSectionIsLeftOut) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& e = c->Get<EmailConfig>();
  EXPECT_EQ(e.outbox_dir, "var/outbox/email");
  EXPECT_EQ(e.maildir, "");  // off stays off
  EXPECT_EQ(e.tls_certificate, "");
  EXPECT_EQ(e.admin_listen, "127.0.0.1:9102");
  EXPECT_EQ(e.domains, std::vector<std::string>{"example.com"});
}

TEST(EmailConfigTest, EveryPathIsUnderDataDir) {
  auto c = Parse(
      "data_dir = \"/srv/hub\"\n[email]\noutbox_dir = \"out/email\"\nmaildir = \"mail\"\n"
      "tls_certificate = \"tls/mx.pem\"\ntls_private_key = \"./tls/mx.key\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto& e = c->Get<EmailConfig>();
  EXPECT_EQ(e.outbox_dir, "/srv/hub/out/email");
  EXPECT_EQ(e.maildir, "/srv/hub/mail");
  EXPECT_EQ(e.tls_certificate, "/srv/hub/tls/mx.pem");
  EXPECT_EQ(e.tls_private_key, "/srv/hub/tls/mx.key");
}

TEST(EmailConfigTest, ErrorsNameKeyAndLine) {
  auto list = Parse("[email]\ndomains = \"example.com\"\n");
  ASSERT_FALSE(list.ok());
  EXPECT_THAT(list.status().message(), HasSubstr("email.domains (line 2) must be a list of strings"));
  auto typo = Parse("[email]\nsmtp_listn = \"\"\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.status().message(), "config test.toml: unknown key 'email.smtp_listn' (line 2)");
}

TEST(EmailConfigTest, ATlsCertificateWithoutItsKeyIsAnErrorAtLoad) {
  auto cert_only = Parse("[email]\ntls_certificate = \"tls/mx.pem\"\n");
  ASSERT_FALSE(cert_only.ok());
  EXPECT_EQ(cert_only.status().message(),
            "config test.toml: email.tls_certificate (line 2) is set but tls_private_key is not: STARTTLS needs "
            "both files (or neither)");
  auto key_only = Parse("[email]\ntls_private_key = \"tls/mx.key\"\n");
  ASSERT_FALSE(key_only.ok());
  EXPECT_THAT(key_only.status().message(), HasSubstr("email.tls_private_key (line 2) is set but tls_certificate"));
}

}  // namespace
}  // namespace omnihub::email
