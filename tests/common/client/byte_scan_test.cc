// The erasure's verification scan: every needle found wherever it occurs (at a file's start,
// its end, across the keyed and the short path), nothing found that is not there.
#include "common/client/byte_scan.h"

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

namespace omnihub::client {
namespace {

class ByteScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("omnihub-byte-scan-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }
  std::filesystem::path dir_;
};

TEST_F(ByteScanTest, FindsEveryNeedleWhereverItIsAndNothingElse) {
  Write("a.sst", std::string("jane@example.com at the start; the middle holds \x00\x01 binary", 57));
  Write("sub/b.log", std::string(5000, 'x') + "Where is my parcel?");
  Write("c.bin", "hi");
  const std::vector<Needle> needles = {
      {"jane@example.com", "identity 1"},   {"Where is my parcel?", "text 1"}, {"hi", "short text"},
      {"bob@example.com", "identity 2"},    {"", "empty"},                    {"parcel? and more", "text 2"},
      {std::string("\x00\x01", 2), "bytes"},
  };
  const ScanResult r = ScanForNeedles({dir_.string(), (dir_ / "absent").string()}, needles);
  EXPECT_EQ(r.files, 3u);
  ASSERT_EQ(r.missing.size(), 1u);
  std::set<std::string> labels;
  for (const auto& f : r.findings) labels.insert(f.substr(f.rfind(": ") + 2));
  EXPECT_EQ(labels, (std::set<std::string>{"identity 1", "text 1", "short text", "bytes"}));
}

TEST_F(ByteScanTest, ManyNeedlesSharingAPrefixAreToldApart) {
  std::string data;
  std::vector<Needle> needles;
  for (int i = 0; i < 2000; ++i) {
    needles.push_back({"order question " + std::to_string(i) + ";", "text " + std::to_string(i)});
    if (i % 7 == 0) data += "order question " + std::to_string(i) + ";";
  }
  Write("store.sst", data);
  const ScanResult r = ScanForNeedles({dir_.string()}, needles);
  size_t expected = 0;
  for (int i = 0; i < 2000; ++i) expected += i % 7 == 0;
  EXPECT_EQ(r.findings.size(), expected);
}

}  // namespace
}  // namespace omnihub::client
