#include "services/unifier/store/change_log_follower.h"

#include <spdlog/spdlog.h>

#include "common/base/coding.h"
#include "common/service/thread_priority.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

base::Result<uint64_t> ForEachChangeAfter(Store& store, uint64_t after_seq, size_t max_changes,
                                          const std::function<base::Status(const v1::ChangeNotification&)>& fn) {
  uint64_t seq = after_seq;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), store.change_log()));
  size_t read = 0;
  for (it->Seek(base::EncodeFixed64BE(after_seq + 1)); it->Valid() && read < max_changes; it->Next(), ++read) {
    v1::ChangeLogRecord rec;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &rec).WithContext("change log"));
    if (!rec.tombstone()) OMNIHUB_RETURN_IF_ERROR(fn(rec.change()));
    seq = base::DecodeFixed64BE(it->key().ToStringView());
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "change log scan"));
  return seq;
}

ChangeLogFollower::ChangeLogFollower(ChangeLogFollowerOptions options, Step step, uint64_t applied)
    : options_(std::move(options)), step_(std::move(step)), applied_(applied) {}

ChangeLogFollower::~ChangeLogFollower() { Stop(); }

void ChangeLogFollower::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ChangeLogFollower::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeLogFollower::Publish(uint64_t applied) {
  {
    std::lock_guard lock(mu_);
    applied_.store(applied);
  }
  applied_cv_.notify_all();
}

base::Result<bool> ChangeLogFollower::StepOnce() {
  auto seq = step_();
  if (!seq.ok()) return seq.status();
  const bool advanced = *seq != applied_.load();
  if (advanced) Publish(*seq);
  return advanced;
}

base::Result<uint64_t> ChangeLogFollower::CatchUp() {
  while (true) {
    auto advanced = StepOnce();
    if (!advanced.ok()) return advanced.status();
    if (!*advanced) return applied_.load();
  }
}

void ChangeLogFollower::Run() {
  if (options_.nice_increment > 0) {
    if (auto s = service::LowerThisThreadPriority(options_.nice_increment); !s.ok()) {
      spdlog::warn("{} keeps its priority: {}", options_.name, s.ToString());
    }
  }
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto advanced = StepOnce();
    lock.lock();
    if (!advanced.ok()) {
      spdlog::error("{}: {} (retrying)", options_.name, advanced.status().ToString());
      wake_.wait_for(lock, options_.retry_after_error, [this] { return stop_; });
    } else if (!*advanced) {
      wake_.wait_for(lock, options_.poll_interval, [this] { return stop_; });
    }
  }
}

bool ChangeLogFollower::WaitApplied(uint64_t change_seq, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return applied_cv_.wait_for(lock, timeout, [&] { return applied_.load() >= change_seq; });
}

}  // namespace omnihub::unifier
