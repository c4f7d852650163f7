// omnihubctl conversation and attachment: one conversation's messages in order, and
// the stored bytes of an attachment (or raw message) by SHA-256.
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/client/conversation_json.h"
#include "common/client/query_values.h"
#include "services/ctl/cli_args.h"
#include "common/bus/query_transport.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/selector.h"

namespace omnihub::ctl {

int RunConversation(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"limit"}, {}, 1, 1, "omnihubctl conversation IDENTITY|CONVERSATION_ID [--limit N]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  const std::string& arg = parsed->positional[0];
  v1::ConversationRequest req;
  // An identity or customer id means "that customer's latest conversation"; anything
  // the identity parser does not recognize is taken as a conversation key.
  auto selector = ParseSelector(ctx, arg);
  if (selector.ok()) {
    *req.mutable_customer() = *selector;
  } else {
    req.set_conversation(arg);
  }
  auto limit = LimitOption(*parsed);
  if (!limit.ok()) return ReportError(ctx, limit.status());
  uint64_t remaining = *limit;
  while (remaining > 0) {
    req.set_limit(static_cast<uint32_t>(std::min<uint64_t>(remaining, 500)));
    v1::QueryRequest query;
    *query.mutable_conversation() = req;
    auto resp = ctx.hub.Call(query, bus::kQueryTimeout);
    if (!resp.ok()) return ReportError(ctx, resp.status());
    const auto& page = resp->conversation();
    for (const auto& entry : page.entries()) {
      ctx.out << client::ConversationEntryToJson(entry).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      --remaining;
    }
    if (page.next_cursor().empty()) break;
    // Later pages are asked for by the conversation key the first answer named.
    req.set_conversation(page.conversation());
    req.set_cursor(page.next_cursor());
  }
  return kExitOk;
}

int RunAttachment(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{}, {}, 1, 1, "omnihubctl attachment SHA256 > FILE"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  auto sha = client::ParseSha256Hex(parsed->positional[0]);
  if (!sha.ok()) return ReportError(ctx, sha.status());
  v1::QueryRequest req;
  req.mutable_get_blob()->set_sha256(*sha);
  auto resp = ctx.hub.Call(req, bus::kBulkQueryTimeout);
  if (!resp.ok()) return ReportError(ctx, resp.status());
  const std::string& data = resp->get_blob().data();
  ctx.out.write(data.data(), static_cast<std::streamsize>(data.size()));
  ctx.out.flush();
  return ctx.out ? kExitOk : ReportError(ctx, base::Status::IoError("cannot write the bytes to standard output"));
}

}  // namespace omnihub::ctl
