#include "services/social/x/x_event.h"

#include <limits>

#include "common/base/sha256.h"
#include "common/base/text.h"

namespace omnihub::social {
namespace {

constexpr int64_t kMaxMillis = std::numeric_limits<int64_t>::max() / 1'000;

}  // namespace

v1::Event NewXEvent(const XDelivery& d, v1::EventKind kind) {
  v1::Event e;
  e.set_channel(v1::X);
  e.set_kind(kind);
  e.set_account(d.for_user_id);
  (*e.mutable_provider_fields())[kAccountNameField] = d.ctx->account_name;
  return e;
}

std::string XConversation(const XDelivery& d, std::string_view space, std::string_view customer_id) {
  return std::string(kXPlatform) + ":" + std::string(space) + ":" + base::EscapeColons(d.for_user_id) + ":" +
         base::EscapeColons(customer_id);
}

void SetOccurredFromMillis(std::optional<int64_t> millis, const DeliveryContext& ctx, v1::Event* e) {
  if (millis.has_value() && *millis > 0 && *millis <= kMaxMillis) {
    e->set_occurred_at_us(*millis * 1'000);
    return;
  }
  e->set_occurred_at_us(ctx.received_at_us);
  e->add_flags(kTimeMissingFlag);
}

base::Result<v1::Identity> XUser(const XDelivery& d, std::string_view id, std::string_view path, const Json* user) {
  if (user == nullptr && d.users != nullptr) user = Find(*d.users, id);
  std::string handle;
  std::string name;
  if (user != nullptr) {
    handle = OptionalString(*user, "screen_name");
    if (!handle.empty()) handle.insert(0, "@");
    name = OptionalString(*user, "name");
  }
  auto identity = d.ctx->normalizer->Platform(kXPlatform, "", id, handle, name);
  if (!identity.ok()) return identity.status().WithContext(path);
  return identity;
}

base::Result<std::string> SetXParties(const XDelivery& d, const XSide& actor, const XSide& other, v1::Event* e) {
  const bool outbound = actor.id == d.for_user_id;
  const XSide& customer = outbound ? other : actor;
  auto customer_identity = XUser(d, customer.id, customer.path, customer.user);
  if (!customer_identity.ok()) return customer_identity.status();
  // The payload's own object for the subscribed account (a tweet's `user`, a follow's `target`)
  // names it even when the delivery has no `users` map.
  const XSide* business = outbound ? &actor : (other.id == d.for_user_id ? &other : nullptr);
  v1::Identity account = d.account;
  if (business != nullptr && business->user != nullptr) {
    auto named = XUser(d, d.for_user_id, business->path, business->user);
    if (!named.ok()) return named.status();
    account = std::move(*named);
  }
  e->set_direction(outbound ? v1::OUTBOUND : v1::INBOUND);
  *e->mutable_sender() = outbound ? std::move(account) : *customer_identity;
  *e->add_recipients() = outbound ? std::move(*customer_identity) : std::move(account);
  return customer.id;
}

base::Status SetOwnAccountParty(const XDelivery& d, const Json* account_user, v1::Event* e) {
  v1::Identity account = d.account;
  if (account_user != nullptr) {
    auto named = XUser(d, d.for_user_id, "for_user_id", account_user);
    if (!named.ok()) return named.status();
    account = std::move(*named);
  }
  e->set_direction(v1::OUTBOUND);
  *e->mutable_sender() = std::move(account);
  *e->add_recipients() = BusinessParty(kXPlatform, d.for_user_id);
  e->add_flags(kBusinessPartyFlag);
  return base::Status::Ok();
}

void SetPlatformNoticeParty(const XDelivery& d, v1::Event* e) {
  e->set_direction(v1::INBOUND);
  *e->mutable_sender() = BusinessParty(kXPlatform, d.for_user_id);
  *e->add_recipients() = d.account;
  e->add_flags(kBusinessPartyFlag);
}

std::string XElementId(std::string_view activity, const Json& element) {
  std::string id = OptionalId(element, "id_str");
  if (id.empty()) id = OptionalId(element, "id");
  if (id.empty()) id = base::Sha256Hex(Dump(element)).substr(0, 32);
  return std::string(activity) + ":" + id;
}

base::Status MapXElements(const XDelivery& d, std::string_view key, const Json& elements, const XElementMapper& map,
                          MappedDelivery* out) {
  for (size_t i = 0; i < elements.size(); ++i) {
    auto mapped = map(d, elements[i], IndexPath(key, i));
    if (!mapped.ok()) return mapped.status();
    out->push_back(std::move(*mapped));
  }
  return base::Status::Ok();
}

}  // namespace omnihub::social
