#include "services/sms/concat/concat_assembler.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "common/base/coding.h"
#include "common/base/env.h"

namespace omnihub::sms {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kReceivedUs = 1'718'020'900'000'000;
constexpr int64_t kTimestampUs = 1'718'020'800'000'000;  // 2024-06-10 12:00:00 UTC

class ConcatAssemblerTest : public ::testing::Test {
 protected:
  // Part `n` of 3 of reference 108, as the mapper reads it from its webhook.
  ConcatPart Part(uint32_t n, std::string message_id, std::string text, std::string timestamp = "2024-06-10 12:00:00",
                  int64_t received_at_us = kReceivedUs, std::string total = "3", std::string ref = "108") {
    Params p = {{"msisdn", "447700900001"},
                {"to", "447700900000"},
                {"messageId", std::move(message_id)},
                {"text", std::move(text)},
                {"type", "text"},
                {"concat", "true"},
                {"concat-ref", std::move(ref)},
                {"concat-total", std::move(total)},
                {"concat-part", std::to_string(n)}};
    if (!timestamp.empty()) p.emplace_back("message-timestamp", std::move(timestamp));
    auto r = MapVonageInbound(p, SmsWebhookContext{"eu", received_at_us}, us_, ids_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || !std::holds_alternative<ConcatPart>(*r)) return {};
    return std::get<ConcatPart>(*r);
  }

  event::IdentityNormalizer us_{"US"};
  base::ManualClock clock_;
  base::SeededRandom random_{42};
  base::UuidV7Generator ids_{clock_, random_};
};

TEST_F(ConcatAssemblerTest, JoinsPartsArrivingInAnyOrder) {
  ConcatAssembler a;
  EXPECT_FALSE(a.Complete());
  ASSERT_TRUE(a.Add(Part(3, "ID3", "rive?", "2024-06-10 12:00:02", kReceivedUs + 3)).ok());
  ASSERT_TRUE(a.Add(Part(1, "ID1", "Where is my parcel? It did not ", "2024-06-10 12:00:01", kReceivedUs + 1)).ok());
  EXPECT_FALSE(a.Complete());
  ASSERT_TRUE(a.Add(Part(2, "ID2", "ar", "2024-06-10 12:00:00", kReceivedUs + 2)).ok());
  EXPECT_TRUE(a.Complete());
  EXPECT_EQ(a.key(), "447700900001:447700900000:108");
  EXPECT_EQ(a.total(), 3u);

  auto e = a.Assemble(us_, ids_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->text(), "Where is my parcel? It did not arrive?");
  EXPECT_EQ(e->provider_message_id(), "ID1");
  EXPECT_EQ(e->occurred_at_us(), kTimestampUs);     // the earliest part's time
  EXPECT_EQ(e->received_at_us(), kReceivedUs + 3);  // the last part completed the message
  EXPECT_EQ(e->channel(), v1::SMS);
  EXPECT_EQ(e->kind(), v1::MESSAGE);
  EXPECT_EQ(e->account(), "+447700900000");
  EXPECT_EQ(e->sender().value(), "+447700900001");
  EXPECT_EQ(e->conversation(), "sms:+447700900000:+447700900001");
  EXPECT_EQ(e->provider_fields().at("messageIds"), "ID1,ID2,ID3");
  EXPECT_EQ(e->provider_fields().at("messageId"), "ID1");
  EXPECT_EQ(e->provider_fields().at("concat-ref"), "108");
  EXPECT_FALSE(e->provider_fields().contains("text"));
  EXPECT_EQ(e->flags_size(), 0);
}

TEST_F(ConcatAssemblerTest, RedeliveredPartsAreIgnoredAndReassemblyIsStable) {
  ConcatAssembler a;
  ASSERT_TRUE(a.Add(Part(1, "ID1", "a")).ok());
  ASSERT_TRUE(a.Add(Part(1, "ID1", "a")).ok());
  EXPECT_EQ(a.size(), 1u);
  ASSERT_TRUE(a.Add(Part(2, "ID2", "b")).ok());
  ASSERT_TRUE(a.Add(Part(3, "ID3", "c")).ok());

  ConcatAssembler again;  // the same parts redelivered in another order
  for (uint32_t n : {2u, 3u, 1u}) ASSERT_TRUE(again.Add(Part(n, "ID" + std::to_string(n), std::string(1, 'a' + n - 1))).ok());
  auto first = a.Assemble(us_, ids_);
  auto second = again.Assemble(us_, ids_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->provider_message_id(), second->provider_message_id());
  EXPECT_EQ(first->text(), "abc");
  EXPECT_EQ(second->text(), "abc");
}

TEST_F(ConcatAssemblerTest, RefusesPartsOfAnotherSet) {
  ConcatAssembler a;
  ASSERT_TRUE(a.Add(Part(1, "ID1", "a")).ok());
  EXPECT_THAT(a.Add(Part(2, "ID2", "b", "2024-06-10 12:00:00", kReceivedUs, "3", "109")).message(),
              HasSubstr("does not belong"));
  EXPECT_THAT(a.Add(Part(2, "ID2", "b", "2024-06-10 12:00:00", kReceivedUs, "4")).message(), HasSubstr("announces 4 parts"));
  // concat-ref wraps around: a later message reusing it brings another part 1.
  const base::Status reused = a.Add(Part(1, "ID9", "z"));
  EXPECT_TRUE(reused.IsInvalidArgument());
  EXPECT_THAT(reused.message(), HasSubstr("arrived as ID9 and as ID1"));
  ConcatPart out_of_range = Part(1, "ID1", "a");
  out_of_range.part = 4;
  EXPECT_THAT(a.Add(out_of_range).message(), HasSubstr("outside 1..3"));
  EXPECT_EQ(a.size(), 1u);
}

TEST_F(ConcatAssemblerTest, IncompleteSetAssemblesWhatItHasWithAFlag) {
  ConcatAssembler a;
  ASSERT_TRUE(a.Add(Part(3, "ID3", "c")).ok());
  ASSERT_TRUE(a.Add(Part(2, "ID2", "b")).ok());
  EXPECT_FALSE(a.Complete());
  auto e = a.Assemble(us_, ids_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->text(), "bc");
  EXPECT_EQ(e->provider_message_id(), "ID2");
  EXPECT_EQ(e->provider_fields().at("messageIds"), "ID2,ID3");
  ASSERT_EQ(e->flags_size(), 1);
  EXPECT_EQ(e->flags(0), kConcatIncompleteFlag);
  EXPECT_FALSE(ConcatAssembler().Assemble(us_, ids_).ok());
}

TEST_F(ConcatAssemblerTest, PartsWithoutATimeUseTheOthersTimes) {
  ConcatAssembler a;
  ASSERT_TRUE(a.Add(Part(1, "ID1", "a", "", kReceivedUs - 50)).ok());  // no message-timestamp
  ASSERT_TRUE(a.Add(Part(2, "ID2", "b", "2024-06-10 12:00:05")).ok());
  ASSERT_TRUE(a.Add(Part(3, "ID3", "c", "2024-06-10 12:00:07")).ok());
  auto e = a.Assemble(us_, ids_);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->occurred_at_us(), kTimestampUs + 5'000'000);
  EXPECT_EQ(e->flags_size(), 0);

  ConcatAssembler untimed;
  ASSERT_TRUE(untimed.Add(Part(2, "ID2", "b", "", kReceivedUs + 9)).ok());
  ASSERT_TRUE(untimed.Add(Part(1, "ID1", "a", "", kReceivedUs + 4)).ok());
  auto u = untimed.Assemble(us_, ids_);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->occurred_at_us(), kReceivedUs + 4);
  EXPECT_EQ(u->received_at_us(), kReceivedUs + 9);
  EXPECT_THAT(std::vector<std::string>(u->flags().begin(), u->flags().end()), ::testing::Contains(kTimeMissingFlag));
}

TEST_F(ConcatAssemblerTest, EncodedPartDecodesToTheSamePart) {
  ConcatPart p = Part(2, "ID2", "caf\xC3\xA9 & more");
  p.time_missing = true;
  const std::string bytes = EncodeConcatPart(p);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes[0], '\x01');  // the version byte
  auto back = DecodeConcatPart(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->key, p.key);
  EXPECT_EQ(back->part, p.part);
  EXPECT_EQ(back->total, p.total);
  EXPECT_EQ(back->text, p.text);
  EXPECT_EQ(back->message_id, p.message_id);
  EXPECT_EQ(back->occurred_at_us, p.occurred_at_us);
  EXPECT_EQ(back->received_at_us, p.received_at_us);
  EXPECT_EQ(back->time_missing, true);
  EXPECT_EQ(back->account_name, "eu");
  EXPECT_EQ(back->params, p.params);
  EXPECT_EQ(EncodeConcatPart(*back), bytes);
}

TEST_F(ConcatAssemblerTest, DecodedPartsAssembleLikeTheOriginals) {
  ConcatAssembler direct;
  ConcatAssembler stored;
  for (uint32_t n : {1u, 2u, 3u}) {
    ConcatPart p = Part(n, "ID" + std::to_string(n), "part" + std::to_string(n) + " ");
    auto decoded = DecodeConcatPart(EncodeConcatPart(p));
    ASSERT_TRUE(decoded.ok());
    ASSERT_TRUE(stored.Add(std::move(*decoded)).ok());
    ASSERT_TRUE(direct.Add(std::move(p)).ok());
  }
  auto a = direct.Assemble(us_, ids_);
  auto b = stored.Assemble(us_, ids_);
  ASSERT_TRUE(a.ok() && b.ok());
  v1::Event x = *a;
  v1::Event y = *b;
  x.clear_event_id();
  y.clear_event_id();
  // Map order in the wire form is unspecified: compare field by field.
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(x, y)) << x.DebugString() << "\n" << y.DebugString();
}

TEST_F(ConcatAssemblerTest, EncodingMatchesTheDocumentedExample) {
  // docs/sms.md, "Stored parts".
  ConcatPart p;
  p.key = "447700900001:447700900000:108";
  p.part = 2;
  p.total = 3;
  p.occurred_at_us = kTimestampUs;
  p.received_at_us = kTimestampUs + 5'000'000;
  p.text = "ar";
  p.message_id = "ID2";
  p.account_name = "eu";
  p.params = {{"type", "text"}};
  EXPECT_EQ(base::HexEncode(EncodeConcatPart(p)),
            "01020380061a87e380300080061a87e3cc7b40001d3434373730303930303030313a3434373730303930303030303a313038"
            "026172034944320265750104747970650474657874");
}

TEST_F(ConcatAssemblerTest, DecodeRejectsDamagedBytes) {
  const std::string bytes = EncodeConcatPart(Part(2, "ID2", "hello"));
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = DecodeConcatPart(bytes.substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes";
    EXPECT_TRUE(r.status().IsCorruption());
  }
  EXPECT_THAT(DecodeConcatPart(bytes + "x").status().message(), HasSubstr("trailing bytes"));
  std::string v2 = bytes;
  v2[0] = '\x02';
  EXPECT_THAT(DecodeConcatPart(v2).status().message(), HasSubstr("format version 2"));
  std::string bad_numbers = bytes;
  bad_numbers[1] = '\x05';  // part 5 of 3
  EXPECT_THAT(DecodeConcatPart(bad_numbers).status().message(), HasSubstr("out of range"));
  EXPECT_THAT(DecodeConcatPart("").status().message(), HasSubstr("empty"));
}

}  // namespace
}  // namespace omnihub::sms
