#include "common/event/annotation_json.h"

#include <string>
#include <vector>

#include "common/base/time_format.h"
#include "common/event/identity.h"

namespace omnihub::event {

void WriteDeliveryStatusJson(base::JsonWriter& w, const v1::DeliveryStatus& ds, const int64_t* at_us) {
  w.BeginObject();
  if (at_us != nullptr) w.Member("at", base::FormatRfc3339Micros(*at_us));
  w.Member("detail", ds.detail());
  w.Member("error_code", ds.error_code());
  w.MemberInt("stage", ds.stage());
  w.Member("state", ds.state());
  if (ds.watermark_us() != 0) w.Member("watermark", base::FormatRfc3339Micros(ds.watermark_us()));
  w.EndObject();
}

void WriteStatusMembers(base::JsonWriter& w, const google::protobuf::RepeatedPtrField<v1::Event>& statuses) {
  if (statuses.empty()) return;
  w.Member("status", statuses.rbegin()->delivery_status().state());
  w.Key("statuses");
  w.BeginArray();
  for (const v1::Event& status : statuses) {
    const int64_t at = status.occurred_at_us();
    WriteDeliveryStatusJson(w, status.delivery_status(), &at);
  }
  w.EndArray();
}

void WriteHistoryMember(base::JsonWriter& w, const v1::MessageAmendments& amendments) {
  w.Key("history");
  w.BeginArray();
  for (const auto& t : amendments.history()) {
    w.BeginObject();
    w.Member("at", base::FormatRfc3339Micros(t.at_us()));
    w.Member("text", t.text());
    w.EndObject();
  }
  w.EndArray();
}

void WriteReactionsMember(base::JsonWriter& w, const v1::MessageAmendments& amendments) {
  if (amendments.reactions_size() == 0) return;
  // Group by (emoji, name) in the order first given; reactors in their order.
  struct Group {
    const v1::MessageReaction* first;
    std::vector<std::string> by;
  };
  std::vector<Group> groups;
  for (const auto& r : amendments.reactions()) {
    Group* group = nullptr;
    for (Group& g : groups) {
      if (g.first->emoji() == r.emoji() && g.first->name() == r.name()) group = &g;
    }
    if (group == nullptr) group = &groups.emplace_back(Group{&r, {}});
    group->by.push_back(IdentityToArgument(r.reactor()));
  }
  w.Key("reactions");
  w.BeginArray();
  for (const Group& g : groups) {
    w.BeginObject();
    w.Key("by");
    w.BeginArray();
    for (const std::string& reactor : g.by) w.String(reactor);
    w.EndArray();
    w.MemberUInt("count", g.by.size());
    w.Member("emoji", g.first->emoji());
    if (!g.first->name().empty()) w.Member("name", g.first->name());
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace omnihub::event
