# Fuzz targets (docs/testing.md, "Fuzzing"). Each harness tests/fuzz/<name>.cc defines
# LLVMFuzzerTestOneInput and is one executable linked against the same libraries as the
# services, with one ctest entry fuzz.<name> (label "fuzz"). What that entry does depends on
# the build:
#   - clang with OMNIHUB_SANITIZE (scripts/test.sh --sanitize): all our code carries libFuzzer's
#     coverage instrumentation (-fsanitize=fuzzer-no-link), the harness links libFuzzer
#     (-fsanitize=fuzzer), and the entry fuzzes for OMNIHUB_FUZZ_SECONDS from the seeds;
#   - otherwise (the g++ Release build): the harness links tests/fuzz/replay_main.cc, and the
#     entry runs every seed through it once, a regression run that keeps the harness compiling.
# By hand, longer: build-sanitize/fuzz/<name> -max_total_time=3600 build-sanitize/fuzz/<name>-corpus SEEDS
if(OMNIHUB_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(OMNIHUB_LIBFUZZER ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
else()
  set(OMNIHUB_LIBFUZZER OFF)
endif()
set(OMNIHUB_FUZZ_SECONDS 30 CACHE STRING "How long each fuzz.* ctest entry fuzzes (libFuzzer builds)")

# omnihub_add_fuzzer(NAME LINK target... [SEEDS dir...] [DICT file] [ENV VAR=value ...])
function(omnihub_add_fuzzer NAME)
  cmake_parse_arguments(F "" "DICT" "LINK;SEEDS;ENV" ${ARGN})
  add_executable(${NAME} ${PROJECT_SOURCE_DIR}/tests/fuzz/${NAME}.cc)
  target_compile_options(${NAME} PRIVATE ${OMNIHUB_WARNINGS})
  target_link_libraries(${NAME} PRIVATE ${F_LINK})
  set_target_properties(${NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  if(OMNIHUB_LIBFUZZER)
    target_link_options(${NAME} PRIVATE -fsanitize=fuzzer)
    set(dir ${CMAKE_BINARY_DIR}/fuzz)
    file(MAKE_DIRECTORY ${dir}/${NAME}-artifacts ${dir}/${NAME}-corpus)
    # -verbosity=0 drops the line per new input (thousands in 30 s, enough for ctest to cut the
    # output before the crash report); the report, the input and the final stats still print.
    # A failing input is kept under <name>-artifacts/, which scripts/test.sh prints in base64.
    set(args -max_total_time=${OMNIHUB_FUZZ_SECONDS} -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1
        -verbosity=0 -artifact_prefix=${dir}/${NAME}-artifacts/)
    if(F_DICT)
      list(APPEND args -dict=${F_DICT})
    endif()
    # The scratch corpus comes first: libFuzzer writes new inputs there, never into the seeds.
    add_test(NAME fuzz.${NAME} COMMAND ${NAME} ${args} ${dir}/${NAME}-corpus ${F_SEEDS})
    set(timeout 600)
  else()
    target_link_libraries(${NAME} PRIVATE omnihub_fuzz_replay)
    add_test(NAME fuzz.${NAME} COMMAND ${NAME} ${F_SEEDS})
    set(timeout 300)
  endif()
  set_tests_properties(fuzz.${NAME} PROPERTIES TIMEOUT ${timeout} LABELS fuzz ENVIRONMENT "${F_ENV}")
  set_property(GLOBAL APPEND PROPERTY OMNIHUB_TEST_TARGETS ${NAME})
endfunction()
