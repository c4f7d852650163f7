#include "common/bus/nats/jetstream_api_error.h"

#include <nats/nats.h>

namespace omnihub::bus::nats {

std::optional<JetStreamApiError> JetStreamApiErrorOf(const nlohmann::json& reply) {
  const auto error = reply.find("error");
  if (error == reply.end()) return std::nullopt;
  JetStreamApiError out;
  if (!error->is_object()) {
    out.description = error->dump();
    return out;
  }
  const auto code = error->find("err_code");
  if (code != error->end() && code->is_number_integer()) out.code = code->get<int>();
  const auto description = error->find("description");
  out.description = (description != error->end() && description->is_string() ? description->get<std::string>()
                                                                             : std::string("no description")) +
                    " (code " + std::to_string(out.code) + ")";
  return out;
}

base::Status JetStreamApiErrorStatus(const JetStreamApiError& error, std::string_view what) {
  const std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
  if (error.code == JSStreamNotFoundErr) return base::Status::NotFound(prefix + "no such stream: " + error.description);
  return base::Status::Unavailable(prefix + "JetStream refused: " + error.description);
}

}  // namespace omnihub::bus::nats
