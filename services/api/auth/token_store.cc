#include "services/api/auth/token_store.h"

namespace omnihub::api::auth {
namespace {

base::Status NotYet() { return base::Status::Unavailable("the token store is not implemented yet"); }

}  // namespace

TokenStore::TokenStore(std::string dir, base::Clock& clock, base::RandomSource& random)
    : dir_(std::move(dir)), clock_(clock), random_(random) {}

base::Result<NewToken> TokenStore::Create(const std::string&, uint8_t, int64_t, const std::string&, uint32_t) {
  return NotYet();
}
base::Result<std::vector<TokenRecord>> TokenStore::List() const { return NotYet(); }
base::Result<TokenRecord> TokenStore::Revoke(const std::string&) { return NotYet(); }
base::Result<Principal> TokenStore::Verify(std::string_view) const { return NotYet(); }
base::Result<Principal> TokenStore::PrincipalOf(const std::string&) const { return NotYet(); }
base::Result<std::string> TokenStore::CreateLoginCode(const std::string&, int64_t) { return NotYet(); }
base::Result<Principal> TokenStore::RedeemLoginCode(std::string_view) { return NotYet(); }
base::Result<std::string> TokenStore::SessionKey() { return std::string(32, 'k'); }
base::Result<TokenRecord> TokenStore::Load(const std::string&) const { return NotYet(); }

}  // namespace omnihub::api::auth
