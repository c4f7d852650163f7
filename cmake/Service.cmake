# omnihub_add_service(LIB BINARY [LINK target...]): the pattern every service folder
# follows. Every *.cc in the folder except main.cc (and *_fuzz.cc) goes into the
# library LIB, which tests link; main.cc, when present, becomes BINARY and only wires
# real implementations together.
function(omnihub_add_service LIB BINARY)
  cmake_parse_arguments(S "" "" "LINK" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  list(FILTER sources EXCLUDE REGEX ".*/(main|.*_fuzz)\\.cc$")
  if(sources)
    add_library(${LIB} STATIC ${sources})
    target_compile_options(${LIB} PRIVATE ${OMNIHUB_WARNINGS})
    target_link_libraries(${LIB} PUBLIC omnihub_common ${S_LINK})
  else()
    add_library(${LIB} INTERFACE)
    target_link_libraries(${LIB} INTERFACE omnihub_common ${S_LINK})
  endif()
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/main.cc)
    add_executable(${BINARY} main.cc)
    target_compile_options(${BINARY} PRIVATE ${OMNIHUB_WARNINGS})
    target_link_libraries(${BINARY} PRIVATE ${LIB})
  endif()
endfunction()
