// Reading a platform's JSON by path, with errors that name the path: a missing or mistyped
// required field is InvalidArgument "entry[0].messaging[1].sender.id is missing" (the HTTP
// side answers it 400 with that message), while an optional field of the wrong type reads as
// absent. Ids may come as JSON strings or integers (Telegram and X send both); Id() gives their
// decimal text either way.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/base/status.h"

namespace omnihub::social {

using Json = nlohmann::json;

// Parses a webhook body: UTF-8, one JSON object, at most kMaxJsonDepth levels, no duplicate
// names (common/event/json_reader.h). InvalidArgument "request body is not valid JSON: ...".
base::Result<Json> ParseBody(std::string_view body);

// "entry[0]" + "messaging" -> "entry[0].messaging"; "" + "entry" -> "entry".
std::string JoinPath(std::string_view parent, std::string_view key);
// "entry" + 3 -> "entry[3]".
std::string IndexPath(std::string_view parent, size_t index);

// InvalidArgument "<path> <defect>" ("entry[0].id is missing").
base::Status FieldError(std::string_view path, std::string_view defect);

// The member `key` of object `obj`, or nullptr when absent or null.
const Json* Find(const Json& obj, std::string_view key);

// Required members: FieldError naming JoinPath(path, key) when absent, null or of another type.
base::Result<const Json*> RequiredObject(const Json& obj, std::string_view key, std::string_view path);
base::Result<const Json*> RequiredArray(const Json& obj, std::string_view key, std::string_view path);
base::Result<std::string> RequiredString(const Json& obj, std::string_view key, std::string_view path);
// A string or an integer, as decimal text; a string must not be empty.
base::Result<std::string> RequiredId(const Json& obj, std::string_view key, std::string_view path);
// An integer, or a string holding only decimal digits (WhatsApp timestamps are strings).
base::Result<int64_t> RequiredInt(const Json& obj, std::string_view key, std::string_view path);

// Optional members: the value, or "" / nullopt when absent or of another type.
std::string OptionalString(const Json& obj, std::string_view key);
std::string OptionalId(const Json& obj, std::string_view key);
std::optional<int64_t> OptionalInt(const Json& obj, std::string_view key);
bool OptionalBool(const Json& obj, std::string_view key);

// A value's compact JSON text (for raw payloads and provider_fields of nested values).
std::string Dump(const Json& value);

}  // namespace omnihub::social
