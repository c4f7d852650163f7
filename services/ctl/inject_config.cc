#include "services/ctl/inject_config.h"

#include "common/config/table_reader.h"

namespace omnihub::ctl {
namespace {

void Parse(config::TableReader& r, InjectConfig* c) { r.String("outbox_dir", &c->outbox_dir); }

std::vector<config::PathKey> Paths(InjectConfig* c) { return {{"outbox_dir", &c->outbox_dir}}; }

}  // namespace

const config::Section& InjectConfigSection() {
  static const config::TypedSection<InjectConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::ctl
