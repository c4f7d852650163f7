// Command-line flags of omnihub-bench-ingest and its work directory.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace omnihub::bench {

inline constexpr char kBenchUsage[] =
    "usage: omnihub-bench-ingest --unifier PATH [options]\n"
    "  --events N            events in the peak phase (default 100000)\n"
    "  --customers M         customers they are spread over (default 10000)\n"
    "  --text-bytes B        approximate text length of each event (default 500)\n"
    "  --latency-events L    events in the half-rate latency phase (default N/2)\n"
    "  --producers P         concurrent Publish callers in the peak phase (default 8)\n"
    "  --publish-batch K     events per Publish call in the peak phase (default 32)\n"
    "  --batch-max E         unifier.batch_max_events (default: the config default)\n"
    "  --raw-single-events S events for the batch-size-1 raw rate (default 2000, at most 10 s)\n"
    "  --no-in-process       skip the in-process unifier baseline\n"
    "  --seed X              event generator seed (default 42)\n"
    "  --unifier PATH        the omnihub-unifier binary (required)\n"
    "  --workdir DIR         a fresh subdirectory of DIR holds every database and socket\n"
    "                        (default: the current directory); removed at the end\n"
    "  --keep                keep that subdirectory\n"
    "  --json PATH           also write the figures as JSON\n"
    "  --trace PATH          write every Publish call (phase, time, events, latency) as CSV\n";

struct BenchFlags {
  uint64_t events = 100000;
  uint64_t customers = 10000;
  size_t text_bytes = 500;
  uint64_t latency_events = 0;  // 0 on the command line means events / 2
  int producers = 8;
  size_t publish_batch = 32;
  uint32_t batch_max = 0;
  uint64_t raw_single_events = 2000;
  bool in_process = true;
  uint64_t seed = 42;
  std::string unifier;
  std::string workdir;
  bool keep = false;
  std::string json;
  std::string trace;
  bool help = false;
};

// InvalidArgument naming the flag on a malformed or missing value.
base::Result<BenchFlags> ParseBenchFlags(int argc, char** argv);

// Creates `parent` if needed and a fresh "ingest-XXXXXX" directory inside it
// ("." when empty); returns its absolute path.
base::Result<std::string> PrepareWorkdir(const std::string& parent);

// What every benchmark binary's main does around its run: parses the flags (exit 2 with
// `usage` on a bad one, 0 after printing it for --help), makes the working directory, calls
// `run`, removes the directory unless --keep, and reports a failure as "NAME: message" (exit 1).
int RunBenchMain(int argc, char** argv, std::string_view name, std::string_view usage,
                 const std::function<base::Status(const BenchFlags& flags, const std::string& workdir)>& run);

}  // namespace omnihub::bench
