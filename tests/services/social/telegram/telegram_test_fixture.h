// What the Telegram mapper tests share: a delivery context for the bot "main", and helpers
// that map one update and check that every event would pass the hub's event validation.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"
#include "services/social/telegram/telegram_mapper.h"

namespace omnihub::social {

inline constexpr int64_t kTelegramReceivedUs = 1'718'000'100'000'000;

class TelegramMapperTest : public ::testing::Test {
 protected:
  base::Result<MappedDelivery> Map(std::string_view body) { return MapTelegramUpdate(body, ctx_); }

  // The events of `body`, each checked: what the HTTP side stamps, then the hub's validation.
  MappedDelivery Events(std::string_view body) {
    auto delivery = Map(body);
    EXPECT_TRUE(delivery.ok()) << delivery.status().ToString();
    if (!delivery.ok()) return {};
    for (const MappedEvent& m : *delivery) {
      v1::Event stamped = m.event;
      stamped.set_event_id(std::string(16, '\x01'));
      stamped.set_received_at_us(ctx_.received_at_us);
      const base::Status valid = event::ValidateAndNormalizeEvent(&stamped, normalizer_);
      EXPECT_TRUE(valid.ok()) << valid.ToString();
      EXPECT_FALSE(m.raw_json.empty());
    }
    return *delivery;
  }

  // The single event of `body`.
  v1::Event One(std::string_view body) {
    MappedDelivery events = Events(body);
    EXPECT_EQ(events.size(), 1u);
    return events.empty() ? v1::Event() : events[0].event;
  }

  // The message of the error `body` is refused with.
  std::string Error(std::string_view body) {
    auto delivery = Map(body);
    EXPECT_FALSE(delivery.ok());
    if (delivery.ok()) return "";
    EXPECT_TRUE(delivery.status().IsInvalidArgument());
    return delivery.status().message();
  }

  event::IdentityNormalizer normalizer_{"US"};
  DeliveryContext ctx_{"main", kTelegramReceivedUs, &normalizer_, false};
};

}  // namespace omnihub::social
