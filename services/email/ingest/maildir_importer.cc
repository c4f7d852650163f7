#include "services/email/ingest/maildir_importer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/base/directories.h"

namespace omnihub::email {

namespace fs = std::filesystem;

MaildirImporter::MaildirImporter(std::string maildir, EmailIngest& ingest, std::chrono::milliseconds poll_interval)
    : maildir_(std::move(maildir)), ingest_(ingest), poll_interval_(poll_interval) {}

MaildirImporter::~MaildirImporter() { Stop(); }

base::Status MaildirImporter::Prepare() {
  for (const char* sub : {"new", "cur", "tmp"}) {
    OMNIHUB_RETURN_IF_ERROR(base::EnsureDirectory((fs::path(maildir_) / sub).string()).WithContext("maildir"));
  }
  return base::Status::Ok();
}

base::Result<size_t> MaildirImporter::ImportOnce() {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(maildir_) / "new", ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] != '.' && entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) return base::Status::IoError("maildir " + maildir_ + "/new: " + ec.message());
  // Maildir names start with the delivery time: name order is arrival order.
  std::sort(files.begin(), files.end());

  size_t moved = 0;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;  // taken by another reader meanwhile
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string name = path.filename().string();
    base::Status s = ingest_.Ingest(EmailSource{}, buf.str(), "maildir:" + name);
    if (!s.ok()) return s;
    const std::string cur_name = name.find(":2,") == std::string::npos ? name + ":2," : name;
    fs::rename(path, fs::path(maildir_) / "cur" / cur_name, ec);
    if (ec) return base::Status::IoError("maildir: cannot move " + name + " to cur/: " + ec.message());
    ++moved;
  }
  return moved;
}

void MaildirImporter::Start() {
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      auto n = ImportOnce();
      if (!n.ok()) {
        spdlog::error("maildir import: {}", n.status().ToString());
      } else if (*n > 0) {
        spdlog::info("maildir import: {} message(s) from {}", *n, maildir_);
      }
      for (auto waited = std::chrono::milliseconds(0); waited < poll_interval_ && !stop_.load();
           waited += std::chrono::milliseconds(10)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  });
}

void MaildirImporter::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

}  // namespace omnihub::email
