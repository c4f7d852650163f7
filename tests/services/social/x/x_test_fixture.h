// What the X mapper tests share: a delivery context for the hub account "acme", the subscribed
// account 2244994945 (@AcmeHelp), and helpers that map one delivery and check that every event
// would pass the hub's event validation.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"
#include "services/social/x/x_mapper.h"

namespace omnihub::social {

inline constexpr int64_t kXReceivedUs = 1'718'000'100'000'000;
inline constexpr std::string_view kAcmeId = "2244994945";
inline constexpr std::string_view kAnaId = "3805104374";

// A delivery for the subscribed account with `members` (JSON members, without braces) added.
inline std::string XDeliveryWith(std::string_view members) {
  return R"({"for_user_id":"2244994945",)" + std::string(members) + "}";
}

class XMapperTest : public ::testing::Test {
 protected:
  base::Result<MappedDelivery> Map(std::string_view body) { return MapXActivity(body, ctx_); }

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
      EXPECT_EQ(m.event.channel(), v1::X);
      EXPECT_EQ(m.event.account(), kAcmeId);
      EXPECT_EQ(m.event.provider_fields().at(kAccountNameField), "acme");
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

  // Checks a PLATFORM x identity.
  static void ExpectUser(const v1::Identity& id, std::string_view value, std::string_view handle = "",
                         std::string_view name = "") {
    EXPECT_EQ(id.kind(), v1::Identity::PLATFORM);
    EXPECT_EQ(id.platform(), "x");
    EXPECT_EQ(id.account(), "");
    EXPECT_EQ(id.value(), value);
    EXPECT_EQ(id.handle(), handle);
    EXPECT_EQ(id.display_name(), name);
  }

  // Checks BusinessParty("x", 2244994945).
  static void ExpectAccountItself(const v1::Identity& id) {
    EXPECT_EQ(id.kind(), v1::Identity::PLATFORM);
    EXPECT_EQ(id.platform(), "x");
    EXPECT_EQ(id.account(), kAcmeId);
    EXPECT_EQ(id.value(), kAcmeId);
  }

  event::IdentityNormalizer normalizer_{"US"};
  DeliveryContext ctx_{"acme", kXReceivedUs, &normalizer_, false};
};

}  // namespace omnihub::social
