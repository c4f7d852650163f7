# All dependencies come from Debian 12 packages (see scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(cppzmq REQUIRED)
find_package(RocksDB REQUIRED CONFIG)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
# sd_notify for the Type=notify systemd units (common/service/systemd_notify.h).
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
# The NATS C client (libnats-dev 3.4.1) for cluster mode's partition log (common/bus/nats/).
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET libnats)
# The service binaries allocate with jemalloc, the allocator RocksDB recommends: with many
# threads allocating and freeing each other's memory (HTTP workers, query answers, batches),
# glibc's malloc took a quarter of omnihub-api's CPU on a timeline page, and jemalloc serves
# 1.5 times the pages (docs/benchmarks.md, "api"). Not in the sanitizer build, whose runtime
# brings its own malloc.
if(NOT OMNIHUB_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()

# libphonenumber ships neither a CMake config nor a pkg-config file on Debian 12.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(phonenumber::phonenumber INTERFACE IMPORTED)
target_include_directories(phonenumber::phonenumber INTERFACE ${PHONENUMBER_INCLUDE_DIR})
target_link_libraries(phonenumber::phonenumber INTERFACE ${PHONENUMBER_LIBRARY})

if(TARGET RocksDB::rocksdb-shared)
  set(OMNIHUB_ROCKSDB RocksDB::rocksdb-shared)
else()
  set(OMNIHUB_ROCKSDB RocksDB::rocksdb)
endif()
