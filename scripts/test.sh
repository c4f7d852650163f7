#!/usr/bin/env bash
# Installs missing packages, builds, and runs the test suite with ctest.
#
#   scripts/test.sh              Release build (g++) in build/: unit tests, a replay of each
#                                fuzz target's seeds, then the end-to-end tests (label e2e)
#   scripts/test.sh --sanitize   clang with AddressSanitizer + UndefinedBehaviorSanitizer in
#                                build-sanitize/: unit tests and bounded libFuzzer runs (labels
#                                unit, fuzz); OMNIHUB_FUZZ_SECONDS=N fuzzes N s each (default 30)
#
# Unit tests run two at a time; the end-to-end tests start real processes and run one at a
# time so that their timing holds on a 2-core machine. The sanitizer pass leaves them out
# (they take longest and mostly exercise the same code through sockets). At the end it prints
# the wall-clock and CPU seconds of each phase. Exits non-zero if anything fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

sanitize=0
for arg in "$@"; do
  case $arg in
    --sanitize) sanitize=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

source scripts/phase-times.sh
trap phase_report EXIT
phase deps
./scripts/install-deps.sh

if ((sanitize)); then
  build_dir=build-sanitize
  # clang, because libFuzzer comes with it: the fuzz targets are libFuzzer binaries in this
  # build (cmake/Fuzz.cmake). A build directory configured for another compiler starts over.
  if [[ -f $build_dir/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' "$build_dir/CMakeCache.txt"; then
    rm -rf "$build_dir/CMakeCache.txt" "$build_dir/CMakeFiles"
  fi
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DOMNIHUB_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++
              -DOMNIHUB_FUZZ_SECONDS="${OMNIHUB_FUZZ_SECONDS:-30}")
  build_args=(--target omnihub_unit_and_fuzz_tests)
  # Fail on the first report, with a stack trace.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  build_dir=build
  cmake_args=(-DCMAKE_BUILD_TYPE=Release)
  build_args=()
fi

# The console's browser tests (e2e.browser_console) need their npm packages (pinned by
# tests/browser/package-lock.json); fetched once, kept in tests/browser/node_modules.
# A failed fetch does not stop the rest of the suite: e2e.browser_console then fails and says why.
if ((!sanitize)) && [[ ! -d tests/browser/node_modules ]]; then
  phase 'npm ci'
  if ! (cd tests/browser && npm ci --no-audit --no-fund); then
    rm -rf tests/browser/node_modules
    echo "test.sh: npm ci in tests/browser failed (is the npm registry reachable, with this machine's CA certificates?); e2e.browser_console will fail" >&2
  fi
fi

phase configure
cmake -S . -B "$build_dir" "${cmake_args[@]}"
phase build
cmake --build "$build_dir" -j"$(nproc)" "${build_args[@]}"

log_dir=$build_dir/Testing/omnihub
mkdir -p "$log_dir"
failed=0
run_ctest() {  # run_ctest NAME ARGS...: one ctest pass, output also kept in a log
  local name=$1
  shift
  local status=0
  ctest --test-dir "$build_dir" --output-on-failure "$@" 2>&1 | tee "$log_dir/$name.log" ||
    status=$?
  ((status == 0)) || failed=1
}
print_fuzz_artifacts() {  # a fuzzer's failing inputs, so that a CI log is enough to reproduce
  local file
  for file in "$build_dir"/fuzz/*-artifacts/*; do
    [[ -f $file ]] || continue
    echo "test.sh: fuzz input $file ($(stat -c %s "$file") bytes), base64:"
    head -c 65536 "$file" | base64 -w 0
    echo
  done
}
rm -f "$build_dir"/fuzz/*-artifacts/*
if ((sanitize)); then
  phase 'unit + fuzz tests'
  run_ctest unit -L '^(unit|fuzz)$' -j2
  print_fuzz_artifacts
  passes=(unit)
else
  phase 'unit tests + fuzz replay'
  run_ctest unit -LE '^(e2e|chaos)$' -j2
  phase 'e2e tests'
  run_ctest e2e -L e2e -j1
  passes=(unit e2e)
fi

# One total over both passes ("N tests failed out of M" from each).
total=0
total_failed=0
for name in "${passes[@]}"; do
  line=$(grep -E 'tests? failed out of [0-9]+' "$log_dir/$name.log" | tail -1 || true)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    total_failed=$((total_failed + BASH_REMATCH[1]))
    total=$((total + BASH_REMATCH[2]))
  fi
done
echo
echo "ctest: $((total - total_failed)) passed, $total_failed failed"
phase_report
trap - EXIT
if ((failed)); then
  echo "test.sh: FAILED (logs: $log_dir/)" >&2
  exit 1
fi
