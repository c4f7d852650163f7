#include "services/ctl/byte_scan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

namespace omnihub::ctl {

ScanResult ScanForNeedles(const std::vector<std::string>& directories, const std::vector<Needle>& needles) {
  ScanResult result;
  for (const auto& dir : directories) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      result.missing.push_back(dir);
      continue;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::end(it);
         it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::ifstream in(it->path(), std::ios::binary);
      const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      ++result.files;
      result.bytes += data.size();
      for (const auto& needle : needles) {
        const std::boyer_moore_horspool_searcher searcher(needle.bytes.begin(), needle.bytes.end());
        if (std::search(data.begin(), data.end(), searcher) != data.end()) {
          result.findings.push_back(it->path().string() + ": " + needle.label);
        }
      }
    }
  }
  return result;
}

}  // namespace omnihub::ctl
