# omnihub_add_service(LIB BINARY [DIRS dir...] [LINK target...]): the pattern every service
# folder follows. The *.cc files of the folder and of its subfolders (or, with DIRS, of the
# folder and just those subfolders) go into the library LIB, which tests link; main.cc, when
# present, becomes BINARY and only wires real implementations together. The folder's config
# section, if it registered one first (omnihub_add_config_section), is not part of LIB; a
# BINARY whose LIB links omnihub_service (StartService loads the config) links every
# section, for config::AllSections().
# omnihub_add_part(LIB SOURCES file... [LINK target...]): a part of a service folder that is a
# small library of its own (its tests link only it, e.g. the pure metrics model), called before
# omnihub_add_service, whose LIB leaves these files out and links LIB instead.
function(omnihub_add_part LIB)
  cmake_parse_arguments(P "" "" "SOURCES;LINK" ${ARGN})
  list(TRANSFORM P_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  add_library(${LIB} STATIC ${P_SOURCES})
  target_compile_options(${LIB} PRIVATE ${OMNIHUB_WARNINGS})
  target_link_libraries(${LIB} PUBLIC ${P_LINK})
  set_property(DIRECTORY APPEND PROPERTY OMNIHUB_PART_SOURCES ${P_SOURCES})
endfunction()

function(omnihub_add_service LIB BINARY)
  cmake_parse_arguments(S "" "" "DIRS;LINK" ${ARGN})
  if(S_DIRS)
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
    foreach(dir ${S_DIRS})
      file(GLOB dir_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cc)
      list(APPEND sources ${dir_sources})
    endforeach()
  else()
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  endif()
  list(FILTER sources EXCLUDE REGEX "${CMAKE_CURRENT_SOURCE_DIR}/main\\.cc$")
  get_property(section_sources DIRECTORY PROPERTY OMNIHUB_CONFIG_SECTION_SOURCES)
  if(section_sources)
    list(REMOVE_ITEM sources ${section_sources})
  endif()
  get_property(part_sources DIRECTORY PROPERTY OMNIHUB_PART_SOURCES)
  if(part_sources)
    list(REMOVE_ITEM sources ${part_sources})
  endif()
  if(sources)
    add_library(${LIB} STATIC ${sources})
    target_compile_options(${LIB} PRIVATE ${OMNIHUB_WARNINGS})
    target_link_libraries(${LIB} PUBLIC ${S_LINK})
  else()
    add_library(${LIB} INTERFACE)
    target_link_libraries(${LIB} INTERFACE ${S_LINK})
  endif()
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/main.cc)
    add_executable(${BINARY} main.cc)
    target_compile_options(${BINARY} PRIVATE ${OMNIHUB_WARNINGS})
    target_link_libraries(${BINARY} PRIVATE ${LIB})
    if(TARGET PkgConfig::JEMALLOC)  # cmake/Dependencies.cmake says why
      target_link_libraries(${BINARY} PRIVATE PkgConfig::JEMALLOC)
    endif()
    if("omnihub_service" IN_LIST S_LINK)
      target_link_libraries(${BINARY} PRIVATE omnihub_config_sections)
    endif()
  endif()
endfunction()
