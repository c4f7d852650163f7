#include "common/client/byte_scan.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <unordered_map>

namespace omnihub::client {
namespace {

// An erasure's needles are many (every message text of a customer: thousands) and the files
// are large (a store, an index): searching each needle through each file would cost needles x
// bytes. Instead every needle of at least kKeyBytes is keyed by its first kKeyBytes, and one
// pass over a file looks each position's kKeyBytes up, behind a bit filter that answers most
// positions without touching the map. Shorter needles are few and searched one by one.
constexpr size_t kKeyBytes = 8;
constexpr unsigned kFilterBits = 20;  // 1 Mi bits (128 KiB): sparse for tens of thousands of needles

uint64_t KeyAt(const char* p) {
  uint64_t key;
  std::memcpy(&key, p, kKeyBytes);
  return key;
}

size_t FilterSlot(uint64_t key) { return (key * 0x9E3779B97F4A7C15ULL) >> (64 - kFilterBits); }

class NeedleIndex {
 public:
  explicit NeedleIndex(const std::vector<Needle>& needles) : needles_(needles), filter_(size_t{1} << kFilterBits) {
    for (size_t i = 0; i < needles.size(); ++i) {
      const std::string& bytes = needles[i].bytes;
      if (bytes.empty()) continue;
      if (bytes.size() < kKeyBytes) {
        short_.push_back(i);
        continue;
      }
      const uint64_t key = KeyAt(bytes.data());
      by_key_[key].push_back(i);
      filter_[FilterSlot(key)] = true;
    }
  }

  // found[i] is set for every needle that occurs in `data`.
  void Find(const std::string& data, std::vector<bool>& found) const {
    for (size_t pos = 0; pos + kKeyBytes <= data.size(); ++pos) {
      const uint64_t key = KeyAt(data.data() + pos);
      if (!filter_[FilterSlot(key)]) continue;
      const auto it = by_key_.find(key);
      if (it == by_key_.end()) continue;
      for (size_t i : it->second) {
        const std::string& bytes = needles_[i].bytes;
        if (!found[i] && data.compare(pos, bytes.size(), bytes) == 0) found[i] = true;
      }
    }
    for (size_t i : short_) {
      const std::string& bytes = needles_[i].bytes;
      const std::boyer_moore_horspool_searcher searcher(bytes.begin(), bytes.end());
      if (std::search(data.begin(), data.end(), searcher) != data.end()) found[i] = true;
    }
  }

 private:
  const std::vector<Needle>& needles_;
  std::unordered_map<uint64_t, std::vector<size_t>> by_key_;
  std::vector<bool> filter_;
  std::vector<size_t> short_;
};

}  // namespace

ScanResult ScanForNeedles(const std::vector<std::string>& directories, const std::vector<Needle>& needles) {
  ScanResult result;
  const NeedleIndex index(needles);
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
      std::vector<bool> found(needles.size(), false);
      index.Find(data, found);
      for (size_t i = 0; i < needles.size(); ++i) {
        if (found[i]) result.findings.push_back(it->path().string() + ": " + needles[i].label);
      }
    }
  }
  return result;
}

}  // namespace omnihub::client
