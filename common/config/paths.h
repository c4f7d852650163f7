// `data_dir` is the root of every relative path in the configuration: a relative bus
// ipc:// socket path, or a path that a service section lists (Section::Paths:
// `unifier.db_dir`, `*.outbox_dir`, `email.maildir`, `email.tls_*`), means that path
// under `data_dir`; an absolute one is taken as is. A relative `data_dir` is relative
// to the working directory. So one key moves a whole hub, and the defaults ("var" and
// "unifier", "outbox/email", "ipc://run/ingest.sock", ...) name the same files as
// before data_dir had this meaning. docs/configuration.md.
//
// Thread-safety: free functions without state.
#pragma once

#include <string>
#include <string_view>

#include "common/config/config.h"
#include "common/config/config_errors.h"
#include "common/base/status.h"

namespace omnihub::config {

// `path` under `data_dir`: unchanged when empty (a feature turned off) or absolute.
std::string ResolveUnderDataDir(std::string_view data_dir, std::string_view path);

// The same for an endpoint: only ipc:// with a relative, non-abstract path changes.
std::string ResolveEndpointUnderDataDir(std::string_view data_dir, std::string_view endpoint);

// Rewrites every path of `config` to its resolved form. Records an error in `errors`
// (naming the key and the fix) when a relative path starts with a relative data_dir itself, as
// every path of a config written before data_dir was the root did ("var" and
// "var/unifier"): it would silently name another directory ("var/var/unifier"), leaving
// the database and the outboxes' undelivered entries behind.
void ResolveConfigPaths(Config* config, ConfigErrors& errors);

}  // namespace omnihub::config
