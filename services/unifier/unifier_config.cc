#include "services/unifier/unifier_config.h"

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
}

std::vector<config::PathKey> Paths(UnifierConfig* u) { return {{"db_dir", &u->db_dir}, {"search_dir", &u->search_dir}}; }

}  // namespace

const config::Section& UnifierConfigSection() {
  static const config::TypedSection<UnifierConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::unifier
