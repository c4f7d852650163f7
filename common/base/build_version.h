// Which omnihub build this is: CMake's project VERSION and, when the source was a git
// checkout at configure time, `git describe` of it. Stores record it as the build that last
// opened them, so a refusal can name the build a directory came from.
//
// Thread-safety: returns a constant.
#pragma once

#include <string_view>

namespace omnihub::base {

// "omnihub 0.1.0" or "omnihub 0.1.0 (54fa52d)".
std::string_view BuildVersion();

}  // namespace omnihub::base
