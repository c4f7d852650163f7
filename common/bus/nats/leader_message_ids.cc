#include "common/bus/nats/leader_message_ids.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/base/coding.h"
#include "common/bus/nats/nats_handles.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

// Unanswered requests at a time: enough to hide the round trip, few enough that
// a leader busy with appends is not handed thousands of reads at once.
constexpr uint64_t kMaxInFlight = 256;

// The value of `name` in a NATS header block ("NATS/1.0\r\nName:
// value\r\n...\r\n\r\n"),
// "" when absent. Header names are matched exactly, as the NATS client does.
std::string HeaderValue(std::string_view block, std::string_view name) {
  size_t line_start = block.find("\r\n");  // the first line is the version
  while (line_start != std::string_view::npos) {
    line_start += 2;
    const size_t line_end = block.find("\r\n", line_start);
    const std::string_view line = block.substr(line_start, line_end - line_start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && line.substr(0, colon) == name) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
    line_start = line_end;
  }
  return std::string();
}

// The lookup and index a reply subject ("<inbox>.<lookup>.<index>") names; false when it
// names none.
bool ReplyAddress(std::string_view subject, uint64_t* lookup, uint64_t* index) {
  const size_t last_dot = subject.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  const size_t dot = subject.rfind('.', last_dot - 1);
  if (dot == std::string_view::npos) return false;
  auto parse = [](std::string_view digits, uint64_t* out) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
    return ec == std::errc() && end == digits.data() + digits.size();
  };
  return parse(subject.substr(dot + 1, last_dot - dot - 1), lookup) && parse(subject.substr(last_dot + 1), index);
}

}  // namespace

base::Result<HeldMessageId> ParseMessageGetReply(std::string_view json) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return base::Status::Unavailable("the stream's leader answered with no JSON object");
  if (const auto error = doc.find("error"); error != doc.end() && error->is_object()) {
    const int code = error->value("err_code", 0);
    if (code == JSNoMessageFoundErr) return HeldMessageId();
    const std::string description =
        error->value("description", std::string("no description")) + " (code " + std::to_string(code) + ")";
    if (code == JSStreamNotFoundErr) return base::Status::NotFound("no such stream: " + description);
    return base::Status::Unavailable("the stream's leader refused: " + description);
  }
  const auto message = doc.find("message");
  if (message == doc.end() || !message->is_object()) {
    return base::Status::Unavailable("the stream's leader answered with neither a message nor an error");
  }
  const auto hdrs = message->find("hdrs");
  if (hdrs == message->end() || !hdrs->is_string()) return HeldMessageId(std::string());
  std::string block;
  if (!base::Base64Decode(hdrs->get<std::string>(), &block)) {
    return base::Status::Unavailable("the stream's leader answered with headers that are not base64");
  }
  return HeldMessageId(HeaderValue(block, "Nats-Msg-Id"));
}

const LogRecord* FirstRecordNotHeld(const std::vector<LogRecord>& records, const std::vector<HeldMessageId>& held) {
  for (const LogRecord& record : records) {
    const uint64_t index = record.position - records.front().position;
    if (index >= held.size() || !held[index].has_value() || *held[index] != record.message_id) return &record;
  }
  return nullptr;
}

LeaderMessageIds::LeaderMessageIds(NatsConnection& connection, std::string stream)
    : connection_(connection), stream_(std::move(stream)) {}

base::Status LeaderMessageIds::EnsureReplies() {
  if (replies_) return base::Status::Ok();
  natsInbox* raw_inbox = nullptr;
  if (natsStatus s = natsInbox_Create(&raw_inbox); s != NATS_OK) {
    return NatsError(s, kNoJsError, "make an inbox for stream " + stream_ + "'s leader");
  }
  std::string inbox(raw_inbox);
  natsInbox_Destroy(raw_inbox);
  natsSubscription* raw_sub = nullptr;
  if (natsStatus s = natsConnection_SubscribeSync(&raw_sub, connection_.connection(), (inbox + ".>").c_str());
      s != NATS_OK) {
    return NatsError(s, kNoJsError, "subscribe to the replies of stream " + stream_ + "'s leader");
  }
  // A read of up to 4096 positions may have as many replies queued; keep them all.
  natsSubscription_SetPendingLimits(raw_sub, -1, -1);
  replies_.reset(raw_sub);
  inbox_ = std::move(inbox);
  return base::Status::Ok();
}

base::Result<std::vector<HeldMessageId>> LeaderMessageIds::At(uint64_t first, uint64_t last) {
  if (last < first) return std::vector<HeldMessageId>{};
  const std::string what = "read positions " + std::to_string(first) + "-" + std::to_string(last) + " of stream " +
                           stream_ + " from its leader";
  OMNIHUB_RETURN_IF_ERROR(EnsureReplies());
  const uint64_t lookup = ++lookup_;
  const std::string api_subject = "$JS.API.STREAM.MSG.GET." + stream_;
  const std::string reply_prefix = inbox_ + "." + std::to_string(lookup) + ".";
  const uint64_t count = last - first + 1;
  std::vector<HeldMessageId> held(count);
  std::vector<bool> answered(count, false);
  uint64_t sent = 0;
  uint64_t received = 0;
  while (received < count) {
    for (; sent < count && sent - received < kMaxInFlight; ++sent) {
      const std::string body = "{\"seq\":" + std::to_string(first + sent) + "}";
      const std::string reply = reply_prefix + std::to_string(sent);
      natsStatus s = natsConnection_PublishRequest(connection_.connection(), api_subject.c_str(), reply.c_str(),
                                                   body.data(), static_cast<int>(body.size()));
      if (s != NATS_OK) return NatsError(s, kNoJsError, what);
    }
    natsMsg* raw_msg = nullptr;
    natsStatus s = natsSubscription_NextMsg(&raw_msg, replies_.get(), connection_.options().request_timeout_ms);
    if (s != NATS_OK) return NatsError(s, kNoJsError, what);
    NatsPtr<natsMsg> msg(raw_msg);
    uint64_t reply_lookup = 0;
    uint64_t index = 0;
    if (!ReplyAddress(natsMsg_GetSubject(msg.get()), &reply_lookup, &index) || reply_lookup != lookup ||
        index >= sent || answered[index]) {
      continue;  // a late reply to an earlier lookup
    }
    // An empty reply is the server's "no responders" status: no leader is elected now.
    if (natsMsg_GetDataLength(msg.get()) == 0) return base::Status::Unavailable(what + ": nothing answered");
    auto id = ParseMessageGetReply(
        std::string_view(natsMsg_GetData(msg.get()), static_cast<size_t>(natsMsg_GetDataLength(msg.get()))));
    if (!id.ok()) return base::Status(id.status().code(), what + ": " + id.status().message());
    held[index] = std::move(*id);
    answered[index] = true;
    ++received;
  }
  return held;
}

}  // namespace omnihub::bus::nats
