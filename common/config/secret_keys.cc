#include "common/config/secret_keys.h"

#include <string>

namespace omnihub::config {

void ReadSecret(TableReader& r, std::string_view name, bool required, SecretConfig* out) {
  const std::string env_key = std::string(name) + "_env";
  const std::string file_key = std::string(name) + "_file";
  const std::string dev_key = "dev_" + std::string(name);
  out->key = r.prefix().empty() ? std::string(name) : r.prefix() + "." + std::string(name);
  r.String(env_key, &out->env);
  r.String(file_key, &out->file);
  r.OptionalString(dev_key, &out->dev);
  for (const std::string* key : {&env_key, &file_key, &dev_key}) {
    if (r.Has(*key)) {
      out->line = r.LineNumberOf(*key);
      break;
    }
  }
  if (!out->env.empty() && !out->file.empty()) {
    r.Fail(file_key, "and " + env_key + r.LineOf(env_key) +
                         " are both given: a secret has one source, keep one of them");
  } else if (!out->file.empty() && !out->dev.empty()) {
    r.Fail(dev_key, "is given beside " + file_key + r.LineOf(file_key) +
                        ": a secret file has no development stand-in, remove " + dev_key);
  } else if (required && out->env.empty() && out->file.empty() && out->dev.empty()) {
    r.Fail("", "has no " + std::string(name) + ": set " + env_key + " (an environment variable's name) or " +
                   file_key + " (a file holding it)");
  }
}

}  // namespace omnihub::config
