#include "services/email/smtp/smtp_data_reader.h"

#include <gtest/gtest.h>

namespace omnihub::email {
namespace {

TEST(SmtpDataReaderTest, StopsAfterTheTerminator) {
  SmtpDataReader reader(1000, 0);
  const std::string input = "a\r\n..b\r\n.\r\nQUIT\r\n";
  EXPECT_EQ(reader.Consume(input), input.find("QUIT"));
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.TakeMessage(), "a\r\n.b\r\n");
}

TEST(SmtpDataReaderTest, WaitsOnAPossibleTerminator) {
  SmtpDataReader reader(1000, 0);
  EXPECT_EQ(reader.Consume("a\r\n."), 3u);
  EXPECT_EQ(reader.Consume(".\r"), 0u);
  EXPECT_EQ(reader.Consume(".\r\n"), 3u);
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(reader.TakeMessage(), "a\r\n");
}

TEST(SmtpDataReaderTest, CrSplitFromLfStillEndsALine) {
  SmtpDataReader reader(1000, 0);
  EXPECT_EQ(reader.Consume("a\r"), 2u);
  EXPECT_EQ(reader.Consume("\n"), 1u);
  EXPECT_EQ(reader.Consume(".\r\n"), 3u);
  EXPECT_TRUE(reader.done());
}

TEST(SmtpDataReaderTest, BareLineFeedsAreContent) {
  SmtpDataReader reader(1000, 0);
  const std::string input = "a\n.\nb\r.\r\n\n.\r\n";
  EXPECT_EQ(reader.Consume(input), input.size());
  EXPECT_FALSE(reader.done());
  EXPECT_EQ(reader.Consume(".\r\n"), 3u);
  EXPECT_EQ(reader.TakeMessage(), input);
}

TEST(SmtpDataReaderTest, CountsSizeAndLineLimits) {
  SmtpDataReader big(5, 0);
  big.Consume("123456\r\n.\r\n");
  EXPECT_TRUE(big.done());
  EXPECT_TRUE(big.too_big());
  EXPECT_EQ(big.TakeMessage(), "");

  SmtpDataReader lines(1000, 5);
  lines.Consume(".abc\r\nabcd\r\n.\r\n");
  EXPECT_TRUE(lines.line_too_long());
  SmtpDataReader ok(1000, 5);
  ok.Consume(".abc\r\n.\r\n");
  EXPECT_FALSE(ok.line_too_long());
}

}  // namespace
}  // namespace omnihub::email
