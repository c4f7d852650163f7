#include "common/service/service_gauges.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <filesystem>
#include <limits>

namespace omnihub::service {

void AddServiceGauges(Registry& registry, const Readiness& readiness, const std::string& data_dir) {
  AddReadyGauge(registry, readiness);
  AddDiskGauges(registry, data_dir);
}

void AddReadyGauge(Registry& registry, const Readiness& readiness) {
  registry.AddGaugeCallback("omnihub_ready", "1 while every readiness check of GET /readyz passes, else 0.",
                            [&readiness] { return readiness.Evaluate().ready ? 1.0 : 0.0; });
}

void AddDiskGauges(Registry& registry, const std::string& data_dir) {
  registry.AddGaugeCallback("omnihub_disk_free_bytes",
                            "Bytes still available to the service on the filesystem of its data directory.",
                            {{"path", data_dir}}, [data_dir] { return MeasureDisk(data_dir).free_bytes; });
  registry.AddGaugeCallback("omnihub_disk_size_bytes", "Size in bytes of the filesystem of the data directory.",
                            {{"path", data_dir}}, [data_dir] { return MeasureDisk(data_dir).size_bytes; });
}

DiskSpace MeasureDisk(const std::string& dir) {
  std::filesystem::path at = dir.empty() ? std::filesystem::path(".") : std::filesystem::path(dir);
  for (;;) {
    struct statvfs fs {};
    if (::statvfs(at.c_str(), &fs) == 0) {
      const double block = static_cast<double>(fs.f_frsize);
      return {.free_bytes = static_cast<double>(fs.f_bavail) * block,
              .size_bytes = static_cast<double>(fs.f_blocks) * block};
    }
    // Only a missing directory moves up; a permission or I/O error is an answer in itself.
    if (errno != ENOENT && errno != ENOTDIR) break;
    std::filesystem::path parent = at.has_relative_path() ? at.parent_path() : at;
    if (parent.empty()) parent = ".";
    if (parent == at) break;
    at = std::move(parent);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {.free_bytes = nan, .size_bytes = nan};
}

}  // namespace omnihub::service
