// A customer's erasure from start to receipt (docs/erasure.md), as omnihubctl customer erase
// and the API's POST /customers/{id}/erase both run it: gather what to look for (the
// customer's identities, message texts and subjects, attachment bytes) while it still can,
// send the EraseCustomerCommand by customer id (so no outbox holds the identity), ask the
// unifier to purge, each service with an outbox to purge (POST /purge on its admin listener),
// compact the caller's own outboxes, scan every data directory for the gathered bytes and
// record the verification with the kept receipt.
//
// A rerun for a customer already erased (the purge or the scan failed) finds its receipt and
// does everything after the command again, looking for the identity given (the rest can no
// longer be read).
//
// The caller supplies what differs between a command-line tool and a server (ErasureHost):
// how a command is sent (and by whom), the hub, the services to purge, its own outboxes and
// where notes go.
//
// Thread-safety: one erasure per call; the host's members are called from the calling thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/bus/query_transport.h"
#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::client {

// A service that keeps copies of what it handled (an adapter, the API): its outbox directory
// is scanned, and its admin listener (if any) is asked to POST /purge.
struct PurgeTarget {
  std::string name;          // "email"; in notes
  std::string admin_listen;  // "" = no admin listener
  std::string outbox_dir;    // "" = none
};

class ErasureHost {
 public:
  virtual ~ErasureHost() = default;
  // Sends `command` (reason set, actor and ids filled by the host) and waits for its result;
  // applied or rejected (RejectionOf), or the failure to deliver it.
  virtual base::Result<v1::CommandResult> SendCommand(v1::Command command) = 0;
  virtual bus::QueryTransport& Hub() = 0;
  // The services to purge and scan (from the config).
  virtual std::vector<PurgeTarget> PurgeTargets() = 0;
  // Flushes and compacts the caller's own outboxes; their directories (to scan).
  virtual std::vector<std::string> CompactOwnOutboxes() = 0;
  // Something the operator should know that does not stop the erasure ("email not purged").
  virtual void Note(const std::string& message) = 0;
  virtual int64_t NowMicros() = 0;
};

struct ErasureRequest {
  std::string argument;              // the customer as given (an id or identity argument)
  v1::CustomerSelector customer;     // parsed
  std::string reason;                // required
};

// The kept receipt with its verification; `clean` = the scan found nothing.
struct ErasureOutcome {
  v1::ErasureReceipt receipt;
  bool clean = false;
};

// NotFound for a customer that neither exists nor was erased; the command's rejection or the
// hub's error otherwise ("purge (rerun the erase to retry): ..." when the purge failed).
base::Result<ErasureOutcome> EraseCustomer(ErasureHost& host, const ErasureRequest& request);

}  // namespace omnihub::client
