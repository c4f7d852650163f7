#include "services/unifier/replica/background_digest.h"

#include <chrono>

namespace omnihub::unifier::replica {

BackgroundDigest::~BackgroundDigest() {
  if (running_.valid()) running_.wait();
}

bool BackgroundDigest::Start(uint64_t position) {
  if (running_.valid()) return false;
  position_ = position;
  const rocksdb::Snapshot* snapshot = store_.db()->GetSnapshot();
  running_ = std::async(std::launch::async, [this, snapshot] {
    auto digest = ComputeStateDigest(store_, snapshot);
    store_.db()->ReleaseSnapshot(snapshot);
    return digest;
  });
  return true;
}

std::optional<FinishedDigest> BackgroundDigest::TakeFinished() {
  if (!running_.valid() || running_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return std::nullopt;
  }
  return FinishedDigest{position_, running_.get()};
}

}  // namespace omnihub::unifier::replica
