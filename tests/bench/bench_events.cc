#include "tests/bench/bench_events.h"

#include <array>
#include <cstdio>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/event/ingest_json.h"
#include "common/base/time_format.h"

namespace omnihub::bench {
namespace {

// 2026-01-01T00:00:00Z: the first event's occurred_at.
constexpr int64_t kBaseOccurredAtUs = 1'767'225'600'000'000;

constexpr std::string_view kEmailAccount = "support@shop.example";
constexpr std::string_view kSmsAccount = "+14155550000";
constexpr std::string_view kWhatsAppAccount = "+14155550001";

constexpr std::array<std::string_view, 48> kWords = {
    "order",   "parcel",   "delivery", "invoice", "refund",   "account", "password", "shipping",
    "tracking", "number",  "please",   "thanks",  "today",    "tomorrow", "address", "payment",
    "card",    "declined", "return",   "label",   "size",     "colour",  "exchange", "store",
    "hello",   "again",    "still",    "waiting", "question", "about",   "my",       "the",
    "when",    "will",     "arrive",   "could",   "you",      "check",   "status",   "reference",
    "customer", "service", "weekend",  "morning", "evening",  "courier", "damaged",  "receipt"};

std::string PhoneOf(uint64_t customer) {
  // +1 415 2xx xxxx: possible North American numbers, distinct for up to 8 million customers.
  char buf[32];
  std::snprintf(buf, sizeof buf, "+1415%07llu", static_cast<unsigned long long>(2'000'000 + customer));
  return buf;
}

std::string EmailOf(uint64_t customer) { return "customer" + std::to_string(customer) + "@mail.example.com"; }

}  // namespace

EventFactory::EventFactory(const EventMix& mix, const event::IdentityNormalizer& normalizer, base::Clock& clock,
                           base::RandomSource& random)
    : mix_(mix), normalizer_(normalizer), clock_(clock), ids_(clock, random), rng_(mix.seed) {}

std::string EventFactory::RandomHex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rng_() & 0xff);
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::string EventFactory::RandomToken(size_t chars) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(chars);
  for (size_t i = 0; i < chars; ++i) out += kAlphabet[rng_() % (sizeof kAlphabet - 1)];
  return out;
}

std::string EventFactory::Text(size_t bytes) {
  std::string text;
  text.reserve(bytes + 16);
  while (text.size() < bytes) {
    if (!text.empty()) text += (rng_() % 12 == 0) ? ". " : " ";
    text += kWords[rng_() % kWords.size()];
  }
  return text;
}

base::Result<std::vector<BenchEvent>> EventFactory::Make(uint64_t count) {
  event::IngestContext ctx{normalizer_, ids_, clock_};
  std::vector<BenchEvent> out;
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i, ++made_) {
    const uint64_t customer = rng_() % mix_.customers;
    const bool inbound = rng_() % 10 < 7;
    nlohmann::json line;
    nlohmann::json party;
    std::string account;
    if (customer % 3 == 0) {
      account = kEmailAccount;
      line["channel"] = "email";
      line["provider_message_id"] = "<CA" + RandomToken(22) + "@mail.example.com>";
      line["subject"] = "Order " + std::to_string(10000 + customer) + ": question";
      line["conversation"] = "<thread-" + std::to_string(customer) + "@mail.example.com>";
      party["email"] = EmailOf(customer);
    } else {
      const bool whatsapp = rng_() % 2 == 0;
      account = whatsapp ? kWhatsAppAccount : kSmsAccount;
      line["channel"] = whatsapp ? "whatsapp" : "sms";
      line["provider_message_id"] = whatsapp ? "wamid.HBgL" + RandomToken(44) : "SM" + RandomHex(16);
      party["phone"] = PhoneOf(customer);
    }
    line["account"] = account;
    line["direction"] = inbound ? "inbound" : "outbound";
    line["occurred_at"] = base::FormatRfc3339Micros(kBaseOccurredAtUs + static_cast<int64_t>(made_) * 1000);
    nlohmann::json business;
    if (customer % 3 == 0) {
      business["email"] = account;
    } else {
      business["phone"] = account;
    }
    if (inbound) {
      line["from"] = party;
      line["to"] = nlohmann::json::array({business});
    } else {
      line["from"] = business;
      line["to"] = nlohmann::json::array({party});
    }
    line["text"] = Text(mix_.text_bytes);

    base::Result<v1::Event> event = event::ParseIngestLine(line.dump(), ctx);
    if (!event.ok()) return event.status().WithContext("generated ingest line");
    out.push_back(BenchEvent{std::move(*event), customer});
  }
  return out;
}

std::vector<std::string> SerializeEvents(const std::vector<BenchEvent>& events) {
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(e.event.SerializeAsString());
  return out;
}

}  // namespace omnihub::bench
