// Every service section of the build: what a process that reads the shared config file
// parses it with, so that each process accepts (and checks) the sections of the others
// and still refuses a section nobody owns ("[smss]").
//
// Defined by the registration list that cmake/ConfigSections.cmake generates from the
// omnihub_add_config_section calls of the service folders, in the library
// omnihub_config_sections; adding a service adds its section there, without an edit here.
#pragma once

#include "common/config/config.h"

namespace omnihub::config {

Sections AllSections();

}  // namespace omnihub::config
