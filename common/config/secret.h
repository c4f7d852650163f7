// A secret of the config (a webhook signing key, a verify token): the config never holds
// the value itself but says where it comes from, exactly one of
//   <name>_env = "VAR"      the environment variable VAR;
//   <name>_file = "PATH"    the file PATH, its content less one trailing newline; a relative
//                           PATH is under $CREDENTIALS_DIRECTORY when that is set (systemd's
//                           LoadCredential=), else under the working directory;
//   dev_<name> = "value"    an inline value for development, also allowed beside <name>_env
//                           as its stand-in while VAR is unset (the embedded default config).
// The section parsers read these keys with ReadSecret (common/config/secret_keys.h); the
// service that uses the secret resolves it with a SecretResolver at start and under
// --check-config alike (service::StartService's own checks), so that only the process that
// needs a secret reads its file or variable.
// Resolved values go to the service and never into a message or the log: errors and
// warnings name keys, variables and paths only. docs/configuration.md, "Secrets".
//
// Thread-safety: SecretConfig is a value. A SecretResolver is for one thread; it reads the
// file system and the environment through its `getenv`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace omnihub::config {

struct SecretConfig {
  std::string key;   // "sms.twilio.shop.auth_token": for messages (the keys add _env, _file, dev_)
  std::string env;   // <name>_env: the variable's name
  std::string file;  // <name>_file: the path as written
  std::string dev;   // dev_<name>: the development value
  int line = 0;      // of the first of the keys that is given, for messages
};

// Reads an environment variable (std::getenv in production; a map in tests).
using GetEnvFn = std::function<std::optional<std::string>(const std::string& name)>;

// The process's own environment.
GetEnvFn ProcessEnvironment();

// `file` as the resolver reads it: relative paths under $CREDENTIALS_DIRECTORY when set.
std::string SecretFilePath(const std::string& file, const GetEnvFn& getenv);

// Resolves the secrets of one service, collecting every problem instead of stopping at the
// first, so that a start or --check-config names them all.
class SecretResolver {
 public:
  explicit SecretResolver(GetEnvFn getenv) : getenv_(std::move(getenv)) {}

  // `secret`'s value from its one source, or "" when it has none: then an error if
  // `required` ("environment variable X is not set (key_env (line N))"). A *_file that
  // cannot be read or is empty is always an error naming the key and the path.
  std::string Get(const SecretConfig& secret, bool required);

  // For the log: development values standing in (keys and variables, no value).
  const std::vector<std::string>& warnings() const { return warnings_; }
  void Warn(std::string warning) { warnings_.push_back(std::move(warning)); }

  // Ok, or InvalidArgument with one line per problem.
  base::Status status() const;

 private:
  GetEnvFn getenv_;
  std::vector<std::string> warnings_;
  std::vector<std::string> errors_;
};

}  // namespace omnihub::config
