// The recorded log of the deterministic apply tests (docs/storage-format.md, "Deterministic
// apply"): events from every channel, platform links and a platform merge, agent links, an
// unlink, a merge and its split, notes, a delivery status, an edit, a provider retry, dead
// letters, an erasure and the erased person writing again. Shared by the single-host test
// (ingest/deterministic_apply_test.cc) and the cluster replica's (replica/).
//
// Thread-safety: none; test code.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "omnihub/v1/command.pb.h"
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier::testing {

constexpr int64_t kT0 = 1'780'000'000'000'000;
const std::string kSecret(kErasureSecretBytes, '\x5a');

// Builds the log: every frame serialized once, so that every run applies the same bytes.
class LogBuilder {
 public:
  // An event of the adapter "adapter" (notes: "api"); received one second after the previous.
  v1::Event NewEvent(v1::Channel channel, v1::Direction direction, const v1::Identity& party,
                     const std::string& provider_id) {
    v1::Event e;
    e.set_event_id(Id(0x10, ++events_));
    e.set_channel(channel);
    e.set_account("acct");
    e.set_kind(v1::MESSAGE);
    e.set_direction(direction);
    e.set_provider_message_id(provider_id);
    e.set_occurred_at_us(kT0 + events_ * 1'000'000 - 250'000);
    e.set_received_at_us(kT0 + events_ * 1'000'000);
    if (direction == v1::INBOUND) {
      *e.mutable_sender() = party;
    } else {
      *e.add_recipients() = party;
    }
    e.set_text("message " + std::to_string(events_));
    return e;
  }
  void Add(const v1::Event& e, const std::string& publisher = "adapter") {
    frames.push_back(UnifierHarness::Frame(publisher, ++seq_[publisher], e));
  }
  void Message(v1::Channel channel, const v1::Identity& from, const std::string& provider_id) {
    Add(NewEvent(channel, v1::INBOUND, from, provider_id));
  }
  void Rejected(const std::string& reason) {
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id("adapter");
    f.set_sequence(++seq_["adapter"]);
    f.mutable_rejected()->set_reason(reason);
    f.mutable_rejected()->set_raw("{not json");
    f.mutable_rejected()->set_source("inject:events.jsonl:9");
    frames.push_back(f.SerializeAsString());
  }
  void Garbage() { frames.push_back(UnifierHarness::RawFrame("adapter", ++seq_["adapter"], "\x08\x96\x01 junk \xff")); }

  // A command of omnihubctl ("ctl"), issued one second after the previous event or command.
  v1::Command NewCommand(const std::string& reason) {
    v1::Command c;
    c.set_command_id(Id(0x20, ++commands_));
    c.set_actor("agent-7");
    c.set_reason(reason);
    c.set_issued_at_us(kT0 + (events_ + commands_) * 1'000'000 + 500'000);
    return c;
  }
  void Add(const v1::Command& c) {
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id("ctl");
    f.set_sequence(++seq_["ctl"]);
    f.set_command(c.SerializeAsString());
    frames.push_back(f.SerializeAsString());
    command_ids.push_back(c.command_id());
  }
  static v1::CustomerSelector Of(const v1::Identity& identity) {
    v1::CustomerSelector s;
    *s.mutable_identity() = identity;
    return s;
  }

  std::vector<std::string> frames;
  std::vector<std::string> command_ids;

 private:
  // A UUIDv7-shaped id: `kind` tells events from commands, `n` counts.
  static std::string Id(char kind, int n) {
    std::string id(base::kUuidBytes, '\0');
    id[0] = '\x01';
    id[1] = kind;
    id[6] = '\x70';
    id[8] = '\x80';
    id[14] = static_cast<char>(n >> 8);
    id[15] = static_cast<char>(n & 0xff);
    return id;
  }
  int events_ = 0;
  int commands_ = 0;
  std::map<std::string, uint64_t> seq_;
};

// The recorded log. `variant` changes the text of one event (and nothing else).
inline LogBuilder RecordedLog(const event::IdentityNormalizer& normalizer, bool variant = false) {
  LogBuilder log;
  const v1::Identity jane = Email("jane@example.com");
  const v1::Identity jane_phone = Phone("+14155550100");
  const v1::Identity wa = Phone("+16505551234");
  const v1::Identity wa_user = *normalizer.Platform("whatsapp", "102290129340398", "US.123");
  const v1::Identity messenger = *normalizer.Platform("messenger", "page-1", "psid-1");
  const v1::Identity instagram = *normalizer.Platform("instagram", "ig-1", "igsid-1");
  const v1::Identity telegram = *normalizer.Platform("telegram", "bot-1", "777", "jane_tg");
  const v1::Identity x_user = *normalizer.Platform("x", "", "1800", "jane_x");

  // Every channel, with a conversation, a subject that mentions another customer's number
  // (a suggestion), and an outbound SMS with a delivery status.
  v1::Event email = log.NewEvent(v1::EMAIL, v1::INBOUND, jane, "<m1@example.com>");
  email.set_conversation("email:thread-1");
  log.Add(email);
  log.Message(v1::SMS, jane_phone, "SM1");
  v1::Event mention = log.NewEvent(v1::EMAIL, v1::INBOUND, jane, "<m2@example.com>");
  mention.set_conversation("email:thread-1");
  mention.set_subject("call me on +14155550100");
  log.Add(mention);
  v1::Event with_link = log.NewEvent(v1::WHATSAPP, v1::INBOUND, wa, "wamid.1");
  v1::IdentityLink* link = with_link.add_party_links();
  *link->mutable_identity() = wa_user;
  link->set_reason("whatsapp: one message carried both wa_id and user_id");
  log.Add(with_link);
  log.Message(v1::MESSENGER, messenger, "mid.1");
  log.Message(v1::INSTAGRAM, instagram, "ig.1");
  // Telegram's own contact links the phone that already has an SMS customer: a platform merge.
  v1::Event contact = log.NewEvent(v1::TELEGRAM, v1::INBOUND, telegram, "bot-1:1");
  v1::IdentityLink* own = contact.add_party_links();
  *own->mutable_identity() = jane_phone;
  own->set_reason("telegram: the sender shared their own contact");
  log.Add(contact);
  log.Message(v1::X, x_user, "dm-1");
  v1::Event out = log.NewEvent(v1::SMS, v1::OUTBOUND, jane_phone, "SM-out-1");
  if (variant) out.set_text("a different reply");
  log.Add(out);
  v1::Event status = log.NewEvent(v1::SMS, v1::OUTBOUND, jane_phone, "");
  status.set_kind(v1::STATUS);
  status.clear_text();
  status.set_refers_to_provider_message_id("SM-out-1");
  status.mutable_delivery_status()->set_state("delivered");
  status.mutable_delivery_status()->set_stage(50);
  log.Add(status);
  log.Add(log.NewEvent(v1::SMS, v1::INBOUND, jane_phone, "SM1"));  // a provider's retry of SM1
  log.Rejected("line 9: field 'channel': unknown channel 'fax'");
  log.Garbage();
  // A crowd of senders, so that batches of 7 cut the log in many places.
  for (int i = 0; i < 30; ++i) {
    log.Message(i % 2 == 0 ? v1::SMS : v1::EMAIL,
                i % 2 == 0 ? Phone("+1415555" + std::to_string(1000 + i)) : Email("p" + std::to_string(i) + "@example.org"),
                "crowd-" + std::to_string(i));
  }
  v1::Event note = log.NewEvent(v1::NOTE, v1::OUTBOUND, jane, "note:1");
  note.set_account("notes");
  note.set_kind(v1::NOTE_ADDED);
  log.Add(note, "api");

  // The agent's graph: link X to Jane, unlink it again, merge Instagram into Jane, split it.
  v1::Command link_x = log.NewCommand("same person: signed the DM");
  *link_x.mutable_link()->mutable_customer() = LogBuilder::Of(jane);
  *link_x.mutable_link()->mutable_identity() = x_user;
  log.Add(link_x);
  log.Message(v1::X, x_user, "dm-2");
  v1::Command unlink_x = log.NewCommand("not the same person after all");
  *unlink_x.mutable_unlink()->mutable_identity() = x_user;
  log.Add(unlink_x);
  v1::Command merge = log.NewCommand("same person");
  *merge.mutable_merge()->mutable_survivor() = LogBuilder::Of(jane);
  *merge.mutable_merge()->mutable_other() = LogBuilder::Of(instagram);
  log.Add(merge);
  log.Message(v1::INSTAGRAM, instagram, "ig.2");
  v1::Event second_note = log.NewEvent(v1::NOTE, v1::OUTBOUND, instagram, "note:2");
  second_note.set_account("notes");
  second_note.set_kind(v1::NOTE_ADDED);
  log.Add(second_note, "api");
  v1::Command split = log.NewCommand("wrong merge");
  split.mutable_split()->set_merge_id(base::UuidToString(merge.command_id()));
  log.Add(split);
  for (int i = 30; i < 40; ++i) log.Message(v1::SMS, Phone("+1415555" + std::to_string(1000 + i)), "crowd-" + std::to_string(i));

  // The Messenger customer is erased, and then writes again: a customer apart from the erased one.
  v1::Command erase = log.NewCommand("the customer asked to be forgotten");
  *erase.mutable_erase()->mutable_customer() = LogBuilder::Of(messenger);
  log.Add(erase);
  log.Message(v1::MESSENGER, messenger, "mid.1");  // a retry of an erased message: not stored
  log.Message(v1::MESSENGER, messenger, "mid.2");
  log.Message(v1::WHATSAPP, wa, "wamid.2");
  return log;
}

}  // namespace omnihub::unifier::testing
