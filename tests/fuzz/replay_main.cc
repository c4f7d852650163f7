// The main() of a fuzz target in builds without libFuzzer (the g++ Release build, see
// cmake/Fuzz.cmake): runs each input named on the command line once through the harness's
// LLVMFuzzerTestOneInput, as `<libFuzzer binary> FILE...` would. A directory stands for every
// regular file below it, in name order. The harness's own checks (trap, abort) fail the run;
// so does finding no input at all, which means a wrong seed path rather than a pass.
//
// Arguments starting with '-' are libFuzzer flags; they are ignored here (with a note), so a
// reproduction command copied from a libFuzzer run still replays its inputs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

// Appends `path` (a file) or the regular files below it (a directory) to `inputs`.
bool Collect(const fs::path& path, std::vector<fs::path>& inputs) {
  std::error_code error;
  if (!fs::is_directory(path, error)) {
    if (!fs::is_regular_file(path, error)) {
      std::fprintf(stderr, "replay: %s: not a file or directory\n", path.c_str());
      return false;
    }
    inputs.push_back(path);
    return true;
  }
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error)) found.push_back(it->path());
  }
  if (error) {
    std::fprintf(stderr, "replay: %s: %s\n", path.c_str(), error.message().c_str());
    return false;
  }
  std::sort(found.begin(), found.end());
  inputs.insert(inputs.end(), found.begin(), found.end());
  return true;
}

bool ReadFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') {
      std::fprintf(stderr, "replay: ignoring %s (a libFuzzer flag; this build only replays inputs)\n", argv[i]);
      continue;
    }
    if (!Collect(argv[i], inputs)) return 1;
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs; usage: %s FILE|DIR...\n", argv[0]);
    return 1;
  }
  std::string data;
  for (const fs::path& path : inputs) {
    // Named before it runs: if the harness traps, the last line says which input did it.
    std::fprintf(stderr, "replay: %s\n", path.c_str());
    if (!ReadFile(path, data)) {
      std::fprintf(stderr, "replay: %s: read failed\n", path.c_str());
      return 1;
    }
    // An exactly sized copy, as libFuzzer passes it, so that AddressSanitizer (when present)
    // catches a read one byte past the input.
    std::unique_ptr<uint8_t[]> copy(new uint8_t[data.size()]);
    std::copy(data.begin(), data.end(), copy.get());
    LLVMFuzzerTestOneInput(copy.get(), data.size());
  }
  std::fprintf(stderr, "replay: %zu inputs, all passed\n", inputs.size());
  return 0;
}
