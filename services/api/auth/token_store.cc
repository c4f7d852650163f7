#include "services/api/auth/token_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <tuple>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/http/webhook_auth.h"

namespace omnihub::api::auth {
namespace {

constexpr int kFormat = 1;
constexpr char kTokenPrefix[] = "ohk_";
constexpr size_t kIdHexLength = 16;
constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretLength = 43;  // base64url of 32 bytes, unpadded
constexpr size_t kMaxNameLength = 64;
constexpr char kLoginPrefix[] = "login-";
constexpr char kClaimedInfix[] = ".claimed-";

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsBase64Url(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool IsTokenId(std::string_view s) { return s.size() == kIdHexLength && IsLowerHex(s); }

base::Status CheckName(const std::string& name) {
  const bool charset_ok = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '@' || c == '-';
  });
  if (name.empty() || name.size() > kMaxNameLength || !charset_ok) {
    return base::Status::InvalidArgument("a token name is 1 to 64 characters of A-Z a-z 0-9 . _ @ -");
  }
  // Revoke and login accept an id or a name; a name that reads as an id would be ambiguous.
  if (IsTokenId(name)) return base::Status::InvalidArgument("a token name must not look like a token id (16 hex digits)");
  return base::Status::Ok();
}

bool IsActive(const TokenRecord& r, int64_t now_us) {
  return r.revoked_at_us == 0 && (r.expires_at_us == 0 || now_us < r.expires_at_us);
}

// The refusal of a known token that may no longer be used; nullopt while it may.
std::optional<base::Status> Unusable(const TokenRecord& r, int64_t now_us) {
  if (r.revoked_at_us != 0) return base::Status::NotFound("the token '" + r.name + "' has been revoked");
  if (r.expires_at_us != 0 && now_us >= r.expires_at_us) {
    return base::Status::NotFound("the token '" + r.name + "' has expired");
  }
  return std::nullopt;
}

Principal PrincipalFrom(const TokenRecord& r) {
  return Principal{.token_id = r.token_id, .name = r.name, .scopes = r.scopes, .rate_limit_per_s = r.rate_limit_per_s};
}

// --- <token_id>.json (docs/formats/api-tokens.md) -----------------------------------------

std::string EncodeRecord(const TokenRecord& r) {
  const nlohmann::json j = {{"format", kFormat},
                            {"token_id", r.token_id},
                            {"name", r.name},
                            {"scopes", ScopeNames(r.scopes)},
                            {"sha256", r.sha256_hex},
                            {"created_at_us", r.created_at_us},
                            {"expires_at_us", r.expires_at_us},
                            {"revoked_at_us", r.revoked_at_us},
                            {"created_by", r.created_by},
                            {"rate_limit_per_s", r.rate_limit_per_s}};
  return j.dump(2) + "\n";
}

base::Result<TokenRecord> DecodeRecord(const std::string& bytes, const std::string& path) {
  try {
    const nlohmann::json j = nlohmann::json::parse(bytes);
    if (j.at("format").get<int>() != kFormat) {
      return base::Status::Corruption(path + ": unsupported format " + j.at("format").dump());
    }
    TokenRecord r;
    r.token_id = j.at("token_id").get<std::string>();
    r.name = j.at("name").get<std::string>();
    for (const auto& scope : j.at("scopes")) {
      auto known = ScopeFromName(scope.get<std::string>());
      if (!known) return base::Status::Corruption(path + ": unknown scope " + scope.dump());
      r.scopes |= static_cast<uint8_t>(*known);
    }
    r.sha256_hex = j.at("sha256").get<std::string>();
    r.created_at_us = j.at("created_at_us").get<int64_t>();
    r.expires_at_us = j.at("expires_at_us").get<int64_t>();
    r.revoked_at_us = j.at("revoked_at_us").get<int64_t>();
    r.created_by = j.at("created_by").get<std::string>();
    r.rate_limit_per_s = j.at("rate_limit_per_s").get<uint32_t>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return base::Status::Corruption(path + ": " + e.what());
  }
}

// --- login-<sha256 of code>.json -------------------------------------------------------------

std::string EncodeLoginCode(const std::string& token_id, int64_t created_at_us, int64_t expires_at_us) {
  const nlohmann::json j = {{"format", kFormat},
                            {"token_id", token_id},
                            {"created_at_us", created_at_us},
                            {"expires_at_us", expires_at_us}};
  return j.dump(2) + "\n";
}

struct LoginCode {
  std::string token_id;
  int64_t expires_at_us = 0;
};

base::Result<LoginCode> DecodeLoginCode(const std::string& bytes, const std::string& path) {
  try {
    const nlohmann::json j = nlohmann::json::parse(bytes);
    if (j.at("format").get<int>() != kFormat) {
      return base::Status::Corruption(path + ": unsupported format " + j.at("format").dump());
    }
    return LoginCode{.token_id = j.at("token_id").get<std::string>(),
                     .expires_at_us = j.at("expires_at_us").get<int64_t>()};
  } catch (const nlohmann::json::exception& e) {
    return base::Status::Corruption(path + ": " + e.what());
  }
}

base::Status UnusableLink() {
  return base::Status::NotFound("the login link is not valid or was already used; ask for a new one "
                                "(omnihubctl token login NAME)");
}

// flock(2) on <dir>/store.lock for the life of the object. Each instance opens its own
// descriptor, so it excludes other threads of this process as well as other processes.
class StoreLock {
 public:
  static base::Result<std::unique_ptr<StoreLock>> Acquire(const std::string& dir) {
    const std::string path = dir + "/store.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return base::Status::IoError("cannot open " + path + ": " + std::strerror(errno));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const std::string error = std::strerror(errno);
        ::close(fd);
        return base::Status::IoError("cannot lock " + path + ": " + error);
      }
    }
    return std::unique_ptr<StoreLock>(new StoreLock(fd));
  }
  ~StoreLock() { ::close(fd_); }  // releases the lock
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

TokenStore::TokenStore(std::string dir, base::Clock& clock, base::RandomSource& random)
    : dir_(std::move(dir)), clock_(clock), random_(random) {
  // A failure here shows again, with the path, on the first write.
  if (auto made = EnsurePrivateDirectory(dir_); !made.ok()) spdlog::warn("token store: {}", made.message());
}

std::string TokenStore::RandomBytes(size_t n) {
  std::string bytes;
  while (bytes.size() < n) {
    const uint64_t v = random_.Next64();
    bytes.append(reinterpret_cast<const char*>(&v), std::min(sizeof v, n - bytes.size()));
  }
  return bytes;
}

std::string TokenStore::TokenPath(const std::string& token_id) const { return dir_ + "/" + token_id + ".json"; }

base::Status TokenStore::Write(const TokenRecord& record) {
  OMNIHUB_RETURN_IF_ERROR(EnsurePrivateDirectory(dir_));
  return ReplaceFile(TokenPath(record.token_id), EncodeRecord(record), base::HexEncode(RandomBytes(8)));
}

base::Result<NewToken> TokenStore::Create(const std::string& name, uint8_t scopes, int64_t ttl_us,
                                          const std::string& created_by, uint32_t rate_limit_per_s) {
  OMNIHUB_RETURN_IF_ERROR(CheckName(name));
  if (scopes == 0 || (scopes & ~uint8_t{0x0f}) != 0) {
    return base::Status::InvalidArgument("a token needs at least one of the scopes read, write, ingest, admin");
  }
  if (ttl_us < 0) return base::Status::InvalidArgument("a token's lifetime must not be negative");
  OMNIHUB_RETURN_IF_ERROR(EnsurePrivateDirectory(dir_));
  auto lock = StoreLock::Acquire(dir_);
  if (!lock.ok()) return lock.status();

  const int64_t now = clock_.NowMicros();
  auto existing = List();
  if (!existing.ok()) return existing.status();
  for (const TokenRecord& r : *existing) {
    if (r.name == name && IsActive(r, now)) {
      return base::Status::AlreadyExists("a token named '" + name + "' exists (" + r.token_id +
                                         "); revoke it first or choose another name");
    }
  }
  std::string token_id;
  do {
    token_id = base::HexEncode(RandomBytes(kIdHexLength / 2));
  } while (VersionOf(TokenPath(token_id)).has_value());

  NewToken made;
  made.token = kTokenPrefix + token_id + "_" + base::Base64UrlEncode(RandomBytes(kSecretBytes));
  TokenRecord& r = made.record;
  r.token_id = token_id;
  r.name = name;
  r.scopes = scopes;
  r.sha256_hex = base::Sha256Hex(made.token);
  r.created_at_us = now;
  r.expires_at_us = ttl_us == 0 ? 0 : now + ttl_us;
  r.created_by = created_by;
  r.rate_limit_per_s = rate_limit_per_s;
  OMNIHUB_RETURN_IF_ERROR(Write(r));
  return made;
}

base::Result<std::vector<TokenRecord>> TokenStore::List() const {
  std::vector<TokenRecord> records;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return records;
    return base::Status::IoError("cannot list " + dir_ + ": " + ec.message());
  }
  for (const auto& entry : it) {
    const std::string file = entry.path().filename().string();
    if (file.size() != kIdHexLength + 5 || !file.ends_with(".json")) continue;
    const std::string token_id = file.substr(0, kIdHexLength);
    if (!IsTokenId(token_id)) continue;
    auto record = Load(token_id);
    if (record.ok()) {
      records.push_back(std::move(*record));
    } else if (!record.status().IsNotFound()) {  // NotFound: revoked and removed meanwhile
      // One damaged file must not hide every other token from the operator.
      spdlog::warn("token store: skipping {}", record.status().message());
    }
  }
  std::sort(records.begin(), records.end(), [](const TokenRecord& a, const TokenRecord& b) {
    return std::tie(a.created_at_us, a.token_id) < std::tie(b.created_at_us, b.token_id);
  });
  return records;
}

base::Result<TokenRecord> TokenStore::Find(const std::string& id_or_name) const {
  if (IsTokenId(id_or_name)) return Load(id_or_name);
  auto all = List();
  if (!all.ok()) return all.status();
  const int64_t now = clock_.NowMicros();
  const TokenRecord* newest = nullptr;
  for (const TokenRecord& r : *all) {
    if (r.name != id_or_name) continue;
    if (IsActive(r, now)) return r;
    newest = &r;  // List is oldest first
  }
  if (newest != nullptr) return *newest;
  return base::Status::NotFound("no token with the id or name '" + id_or_name + "'");
}

base::Result<TokenRecord> TokenStore::Revoke(const std::string& id_or_name) {
  auto lock = StoreLock::Acquire(dir_);
  if (!lock.ok()) return lock.status();
  auto found = Find(id_or_name);
  if (!found.ok()) return found.status();
  TokenRecord r = std::move(*found);
  if (r.revoked_at_us != 0) return r;  // revoking twice changes nothing
  r.revoked_at_us = clock_.NowMicros();
  OMNIHUB_RETURN_IF_ERROR(Write(r));
  return r;
}

base::Result<TokenRecord> TokenStore::Load(const std::string& token_id) const {
  const std::string path = TokenPath(token_id);
  const auto version = VersionOf(path);
  if (!version) {
    std::lock_guard lock(mu_);
    cache_.erase(token_id);
    return base::Status::NotFound("no token with the id '" + token_id + "'");
  }
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(token_id); it != cache_.end() && it->second.version == *version) {
      return it->second.record;
    }
  }
  // Files are replaced by rename, so this reads one whole version; if it is newer than
  // `version`, the next call sees a different version and reads again.
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) return base::Status::NotFound("no token with the id '" + token_id + "'");
    return bytes.status();
  }
  auto record = DecodeRecord(*bytes, path);
  if (!record.ok()) return record.status();
  if (record->token_id != token_id) return base::Status::Corruption(path + ": names the token " + record->token_id);
  std::lock_guard lock(mu_);
  cache_[token_id] = Cached{.record = *record, .version = *version};
  return record;
}

base::Result<Principal> TokenStore::Verify(std::string_view token) const {
  const auto invalid = base::Status::NotFound("the token is not valid");
  constexpr size_t kPrefix = sizeof(kTokenPrefix) - 1;
  if (token.size() != kPrefix + kIdHexLength + 1 + kSecretLength || !token.starts_with(kTokenPrefix) ||
      token[kPrefix + kIdHexLength] != '_') {
    return invalid;
  }
  const std::string token_id(token.substr(kPrefix, kIdHexLength));
  if (!IsTokenId(token_id) || !IsBase64Url(token.substr(kPrefix + kIdHexLength + 1))) return invalid;
  auto record = Load(token_id);
  if (!record.ok()) {
    if (record.status().IsNotFound()) return invalid;
    return record.status();
  }
  // Only a holder of the token learns whether it was revoked or expired.
  if (!http::ConstantTimeEquals(base::Sha256Hex(token), record->sha256_hex)) return invalid;
  if (auto refused = Unusable(*record, clock_.NowMicros())) return *refused;
  return PrincipalFrom(*record);
}

base::Result<Principal> TokenStore::PrincipalOf(const std::string& token_id) const {
  if (!IsTokenId(token_id)) return base::Status::NotFound("the session is not valid; log in again");
  auto record = Load(token_id);
  if (!record.ok()) {
    if (record.status().IsNotFound()) return base::Status::NotFound("the session's token no longer exists; log in again");
    return record.status();
  }
  if (auto refused = Unusable(*record, clock_.NowMicros())) return *refused;
  return PrincipalFrom(*record);
}

base::Result<std::string> TokenStore::CreateLoginCode(const std::string& id_or_name, int64_t ttl_us) {
  if (ttl_us <= 0) return base::Status::InvalidArgument("a login link's lifetime must be positive");
  auto found = Find(id_or_name);
  if (!found.ok()) return found.status();
  const int64_t now = clock_.NowMicros();
  if (auto refused = Unusable(*found, now)) return base::Status::FailedPrecondition(refused->message());
  SweepLoginCodes();
  const std::string code = base::Base64UrlEncode(RandomBytes(kSecretBytes));
  OMNIHUB_RETURN_IF_ERROR(EnsurePrivateDirectory(dir_));
  OMNIHUB_RETURN_IF_ERROR(ReplaceFile(dir_ + "/" + kLoginPrefix + base::Sha256Hex(code) + ".json",
                                      EncodeLoginCode(found->token_id, now, now + ttl_us),
                                      base::HexEncode(RandomBytes(8))));
  return code;
}

base::Result<Principal> TokenStore::RedeemLoginCode(std::string_view code) {
  if (code.size() != kSecretLength || !IsBase64Url(code)) return UnusableLink();
  const std::string path = dir_ + "/" + kLoginPrefix + base::Sha256Hex(code) + ".json";
  // rename(2) is atomic: of two concurrent redeems exactly one moves the file, the other
  // finds it gone. The claimed copy is removed whatever happens next.
  const std::string claimed = path + kClaimedInfix + base::HexEncode(RandomBytes(8));
  if (::rename(path.c_str(), claimed.c_str()) != 0) {
    if (errno == ENOENT) return UnusableLink();
    return base::Status::IoError("cannot claim " + path + ": " + std::strerror(errno));
  }
  auto bytes = ReadWholeFile(claimed);
  ::unlink(claimed.c_str());
  if (!bytes.ok()) return bytes.status().IsNotFound() ? UnusableLink() : bytes.status();
  auto login = DecodeLoginCode(*bytes, path);
  if (!login.ok()) return login.status();
  if (clock_.NowMicros() >= login->expires_at_us) {
    return base::Status::NotFound("the login link has expired; ask for a new one (omnihubctl token login NAME)");
  }
  return PrincipalOf(login->token_id);
}

void TokenStore::SweepLoginCodes() {
  std::error_code ec;
  const int64_t now = clock_.NowMicros();
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string file = entry.path().filename().string();
    // login-<hash>.json, or login-<hash>.json.claimed-<x> left by a redeem that died between
    // its rename and its unlink. A claimed code still unexpired may be a redeem in progress.
    if (!file.starts_with(kLoginPrefix) || (!file.ends_with(".json") && file.find(kClaimedInfix) == std::string::npos)) {
      continue;
    }
    const std::string path = entry.path().string();
    auto bytes = ReadWholeFile(path);
    if (!bytes.ok()) continue;
    auto login = DecodeLoginCode(*bytes, path);
    if (!login.ok() || now >= login->expires_at_us) ::unlink(path.c_str());
  }
}

base::Result<std::string> TokenStore::SessionKey() {
  const std::string path = dir_ + "/session.key";
  OMNIHUB_RETURN_IF_ERROR(EnsurePrivateDirectory(dir_));
  auto key = CreateOnce(path, RandomBytes(kSecretBytes), base::HexEncode(RandomBytes(8)));
  if (!key.ok()) return key.status();
  if (key->size() != kSecretBytes) {
    return base::Status::Corruption(path + " holds " + std::to_string(key->size()) +
                                    " bytes, not 32; remove it to make a new key (every console session ends)");
  }
  return key;
}

}  // namespace omnihub::api::auth
