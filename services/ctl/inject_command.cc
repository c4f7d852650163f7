// omnihubctl inject FILE|-: sends every line of an ingest file (docs/ingest-format.md)
// through the durable publisher and exits once the unifier has committed them all.
//
// Rejected lines are reported with their line number and also sent, with their raw
// bytes, as dead letters, so that nothing handed to the hub is dropped. For a file,
// the number of lines already in the outbox is recorded in the same synced batch as
// the lines themselves: a rerun after a kill skips them (the outbox resends whatever
// the unifier had not acknowledged), so the file is neither lost nor doubled.
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common/event/ingest_json.h"
#include "common/bus/outbox.h"
#include "common/bus/zmq_publisher.h"
#include "common/base/uuid.h"
#include "services/ctl/cli_args.h"
#include "services/ctl/commit_wait.h"
#include "services/ctl/ctl_context.h"
#include "services/ctl/inject_config.h"

namespace omnihub::ctl {
namespace {

constexpr size_t kLinesPerBatch = 1000;

// Identifies one version of a file: a changed file is read from the start again
// (the unifier's dedup by provider message id keeps that safe).
std::string FileVersion(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino);
}

struct Progress {
  std::string key;      // empty for stdin: no resume
  std::string version;
  uint64_t lines_done = 0;
};

base::Result<Progress> LoadProgress(bus::Outbox& outbox, const std::string& path) {
  Progress p;
  if (path == "-") return p;
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(path, ec);
  if (ec) return base::Status::InvalidArgument("cannot read " + path + ": " + ec.message());
  p.key = "inject-progress/" + canonical.string();
  p.version = FileVersion(canonical.string());
  auto stored = outbox.GetMeta(p.key);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    const std::string& v = **stored;
    const auto sep = v.rfind(' ');
    uint64_t lines = 0;
    const std::string_view count = std::string_view(v).substr(sep == std::string::npos ? v.size() : sep + 1);
    const auto [end, parse_error] = std::from_chars(count.data(), count.data() + count.size(), lines);
    if (sep != std::string::npos && v.substr(0, sep) == p.version && parse_error == std::errc() &&
        end == count.data() + count.size()) {
      p.lines_done = lines;
    }
  }
  return p;
}

}  // namespace

int RunInject(CtlContext& ctx, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(args, {{"outbox", "timeout"}, {}, 1, 1,
                                 "omnihubctl inject FILE|- [--outbox DIR] [--timeout SECONDS]"});
  if (!parsed.ok()) return ReportError(ctx, parsed.status());
  const std::string path = parsed->positional[0];
  std::chrono::seconds timeout(0);
  if (parsed->Has("timeout")) {
    auto t = ParsePositive("timeout", parsed->Get("timeout"));
    if (!t.ok()) return ReportError(ctx, t.status());
    timeout = std::chrono::seconds(*t);
  }

  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return ReportError(ctx, base::Status::InvalidArgument("cannot open " + path + " (check the path)"));
    in = &file;
  }

  auto outbox = bus::Outbox::Open(parsed->Get("outbox", ctx.config.Get<InjectConfig>().outbox_dir), "inject", ctx.random,
                                  bus::OutboxOptionsFrom(ctx.config.publisher, ctx.clock));
  if (!outbox.ok()) {
    return ReportError(ctx, outbox.status().WithContext("inject outbox (is another inject running with it? use --outbox DIR)"));
  }
  auto progress = LoadProgress(**outbox, path);
  if (!progress.ok()) return ReportError(ctx, progress.status());
  if (progress->lines_done > 0) {
    ctx.err << "inject: resuming " << path << " after line " << progress->lines_done << " (earlier lines are already in the outbox)\n";
  }

  const std::unique_ptr<EventPublisher> publisher = ctx.publishers(**outbox);
  event::IdentityNormalizer normalizer(ctx.config.identity.default_region);
  base::UuidV7Generator ids(ctx.clock, ctx.random);
  const event::IngestContext ingest{normalizer, ids, ctx.clock};

  uint64_t line_no = 0, accepted = 0, rejected = 0;
  std::vector<bus::OutboxItem> batch;
  auto flush = [&]() -> base::Status {
    if (batch.empty()) return base::Status::Ok();
    std::vector<std::pair<std::string, std::string>> meta;
    if (!progress->key.empty()) meta.emplace_back(progress->key, progress->version + " " + std::to_string(line_no));
    auto seqs = publisher->Publish(std::move(batch), std::move(meta));
    batch.clear();
    return seqs.status();
  };

  std::string line;
  while (std::getline(*in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const bool already_sent = line_no <= progress->lines_done;
    auto event = event::ParseIngestLine(line, ingest);
    bus::OutboxItem item;
    if (event.ok()) {
      ++accepted;
      item.event_bytes = event->SerializeAsString();
    } else {
      ++rejected;
      ctx.err << "line " << line_no << ": " << event.status().message() << "\n";
      v1::Rejected rej;
      rej.set_reason("line " + std::to_string(line_no) + ": " + event.status().message());
      rej.set_raw(line);
      rej.set_source("inject:" + path + ":" + std::to_string(line_no));
      item.rejected = std::move(rej);
    }
    if (already_sent) continue;
    batch.push_back(std::move(item));
    if (batch.size() >= kLinesPerBatch) {
      if (auto s = flush(); !s.ok()) return ReportError(ctx, s.WithContext("cannot persist to the outbox"));
    }
  }
  if (auto s = flush(); !s.ok()) return ReportError(ctx, s.WithContext("cannot persist to the outbox"));

  // Done reading: everything is durable in the outbox; wait for the unifier's commit.
  if (!WaitForCommit(ctx, *publisher, (*outbox)->last_sequence(), timeout, "inject",
                     "the lines are safe in the outbox and are delivered by the next inject run")) {
    return kExitUnavailable;
  }
  ctx.err << "inject: " << accepted << " accepted, " << rejected << " rejected"
          << (rejected ? " (kept as dead letters)" : "") << "; all committed\n";
  return rejected == 0 ? kExitOk : kExitFailed;
}

}  // namespace omnihub::ctl
