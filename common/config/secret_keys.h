// The config keys of one secret (common/config/secret.h) in a section's table: what every
// section parser with a secret reads it with, so that each secret has the same three keys
// and the same rules.
//
// Thread-safety: as TableReader (one reader per thread).
#pragma once

#include <string_view>

#include "common/config/secret.h"
#include "common/config/table_reader.h"

namespace omnihub::config {

// Reads <name>_env, <name>_file and dev_<name> of `r` into `out` (out->key becomes
// "<table>.<name>"). Records an error naming the keys when <name>_env and <name>_file are
// both given, or dev_<name> beside <name>_file (a file never falls back); when `required`,
// also when none of the three is given.
void ReadSecret(TableReader& r, std::string_view name, bool required, SecretConfig* out);

}  // namespace omnihub::config
