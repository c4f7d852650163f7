// The gauges every service exposes: omnihub_ready follows the readiness checks (the code
// /readyz runs), omnihub_disk_*_bytes measure a real temp directory's filesystem.
#include "common/service/service_gauges.h"

#include <gtest/gtest.h>

#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace omnihub::service {
namespace {

// The value of the one sample of `series` (name with labels, as rendered); NaN when absent.
double Sample(const Registry& registry, const std::string& series) {
  const std::string text = registry.Render();
  const size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return std::nan("");
  return std::strtod(text.c_str() + at + series.size() + 2, nullptr);
}

TEST(ServiceGaugesTest, ReadyFlipsWithAFailingCheckAndAgreesWithReadyz) {
  Registry registry;
  Readiness readiness;
  std::atomic<bool> bus_up{true};
  readiness.Add("store", [] { return base::Status::Ok(); });
  readiness.Add("bus", [&bus_up]() -> base::Status {
    return bus_up.load() ? base::Status::Ok() : base::Status::Unavailable("not connected to the unifier");
  });
  AddReadyGauge(registry, readiness);

  EXPECT_EQ(Sample(registry, "omnihub_ready"), 1);
  EXPECT_TRUE(readiness.Evaluate().ready);
  bus_up = false;
  EXPECT_EQ(Sample(registry, "omnihub_ready"), 0);
  EXPECT_FALSE(readiness.Evaluate().ready);
  bus_up = true;
  EXPECT_EQ(Sample(registry, "omnihub_ready"), 1);
  EXPECT_NE(registry.Render().find("# TYPE omnihub_ready gauge\n"), std::string::npos);
}

TEST(ServiceGaugesTest, ReadyWithoutChecksIsOne) {
  Registry registry;
  Readiness readiness;
  AddReadyGauge(registry, readiness);
  EXPECT_EQ(Sample(registry, "omnihub_ready"), 1);
}

class DiskGaugesTest : public ::testing::Test {
 protected:
  DiskGaugesTest() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-disk-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  ~DiskGaugesTest() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  struct statvfs Statvfs() const {
    struct statvfs fs {};
    EXPECT_EQ(::statvfs(dir_.c_str(), &fs), 0);
    return fs;
  }

  std::string dir_;
};

TEST_F(DiskGaugesTest, MeasuresTheFilesystemOfTheDirectory) {
  Registry registry;
  AddDiskGauges(registry, dir_);
  const struct statvfs fs = Statvfs();
  const double size = static_cast<double>(fs.f_blocks) * static_cast<double>(fs.f_frsize);
  const double free = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
  const std::string labels = "{path=\"" + dir_ + "\"}";
  EXPECT_EQ(Sample(registry, "omnihub_disk_size_bytes" + labels), size);
  const double reported_free = Sample(registry, "omnihub_disk_free_bytes" + labels);
  // Others write to the same filesystem meanwhile: free space is compared within 64 MiB.
  EXPECT_NEAR(reported_free, free, 64.0 * 1024 * 1024);
  EXPECT_GT(reported_free, 0);
  EXPECT_LE(reported_free, size);
}

TEST_F(DiskGaugesTest, ADirectoryNotCreatedYetIsMeasuredWhereItWillBe) {
  const DiskSpace missing = MeasureDisk(dir_ + "/unifier/db/");
  const DiskSpace parent = MeasureDisk(dir_);
  EXPECT_EQ(missing.size_bytes, parent.size_bytes);
  EXPECT_GT(missing.size_bytes, 0);
  EXPECT_FALSE(std::isnan(missing.free_bytes));
}

TEST_F(DiskGaugesTest, ARelativeDirectoryIsMeasuredFromTheWorkingDirectory) {
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  const DiskSpace relative = MeasureDisk("var/outbox");
  std::filesystem::current_path(before);
  EXPECT_EQ(relative.size_bytes, MeasureDisk(dir_).size_bytes);
}

TEST_F(DiskGaugesTest, AFileInTheWayIsNotADirectoryAndStillMeasured) {
  const std::string file = dir_ + "/plain";
  ASSERT_EQ(std::system(("touch '" + file + "'").c_str()), 0);
  EXPECT_EQ(MeasureDisk(file + "/outbox").size_bytes, MeasureDisk(dir_).size_bytes);
}

TEST(ServiceGaugesTest, EveryServiceGetsReadyAndDiskGauges) {
  Registry registry;
  Readiness readiness;
  AddServiceGauges(registry, readiness, "/");
  const std::string text = registry.Render();
  EXPECT_NE(text.find("\nomnihub_ready 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nomnihub_disk_free_bytes{path=\"/\"} "), std::string::npos) << text;
  EXPECT_NE(text.find("\nomnihub_disk_size_bytes{path=\"/\"} "), std::string::npos) << text;
}

}  // namespace
}  // namespace omnihub::service
