// A real outbox in a fresh temp dir, behind an OutboxEventSink, for the unit tests of
// adapters and of the EventSink contract: what an adapter made durable is read back from
// outbox(), a restart is Reopen(), and a failing disk is sync().fail (the outbox's
// RocksDB runs on a WalSyncFileSystem). The directory is removed by the destructor.
//
// Thread-safety: as Outbox and OutboxEventSink; Reopen only while nothing appends.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/env.h>

#include "common/base/env.h"
#include "common/bus/outbox.h"
#include "common/bus/outbox_event_sink.h"
#include "omnihub/v1/bus.pb.h"
#include "tests/support/fault_injection_fs.h"

namespace omnihub::testing {

class TestOutbox {
 public:
  explicit TestOutbox(std::string id_prefix = "test") : id_prefix_(std::move(id_prefix)) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-outbox-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    env_ = rocksdb::NewCompositeEnv(std::make_shared<WalSyncFileSystem>(sync_));
    Reopen();
  }
  ~TestOutbox() {
    Close();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestOutbox(const TestOutbox&) = delete;
  TestOutbox& operator=(const TestOutbox&) = delete;

  // Closes and opens the outbox again on the same directory, as a restart does. The sink
  // and outbox references taken before are invalid afterwards.
  void Reopen() {
    Close();
    auto outbox = bus::Outbox::Open(dir_ + "/outbox", id_prefix_, random_, {.env = env_.get()});
    ASSERT_TRUE(outbox.ok()) << outbox.status().ToString();
    outbox_ = std::move(*outbox);
    sink_ = std::make_unique<bus::OutboxEventSink>(*outbox_);
  }
  void Close() {
    sink_.reset();
    outbox_.reset();
  }

  bus::EventSink& sink() { return *sink_; }
  bus::Outbox& outbox() { return *outbox_; }
  SyncControl& sync() { return sync_; }

  // Every frame appended and not trimmed, in sequence order.
  std::vector<v1::BusFrame> Frames() const {
    std::vector<v1::BusFrame> frames;
    auto entries = outbox_->ReadFrom(1, 100000);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    if (!entries.ok()) return frames;
    for (const auto& entry : *entries) {
      frames.emplace_back();
      EXPECT_TRUE(frames.back().ParseFromString(entry.frame_bytes));
    }
    return frames;
  }
  // A state value written through the sink; nullopt when absent.
  std::optional<std::string> Meta(const std::string& key) const {
    auto value = outbox_->GetMeta(key);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? *value : std::nullopt;
  }

 private:
  const std::string id_prefix_;
  std::string dir_;
  base::SeededRandom random_{7};
  SyncControl sync_;
  std::unique_ptr<rocksdb::Env> env_;  // outlives every outbox opened on it
  std::unique_ptr<bus::Outbox> outbox_;
  std::unique_ptr<bus::OutboxEventSink> sink_;
};

}  // namespace omnihub::testing
