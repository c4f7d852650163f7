// DecodeFrames: what the decode stage hands the ingest thread, frame by frame, in order.
#include "services/unifier/ingest/frame_decoder.h"

#include <gtest/gtest.h>

#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Phone;
using testing::UnifierHarness;

constexpr int64_t kT0 = 1'750'000'000'000'000;

class FrameDecoderTest : public ::testing::Test {
 protected:
  std::vector<DecodedFrame> Decode(std::vector<std::string> frames) {
    std::vector<InboundFrame> in;
    for (size_t i = 0; i < frames.size(); ++i) in.push_back({"peer-" + std::to_string(i), std::move(frames[i])});
    return DecodeFrames(std::move(in), h_.normalizer());
  }

  UnifierHarness h_;
};

TEST_F(FrameDecoderTest, EventsComeBackNormalizedInTheirOrder) {
  auto decoded = Decode({UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::WHATSAPP, "wa-1", Phone("whatsapp:+49 151 12345678"), kT0)),
                         UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "sm-2", Phone("(415) 555-0100"), kT0 + 1))});
  ASSERT_EQ(decoded.size(), 2u);
  for (size_t i = 0; i < decoded.size(); ++i) {
    EXPECT_EQ(decoded[i].in.routing_id, "peer-" + std::to_string(i));
    EXPECT_TRUE(decoded[i].parsed);
    EXPECT_FALSE(decoded[i].is_command);
    EXPECT_EQ(decoded[i].frame.sequence(), i + 1);
    ASSERT_TRUE(decoded[i].event.has_value()) << decoded[i].event_defect;
    EXPECT_EQ(decoded[i].event_defect, "");
  }
  EXPECT_EQ(decoded[0].event->sender().value(), "+4915112345678");
  EXPECT_EQ(decoded[1].event->sender().value(), "+14155550100");  // default region US
  EXPECT_EQ(decoded[1].event->provider_message_id(), "sm-2");
}

TEST_F(FrameDecoderTest, DefectsAreKeptForTheDeadLetter) {
  auto decoded = Decode({"not a bus frame \xff\xff",
                         UnifierHarness::RawFrame("p1", 1, "\xff\xff\xff"),
                         UnifierHarness::Frame("p1", 2, h_.MakeEvent(v1::SMS, "sm-3", Phone("ACME2024"), kT0))});
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_FALSE(decoded[0].parsed);
  EXPECT_EQ(decoded[0].in.bytes, "not a bus frame \xff\xff");
  EXPECT_TRUE(decoded[1].parsed);
  EXPECT_FALSE(decoded[1].event.has_value());
  EXPECT_EQ(decoded[1].event_defect, "event bytes are not a valid omnihub.v1.Event");
  EXPECT_FALSE(decoded[2].event.has_value());
  EXPECT_NE(decoded[2].event_defect.find("letters"), std::string::npos) << decoded[2].event_defect;
}

TEST_F(FrameDecoderTest, CommandsAndOtherVersionsAreLeftToApply) {
  v1::BusFrame command;
  command.set_protocol_version(v1::BusVersion::CURRENT);
  command.set_publisher_id("ctl");
  command.set_sequence(1);
  command.set_command("opaque here");
  v1::BusFrame old_version;
  old_version.ParseFromString(UnifierHarness::Frame("p1", 1, h_.MakeEvent(v1::SMS, "sm-4", Phone("+14155550100"), kT0)));
  old_version.set_protocol_version(v1::BusVersion::CURRENT + 1);
  auto decoded = Decode({command.SerializeAsString(), old_version.SerializeAsString()});
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_TRUE(decoded[0].is_command);
  EXPECT_TRUE(decoded[0].parsed);
  EXPECT_FALSE(decoded[0].event.has_value());
  EXPECT_FALSE(decoded[1].is_command);
  EXPECT_TRUE(decoded[1].parsed);
  EXPECT_FALSE(decoded[1].event.has_value());  // dead-lettered by Apply for its version
  EXPECT_EQ(decoded[1].event_defect, "");
}

}  // namespace
}  // namespace omnihub::unifier
