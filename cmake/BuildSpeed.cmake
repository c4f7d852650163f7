# What makes a clean build fast enough for a two-core CI machine. Nearly every translation unit
# parses the same few megabytes of headers (libstdc++, protobuf and our generated *.pb.h,
# nlohmann/json, RocksDB, cppzmq; in tests also GoogleTest) and instantiates the same templates
# again (spdlog's and fmt's, std::string's), and that was most of a clean build's time.
#
# - Unity builds (OMNIHUB_UNITY_BUILD): each of our libraries compiles its *.cc files in batches
#   of 16, one translation unit per batch. Measured on 12 files of common/bus: 19 s against
#   59 s one by one. Files that define a name of their own with the same name as another file
#   of the same library (in an anonymous namespace) are compiled alone: OMNIHUB_UNITY_ALONE.
# - Precompiled headers (OMNIHUB_PRECOMPILE_HEADERS): two headers, precompiled once each and
#   reused by every target of their kind:
#     omnihub_pch       our libraries (every STATIC library but the generated protobuf one)
#     omnihub_test_pch  the unit-test executables: the same headers plus GoogleTest and GoogleMock
#   A reused header must be built with the same compiler options as its users, and a macro it
#   was built with must be defined the same way in them; so each carries only what every user
#   has (our warnings; in tests their optimization level, OMNIHUB_SOURCE_DIR and GoogleTest's
#   definitions) and no other package's definitions: the headers listed need none.
# Executables with a single main.cc gain nothing from either and are left as they are. Both are
# on by default; turning them off (-DOMNIHUB_UNITY_BUILD=OFF -DOMNIHUB_PRECOMPILE_HEADERS=OFF)
# gives the one-file-at-a-time build, quicker to rebuild after touching one file.
option(OMNIHUB_UNITY_BUILD "Compile each library's sources in batches" ON)
option(OMNIHUB_PRECOMPILE_HEADERS "Precompile the headers every library and unit test parses" ON)

set(OMNIHUB_PCH_HEADERS
  <algorithm> <array> <atomic> <charconv> <chrono> <condition_variable> <cstddef> <cstdint>
  <cstdio> <cstdlib> <cstring> <deque> <filesystem> <fstream> <functional> <iostream> <limits>
  <map> <memory> <mutex> <optional> <random> <set> <span> <sstream> <string> <string_view>
  <thread> <unordered_map> <unordered_set> <utility> <variant> <vector>
  <google/protobuf/message.h> <nlohmann/json.hpp> <rocksdb/db.h> <rocksdb/write_batch.h> <zmq.hpp>)
foreach(proto identity event bus store command query)
  list(APPEND OMNIHUB_PCH_HEADERS ${PROJECT_BINARY_DIR}/proto/omnihub/v1/${proto}.pb.h)
endforeach()

# Sources compiled alone in a unity build, as TARGET:path-from-the-source-root, each because a
# name of its own (in an anonymous namespace) is also defined by another file of its library.
set(OMNIHUB_UNITY_ALONE
  omnihub_api_lib:services/api/endpoints/search.cc          # kDefaultPage
  omnihub_api_lib:services/api/endpoints/suggestions.cc     # kDefaultPage
  omnihub_api_lib:services/api/endpoints/timeline.cc        # kDefaultPage
  omnihub_client:common/client/profile_json.cc              # Json
  omnihub_email_lib:services/email/smtp/smtp_server.cc      # a class of its own with a member of
                                                            # an anonymous namespace's type
  omnihub_ctl_lib:services/ctl/backup_command.cc            # kUsage, PrintJson
  omnihub_ctl_lib:services/ctl/cluster_command.cc           # kUsage
  omnihub_ctl_lib:services/ctl/metrics_command.cc           # kUsage, BuildRequest
  omnihub_ctl_lib:services/ctl/token_command.cc             # RunList
  omnihub_event:common/event/ingest_json.cc                 # FieldError, Json
  omnihub_sms_lib:services/sms/vonage/vonage_mapper.cc      # Address
  omnihub_social_lib:services/social/social_webhooks.cc            # Json (a type in telegram/)
  omnihub_social_lib:services/social/telegram/telegram_message.cc  # Fields, JoinNonEmpty
  omnihub_social_lib:services/social/telegram/telegram_mapper.cc   # MapMessage
  omnihub_unifier_lib:services/unifier/store/state_digest.cc       # AddField
  omnihub_unifier_lib:services/unifier/metrics/metrics_store.cc    # FromRecord, ToRecord
  omnihub_unifier_lib:services/unifier/search/search_query.cc      # IsWordByte
  omnihub_unifier_lib:services/unifier/replica/replica_cursor.cc   # kCursorVersion
  omnihub_unifier_lib:services/unifier/query/customer_lookup.cc    # kMaxMergeHops
  omnihub_unifier_lib:services/unifier/suggestions/suggestion_detector.cc  # kMaxMergeHops
  omnihub_unifier_lib:services/unifier/suggestions/mention_scanner.cc      # kMinPhoneDigits
)

# omnihub_speed_up_build(): call once, after every target is defined.
function(omnihub_speed_up_build)
  omnihub_targets_under(${PROJECT_SOURCE_DIR} all_targets)
  set(libraries "")
  foreach(target ${all_targets})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "STATIC_LIBRARY" AND target MATCHES "^omnihub_" AND NOT target STREQUAL "omnihub_proto")
      list(APPEND libraries ${target})
    endif()
  endforeach()

  if(OMNIHUB_UNITY_BUILD)
    set_target_properties(${libraries} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 16)
    foreach(entry ${OMNIHUB_UNITY_ALONE})
      string(REPLACE ":" ";" parts ${entry})
      list(GET parts 0 target)
      list(GET parts 1 file)
      set_source_files_properties(${PROJECT_SOURCE_DIR}/${file} TARGET_DIRECTORY ${target}
                                  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    endforeach()
  endif()

  if(OMNIHUB_PRECOMPILE_HEADERS)
    set(empty ${PROJECT_BINARY_DIR}/generated/pch_empty.cc)
    file(WRITE ${empty} "// The translation unit the shared precompiled headers are built with.\n")
    foreach(pch omnihub_pch omnihub_test_pch)
      add_library(${pch} OBJECT ${empty})
      target_compile_options(${pch} PRIVATE ${OMNIHUB_WARNINGS})
      target_include_directories(${pch} PRIVATE ${PROJECT_BINARY_DIR}/proto)
      add_dependencies(${pch} omnihub_proto)  # the generated *.pb.h
    endforeach()
    target_precompile_headers(omnihub_pch PRIVATE ${OMNIHUB_PCH_HEADERS})
    target_compile_options(omnihub_test_pch PRIVATE ${OMNIHUB_UNIT_TEST_OPTIONS})
    target_compile_definitions(omnihub_test_pch PRIVATE OMNIHUB_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    target_link_libraries(omnihub_test_pch PRIVATE GTest::gtest GTest::gmock)  # for their definitions
    target_precompile_headers(omnihub_test_pch PRIVATE ${OMNIHUB_PCH_HEADERS} <gtest/gtest.h> <gmock/gmock.h>)
    foreach(target ${libraries})
      target_precompile_headers(${target} REUSE_FROM omnihub_pch)
    endforeach()
    get_property(unit_tests GLOBAL PROPERTY OMNIHUB_UNIT_TEST_TARGETS)
    foreach(target ${unit_tests})
      target_precompile_headers(${target} REUSE_FROM omnihub_test_pch)
    endforeach()
  endif()
endfunction()

# omnihub_targets_under(DIR VAR): every target defined in DIR and its subdirectories.
function(omnihub_targets_under dir var)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    omnihub_targets_under(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${var} ${targets} PARENT_SCOPE)
endfunction()
