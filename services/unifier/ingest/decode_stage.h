// A thread that decodes batches of bus frames (frame_decoder.h) ahead of the ingest thread:
// the ingest server hands it batch k+1 and resolves and commits batch k meanwhile, so parsing,
// validation and identity normalization (libphonenumber) leave the thread that commits.
// Batches are decoded one at a time in the order they were submitted; what they become is
// still decided by BatchProcessor::Apply on the ingest thread, in arrival order.
//
// Thread-safety: Submit and the destructor from one thread (the ingest thread); a returned
// future may be waited on from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "common/event/identity.h"
#include "services/unifier/ingest/frame_decoder.h"

namespace omnihub::unifier {

class DecodeStage {
 public:
  // `normalizer` must outlive the stage. Starts the thread.
  explicit DecodeStage(const event::IdentityNormalizer& normalizer);
  // Decodes what was submitted and not decoded yet, then joins the thread.
  ~DecodeStage();
  DecodeStage(const DecodeStage&) = delete;
  DecodeStage& operator=(const DecodeStage&) = delete;

  // Queues `frames`; the future holds them decoded, in their order.
  std::future<std::vector<DecodedFrame>> Submit(std::vector<InboundFrame> frames);

 private:
  void Run();

  const event::IdentityNormalizer& normalizer_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<std::vector<DecodedFrame>()>> queue_;  // guarded by mu_
  bool stop_ = false;                                                   // guarded by mu_
  std::thread thread_;  // last: started once everything it uses is constructed
};

}  // namespace omnihub::unifier
