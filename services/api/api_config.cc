#include "services/api/api_config.h"

#include "common/config/table_reader.h"

namespace omnihub::api {
namespace {

void Parse(config::TableReader& r, ApiConfig* m) {
  r.OptionalString("listen", &m->listen);
  r.String("public_url", &m->public_url);
  r.String("outbox_dir", &m->outbox_dir);
  r.String("token_dir", &m->token_dir);
  r.OptionalString("admin_listen", &m->admin_listen);
  r.Uint32("max_body_bytes", &m->max_body_bytes, 1024, 256u << 20);
  r.Uint32("worker_threads", &m->worker_threads, 1, 1024);
  r.Uint32("rate_limit_per_s", &m->rate_limit_per_s, 1, 1000000);
  r.Uint32("rate_limit_burst", &m->rate_limit_burst, 1, 1000000);
  r.Uint32("sse_heartbeat_s", &m->sse_heartbeat_s, 1, 3600);
  r.Uint32("sse_replay_max", &m->sse_replay_max, 1, 100000000);
  r.Uint32("session_ttl_s", &m->session_ttl_s, 60, 90 * 86400);
  r.Uint32("login_code_ttl_s", &m->login_code_ttl_s, 10, 86400);
  r.Bool("access_log", &m->access_log);
}

std::vector<config::PathKey> Paths(ApiConfig* m) {
  return {{"outbox_dir", &m->outbox_dir}, {"token_dir", &m->token_dir}};
}

}  // namespace

const config::Section& ApiConfigSection() {
  static const config::TypedSection<ApiConfig> section(Parse, Paths);
  return section;
}

}  // namespace omnihub::api
