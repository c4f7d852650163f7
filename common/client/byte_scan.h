// The verification scan after an erasure (docs/erasure.md): every regular file under the
// given directories is read whole and searched for every needle (raw bytes: identities and
// message texts as stored, UTF-8; attachment bytes). Needles are described by a label that
// never holds their bytes, so the findings can be printed and kept in the receipt.
//
// Thread-safety: pure function over the file system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace omnihub::client {

struct Needle {
  std::string bytes;
  std::string label;  // "identity 1", "text of event 3", "attachment 2 (4096 bytes)"
};

struct ScanResult {
  uint64_t files = 0;
  uint64_t bytes = 0;
  std::vector<std::string> findings;  // "<file>: <needle label>"
  std::vector<std::string> missing;   // directories that do not exist
};

ScanResult ScanForNeedles(const std::vector<std::string>& directories, const std::vector<Needle>& needles);

}  // namespace omnihub::client
