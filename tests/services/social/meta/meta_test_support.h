// What the Meta mapper tests share: a delivery context with a real normalizer, mapping a body
// that must succeed (every event then also passes the unifier's validation) or fail, and
// identities in their one-line argument form for exact comparisons.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "services/social/meta/meta_mapper.h"

namespace omnihub::social {

inline constexpr int64_t kReceivedUs = 1'718'000'999'000'000;

class MetaMapperTest : public ::testing::Test {
 protected:
  MappedDelivery MapOk(std::string_view body) {
    auto mapped = MapMetaDelivery(body, ctx_);
    EXPECT_TRUE(mapped.ok()) << mapped.status().ToString();
    if (!mapped.ok()) return {};
    for (const auto& m : *mapped) ExpectAcceptedByTheUnifier(m.event);
    return std::move(*mapped);
  }

  // The 400 message of a body that must be refused.
  std::string MapError(std::string_view body) {
    auto mapped = MapMetaDelivery(body, ctx_);
    EXPECT_FALSE(mapped.ok());
    if (mapped.ok()) return "";
    EXPECT_TRUE(mapped.status().IsInvalidArgument()) << mapped.status().ToString();
    return mapped.status().message();
  }

  // What the HTTP side adds before the outbox, then the unifier's own check.
  void ExpectAcceptedByTheUnifier(v1::Event e) {
    e.set_event_id(std::string(16, '\x01'));
    e.set_received_at_us(kReceivedUs);
    const base::Status s = event::ValidateAndNormalizeEvent(&e, normalizer_);
    EXPECT_TRUE(s.ok()) << s.message() << "\n" << e.DebugString();
  }

  static std::string Arg(const v1::Identity& id) { return event::IdentityToArgument(id); }

  event::IdentityNormalizer normalizer_{"US"};
  DeliveryContext ctx_{"main", kReceivedUs, &normalizer_, false};
};

}  // namespace omnihub::social
