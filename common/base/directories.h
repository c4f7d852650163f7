// Creating the directories a process keeps its data and sockets in.
#pragma once

#include <string>

#include "common/base/status.h"

namespace omnihub::base {

// Creates `dir` and its parents if missing; IoError naming the path otherwise.
Status EnsureDirectory(const std::string& dir);

}  // namespace omnihub::base
