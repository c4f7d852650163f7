// Small hand-written timelines for the metrics tests: messages from RFC 3339 times, and an
// EpisodeSource over a vector of customers that computes their episodes with the model.
//
// Thread-safety: none needed (tests).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/base/time_format.h"
#include "services/unifier/metrics/episodes.h"
#include "services/unifier/metrics/report.h"

namespace omnihub::unifier::metrics::testing {

constexpr int64_t kSecond = 1000000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

inline int64_t At(const char* rfc3339) {
  auto r = base::ParseRfc3339Micros(rfc3339);
  EXPECT_TRUE(r.ok()) << rfc3339;
  return r.ok() ? *r : 0;
}

// Event ids in the order messages are written, so that equal times keep that order.
inline std::string NextEventId() {
  static int next = 0;
  char id[17];
  std::snprintf(id, sizeof id, "%016d", ++next);
  return id;
}

inline ContactMessage Message(bool inbound, int64_t at_us, v1::Channel channel, std::string account, bool referral) {
  ContactMessage m;
  m.occurred_at_us = at_us;
  m.event_id = NextEventId();
  m.inbound = inbound;
  m.channel = channel;
  m.account = std::move(account);
  m.referral = referral;
  return m;
}
inline ContactMessage In(const char* at, v1::Channel channel, std::string account = "acct", bool referral = false) {
  return Message(true, At(at), channel, std::move(account), referral);
}
inline ContactMessage Out(const char* at, v1::Channel channel, std::string account = "acct", bool referral = false) {
  return Message(false, At(at), channel, std::move(account), referral);
}

inline std::vector<ContactMessage> Sorted(std::vector<ContactMessage> messages) {
  std::sort(messages.begin(), messages.end());
  return messages;
}

// Customers' messages in, their episodes and summaries computed by the model; as_of is the
// latest message unless set.
class VectorSource : public EpisodeSource {
 public:
  explicit VectorSource(EpisodeSettings settings = {}) : settings_(std::move(settings)) {}

  void Add(const std::string& customer_id, std::vector<ContactMessage> messages) {
    auto sorted = Sorted(std::move(messages));
    auto episodes = ComputeEpisodes(sorted, settings_);
    for (const auto& m : sorted) latest_us_ = std::max(latest_us_, m.occurred_at_us);
    summaries_.push_back(SummarizeCustomer(customer_id, sorted, episodes));
    for (auto& e : episodes) episodes_.emplace_back(customer_id, std::move(e));
  }
  void set_as_of_us(int64_t us) { as_of_override_us_ = us; }

  base::Status ForEachEpisode(int64_t since_us, int64_t until_us,
                              const std::function<void(std::string_view, const Episode&)>& fn) override {
    for (const auto& [customer, e] : episodes_) {
      if (e.opened_at_us >= since_us && e.opened_at_us < until_us) fn(customer, e);
    }
    return base::Status::Ok();
  }
  base::Status ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) override {
    for (const auto& s : summaries_) fn(s);
    return base::Status::Ok();
  }
  int64_t as_of_us() const override { return as_of_override_us_ != 0 ? as_of_override_us_ : latest_us_; }
  uint64_t applied_change_seq() const override { return 42; }

 private:
  EpisodeSettings settings_;
  std::vector<std::pair<std::string, Episode>> episodes_;
  std::vector<CustomerSummary> summaries_;
  int64_t latest_us_ = 0;
  int64_t as_of_override_us_ = 0;
};

}  // namespace omnihub::unifier::metrics::testing
