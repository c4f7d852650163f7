// SHA-256 (OpenSSL), the content address of blobs and the derived ids of messages
// that arrive without one; Sha256Hasher for input that comes in pieces (a digest of a
// whole store).
//
// Thread-safety: the functions are; one Sha256Hasher belongs to one thread.
#pragma once

#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace omnihub::base {

// Incremental SHA-256: Update any number of times, then Finish once.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view bytes);
  // 32 raw bytes. The hasher is spent afterwards.
  std::string Finish();

 private:
  evp_md_ctx_st* ctx_;
};

// 32 raw bytes.
std::string Sha256(std::string_view bytes);
// 64 lower-case hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace omnihub::base
