// Maildir import mode, for sites whose MTA or IMAP server already delivers to a
// Maildir: every file in new/ is ingested and, once its event is durable in the
// outbox, moved to cur/ (with the ":2," info suffix), as a mail reader would.
//
// Complete files only: Maildir writers create a message in tmp/ and rename it into
// new/ when it is whole, so new/ never holds a half-written file. A crash between the
// outbox append and the move only means the file is read again on restart, and the
// unifier's dedup by Message-ID makes that harmless.
//
// Thread-safety: Start() runs a polling thread; Stop() (or the destructor) joins it.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "common/base/status.h"
#include "services/email/ingest/email_ingest.h"

namespace omnihub::email {

class MaildirImporter {
 public:
  MaildirImporter(std::string maildir, EmailIngest& ingest, std::chrono::milliseconds poll_interval);
  ~MaildirImporter();

  // Creates new/, cur/ and tmp/ if missing.
  base::Status Prepare();
  // Imports what new/ holds now; returns how many files were moved to cur/. Stops at
  // the first file that cannot be made durable (it stays in new/ for the next round).
  base::Result<size_t> ImportOnce();
  void Start();
  void Stop();

 private:
  std::string maildir_;
  EmailIngest& ingest_;
  std::chrono::milliseconds poll_interval_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace omnihub::email
