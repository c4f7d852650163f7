# libFuzzer targets, built with Debian's clang (fuzzing needs clang's -fsanitize=fuzzer)
# next to the normal g++ build, and run for a bounded time as ctest entries labelled
# "fuzz". By hand, longer: build/fuzz/<name> -max_total_time=3600 build/fuzz/<name>-corpus SEEDS
find_program(OMNIHUB_CLANGXX NAMES clang++ clang++-14)

# omnihub_add_fuzzer(NAME SOURCES a.cc b.cc ... [PKG_FLAGS flags...] [LIBS -lx ...]
#                    [SEEDS dir] [DICT file] [SECONDS n] [ENV VAR=value ...])
function(omnihub_add_fuzzer NAME)
  if(NOT OMNIHUB_CLANGXX)
    message(WARNING "clang++ not found: fuzz target ${NAME} is not built (install clang libclang-rt-14-dev)")
    return()
  endif()
  cmake_parse_arguments(F "" "SEEDS;DICT;SECONDS" "SOURCES;PKG_FLAGS;LIBS;ENV" ${ARGN})
  if(NOT F_SECONDS)
    set(F_SECONDS 30)
  endif()
  set(out ${CMAKE_BINARY_DIR}/fuzz/${NAME})
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz/${NAME}-artifacts)
  file(GLOB_RECURSE headers ${PROJECT_SOURCE_DIR}/common/*.h ${PROJECT_SOURCE_DIR}/services/*.h)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/fuzz/${NAME}-corpus
    COMMAND ${OMNIHUB_CLANGXX} -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
            -I${PROJECT_SOURCE_DIR} ${F_PKG_FLAGS} ${F_SOURCES} ${F_LIBS} -o ${out}
    DEPENDS ${F_SOURCES} ${headers}
    COMMENT "Building fuzz target ${NAME} with clang"
    VERBATIM)
  add_custom_target(${NAME} ALL DEPENDS ${out})
  # -verbosity=0 drops the line per new input (thousands in 30 s, enough for ctest to cut the
  # output before the crash report); the report, the input and the final stats still print.
  # A failing input is kept under <name>-artifacts/, which scripts/test.sh prints in base64.
  set(args -max_total_time=${F_SECONDS} -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 -verbosity=0
      -artifact_prefix=${CMAKE_BINARY_DIR}/fuzz/${NAME}-artifacts/)
  if(F_DICT)
    list(APPEND args -dict=${F_DICT})
  endif()
  # The scratch corpus comes first: libFuzzer writes new inputs there, never into the seeds.
  add_test(NAME fuzz.${NAME} COMMAND ${out} ${args} ${CMAKE_BINARY_DIR}/fuzz/${NAME}-corpus ${F_SEEDS})
  set_tests_properties(fuzz.${NAME} PROPERTIES TIMEOUT 600 LABELS fuzz ENVIRONMENT "${F_ENV}")
endfunction()
