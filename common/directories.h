// Creating the directories a process keeps its data and sockets in.
#pragma once

#include <string>

#include "common/status.h"

namespace omnihub {

// Creates `dir` and its parents if missing; IoError naming the path otherwise.
Status EnsureDirectory(const std::string& dir);

}  // namespace omnihub
