#include "services/unifier/unifier_config.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>

#include "common/config/table_reader.h"

namespace omnihub::unifier {
namespace {

void Parse(config::TableReader& r, UnifierConfig* u) {
  r.String("db_dir", &u->db_dir);
  r.String("search_dir", &u->search_dir);
  r.Uint32("batch_max_events", &u->batch_max_events, 1, 100000);
  r.Uint32("credit", &u->credit, 1, 1000000);
  r.OptionalString("admin_listen", &u->admin_listen);
  r.Uint32("page_max", &u->page_max, 1, 100000);
  r.Uint32("partition", &u->partition, 0, 99);
  r.CheckedString(
      "replica_id", &u->replica_id,
      [](const std::string& id) -> base::Status {
        if (id.size() > 64) return base::Status::InvalidArgument("it is longer than 64 characters");
        for (char c : id) {
          if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
            return base::Status::InvalidArgument("it may hold only A-Z a-z 0-9 - _ (it keys the replica registry)");
          }
        }
        return base::Status::Ok();
      },
      "a replica id");
  r.Uint32("replica_ready_lag", &u->replica_ready_lag, 1, 100000000);
  r.Uint32("digest_every", &u->digest_every, 0, 100000000);
}

std::vector<config::PathKey> Paths(UnifierConfig* u) { return {{"db_dir", &u->db_dir}, {"search_dir", &u->search_dir}}; }

}  // namespace

std::string ReplicaIdOf(const UnifierConfig& config) {
  if (!config.replica_id.empty()) return config.replica_id;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::string id = host[0] != '\0' ? host : "host";
  std::string last = std::filesystem::path(config.db_dir).lexically_normal().filename().string();
  if (last.empty()) last = std::filesystem::path(config.db_dir).lexically_normal().parent_path().filename().string();
  id += "-" + last;
  // Registry keys take A-Z a-z 0-9 - _ only.
  for (char& c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  }
  return id;
}

const config::Section& UnifierConfigSection() {
  static const config::TypedSection<UnifierConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::unifier
