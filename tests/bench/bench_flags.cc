#include "tests/bench/bench_flags.h"

#include <stdlib.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <system_error>

namespace omnihub::bench {
namespace {

base::Result<uint64_t> Positive(std::string_view flag, std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0) {
    return base::Status::InvalidArgument(std::string(flag) + " needs a positive integer, got '" + std::string(text) + "'");
  }
  return v;
}

}  // namespace

base::Result<BenchFlags> ParseBenchFlags(int argc, char** argv) {
  BenchFlags f;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      f.help = true;
      return f;
    }
    if (arg == "--keep") {
      f.keep = true;
      continue;
    }
    if (arg == "--no-in-process") {
      f.in_process = false;
      continue;
    }
    if (i + 1 >= argc) return base::Status::InvalidArgument("unknown flag or missing value: " + std::string(arg));
    const std::string_view value = argv[++i];
    auto number = [&](auto* out) -> base::Status {
      auto v = Positive(arg, value);
      if (!v.ok()) return v.status();
      *out = static_cast<std::remove_reference_t<decltype(*out)>>(*v);
      return base::Status::Ok();
    };
    base::Status s = base::Status::Ok();
    if (arg == "--events") s = number(&f.events);
    else if (arg == "--customers") s = number(&f.customers);
    else if (arg == "--text-bytes") s = number(&f.text_bytes);
    else if (arg == "--latency-events") s = number(&f.latency_events);
    else if (arg == "--producers") s = number(&f.producers);
    else if (arg == "--publish-batch") s = number(&f.publish_batch);
    else if (arg == "--batch-max") s = number(&f.batch_max);
    else if (arg == "--raw-single-events") s = number(&f.raw_single_events);
    else if (arg == "--seed") s = number(&f.seed);
    else if (arg == "--unifier") f.unifier = value;
    else if (arg == "--workdir") f.workdir = value;
    else if (arg == "--json") f.json = value;
    else if (arg == "--trace") f.trace = value;
    else return base::Status::InvalidArgument("unknown flag: " + std::string(arg));
    OMNIHUB_RETURN_IF_ERROR(s);
  }
  if (f.unifier.empty()) return base::Status::InvalidArgument("--unifier PATH is required");
  if (f.latency_events == 0) f.latency_events = std::max<uint64_t>(1, f.events / 2);
  if (f.producers > 1024) return base::Status::InvalidArgument("--producers must be at most 1024");
  return f;
}

base::Result<std::string> PrepareWorkdir(const std::string& parent) {
  std::error_code ec;
  const std::filesystem::path base = parent.empty() ? std::filesystem::path(".") : std::filesystem::path(parent);
  std::filesystem::create_directories(base, ec);
  if (ec) return base::Status::IoError("cannot create " + base.string() + ": " + ec.message());
  std::string pattern = std::filesystem::absolute(base, ec).lexically_normal().string();
  if (!pattern.empty() && pattern.back() == '/') pattern.pop_back();
  pattern += "/ingest-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return base::Status::IoError("cannot create a directory under " + base.string() + ": " + std::strerror(errno));
  }
  return pattern;
}

int RunBenchMain(int argc, char** argv, std::string_view name, std::string_view usage,
                 const std::function<base::Status(const BenchFlags& flags, const std::string& workdir)>& run) {
  auto flags = ParseBenchFlags(argc, argv);
  if (!flags.ok()) {
    std::cerr << name << ": " << flags.status().message() << "\n" << usage;
    return 2;
  }
  if (flags->help) {
    std::cout << usage;
    return 0;
  }
  auto workdir = PrepareWorkdir(flags->workdir);
  if (!workdir.ok()) {
    std::cerr << name << ": " << workdir.status().message() << "\n";
    return 1;
  }
  const base::Status s = run(*flags, *workdir);
  if (flags->keep) {
    std::cerr << "keeping " << *workdir << "\n";
  } else {
    std::error_code ec;
    std::filesystem::remove_all(*workdir, ec);
  }
  if (!s.ok()) {
    std::cerr << name << ": " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace omnihub::bench
