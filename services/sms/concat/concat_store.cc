#include "services/sms/concat/concat_store.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

#include <spdlog/spdlog.h>

namespace omnihub::sms {
namespace {

constexpr char kPartPrefix[] = "concat/";
constexpr char kDonePrefix[] = "concat-done/";
// How often AddPart looks for markers past their keep time (they are few and small).
constexpr int64_t kPurgeIntervalUs = int64_t{3600} * 1000000;

// A marker's value: the receive time of the part that completed its message, in decimal
// microseconds, then ' ' and the reassembly key (for people reading the outbox).
std::string DoneMarker(int64_t joined_at_us, const std::string& key) {
  return std::to_string(joined_at_us) + " " + key;
}

int64_t DoneMarkerTime(std::string_view value) {
  int64_t t = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), t);
  return ec == std::errc() ? t : 0;  // unreadable: oldest, so it is purged
}

std::string PartsPrefix(const std::string& key) { return kPartPrefix + key + "/"; }

std::string PartKey(const ConcatPart& p) {
  char number[8];
  std::snprintf(number, sizeof number, "%03u", p.part);
  return PartsPrefix(p.key) + number;
}

}  // namespace

ConcatStore::ConcatStore(bus::EventSink& sink, const bus::Outbox& outbox, const event::IdentityNormalizer& normalizer,
                         base::UuidV7Generator& ids)
    : sink_(sink), outbox_(outbox), normalizer_(normalizer), ids_(ids) {}

base::Result<ConcatAssembler> ConcatStore::LoadParts(const std::string& key, std::vector<std::string>* meta_keys) const {
  auto stored = outbox_.ScanMeta(PartsPrefix(key));
  if (!stored.ok()) return stored.status();
  ConcatAssembler parts;
  for (const auto& [meta_key, value] : *stored) {
    auto part = DecodeConcatPart(value);
    if (!part.ok()) return part.status().WithContext("stored part " + meta_key);
    OMNIHUB_RETURN_IF_ERROR(parts.Add(std::move(*part)));
    meta_keys->push_back(meta_key);
  }
  return parts;
}

base::Result<std::vector<bus::OutboxItem>> ConcatStore::Joined(const ConcatAssembler& parts, bus::MetaPuts* done_markers) const {
  auto event = parts.Assemble(normalizer_, ids_);
  if (!event.ok()) return event.status();
  if (tenant_of_ && !parts.parts().empty()) event->set_tenant_id(tenant_of_(parts.parts().begin()->second.account_name));
  int64_t joined_at_us = 0;
  for (const auto& [number, part] : parts.parts()) joined_at_us = std::max(joined_at_us, part.received_at_us);
  for (const auto& [number, part] : parts.parts()) {
    done_markers->emplace_back(kDonePrefix + part.message_id, DoneMarker(joined_at_us, part.key));
  }
  std::vector<bus::OutboxItem> items(1);
  items[0].event_bytes = event->SerializeAsString();
  return items;
}

base::Status ConcatStore::PurgeDoneMarkers(int64_t now_us) {
  std::lock_guard lock(mu_);
  return PurgeLocked(now_us);
}

base::Status ConcatStore::PurgeLocked(int64_t now_us) {
  auto markers = outbox_.ScanMeta(kDonePrefix);
  if (!markers.ok()) return markers.status();
  std::vector<std::string> expired;
  for (const auto& [key, value] : *markers) {
    if (now_us - DoneMarkerTime(value) > keep_done_markers_us_) expired.push_back(key);
  }
  last_purge_us_ = now_us;
  if (expired.empty()) return base::Status::Ok();
  auto seqs = sink_.Append({}, {}, std::move(expired));
  return seqs.status();
}

base::Result<ConcatStore::Outcome> ConcatStore::AddPart(ConcatPart part) {
  std::lock_guard lock(mu_);
  if (part.received_at_us - last_purge_us_ > kPurgeIntervalUs) {
    // Best effort: a failed purge only keeps markers longer; the part itself must not fail.
    if (base::Status s = PurgeLocked(part.received_at_us); !s.ok()) {
      spdlog::warn("sms: cannot purge old multi-part markers: {}", s.message());
    }
  }
  auto done = outbox_.GetMeta(kDonePrefix + part.message_id);
  if (!done.ok()) return done.status();
  if (done->has_value()) return Outcome::kRepeat;

  std::vector<std::string> stored_keys;
  auto parts = LoadParts(part.key, &stored_keys);
  if (!parts.ok()) return parts.status();
  const size_t held = parts->size();
  ConcatPart copy = part;
  base::Status added = parts->Add(std::move(copy));
  if (added.ok() && parts->size() == held) return Outcome::kRepeat;

  if (!added.ok()) {
    // The concat-ref was reused (or the total changed): publish what the old message has,
    // flagged incomplete, and start the new one with this part, in one batch.
    spdlog::warn("sms: multi-part message {} replaced before it was complete ({} of {} parts): {}", part.key,
                 parts->size(), parts->total(), added.message());
    bus::MetaPuts puts;
    auto items = Joined(*parts, &puts);
    if (!items.ok()) return items.status();
    // The new part overwrites the old part of its number (a batch applies deletes after puts).
    std::erase(stored_keys, PartKey(part));
    puts.emplace_back(PartKey(part), EncodeConcatPart(part));
    auto seqs = sink_.Append(std::move(*items), std::move(puts), std::move(stored_keys));
    if (!seqs.ok()) return seqs.status();
    return Outcome::kStored;
  }
  if (!parts->Complete()) {
    auto seqs = sink_.Append({}, {{PartKey(part), EncodeConcatPart(part)}}, {});
    if (!seqs.ok()) return seqs.status();
    return Outcome::kStored;
  }
  bus::MetaPuts puts;
  auto items = Joined(*parts, &puts);
  if (!items.ok()) return items.status();
  auto seqs = sink_.Append(std::move(*items), std::move(puts), std::move(stored_keys));
  if (!seqs.ok()) return seqs.status();
  return Outcome::kPublished;
}

base::Result<std::vector<std::string>> ConcatStore::PendingKeys() const {
  auto stored = outbox_.ScanMeta(kPartPrefix);
  if (!stored.ok()) return stored.status();
  std::vector<std::string> keys;
  for (const auto& [meta_key, value] : *stored) {
    const std::string key = meta_key.substr(sizeof(kPartPrefix) - 1, meta_key.rfind('/') - (sizeof(kPartPrefix) - 1));
    if (keys.empty() || keys.back() != key) keys.push_back(key);
  }
  return keys;
}

base::Result<size_t> ConcatStore::DropPartsOf(const std::vector<std::string>& identities) {
  std::set<std::string> erased;  // IdentityKey of each identity asked for
  for (const std::string& arg : identities) {
    auto id = normalizer_.ParseArgument(arg);
    if (!id.ok()) return id.status().WithContext("identity '" + arg + "'");
    erased.insert(event::IdentityKey(*id));
  }
  std::lock_guard lock(mu_);
  auto stored = outbox_.ScanMeta(kPartPrefix);
  if (!stored.ok()) return stored.status();
  std::vector<std::string> drop;
  for (const auto& [meta_key, value] : *stored) {
    auto part = DecodeConcatPart(value);
    if (!part.ok()) return part.status();
    const std::string msisdn = part->key.substr(0, part->key.find(':'));
    auto sender = normalizer_.SmsAddress(msisdn);
    if (sender.ok() && erased.count(event::IdentityKey(*sender)) > 0) drop.push_back(meta_key);
  }
  if (drop.empty()) return size_t{0};
  const size_t dropped = drop.size();
  auto seqs = sink_.Append({}, {}, std::move(drop));
  if (!seqs.ok()) return seqs.status();
  return dropped;
}

}  // namespace omnihub::sms
