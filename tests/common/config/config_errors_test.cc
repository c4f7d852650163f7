// The collecting config load (common/config/config_errors.h, table_reader.h): one run names
// every mistake of the file, with its key and line, in file order, whichever section's
// parser found it; a wrong value keeps its default and the parsing goes on.
#include "common/config/config_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/config/all_sections.h"
#include "common/config/config.h"
#include "tests/common/config/test_section.h"

namespace omnihub::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Lines(const base::Status& s) {
  std::vector<std::string> out;
  std::string_view rest = s.message();
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    out.emplace_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return out;
}

TEST(ConfigErrorsTest, ThreeMistakesInThreeSectionsAreAllReportedInFileOrder) {
  // The parsers run shared sections first, then the services' in registration order: the
  // list is sorted back into the order of the file.
  auto c = ParseConfig(
      "[api]\n"
      "worker_threads = 0\n"
      "[publisher]\n"
      "window = \"many\"\n"
      "[unifier]\n"
      "batch_max_evnts = 10\n",
      "three.toml", AllSections());
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(Lines(c.status()),
              ElementsAre("config three.toml: api.worker_threads (line 2) must be between 1 and 1024",
                          "config three.toml: publisher.window (line 4) must be an integer",
                          "config three.toml: unknown key 'unifier.batch_max_evnts' (line 6)"));
}

TEST(ConfigErrorsTest, ParsingGoesOnWithinASectionAndAcrossTheRoot) {
  auto c = ParseWithDemo(
      "data_dir = 7\n"
      "colour = \"blue\"\n"
      "[demo]\n"
      "count = 11\n"
      "dir = \"\"\n"
      "[bus]\n"
      "ingest = \"tpc://x\"\n"
      "query = \"inproc://q\"\n",
      "t.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(Lines(c.status()),
              ElementsAre("config t.toml: data_dir (line 1) must be a string",
                          "config t.toml: unknown key 'colour' (line 2)",
                          "config t.toml: demo.count (line 4) must be between 1 and 10",
                          "config t.toml: demo.dir (line 5) must not be empty",
                          HasSubstr("config t.toml: bus.ingest (line 7) 'tpc://x' is not a bus endpoint"),
                          HasSubstr("config t.toml: bus.query (line 8) 'inproc://q' is not a bus endpoint")));
}

TEST(ConfigErrorsTest, ChecksAfterReadingJoinTheList) {
  // A path that repeats data_dir is found after reading (no line); a secret with two
  // sources is a cross-field check at the line of its second key.
  auto c = ParseConfig(
      "data_dir = \"var\"\n"
      "[unifier]\n"
      "db_dir = \"var/unifier\"\n"
      "[sms.twilio.shop]\n"
      "auth_token_env = \"SHOP_TOKEN\"\n"
      "auth_token_file = \"shop-token\"\n"
      "[log]\n"
      "level = \"loud\"\n",
      "t.toml", AllSections());
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(
      Lines(c.status()),
      ElementsAre("config t.toml: sms.twilio.shop.auth_token_file (line 6) and auth_token_env (line 5) are both "
                  "given: a secret has one source, keep one of them",
                  HasSubstr("config t.toml: log.level (line 8) 'loud' is not a log level"),
                  HasSubstr("config t.toml: unifier.db_dir 'var/unifier' starts with data_dir 'var'")));
}

TEST(ConfigErrorsTest, ACleanFileHasNoErrorsAndAListSortsUnknownLinesLast) {
  EXPECT_TRUE(ParseConfig(DefaultConfigToml(), "<default>", AllSections()).ok());
  ConfigErrors errors("x.toml");
  EXPECT_TRUE(errors.ToStatus().ok());
  errors.Add(base::Status::InvalidArgument("first found\nsecond found"));
  errors.Add(9, "a (line 9) late");
  errors.Add(2, "b (line 2) early");
  EXPECT_THAT(errors.Messages(), ElementsAre("config x.toml: b (line 2) early", "config x.toml: a (line 9) late",
                                             "config x.toml: first found", "config x.toml: second found"));
}

}  // namespace
}  // namespace omnihub::config
