// The gauges every service exposes on its admin listener besides its own series, so that one
// alert rule covers them all (deploy/prometheus/alerts.yml, docs/operations.md "Series"):
//   omnihub_ready                   1 while every readiness check passes, else 0: computed at
//                                   scrape time by Readiness::Evaluate, the code GET /readyz runs
//   omnihub_disk_free_bytes{path}   bytes an unprivileged process may still write (statvfs
//   omnihub_disk_size_bytes{path}   f_bavail, f_blocks) on the filesystem of the process's data
//                                   directory (the unifier's db_dir, an adapter's outbox_dir)
//
// Thread-safety: register before the admin listener starts; the gauges are read on the
// scraping thread. `readiness` must outlive every Render of `registry`.
#pragma once

#include <string>

#include "common/service/metrics.h"
#include "common/service/readiness.h"

namespace omnihub::service {

// Both of the above: what a service's main calls next to its readiness checks.
void AddServiceGauges(Registry& registry, const Readiness& readiness, const std::string& data_dir);

void AddReadyGauge(Registry& registry, const Readiness& readiness);
void AddDiskGauges(Registry& registry, const std::string& data_dir);

struct DiskSpace {
  double free_bytes = 0;  // available to unprivileged users (df's "Avail")
  double size_bytes = 0;
};
// The space of the filesystem `dir` is (or will be) on: a directory that does not exist yet
// (the unifier creates db_dir when it opens the store) is measured at its nearest existing
// ancestor. NaN for both when not even that can be measured.
DiskSpace MeasureDisk(const std::string& dir);

}  // namespace omnihub::service
