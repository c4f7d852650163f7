// The API's tokens, stored only as hashes, one small JSON file per token in the config's
// api.token_dir (docs/formats/api-tokens.md): omnihub-api reads them, and omnihubctl's
// `token create|list|revoke|login` writes them directly, so tokens can be made before the API
// runs (./scripts/run.sh's first admin token) and a revocation takes effect on the next request.
//
// A token is "ohk_" + token_id (16 hex) + "_" + secret (43 base64url characters, 256 random
// bits); the file <token_id>.json keeps its SHA-256, never the token. Files are written to a
// temporary name, synced and renamed, so a reader never sees half a file.
//
// One-time login codes (the console links ./scripts/run.sh prints) live beside the tokens as
// login-<sha256 of the code>.json; redeeming one removes it (rename), so it works once.
// Create and Revoke hold an flock(2) on <dir>/store.lock, so two processes cannot both give
// out one name. The secret comes from the injected RandomSource: production passes
// base::SecureRandom (the kernel's CSPRNG), tests a SeededRandom.
//
// Thread-safety: all methods are thread-safe; several processes may use one directory.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "services/api/auth/principal.h"
#include "services/api/auth/private_files.h"

namespace omnihub::api::auth {

struct TokenRecord {
  std::string token_id;
  std::string name;
  uint8_t scopes = 0;
  std::string sha256_hex;    // of the whole token text
  int64_t created_at_us = 0;
  int64_t expires_at_us = 0;  // 0 = never
  int64_t revoked_at_us = 0;  // 0 = not revoked
  std::string created_by;     // the token name or login that created it
  uint32_t rate_limit_per_s = 0;  // 0 = the config default
};

struct NewToken {
  TokenRecord record;
  std::string token;  // the secret text, shown once
};

class TokenStore {
 public:
  // `dir` is created (0700) if missing. `clock` and `random` must outlive the store.
  TokenStore(std::string dir, base::Clock& clock, base::RandomSource& random);

  // A new token. InvalidArgument for an empty or over-long name (1..64 characters of
  // [A-Za-z0-9._@-]) or no scopes; AlreadyExists when an unrevoked token has that name.
  // `ttl_us` 0 = never expires.
  base::Result<NewToken> Create(const std::string& name, uint8_t scopes, int64_t ttl_us,
                                const std::string& created_by, uint32_t rate_limit_per_s = 0);
  // Every token ever created (revoked ones too), oldest first.
  base::Result<std::vector<TokenRecord>> List() const;
  // The record `id_or_name` names: a token id, else the active token of that name, else the
  // newest revoked or expired one of that name. NotFound when there is none.
  base::Result<TokenRecord> Find(const std::string& id_or_name) const;
  // Marks the token (by id or by name, as Find) revoked. NotFound when there is none.
  base::Result<TokenRecord> Revoke(const std::string& id_or_name);
  // The token's principal when it exists, matches its hash, is not revoked and not expired;
  // otherwise Unauthenticated-style NotFound with a message fit for a 401 body. Re-reads a
  // token file only when it changed on disk.
  base::Result<Principal> Verify(std::string_view token) const;
  // The principal of a token id (session cookies carry the id, not the token): same checks
  // but the hash.
  base::Result<Principal> PrincipalOf(const std::string& token_id) const;

  // A one-time login code for the token `id_or_name`, valid for `ttl_us`.
  base::Result<std::string> CreateLoginCode(const std::string& id_or_name, int64_t ttl_us);
  // Redeems a code once: the token's principal, or NotFound (unknown, used or expired code).
  base::Result<Principal> RedeemLoginCode(std::string_view code);

  // 32 random bytes kept in <dir>/session.key (0600), created on first use: signs session
  // cookies and CSRF tokens, so they survive a restart of omnihub-api.
  base::Result<std::string> SessionKey();

  const std::string& dir() const { return dir_; }

 private:
  struct Cached {
    TokenRecord record;
    FileVersion version;  // of the file the record was read from
  };
  // The record of <token_id>.json, re-read only when the file changed.
  base::Result<TokenRecord> Load(const std::string& token_id) const;
  base::Status Write(const TokenRecord& record);
  std::string RandomBytes(size_t n);
  std::string TokenPath(const std::string& token_id) const;
  // Removes expired login codes and the leftovers of interrupted redeems (best effort).
  void SweepLoginCodes();

  std::string dir_;
  base::Clock& clock_;
  base::RandomSource& random_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Cached> cache_;  // guarded by mu_
};

}  // namespace omnihub::api::auth
