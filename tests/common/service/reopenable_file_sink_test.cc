// ReopenableFileSink as logrotate uses it: lines are appended, the file is renamed away,
// Reopen() starts a new file at the old path.
#include "common/service/reopenable_file_sink.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/logger.h>
#include <spdlog/spdlog.h>

#include "common/service/logging.h"

namespace omnihub::service {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ReopenableFileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("omnihub-sink-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(ReopenableFileSinkTest, AppendsAndAfterARenameReopensANewFileAtThePath) {
  const fs::path path = dir_ / "omnihub-api.log";
  {
    std::ofstream(path) << "kept from before\n";
  }
  auto sink = ReopenableFileSink::Open(path.string());
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  spdlog::logger logger("test", *sink);
  logger.set_pattern("%v");
  logger.info("first");
  // Each line is in the file when it is logged, without a flush: someone may be tailing it.
  EXPECT_EQ(ReadFile(path), "kept from before\nfirst\n");

  fs::rename(path, dir_ / "omnihub-api.log.1");
  logger.info("second");  // still the renamed file: it is open
  ASSERT_TRUE((*sink)->Reopen().ok());
  logger.info("third");
  EXPECT_EQ(ReadFile(dir_ / "omnihub-api.log.1"), "kept from before\nfirst\nsecond\n");
  EXPECT_EQ(ReadFile(path), "third\n");
}

TEST_F(ReopenableFileSinkTest, AReopenThatFailsKeepsWritingToTheOpenFile) {
  const fs::path sub = dir_ / "logs";
  fs::create_directories(sub);
  const fs::path path = sub / "omnihub-sms.log";
  auto sink = ReopenableFileSink::Open(path.string());
  ASSERT_TRUE(sink.ok());
  spdlog::logger logger("test", *sink);
  logger.set_pattern("%v");
  fs::rename(sub, dir_ / "logs.old");  // the path's directory is gone: it cannot be opened
  const base::Status s = (*sink)->Reopen();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path.string()), std::string::npos) << s.message();
  logger.info("not lost");
  EXPECT_EQ(ReadFile(dir_ / "logs.old" / "omnihub-sms.log"), "not lost\n");
}

TEST_F(ReopenableFileSinkTest, OpenNamesThePathWhenItCannotBeOpened) {
  auto sink = ReopenableFileSink::Open((dir_ / "missing" / "x.log").string());
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.status().message().find("missing/x.log"), std::string::npos);
}

TEST_F(ReopenableFileSinkTest, SetupLoggingWritesToLogFileAndReopenLogFileFollowsARename) {
  const fs::path path = dir_ / "service.log";
  config::LogConfig config;
  config.file = path.string();
  ASSERT_TRUE(SetupLogging(config, "omnihub-test").ok());
  spdlog::info("before rotation");
  fs::rename(path, dir_ / "service.log.1");
  ASSERT_TRUE(ReopenLogFile().ok());
  spdlog::info("after rotation");
  EXPECT_NE(ReadFile(dir_ / "service.log.1").find("before rotation"), std::string::npos);
  const std::string fresh = ReadFile(path);
  EXPECT_NE(fresh.find("reopened log file " + path.string()), std::string::npos) << fresh;
  EXPECT_NE(fresh.find("after rotation"), std::string::npos) << fresh;
  EXPECT_EQ(fresh.find("before rotation"), std::string::npos) << fresh;

  config.file = (dir_ / "no-such-dir" / "x.log").string();
  const base::Status bad = SetupLogging(config, "omnihub-test");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("log.file"), std::string::npos) << bad.message();
  config.file = "";
  ASSERT_TRUE(SetupLogging(config, "omnihub-test").ok());
  EXPECT_TRUE(ReopenLogFile().ok());  // stderr: nothing to reopen
}

}  // namespace
}  // namespace omnihub::service
