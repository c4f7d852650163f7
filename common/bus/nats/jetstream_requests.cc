#include "common/bus/nats/jetstream_requests.h"

#include <charconv>
#include <utility>

#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

// The batch and index a reply subject ("<inbox>.<batch>.<index>") names; false when it names
// none.
bool ReplyAddress(std::string_view subject, uint64_t* batch, uint64_t* index) {
  const size_t last_dot = subject.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  const size_t dot = subject.rfind('.', last_dot - 1);
  if (dot == std::string_view::npos) return false;
  auto parse = [](std::string_view digits, uint64_t* out) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
    return ec == std::errc() && end == digits.data() + digits.size();
  };
  return parse(subject.substr(dot + 1, last_dot - dot - 1), batch) && parse(subject.substr(last_dot + 1), index);
}

}  // namespace

base::Status JetStreamRequests::EnsureReplies() {
  if (replies_) return base::Status::Ok();
  natsInbox* raw_inbox = nullptr;
  if (natsStatus s = natsInbox_Create(&raw_inbox); s != NATS_OK) {
    return NatsError(s, kNoJsError, "make an inbox for JetStream replies");
  }
  std::string inbox(raw_inbox);
  natsInbox_Destroy(raw_inbox);
  natsSubscription* raw_sub = nullptr;
  if (natsStatus s = natsConnection_SubscribeSync(&raw_sub, connection_.connection(), (inbox + ".>").c_str());
      s != NATS_OK) {
    return NatsError(s, kNoJsError, "subscribe to JetStream replies");
  }
  // A batch of thousands of requests may have as many replies queued; keep them all.
  natsSubscription_SetPendingLimits(raw_sub, -1, -1);
  replies_.reset(raw_sub);
  inbox_ = std::move(inbox);
  return base::Status::Ok();
}

base::Result<std::vector<std::string>> JetStreamRequests::Send(const std::string& subject,
                                                               const std::vector<std::string>& bodies,
                                                               std::string_view what) {
  OMNIHUB_RETURN_IF_ERROR(EnsureReplies());
  const uint64_t batch = ++batch_;
  const std::string reply_prefix = inbox_ + "." + std::to_string(batch) + ".";
  const uint64_t count = bodies.size();
  std::vector<std::string> replies(count);
  std::vector<bool> answered(count, false);
  uint64_t sent = 0;
  uint64_t received = 0;
  while (received < count) {
    for (; sent < count && sent - received < kMaxInFlight; ++sent) {
      const std::string reply = reply_prefix + std::to_string(sent);
      natsStatus s = natsConnection_PublishRequest(connection_.connection(), subject.c_str(), reply.c_str(),
                                                   bodies[sent].data(), static_cast<int>(bodies[sent].size()));
      if (s != NATS_OK) return NatsError(s, kNoJsError, what);
    }
    natsMsg* raw_msg = nullptr;
    natsStatus s = natsSubscription_NextMsg(&raw_msg, replies_.get(), connection_.options().request_timeout_ms);
    if (s != NATS_OK) return NatsError(s, kNoJsError, what);
    NatsPtr<natsMsg> msg(raw_msg);
    uint64_t reply_batch = 0;
    uint64_t index = 0;
    if (!ReplyAddress(natsMsg_GetSubject(msg.get()), &reply_batch, &index) || reply_batch != batch ||
        index >= sent || answered[index]) {
      continue;  // a late reply to an earlier batch
    }
    // An empty reply is the server's "no responders" status: nothing serves the subject now.
    if (natsMsg_GetDataLength(msg.get()) == 0) return base::Status::Unavailable(std::string(what) + ": nothing answered");
    replies[index].assign(natsMsg_GetData(msg.get()), static_cast<size_t>(natsMsg_GetDataLength(msg.get())));
    answered[index] = true;
    ++received;
  }
  return replies;
}

}  // namespace omnihub::bus::nats
