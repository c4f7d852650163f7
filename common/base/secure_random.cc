#include "common/base/secure_random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace omnihub::base {

uint64_t SecureRandom::Next64() {
  uint64_t v = 0;
  auto* bytes = reinterpret_cast<char*>(&v);
  size_t done = 0;
  while (done < sizeof v) {
    const ssize_t n = ::getrandom(bytes + done, sizeof v - done, 0);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      // No secret can be made safely without the kernel's randomness; getrandom(2) fails
      // like this only on kernels older than 3.17, which omnihub does not run on.
      std::abort();
    }
  }
  return v;
}

}  // namespace omnihub::base
