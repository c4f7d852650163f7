#include "common/event/enum_names.h"

#include <string>
#include <utility>

#include "common/base/text.h"

namespace omnihub::event {
namespace {

template <typename Enum>
struct NamedValue {
  Enum value;
  std::string_view name;
};

constexpr NamedValue<v1::Channel> kChannels[] = {
    {v1::EMAIL, "email"},         {v1::SMS, "sms"},           {v1::WHATSAPP, "whatsapp"},
    {v1::MESSENGER, "messenger"}, {v1::INSTAGRAM, "instagram"}, {v1::TELEGRAM, "telegram"},
    {v1::X, "x"},                 {v1::API, "api"},           {v1::NOTE, "note"},
};

constexpr NamedValue<v1::Direction> kDirections[] = {
    {v1::INBOUND, "inbound"},
    {v1::OUTBOUND, "outbound"},
};

constexpr NamedValue<v1::EventKind> kEventKinds[] = {
    {v1::MESSAGE, "message"}, {v1::EDIT, "edit"},         {v1::DELETE, "delete"},
    {v1::REACTION, "reaction"}, {v1::STATUS, "status"},   {v1::NOTE_ADDED, "note"},
    {v1::ACTIVITY, "activity"},
};

constexpr NamedValue<v1::Identity::Kind> kIdentityKinds[] = {
    {v1::Identity::EMAIL, "email"},
    {v1::Identity::PHONE, "phone"},
    {v1::Identity::PLATFORM, "platform"},
    {v1::Identity::SHORT_CODE, "short_code"},
    {v1::Identity::ALPHANUMERIC_SENDER, "alphanumeric_sender"},
};

template <typename Enum, size_t N>
std::string_view NameOf(const NamedValue<Enum> (&table)[N], Enum value) {
  if (static_cast<int>(value) == 0) return "unspecified";
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
base::Result<Enum> Parse(const NamedValue<Enum> (&table)[N], std::string_view what, std::string_view name) {
  for (const auto& entry : table) {
    if (base::EqualsIgnoreAsciiCase(name, entry.name)) return entry.value;
  }
  // Long input is cut so that an error message stays readable.
  constexpr size_t kMaxShown = 40;
  std::string shown(name.substr(0, kMaxShown));
  if (name.size() > kMaxShown) shown += "...";
  std::string msg = "unknown " + std::string(what) + " '" + shown + "' (use one of ";
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) msg += ", ";
    msg += table[i].name;
  }
  msg += ")";
  return base::Status::InvalidArgument(std::move(msg));
}

}  // namespace

std::string_view ChannelName(v1::Channel channel) { return NameOf(kChannels, channel); }
base::Result<v1::Channel> ParseChannel(std::string_view name) { return Parse(kChannels, "channel", name); }

std::string_view DirectionName(v1::Direction direction) { return NameOf(kDirections, direction); }
base::Result<v1::Direction> ParseDirection(std::string_view name) { return Parse(kDirections, "direction", name); }

std::string_view EventKindName(v1::EventKind kind) { return NameOf(kEventKinds, kind); }
base::Result<v1::EventKind> ParseEventKind(std::string_view name) { return Parse(kEventKinds, "kind", name); }

std::string_view IdentityKindName(v1::Identity::Kind kind) { return NameOf(kIdentityKinds, kind); }

}  // namespace omnihub::event
