// Shared fixture pieces for the unifier's unit tests: a real RocksDB in a temp dir,
// deterministic clock and ids, and builders for events and bus frames.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/bus/sequence_tracker.h"
#include "common/base/uuid.h"
#include "omnihub/v1/bus.pb.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnihub-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline v1::Identity Phone(const std::string& e164) {
  v1::Identity id;
  id.set_kind(v1::Identity::PHONE);
  id.set_value(e164);
  return id;
}

inline v1::Identity Email(const std::string& addr) {
  v1::Identity id;
  id.set_kind(v1::Identity::EMAIL);
  id.set_value(addr);
  return id;
}

// A unifier over a real store, fed frames directly (no sockets).
class UnifierHarness {
 public:
  // `env` (optional, not owned) lets a test inject storage faults. `erasure_secret` (optional,
  // 32 bytes) is the new store's, for stores that must agree byte for byte after an erasure.
  explicit UnifierHarness(rocksdb::Env* env = nullptr, std::string erasure_secret = "")
      : env_(env), erasure_secret_(std::move(erasure_secret)) {
    Reopen();
  }

  void Reopen() {
    processor_.reset();
    tracker_.reset();
    store_.reset();
    StoreOptions options;
    options.env = env_;
    options.erasure_secret = erasure_secret_;
    auto store = Store::Open(dir_.path() + "/db", options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    tracker_ = std::make_unique<bus::SequenceTracker>(clock_);
    processor_ = std::make_unique<BatchProcessor>(*store_, normalizer_, *tracker_, 100);
    ASSERT_TRUE(processor_->Init().ok());
  }

  v1::Event MakeEvent(v1::Channel channel, const std::string& provider_id, const v1::Identity& from,
                      int64_t occurred_at_us) {
    v1::Event e;
    e.set_event_id(ids_.Next());
    e.set_channel(channel);
    e.set_account("acct");
    e.set_kind(v1::MESSAGE);
    e.set_direction(v1::INBOUND);
    e.set_provider_message_id(provider_id);
    e.set_occurred_at_us(occurred_at_us);
    e.set_received_at_us(clock_.NowMicros());
    *e.mutable_sender() = from;
    e.set_text("hello from " + from.value());
    return e;
  }

  static std::string Frame(const std::string& publisher, uint64_t seq, const v1::Event& e) {
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id(publisher);
    f.set_sequence(seq);
    f.set_event(e.SerializeAsString());
    return f.SerializeAsString();
  }

  static std::string RawFrame(const std::string& publisher, uint64_t seq, const std::string& event_bytes) {
    v1::BusFrame f;
    f.set_protocol_version(v1::BusVersion::CURRENT);
    f.set_publisher_id(publisher);
    f.set_sequence(seq);
    f.set_event(event_bytes);
    return f.SerializeAsString();
  }

  BatchResult Process(std::vector<std::string> frames) {
    std::vector<InboundFrame> in;
    for (auto& f : frames) in.push_back({"peer", std::move(f)});
    auto r = processor_->Process(std::move(in));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : BatchResult{};
  }

  Store& store() { return *store_; }
  BatchProcessor& processor() { return *processor_; }
  base::ManualClock& clock() { return clock_; }
  const event::IdentityNormalizer& normalizer() const { return normalizer_; }
  base::UuidV7Generator& ids() { return ids_; }

 private:
  rocksdb::Env* env_;
  std::string erasure_secret_;
  TempDir dir_;
  base::ManualClock clock_;
  base::SeededRandom random_{99};
  base::UuidV7Generator ids_{clock_, random_};
  event::IdentityNormalizer normalizer_{"US"};
  std::unique_ptr<Store> store_;
  std::unique_ptr<bus::SequenceTracker> tracker_;
  std::unique_ptr<BatchProcessor> processor_;
};

}  // namespace omnihub::unifier::testing
