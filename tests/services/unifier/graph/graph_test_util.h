// A unifier over a real store (UnifierHarness) driven the way the hub drives it: event frames
// from an adapter and command frames from omnihubctl, through BatchProcessor. Reads back
// customers, identities, merges, timelines and command results for the graph tests.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "omnihub/v1/command.pb.h"
#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/query/query_service.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier::testing {

inline constexpr int64_t kGraphT0 = 1'750'000'000'000'000;

class GraphHarness {
 public:
  // An inbound message of `from` on `channel`, as one frame of the adapter "adapter".
  std::string EventFrame(v1::Channel channel, const v1::Identity& from, const std::string& conversation = "") {
    ++events_;
    v1::Event e = h_.MakeEvent(channel, "m" + std::to_string(events_), from, kGraphT0 + events_ * 1000);
    e.set_conversation(conversation);
    return UnifierHarness::Frame("adapter", ++event_seq_, e);
  }
  // Commits `e` as the adapter's next frame.
  void Commit(const v1::Event& e) {
    last_changes_ = h_.Process({UnifierHarness::Frame("adapter", ++event_seq_, e)}).changes;
  }
  // Commits one event; returns its event id.
  std::string Event(v1::Channel channel, const v1::Identity& from, const std::string& conversation = "") {
    std::string frame = EventFrame(channel, from, conversation);
    v1::BusFrame parsed;
    parsed.ParseFromString(frame);
    v1::Event e;
    e.ParseFromString(parsed.event());
    h_.Process({std::move(frame)});
    return e.event_id();
  }

  // A command with a fresh id (deterministic: the n-th command's bytes), actor and reason set.
  v1::Command NewCommand(const std::string& reason = "same person") {
    v1::Command c;
    std::string id(base::kUuidBytes, '\0');
    id[0] = '\x01';
    id[6] = '\x70';
    id[8] = '\x80';
    id[15] = static_cast<char>(++commands_);
    c.set_command_id(id);
    c.set_actor("agent-7");
    c.set_reason(reason);
    c.set_issued_at_us(kGraphT0 + 500'000'000 + commands_);
    return c;
  }
  std::string CommandFrame(const v1::Command& c) {
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id("ctl");
    f.set_sequence(++command_seq_);
    f.set_command(c.SerializeAsString());
    return f.SerializeAsString();
  }
  // Commits the command alone and returns how it was answered.
  v1::CommandResult Apply(const v1::Command& c) {
    last_changes_ = h_.Process({CommandFrame(c)}).changes;
    return Result(c.command_id());
  }
  v1::CommandResult Result(const std::string& command_id) {
    auto raw = h_.store().GetRaw(h_.store().command_results(), command_id);
    EXPECT_TRUE(raw.ok() && raw->has_value()) << "no result for the command";
    v1::CommandResult r;
    if (raw.ok() && raw->has_value()) {
      EXPECT_TRUE(DecodeValue(**raw, &r).ok());
    }
    return r;
  }

  static v1::CustomerSelector ById(const std::string& customer_id) {
    v1::CustomerSelector s;
    s.set_customer_id(customer_id);
    return s;
  }
  static v1::CustomerSelector ByIdentity(const v1::Identity& identity) {
    v1::CustomerSelector s;
    *s.mutable_identity() = identity;
    return s;
  }
  v1::CommandResult Link(const v1::CustomerSelector& customer, const v1::Identity& identity) {
    v1::Command c = NewCommand();
    *c.mutable_link()->mutable_customer() = customer;
    *c.mutable_link()->mutable_identity() = identity;
    return Apply(c);
  }
  v1::CommandResult Unlink(const v1::Identity& identity) {
    v1::Command c = NewCommand("not the same person");
    *c.mutable_unlink()->mutable_identity() = identity;
    return Apply(c);
  }
  v1::Command MergeCommand(const std::string& survivor, const std::string& other) {
    v1::Command c = NewCommand();
    *c.mutable_merge()->mutable_survivor() = ById(survivor);
    *c.mutable_merge()->mutable_other() = ById(other);
    return c;
  }
  v1::CommandResult Merge(const std::string& survivor, const std::string& other) {
    return Apply(MergeCommand(survivor, other));
  }
  v1::CommandResult Split(const std::string& merge_id) {
    v1::Command c = NewCommand("wrong merge");
    c.mutable_split()->set_merge_id(merge_id);
    return Apply(c);
  }

  // The live customer of an identity or an id.
  v1::CustomerRecord Customer(const v1::CustomerSelector& selector) {
    auto c = FindCustomer(h_.store(), h_.normalizer(), selector, nullptr);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : v1::CustomerRecord();
  }
  v1::CustomerRecord Customer(const v1::Identity& identity) { return Customer(ByIdentity(identity)); }
  std::string CustomerId(const v1::Identity& identity) { return Customer(identity).customer_id(); }
  // The record stored under the id, merged or not.
  v1::CustomerRecord Stored(const std::string& customer_id) {
    auto c = h_.store().GetCustomer(customer_id);
    EXPECT_TRUE(c.ok() && c->has_value()) << customer_id;
    return c.ok() && c->has_value() ? **c : v1::CustomerRecord();
  }
  v1::IdentityRecord IdentityRecord(const v1::Identity& identity) {
    auto r = h_.store().GetIdentity(event::IdentityKey(*h_.normalizer().Normalize(identity)));
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : v1::IdentityRecord();
  }
  v1::MergeRecord MergeRecord(const std::string& merge_id) {
    auto raw = h_.store().GetRaw(h_.store().merges(), merge_id);
    EXPECT_TRUE(raw.ok() && raw->has_value()) << merge_id;
    v1::MergeRecord m;
    if (raw.ok() && raw->has_value()) {
      EXPECT_TRUE(DecodeValue(**raw, &m).ok());
    }
    return m;
  }

  // The event ids of the customer's timeline, newest first, as a client reads them.
  std::vector<std::string> Timeline(const v1::CustomerSelector& selector) {
    QueryService q(h_.store(), h_.normalizer(), {});
    v1::QueryRequest req;
    *req.mutable_timeline()->mutable_customer() = selector;
    req.mutable_timeline()->set_limit(1000);
    auto resp = q.Handle(req);
    EXPECT_FALSE(resp.has_error()) << resp.error().message();
    std::vector<std::string> ids;
    for (const auto& e : resp.timeline().events()) ids.push_back(e.event_id());
    return ids;
  }
  std::vector<std::string> Timeline(const std::string& customer_id) { return Timeline(ById(customer_id)); }

  // Every key and value of the column families the graph lives in, to show what a command
  // changed (or that a rejected one changed nothing).
  std::map<std::string, std::string> GraphDump() {
    std::map<std::string, std::string> dump;
    Store& s = h_.store();
    for (auto* cf : {s.identities(), s.identity_ids(), s.customers(), s.merges(), s.timeline(), s.events()}) {
      std::unique_ptr<rocksdb::Iterator> it(s.db()->NewIterator(rocksdb::ReadOptions(), cf));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        dump[cf->GetName() + "/" + it->key().ToString()] = it->value().ToString();
      }
    }
    return dump;
  }

  UnifierHarness& harness() { return h_; }
  const std::vector<v1::ChangeNotification>& last_changes() const { return last_changes_; }

 private:
  UnifierHarness h_;
  int events_ = 0;
  uint64_t event_seq_ = 0;
  uint64_t command_seq_ = 0;
  int commands_ = 0;
  std::vector<v1::ChangeNotification> last_changes_;
};

// The sorted values of a customer's identities.
inline std::vector<std::string> IdentityValues(const v1::CustomerRecord& c) {
  std::vector<std::string> values;
  for (const auto& id : c.identities()) values.push_back(id.value());
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace omnihub::unifier::testing
