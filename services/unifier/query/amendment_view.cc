#include "services/unifier/query/amendment_view.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/event/event_validation.h"
#include "common/event/identity.h"

namespace omnihub::unifier {
namespace {

v1::MessageText TextOf(const v1::Event& e) {
  v1::MessageText t;
  t.set_text(e.text());
  t.set_at_us(e.occurred_at_us());
  t.set_event_id(e.event_id());
  return t;
}

// The reactions standing per reactor (by IdentityKey), each per emoji (or name).
using StandingReactions = std::map<std::string, std::map<std::string, v1::MessageReaction>>;

void ApplyReaction(const v1::Event& e, StandingReactions* standing) {
  const v1::Identity* reactor = e.has_sender() ? &e.sender() : event::ExternalParty(e);
  if (reactor == nullptr) return;  // validated events always have one
  // The ingest format has no reaction object: its reaction is the event's text.
  const std::string& emoji = e.has_reaction() ? e.reaction().emoji() : e.text();
  const std::string& name = e.reaction().name();
  auto& mine = (*standing)[event::IdentityKey(*reactor)];
  if (e.reaction().removed()) {
    if (emoji.empty() && name.empty()) {
      mine.clear();  // WhatsApp's empty emoji: whatever the reactor had
    } else {
      mine.erase(emoji.empty() ? "n:" + name : "e:" + emoji);
    }
    return;
  }
  if (emoji.empty() && name.empty()) return;  // names no reaction
  if (OneReactionPerReactor(e.channel())) mine.clear();
  v1::MessageReaction& r = mine[emoji.empty() ? "n:" + name : "e:" + emoji];
  *r.mutable_reactor() = *reactor;
  r.set_emoji(emoji);
  r.set_name(name);
  r.set_at_us(e.occurred_at_us());
}

}  // namespace

bool OneReactionPerReactor(v1::Channel channel) {
  return channel == v1::WHATSAPP || channel == v1::MESSENGER || channel == v1::INSTAGRAM;
}

v1::MessageAmendments SummarizeAmendments(const v1::Event& message,
                                          const google::protobuf::RepeatedPtrField<v1::Event>& amendments) {
  v1::MessageAmendments out;
  out.set_event_id(message.event_id());
  std::vector<v1::MessageText> texts = {TextOf(message)};
  StandingReactions standing;
  for (const v1::Event& a : amendments) {
    switch (a.kind()) {
      case v1::EDIT:
        texts.push_back(TextOf(a));
        break;
      case v1::DELETE:
        if (!out.deleted()) {
          out.set_deleted(true);
          out.set_deleted_at_us(a.occurred_at_us());  // the earliest: amendments are in order
        }
        break;
      case v1::REACTION:
        ApplyReaction(a, &standing);
        break;
      default:
        break;
    }
  }
  if (texts.size() > 1) {
    out.set_edited(true);
    *out.mutable_current() = std::move(texts.back());
    texts.pop_back();
    for (auto& t : texts) *out.add_history() = std::move(t);
  }
  std::vector<std::pair<std::string, v1::MessageReaction>> reactions;  // (reactor key, reaction)
  for (auto& [reactor, mine] : standing) {
    for (auto& [what, r] : mine) reactions.emplace_back(reactor, std::move(r));
  }
  std::sort(reactions.begin(), reactions.end(), [](const auto& a, const auto& b) {
    return std::forward_as_tuple(a.second.at_us(), a.first, a.second.emoji(), a.second.name()) <
           std::forward_as_tuple(b.second.at_us(), b.first, b.second.emoji(), b.second.name());
  });
  for (auto& [reactor, r] : reactions) *out.add_reactions() = std::move(r);
  return out;
}

base::Result<std::optional<v1::MessageAmendments>> ReadMessageAmendments(AmendmentReader& reader,
                                                                         const v1::Event& message) {
  google::protobuf::RepeatedPtrField<v1::Event> amendments;
  OMNIHUB_RETURN_IF_ERROR(reader.Read(message, &amendments));
  if (amendments.empty()) return std::optional<v1::MessageAmendments>();
  v1::MessageAmendments view = SummarizeAmendments(message, amendments);
  // Reactions all taken back leave nothing to show.
  if (!view.edited() && !view.deleted() && view.reactions_size() == 0) return std::optional<v1::MessageAmendments>();
  return std::optional<v1::MessageAmendments>(std::move(view));
}

}  // namespace omnihub::unifier
