// omnihub-test-smtp-server: the SMTP/LMTP listener with a sink that writes each accepted message
// to a directory, for end-to-end tests with real clients (tests/e2e/smtp_clients.py).
//
//   omnihub-test-smtp-server --dir DIR [--mailbox ADDR]... [--domain DOMAIN]... [--lmtp]
//       [--port N] [--tls-cert PEM --tls-key PEM] [--max-message-bytes N] [--max-recipients N]
//       [--idle-timeout-seconds N] [--fail]
//
// Prints "PORT <n>" on stdout once listening; stops on SIGTERM/SIGINT. Message n is written as
// DIR/<n>.eml with its envelope in DIR/<n>.json, both complete (fsync, rename) before the client
// gets 250. --fail answers every message with an I/O error (451 4.3.0).
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "services/email/smtp/recipient_policy.h"
#include "services/email/smtp/smtp_server.h"

namespace omnihub::email {
namespace {

base::Status WriteFileDurably(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return base::Status::IoError("open " + tmp);
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) {
      ::close(fd);
      return base::Status::IoError("write " + tmp);
    }
    off += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return base::Status::IoError("fsync " + tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return base::Status::IoError("rename " + tmp);
  return base::Status::Ok();
}

// Writes messages on its own thread, as a real sink must not block the event loop.
class DirectorySink final : public MessageSink {
 public:
  DirectorySink(std::string dir, bool fail) : dir_(std::move(dir)), fail_(fail), worker_([this] { Work(); }) {}
  ~DirectorySink() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }

  void Deliver(SmtpEnvelope envelope, std::string message, std::function<void(base::Status)> done) override {
    {
      std::lock_guard lock(mu_);
      queue_.push_back({std::move(envelope), std::move(message), std::move(done)});
    }
    cv_.notify_all();
  }

 private:
  struct Job {
    SmtpEnvelope envelope;
    std::string message;
    std::function<void(base::Status)> done;
  };

  void Work() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      Job job = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      job.done(fail_ ? base::Status::IoError("test sink configured to fail") : Write(job));
      lock.lock();
    }
  }

  base::Status Write(const Job& job) {
    const std::string base = dir_ + "/" + std::to_string(++count_);
    nlohmann::json env = {{"helo", job.envelope.helo},
                          {"mail_from", job.envelope.mail_from},
                          {"recipients", job.envelope.recipients},
                          {"lmtp", job.envelope.lmtp},
                          {"tls", job.envelope.tls},
                          {"remote_address", job.envelope.remote_address},
                          {"smtputf8", job.envelope.smtputf8},
                          {"body_8bitmime", job.envelope.body_8bitmime}};
    // The envelope first: the .eml appearing is the sign that both are complete.
    OMNIHUB_RETURN_IF_ERROR(WriteFileDurably(base + ".json", env.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
    return WriteFileDurably(base + ".eml", job.message);
  }

  const std::string dir_;
  const bool fail_;
  uint64_t count_ = 0;  // used by the worker thread only
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;  // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread worker_;
};

int Main(int argc, char** argv) {
  std::string dir;
  std::vector<std::string> mailboxes, domains;
  SmtpServerOptions options;
  bool fail = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--dir") {
      dir = value();
    } else if (arg == "--mailbox") {
      mailboxes.push_back(value());
    } else if (arg == "--domain") {
      domains.push_back(value());
    } else if (arg == "--lmtp") {
      options.lmtp = true;
    } else if (arg == "--port") {
      options.port = static_cast<uint16_t>(std::stoi(value()));
    } else if (arg == "--tls-cert") {
      options.tls_certificate_file = value();
    } else if (arg == "--tls-key") {
      options.tls_private_key_file = value();
    } else if (arg == "--max-message-bytes") {
      options.limits.max_message_bytes = std::stoull(value());
    } else if (arg == "--max-recipients") {
      options.limits.max_recipients = std::stoull(value());
    } else if (arg == "--idle-timeout-seconds") {
      options.limits.idle_timeout = std::chrono::seconds(std::stoll(value()));
    } else if (arg == "--fail") {
      fail = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "--dir is required\n");
    return 2;
  }
  RecipientPolicy policy(mailboxes, domains);
  if (!policy.invalid_entries().empty()) {
    std::fprintf(stderr, "invalid mailbox or domain: %s\n", policy.invalid_entries().front().c_str());
    return 2;
  }
  DirectorySink sink(dir, fail);
  boost::asio::io_context io;
  SmtpServer server(io, sink, policy, options);
  if (base::Status s = server.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("PORT %u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { server.Stop(); });
  io.run();
  return 0;
}

}  // namespace
}  // namespace omnihub::email

int main(int argc, char** argv) {
  try {
    return omnihub::email::Main(argc, argv);
  } catch (const std::exception& e) {  // a malformed number in the arguments
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
