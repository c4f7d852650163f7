#include "common/bus/nats/stored_message.h"

#include <nats/nats.h>

#include <nlohmann/json.hpp>

#include "common/base/coding.h"
#include "common/bus/nats/jetstream_api_error.h"

namespace omnihub::bus::nats {

std::string HeaderValue(std::string_view block, std::string_view name) {
  size_t line_start = block.find("\r\n");  // the first line is the version
  while (line_start != std::string_view::npos) {
    line_start += 2;
    const size_t line_end = block.find("\r\n", line_start);
    const std::string_view line = block.substr(line_start, line_end - line_start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && line.substr(0, colon) == name) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
    line_start = line_end;
  }
  return std::string();
}

base::Result<std::optional<StoredMessage>> ParseMessageGetReply(std::string_view json) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return base::Status::Unavailable("JetStream answered with no JSON object");
  if (auto error = JetStreamApiErrorOf(doc)) {
    if (error->code == JSNoMessageFoundErr) return std::optional<StoredMessage>();
    return JetStreamApiErrorStatus(*error, "");
  }
  const auto message = doc.find("message");
  if (message == doc.end() || !message->is_object()) {
    return base::Status::Unavailable("JetStream answered with neither a message nor an error");
  }
  StoredMessage stored;
  for (const auto& [field, out] : {std::pair{"hdrs", &stored.headers}, std::pair{"data", &stored.data}}) {
    const auto value = message->find(field);
    if (value == message->end()) continue;
    if (!value->is_string() || !base::Base64Decode(value->get<std::string>(), out)) {
      return base::Status::Unavailable(std::string("JetStream answered with a message whose \"") + field +
                                       "\" is not base64");
    }
  }
  return std::optional<StoredMessage>(std::move(stored));
}

}  // namespace omnihub::bus::nats
