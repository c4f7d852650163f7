#include "common/config/secret.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace omnihub::config {

GetEnvFn ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

std::string SecretFilePath(const std::string& file, const GetEnvFn& getenv) {
  if (file.empty() || std::filesystem::path(file).is_absolute()) return file;
  if (auto dir = getenv("CREDENTIALS_DIRECTORY"); dir && !dir->empty()) {
    return (std::filesystem::path(*dir) / file).string();
  }
  return file;
}

std::string SecretResolver::Get(const SecretConfig& secret, bool required) {
  const std::string line = secret.line == 0 ? "" : " (line " + std::to_string(secret.line) + ")";
  if (!secret.file.empty()) {
    const std::string path = SecretFilePath(secret.file, getenv_);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      errors_.push_back(secret.key + "_file" + line + ": cannot read '" + path + "': " + std::strerror(errno) +
                        " (relative paths are under $CREDENTIALS_DIRECTORY when it is set)");
      return "";
    }
    std::stringstream content;
    content << in.rdbuf();
    std::string value = content.str();
    if (value.ends_with('\n')) value.pop_back();
    if (value.empty()) errors_.push_back(secret.key + "_file" + line + ": '" + path + "' is empty");
    return value;
  }
  if (!secret.env.empty()) {
    if (auto v = getenv_(secret.env); v && !v->empty()) return *v;
  }
  if (!secret.dev.empty()) {
    warnings_.push_back(secret.key + " uses the development secret from the config" +
                        (secret.env.empty() ? std::string() : " because $" + secret.env + " is not set") +
                        ": do not take real traffic with it");
    return secret.dev;
  }
  if (required) {
    errors_.push_back(secret.env.empty() ? secret.key + line + ": no secret: set " + secret.key + "_env or " +
                                               secret.key + "_file"
                                         : "environment variable " + secret.env + " is not set (" + secret.key +
                                               "_env" + line + "): set it, or name a file with " + secret.key +
                                               "_file");
  }
  return "";
}

base::Status SecretResolver::status() const {
  if (errors_.empty()) return base::Status::Ok();
  std::string joined;
  for (const std::string& e : errors_) joined += (joined.empty() ? "" : "\n") + e;
  return base::Status::InvalidArgument(std::move(joined));
}

}  // namespace omnihub::config
