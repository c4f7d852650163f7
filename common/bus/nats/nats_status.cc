#include "common/bus/nats/nats_status.h"

#include <string>

namespace omnihub::bus::nats {

base::Status NatsError(natsStatus status, jsErrCode jerr, std::string_view what) {
  std::string detail = natsStatus_GetText(status);
  if (const char* last = nats_GetLastError(nullptr); last != nullptr && *last != '\0') {
    detail += " (" + std::string(last) + ")";
  }
  const std::string prefix = std::string(what) + ": ";
  switch (jerr) {
    case JSStreamNameExistErr:
      return base::Status::FailedPrecondition(
          prefix + "the stream exists with a different configuration (" + detail +
          "); compare it with docs/cluster.md (a server's /jsz?streams=true&config=true on port 8222 shows "
          "it) and change or delete it");
    case JSStreamNotFoundErr:
      return base::Status::NotFound(prefix + "no such stream (" + detail +
                                    "); create the partition streams first (NatsPartitionLog::EnsureStreams)");
    case JSStreamReplicasNotSupportedErr:
    case JSClusterNoPeersErr:
    case JSInsufficientResourcesErr:
      return base::Status::FailedPrecondition(
          prefix + detail + "; the replica count needs that many JetStream servers in one cluster (lower "
                            "`replicas` for a single server, or start the cluster of deploy/cluster/)");
    case JSNotEnabledErr:
      return base::Status::FailedPrecondition(prefix + "JetStream is not enabled on the server (" + detail +
                                              "); start nats-server with -js or a jetstream block");
    case JSStreamMessageExceedsMaximumErr:
      return base::Status::InvalidArgument(prefix + "the message is larger than the stream accepts (" + detail +
                                           "); send its blobs to OMNI_BLOBS and name them in the frame");
    case JSClusterNotAvailErr:
      return base::Status::Unavailable(prefix + "JetStream is temporarily unavailable (" + detail +
                                       "); it answers again once the cluster has a leader");
    default:
      break;
  }
  switch (status) {
    case NATS_TIMEOUT:
      return base::Status::Unavailable(prefix + "no answer in time (" + detail +
                                       "); the stream may be electing a leader or the server is stuck: it is "
                                       "retried; if it persists, check the servers' /healthz?js-enabled-only=true");
    case NATS_NO_RESPONDERS:
      return base::Status::Unavailable(prefix + "nothing answered (" + detail +
                                       "); JetStream is off on the server or the stream has no leader yet");
    case NATS_CONNECTION_CLOSED:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_NO_SERVER:
    case NATS_STALE_CONNECTION:
      return base::Status::Unavailable(prefix + "not connected to NATS (" + detail +
                                       "); check that the configured servers run and are reachable");
    case NATS_NOT_FOUND:
      return base::Status::NotFound(prefix + detail);
    case NATS_INVALID_ARG:
    case NATS_INVALID_SUBJECT:
    case NATS_MAX_PAYLOAD:
      return base::Status::InvalidArgument(prefix + detail);
    default:
      return base::Status::Unavailable(prefix + detail);
  }
}

}  // namespace omnihub::bus::nats
