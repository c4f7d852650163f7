// DecodeStage: batches come back decoded as DecodeFrames decodes them, in submission order,
// and nothing submitted is lost when the stage is destroyed.
#include "services/unifier/ingest/decode_stage.h"

#include <gtest/gtest.h>

#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;

std::vector<InboundFrame> Batch(UnifierHarness& h, uint64_t first_seq, size_t count) {
  std::vector<InboundFrame> frames;
  for (uint64_t seq = first_seq; seq < first_seq + count; ++seq) {
    const std::string number = "+1 415 555 " + std::to_string(1000 + seq % 9000);
    frames.push_back({"peer", UnifierHarness::Frame("p1", seq, h.MakeEvent(v1::SMS, "sm-" + std::to_string(seq),
                                                                           Phone(number), kT0 + int64_t(seq)))});
  }
  return frames;
}

TEST(DecodeStageTest, BatchesComeBackInSubmissionOrderAsDecodedInline) {
  UnifierHarness h;
  constexpr size_t kBatches = 20;
  constexpr size_t kPerBatch = 50;
  std::vector<std::vector<InboundFrame>> batches;
  for (size_t b = 0; b < kBatches; ++b) batches.push_back(Batch(h, 1 + b * kPerBatch, kPerBatch));

  DecodeStage stage(h.normalizer());
  std::vector<std::future<std::vector<DecodedFrame>>> pending;
  for (const auto& batch : batches) pending.push_back(stage.Submit(batch));
  for (size_t b = 0; b < kBatches; ++b) {
    std::vector<DecodedFrame> staged = pending[b].get();
    std::vector<DecodedFrame> inline_decoded = DecodeFrames(batches[b], h.normalizer());
    ASSERT_EQ(staged.size(), kPerBatch);
    for (size_t i = 0; i < kPerBatch; ++i) {
      EXPECT_EQ(staged[i].frame.sequence(), 1 + b * kPerBatch + i);
      ASSERT_TRUE(staged[i].event.has_value()) << staged[i].event_defect;
      EXPECT_EQ(staged[i].event->SerializeAsString(), inline_decoded[i].event->SerializeAsString());
    }
  }
}

TEST(DecodeStageTest, DestroyingTheStageDecodesWhatWasSubmitted) {
  UnifierHarness h;
  std::future<std::vector<DecodedFrame>> decoded;
  {
    DecodeStage stage(h.normalizer());
    decoded = stage.Submit(Batch(h, 1, 200));
  }
  ASSERT_EQ(decoded.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  std::vector<DecodedFrame> frames = decoded.get();
  ASSERT_EQ(frames.size(), 200u);
  EXPECT_EQ(frames.back().event->sender().value(), "+14155551200");
}

}  // namespace
}  // namespace omnihub::unifier
