#include "common/bus/nats/nats_connection.h"

#include <utility>

#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

std::string Joined(const std::vector<std::string>& servers) {
  std::string out;
  for (const auto& server : servers) out += (out.empty() ? "" : ",") + server;
  return out;
}

// natsOptions for `options`; frees them when it goes out of scope.
struct OptionsHolder {
  natsOptions* options = nullptr;
  ~OptionsHolder() { natsOptions_Destroy(options); }
};

}  // namespace

base::Result<std::unique_ptr<NatsConnection>> NatsConnection::Connect(const NatsConnectionOptions& options) {
  if (options.servers.empty()) {
    return base::Status::InvalidArgument("no NATS server given: list at least one nats://HOST:PORT");
  }
  std::vector<const char*> urls;
  for (const auto& server : options.servers) urls.push_back(server.c_str());
  OptionsHolder holder;
  natsStatus s = natsOptions_Create(&holder.options);
  natsOptions* o = holder.options;
  if (s == NATS_OK) s = natsOptions_SetServers(o, urls.data(), static_cast<int>(urls.size()));
  if (s == NATS_OK) s = natsOptions_SetName(o, options.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetPingInterval(o, options.ping_interval_ms);
  if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(o, options.max_pings_out);
  if (s == NATS_OK) s = natsOptions_SetTimeout(o, options.connect_timeout_ms);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(o, options.reconnect_wait_ms);
  // Reconnect for as long as the connection lives: a cluster member coming back, or
  // another member, takes over; callers see Unavailable meanwhile.
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(o, -1);
  // Requests in flight when the connection drops fail at once instead of running into
  // their timeout: a publish is retried sooner on the new connection.
  if (s == NATS_OK) s = natsOptions_SetFailRequestsOnDisconnect(o, true);
  if (s == NATS_OK && !options.credentials_file.empty()) {
    s = natsOptions_SetUserCredentialsFromFiles(o, options.credentials_file.c_str(), nullptr);
  }
  if (s != NATS_OK) return NatsError(s, kNoJsError, "NATS connection options");

  std::unique_ptr<NatsConnection> conn(new NatsConnection(options));
  s = natsConnection_Connect(&conn->connection_, o);
  if (s != NATS_OK) {
    return NatsError(s, kNoJsError, "connect to NATS at " + Joined(options.servers));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = options.request_timeout_ms;
  s = natsConnection_JetStream(&conn->jetstream_, conn->connection_, &js_options);
  if (s != NATS_OK) return NatsError(s, kNoJsError, "JetStream context");
  return conn;
}

NatsConnection::~NatsConnection() {
  if (jetstream_ != nullptr) jsCtx_Destroy(jetstream_);
  if (connection_ != nullptr) natsConnection_Destroy(connection_);
}

}  // namespace omnihub::bus::nats
