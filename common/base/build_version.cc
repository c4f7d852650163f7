#include "common/base/build_version.h"

// Set for this file alone by common/CMakeLists.txt, so a new version recompiles one file.
#ifndef OMNIHUB_BUILD_VERSION
#error "OMNIHUB_BUILD_VERSION is set by common/CMakeLists.txt"
#endif

namespace omnihub::base {

std::string_view BuildVersion() { return OMNIHUB_BUILD_VERSION; }

}  // namespace omnihub::base
