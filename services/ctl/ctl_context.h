// What every omnihubctl command gets: the loaded config, the hub it talks to (queries,
// the change feed, publishers for what it sends), the dead-letter re-parsers, and the
// output streams. main.cc injects the real ones (ZeroMQ); unit tests inject fakes and
// capture the streams, so every command runs without a socket. Commands return the
// exit code.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/query_transport.h"
#include "common/config/config.h"
#include "services/ctl/event_publisher.h"
#include "services/ctl/reparser.h"

namespace omnihub::ctl {

// Exit codes, documented in `omnihubctl help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the command ran and something failed (e.g. rejected lines)
inline constexpr int kExitUsage = 2;        // bad arguments: the message says what to fix
inline constexpr int kExitUnavailable = 3;  // the hub did not answer or did not commit in time
inline constexpr int kExitNotFound = 4;     // no such customer / identity

struct CtlContext {
  config::Config config;
  bus::QueryTransport& hub;              // the unifier's query endpoint
  bus::ChangeFeed& changes;              // its change feed (watch)
  const PublisherFactory& publishers;    // inject and replay publish through these
  const ReparserRegistry& reparsers;     // replay reads dead letters again with these
  std::ostream& out;
  std::ostream& err;
  base::Clock& clock;
  base::RandomSource& random;  // the kernel's (SecureRandom): `token` makes secrets with it
};

// Prints "omnihubctl: <message>" on err and maps the status to an exit code.
int ReportError(CtlContext& ctx, const base::Status& status);

using Command = int (*)(CtlContext& ctx, const std::vector<std::string>& args);

int RunInject(CtlContext& ctx, const std::vector<std::string>& args);
int RunLookup(CtlContext& ctx, const std::vector<std::string>& args);
int RunTimeline(CtlContext& ctx, const std::vector<std::string>& args);
int RunStats(CtlContext& ctx, const std::vector<std::string>& args);
int RunExport(CtlContext& ctx, const std::vector<std::string>& args);
int RunDeadLetter(CtlContext& ctx, const std::vector<std::string>& args);         // list
int RunDeadLetterCommand(CtlContext& ctx, const std::vector<std::string>& args);  // list | replay
int RunWatch(CtlContext& ctx, const std::vector<std::string>& args);
int RunConversation(CtlContext& ctx, const std::vector<std::string>& args);
int RunAttachment(CtlContext& ctx, const std::vector<std::string>& args);
// customer explain|link|unlink|merge|split|export|erase (customer_command.cc dispatches)
int RunCustomer(CtlContext& ctx, const std::vector<std::string>& args);
int RunCustomerExplain(CtlContext& ctx, const std::vector<std::string>& args);  // graph_commands.cc
int RunCustomerLink(CtlContext& ctx, const std::vector<std::string>& args);
int RunCustomerUnlink(CtlContext& ctx, const std::vector<std::string>& args);
int RunCustomerMerge(CtlContext& ctx, const std::vector<std::string>& args);
int RunCustomerSplit(CtlContext& ctx, const std::vector<std::string>& args);
int RunCustomerExport(CtlContext& ctx, const std::vector<std::string>& args);  // export_command.cc
int RunCustomerErase(CtlContext& ctx, const std::vector<std::string>& args);   // erase_command.cc
int RunSuggestions(CtlContext& ctx, const std::vector<std::string>& args);     // suggestions_command.cc
int RunSearch(CtlContext& ctx, const std::vector<std::string>& args);          // search_command.cc
int RunMetrics(CtlContext& ctx, const std::vector<std::string>& args);         // metrics_command.cc
int RunToken(CtlContext& ctx, const std::vector<std::string>& args);           // token_command.cc
int RunBackup(CtlContext& ctx, const std::vector<std::string>& args);          // backup_command.cc
int RunDigest(CtlContext& ctx, const std::vector<std::string>& args);          // digest_command.cc
int RunCluster(CtlContext& ctx, const std::vector<std::string>& args);         // cluster_command.cc

}  // namespace omnihub::ctl
