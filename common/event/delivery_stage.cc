#include "common/event/delivery_stage.h"

#include <string>

#include "common/base/text.h"

namespace omnihub::event {
namespace {

struct StateStage {
  std::string_view state;
  int stage;
};

// Twilio's MessageStatus enum, Vonage's DLR status values and WhatsApp Cloud's statuses.
// "receiving"/"received" belong to inbound messages; they are placed like their outbound twins
// (sending / delivered) so the table has no holes if a provider ever reports them in a callback.
constexpr StateStage kStages[] = {
    {"accepted", kStageAccepted},      {"scheduled", kStageAccepted},
    {"queued", kStageQueued},          {"buffered", kStageQueued},
    {"sending", kStageSending},        {"receiving", kStageSending},
    {"sent", kStageSent},
    {"delivered", kStageFinal},        {"received", kStageFinal},
    {"undelivered", kStageFinal},      {"failed", kStageFinal},
    {"expired", kStageFinal},          {"rejected", kStageFinal},
    {"canceled", kStageFinal},         {"partially_delivered", kStageFinal},
    {"unknown", kStageFinal},  // Vonage: the carrier gave no final answer; none will follow
    {"read", kStageRead},
    {"played", kStagePlayed},
};

}  // namespace

int DeliveryStage(std::string_view state) {
  const std::string lower = base::LowerAscii(state);
  for (const auto& entry : kStages) {
    if (entry.state == lower) return entry.stage;
  }
  return kStageUnknown;
}

std::vector<std::string_view> KnownDeliveryStates() {
  std::vector<std::string_view> words;
  for (const auto& entry : kStages) words.push_back(entry.state);
  return words;
}

}  // namespace omnihub::event
