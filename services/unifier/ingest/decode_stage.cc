#include "services/unifier/ingest/decode_stage.h"

#include <utility>

namespace omnihub::unifier {

DecodeStage::DecodeStage(const event::IdentityNormalizer& normalizer)
    : normalizer_(normalizer), thread_([this] { Run(); }) {}

DecodeStage::~DecodeStage() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::future<std::vector<DecodedFrame>> DecodeStage::Submit(std::vector<InboundFrame> frames) {
  std::packaged_task<std::vector<DecodedFrame>()> task(
      [this, frames = std::move(frames)]() mutable { return DecodeFrames(std::move(frames), normalizer_); });
  std::future<std::vector<DecodedFrame>> decoded = task.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return decoded;
}

void DecodeStage::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to decode
    std::packaged_task<std::vector<DecodedFrame>()> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();  // an exception (allocation failure) reaches the future's get()
    lock.lock();
  }
}

}  // namespace omnihub::unifier
