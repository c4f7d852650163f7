// A RocksDB file system that counts, delays or fails the syncs of the write-ahead
// log (the sync that makes a write durable), wrapping the real one: "sync fails, so
// do not acknowledge" is tested against a real RocksDB in a temp dir.
#pragma once

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

namespace omnihub::testing {

// Counts and optionally fails the syncs of RocksDB's write-ahead log, the sync
// that makes an Append durable.
struct SyncControl {
  std::atomic<bool> fail{false};
  // While set, appends to the write-ahead log fail and write nothing: a batch that never
  // reached the disk, as when the process is killed before its write.
  std::atomic<bool> drop_appends{false};
  std::atomic<int> wal_syncs{0};
  std::atomic<int> sync_delay_us{0};  // simulates a slow disk so that writers queue up
  // While held, a sync waits inside OnSync until Release: a test can line writers up behind
  // a sync that is known to be in progress (syncs_entered tells when one is).
  std::atomic<int> syncs_entered{0};

  void Hold() {
    std::lock_guard lock(hold_mu);
    held = true;
  }
  void Release() {
    std::lock_guard lock(hold_mu);
    held = false;
    hold_cv.notify_all();
  }

  rocksdb::IOStatus OnSync() {
    syncs_entered.fetch_add(1);
    {
      std::unique_lock lock(hold_mu);
      hold_cv.wait(lock, [&] { return !held; });
    }
    if (fail.load()) return rocksdb::IOStatus::IOError("injected sync failure");
    if (sync_delay_us.load() > 0) std::this_thread::sleep_for(std::chrono::microseconds(sync_delay_us.load()));
    wal_syncs.fetch_add(1);
    return rocksdb::IOStatus::OK();
  }

  std::mutex hold_mu;
  std::condition_variable hold_cv;
  bool held = false;  // guarded by hold_mu
};

class WalFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  WalFile(std::unique_ptr<rocksdb::FSWritableFile> file, SyncControl& control)
      : FSWritableFileOwnerWrapper(std::move(file)), control_(control) {}
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = control_.OnSync();
    return s.ok() ? target()->Sync(options, dbg) : s;
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = control_.OnSync();
    return s.ok() ? target()->Fsync(options, dbg) : s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    if (control_.drop_appends.load()) return rocksdb::IOStatus::IOError("injected: the write never reached the log");
    return target()->Append(data, options, dbg);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    if (control_.drop_appends.load()) return rocksdb::IOStatus::IOError("injected: the write never reached the log");
    return target()->Append(data, options, info, dbg);
  }

 private:
  SyncControl& control_;
};

class WalSyncFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit WalSyncFileSystem(SyncControl& control)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), control_(control) {}
  const char* Name() const override { return "WalSyncFileSystem"; }
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok() && name.ends_with(".log")) *result = std::make_unique<WalFile>(std::move(*result), control_);
    return s;
  }

 private:
  SyncControl& control_;
};

}  // namespace omnihub::testing
