#include "common/config/config.h"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "common/config/paths.h"
#include "common/base/directories.h"
#include "common/event/identity.h"

namespace omnihub::config {
namespace {

constexpr std::string_view kDefaultToml =
#include "default_config.inc"
    ;

std::string LineOf(const toml::node& node) {
  const auto& src = node.source();
  if (!src.begin) return "";
  return " (line " + std::to_string(src.begin.line) + ")";
}

// Reads one table, tracking consumed keys so that leftovers are reported as unknown.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, std::string_view origin)
      : table_(table), prefix_(std::move(prefix)), origin_(origin) {}

  base::Status String(std::string_view key, std::string* out) {
    const toml::node* n = Take(key);
    if (!n) return base::Status::Ok();
    if (!n->is_string()) return TypeError(key, *n, "a string");
    *out = n->as_string()->get();
    if (out->empty()) return Error(key, *n, "must not be empty");
    return base::Status::Ok();
  }

  // A string that must also satisfy `valid`; `what` describes a valid value.
  template <typename Pred>
  base::Status String(std::string_view key, std::string* out, Pred valid, const std::string& what) {
    const toml::node* n = table_.get(key);
    OMNIHUB_RETURN_IF_ERROR(String(key, out));
    if (n != nullptr && !valid(*out)) return Error(key, *n, "'" + *out + "' is not " + what);
    return base::Status::Ok();
  }

  // A string that may be empty (meaning: feature off).
  base::Status OptionalString(std::string_view key, std::string* out) {
    const toml::node* n = Take(key);
    if (!n) return base::Status::Ok();
    if (!n->is_string()) return TypeError(key, *n, "a string");
    *out = n->as_string()->get();
    return base::Status::Ok();
  }

  base::Status StringList(std::string_view key, std::vector<std::string>* out) {
    const toml::node* n = Take(key);
    if (!n) return base::Status::Ok();
    if (!n->is_array()) return TypeError(key, *n, "a list of strings");
    out->clear();
    for (const auto& item : *n->as_array()) {
      if (!item.is_string()) return TypeError(key, item, "a list of strings");
      out->push_back(item.as_string()->get());
    }
    return base::Status::Ok();
  }

  base::Status Bool(std::string_view key, bool* out) {
    const toml::node* n = Take(key);
    if (!n) return base::Status::Ok();
    if (!n->is_boolean()) return TypeError(key, *n, "true or false");
    *out = n->as_boolean()->get();
    return base::Status::Ok();
  }

  base::Status Uint32(std::string_view key, uint32_t* out, uint32_t min, uint32_t max) {
    const toml::node* n = Take(key);
    if (!n) return base::Status::Ok();
    if (!n->is_integer()) return TypeError(key, *n, "an integer");
    const int64_t v = n->as_integer()->get();
    if (v < min || v > max) {
      return Error(key, *n, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    *out = static_cast<uint32_t>(v);
    return base::Status::Ok();
  }

  // Returns a reader for a sub-table, or nullptr-equivalent (empty optional) if absent.
  base::Result<const toml::table*> Table(std::string_view key) {
    const toml::node* n = Take(key);
    if (!n) return static_cast<const toml::table*>(nullptr);
    if (!n->is_table()) return TypeError(key, *n, "a table");
    return n->as_table();
  }

  // The sub-tables of table `key` ([key.NAME] sections), in order of their names.
  base::Result<std::vector<std::pair<std::string, const toml::table*>>> Tables(std::string_view key) {
    std::vector<std::pair<std::string, const toml::table*>> out;
    auto t = Table(key);
    if (!t.ok()) return t.status();
    if (*t == nullptr) return out;
    for (const auto& [name, node] : **t) {
      if (!node.is_table()) return TypeError(std::string(key) + "." + std::string(name.str()), node, "a table");
      out.emplace_back(std::string(name.str()), node.as_table());
    }
    return out;
  }

  const std::string& prefix() const { return prefix_; }
  std::string_view origin() const { return origin_; }

  // Every key not consumed is unknown.
  base::Status CheckNoUnknownKeys() const {
    for (const auto& [k, v] : table_) {
      if (!taken_.count(std::string(k.str()))) {
        return base::Status::InvalidArgument("config " + std::string(origin_) + ": unknown key '" + Full(k.str()) +
                                       "'" + LineOf(v));
      }
    }
    return base::Status::Ok();
  }

 private:
  const toml::node* Take(std::string_view key) {
    taken_.insert(std::string(key));
    return table_.get(key);
  }
  std::string Full(std::string_view key) const { return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key); }
  base::Status Error(std::string_view key, const toml::node& n, const std::string& what) const {
    return base::Status::InvalidArgument("config " + std::string(origin_) + ": " + Full(key) + LineOf(n) + " " + what);
  }
  base::Status TypeError(std::string_view key, const toml::node& n, const std::string& expected) const {
    return Error(key, n, "must be " + expected);
  }

  const toml::table& table_;
  std::string prefix_;
  std::string_view origin_;
  std::set<std::string> taken_;
};

// Applies `fn(reader)` to section `name` if present, then checks for unknown keys.
template <typename Fn>
base::Status Section(TableReader& root, std::string_view name, std::string_view origin, Fn fn) {
  auto table = root.Table(name);
  if (!table.ok()) return table.status();
  if (*table == nullptr) return base::Status::Ok();
  TableReader reader(**table, std::string(name), origin);
  OMNIHUB_RETURN_IF_ERROR(fn(reader));
  return reader.CheckNoUnknownKeys();
}

// [sms.twilio.NAME] / [sms.vonage.NAME]: the accounts of one provider.
base::Status SmsAccounts(TableReader& sms, std::string_view provider, bool vonage, std::vector<SmsAccountConfig>* out) {
  auto tables = sms.Tables(provider);
  if (!tables.ok()) return tables.status();
  if (tables->empty()) return base::Status::Ok();
  out->clear();
  for (const auto& [name, table] : *tables) {
    TableReader r(*table, sms.prefix() + "." + std::string(provider) + "." + name, sms.origin());
    SmsAccountConfig a;
    a.name = name;
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString(vonage ? "signature_secret_env" : "auth_token_env", &a.secret_env));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString(vonage ? "dev_signature_secret" : "dev_auth_token", &a.dev_secret));
    if (vonage) {
      OMNIHUB_RETURN_IF_ERROR(r.String(
          "signature_method", &a.signature_method,
          [](const std::string& m) { return m == "md5hash" || m == "md5" || m == "sha1" || m == "sha256" || m == "sha512"; },
          "one of md5hash, md5, sha1, sha256, sha512"));
    }
    OMNIHUB_RETURN_IF_ERROR(r.CheckNoUnknownKeys());
    out->push_back(std::move(a));
  }
  return base::Status::Ok();
}

}  // namespace

std::string_view DefaultConfigToml() { return kDefaultToml; }

base::Result<Config> ParseConfig(std::string_view toml_text, std::string_view origin) {
  toml::table root_table;
  try {
    root_table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "config " << origin << " (line " << e.source().begin.line << ", column " << e.source().begin.column
        << "): " << e.description();
    return base::Status::InvalidArgument(msg.str());
  }
  Config c;
  TableReader root(root_table, "", origin);
  OMNIHUB_RETURN_IF_ERROR(root.String("data_dir", &c.data_dir));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "log", origin, [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(r.String("level", &c.log.level));
    return r.Bool("json", &c.log.json);
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "bus", origin, [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(r.String("ingest", &c.bus.ingest));
    OMNIHUB_RETURN_IF_ERROR(r.String("changes", &c.bus.changes));
    return r.String("query", &c.bus.query);
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "identity", origin, [&](TableReader& r) {
    return r.String("default_region", &c.identity.default_region, event::IdentityNormalizer::IsSupportedRegion,
                    "a region libphonenumber knows (ISO 3166 code such as US, DE, GB)");
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "unifier", origin, [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(r.String("db_dir", &c.unifier.db_dir));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("batch_max_events", &c.unifier.batch_max_events, 1, 100000));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("credit", &c.unifier.credit, 1, 1000000));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("admin_listen", &c.unifier.admin_listen));
    return r.Uint32("page_max", &c.unifier.page_max, 1, 100000);
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "publisher", origin, [&](TableReader& r) -> base::Status {
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("window", &c.publisher.window, 1, 1000000));
    return r.Uint32("resend_timeout_ms", &c.publisher.resend_timeout_ms, 10, 3600000);
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "inject", origin, [&](TableReader& r) {
    return r.String("outbox_dir", &c.inject.outbox_dir);
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "email", origin, [&](TableReader& r) -> base::Status {
    auto& e = c.email;
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("smtp_listen", &e.smtp_listen));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("lmtp_listen", &e.lmtp_listen));
    OMNIHUB_RETURN_IF_ERROR(r.String("hostname", &e.hostname));
    OMNIHUB_RETURN_IF_ERROR(r.StringList("mailboxes", &e.mailboxes));
    OMNIHUB_RETURN_IF_ERROR(r.StringList("domains", &e.domains));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_message_bytes", &e.max_message_bytes, 1024, 1u << 30));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_attachment_bytes", &e.max_attachment_bytes, 0, 1u << 30));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_recipients", &e.max_recipients, 1, 10000));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("idle_timeout_s", &e.idle_timeout_s, 1, 86400));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("tls_certificate", &e.tls_certificate));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("tls_private_key", &e.tls_private_key));
    OMNIHUB_RETURN_IF_ERROR(r.String("outbox_dir", &e.outbox_dir));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("maildir", &e.maildir));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("admin_listen", &e.admin_listen));
    return r.Uint32("maildir_poll_ms", &e.maildir_poll_ms, 10, 3600000);
  }));
  OMNIHUB_RETURN_IF_ERROR(Section(root, "sms", origin, [&](TableReader& r) -> base::Status {
    auto& m = c.sms;
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("listen", &m.listen));
    OMNIHUB_RETURN_IF_ERROR(r.String("public_base_url", &m.public_base_url));
    OMNIHUB_RETURN_IF_ERROR(r.String("outbox_dir", &m.outbox_dir));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("max_body_bytes", &m.max_body_bytes, 1024, 64u << 20));
    OMNIHUB_RETURN_IF_ERROR(r.Uint32("signature_window_s", &m.signature_window_s, 1, 86400));
    OMNIHUB_RETURN_IF_ERROR(r.Bool("access_log", &m.access_log));
    OMNIHUB_RETURN_IF_ERROR(r.OptionalString("admin_listen", &m.admin_listen));
    OMNIHUB_RETURN_IF_ERROR(SmsAccounts(r, "twilio", false, &m.twilio));
    return SmsAccounts(r, "vonage", true, &m.vonage);
  }));
  OMNIHUB_RETURN_IF_ERROR(root.CheckNoUnknownKeys());
  OMNIHUB_RETURN_IF_ERROR(ResolveConfigPaths(&c, origin));
  return c;
}

base::Result<Config> LoadConfig(const std::string& path) {
  std::string chosen = path;
  if (chosen.empty()) {
    if (const char* env = std::getenv("OMNIHUB_CONFIG"); env != nullptr && *env != '\0') chosen = env;
  }
  if (chosen.empty()) return ParseConfig(DefaultConfigToml(), "<default>");
  std::ifstream in(chosen, std::ios::binary);
  if (!in) return base::Status::NotFound("config " + chosen + ": cannot open the file (check --config or OMNIHUB_CONFIG)");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseConfig(buf.str(), chosen);
}

base::Status PrepareEndpoint(const std::string& endpoint) {
  constexpr std::string_view kIpc = "ipc://";
  if (endpoint.rfind(kIpc, 0) != 0) return base::Status::Ok();
  const std::filesystem::path socket_path(endpoint.substr(kIpc.size()));
  if (!socket_path.has_parent_path()) return base::Status::Ok();
  return base::EnsureDirectory(socket_path.parent_path().string());
}

}  // namespace omnihub::config
