#include "services/social/telegram/telegram_auth.h"

#include <gtest/gtest.h>

namespace omnihub::social {
namespace {

TEST(TelegramAuthTest, AcceptsTheBotsSecretToken) {
  EXPECT_TRUE(VerifyTelegramSecret("dev-telegram-secret", "dev-telegram-secret"));
}

TEST(TelegramAuthTest, RefusesAnyOtherToken) {
  EXPECT_FALSE(VerifyTelegramSecret("dev-telegram-secret", "dev-telegram-secreT"));
  EXPECT_FALSE(VerifyTelegramSecret("dev-telegram-secret", "dev-telegram-secret "));
  EXPECT_FALSE(VerifyTelegramSecret("dev-telegram-secret", "dev-telegram"));
  EXPECT_FALSE(VerifyTelegramSecret("dev-telegram-secret", ""));
}

TEST(TelegramAuthTest, RefusesARequestWithoutTheHeader) {
  EXPECT_FALSE(VerifyTelegramSecret("dev-telegram-secret", std::nullopt));
}

TEST(TelegramAuthTest, AnEmptySecretAcceptsNothing) {
  EXPECT_FALSE(VerifyTelegramSecret("", ""));
  EXPECT_FALSE(VerifyTelegramSecret("", std::nullopt));
}

}  // namespace
}  // namespace omnihub::social
