#include "services/api/stream/change_hub.h"

namespace omnihub::api::stream {
namespace {

// Placeholder until the live hub lands: streams stay open and receive nothing.
class IdleChangeHub final : public ChangeHub {
 public:
  void Open(std::shared_ptr<http::HttpStream> /*stream*/, uint64_t /*after_seq*/, ChangeFilter /*filter*/) override {}
  uint64_t last_seq() const override { return 0; }
  void Stop() override {}
};

}  // namespace

std::unique_ptr<ChangeHub> StartChangeHub(const ChangeHubOptions& /*options*/, bus::ChangeFeed& /*feed*/,
                                          bus::QueryTransport& /*hub*/, base::Clock& /*clock*/) {
  return std::make_unique<IdleChangeHub>();
}

}  // namespace omnihub::api::stream
