#include "services/supervisor/line_tee.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace omnihub::supervisor {
namespace {

// Two temp files standing in for the terminal and the service's log.
class LineTeeTest : public ::testing::Test {
 protected:
  LineTeeTest() : terminal_(std::tmpfile()), log_(std::tmpfile()), tee_("omnihub-sms", fileno(terminal_), fileno(log_)) {}
  ~LineTeeTest() override {
    std::fclose(terminal_);
    std::fclose(log_);
  }

  static std::string Read(std::FILE* f) {
    std::string out;
    char buf[4096];
    ssize_t n;
    off_t offset = 0;
    while ((n = pread(fileno(f), buf, sizeof buf, offset)) > 0) {
      out.append(buf, static_cast<size_t>(n));
      offset += n;
    }
    return out;
  }

  std::FILE* terminal_;
  std::FILE* log_;
  LineTee tee_;
};

TEST_F(LineTeeTest, PrefixesTerminalLinesAndLogsThemAsTheyAre) {
  tee_.Feed("first line\nsecond ");
  EXPECT_EQ(Read(terminal_), "[omnihub-sms] first line\n");
  tee_.Feed("half\nthird\n");
  EXPECT_EQ(Read(terminal_), "[omnihub-sms] first line\n[omnihub-sms] second half\n[omnihub-sms] third\n");
  EXPECT_EQ(Read(log_), "first line\nsecond half\nthird\n");
}

TEST_F(LineTeeTest, NotesComeAfterAHeldPartialLine) {
  tee_.Feed("last words without newline");
  tee_.Note("omnihub-sms (pid 7) killed by signal KILL");
  EXPECT_EQ(Read(log_), "last words without newline\nsupervisor: omnihub-sms (pid 7) killed by signal KILL\n");
  EXPECT_EQ(Read(terminal_),
            "[omnihub-sms] last words without newline\n[omnihub-sms] supervisor: omnihub-sms (pid 7) killed by signal KILL\n");
}

TEST_F(LineTeeTest, FlushWritesAPartialLineOnce) {
  tee_.Feed("tail");
  tee_.Flush();
  tee_.Flush();
  EXPECT_EQ(Read(log_), "tail\n");
}

TEST_F(LineTeeTest, EmptyLinesArePassedOn) {
  tee_.Feed("\n\n");
  EXPECT_EQ(Read(log_), "\n\n");
  EXPECT_EQ(Read(terminal_), "[omnihub-sms] \n[omnihub-sms] \n");
}

TEST_F(LineTeeTest, AnOverlongLineIsCutAtTheLimit) {
  tee_.Feed(std::string(LineTee::kMaxLine + 10, 'x') + "\n");
  EXPECT_EQ(Read(log_), std::string(LineTee::kMaxLine, 'x') + "\n" + std::string(10, 'x') + "\n");
}

}  // namespace
}  // namespace omnihub::supervisor
