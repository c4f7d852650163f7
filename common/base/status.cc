#include "common/base/status.h"

#include <array>

namespace omnihub::base {
namespace {
constexpr std::array<std::pair<StatusCode, std::string_view>, 9> kNames{{
    {StatusCode::kOk, "ok"},
    {StatusCode::kInvalidArgument, "invalid_argument"},
    {StatusCode::kNotFound, "not_found"},
    {StatusCode::kAlreadyExists, "already_exists"},
    {StatusCode::kUnavailable, "unavailable"},
    {StatusCode::kCorruption, "corruption"},
    {StatusCode::kIoError, "io_error"},
    {StatusCode::kInternal, "internal"},
    {StatusCode::kFailedPrecondition, "failed_precondition"},
}};
}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "internal";
}

StatusCode StatusCodeFromName(std::string_view name) {
  for (const auto& [c, n] : kNames) {
    if (n == name) return c;
  }
  return StatusCode::kInternal;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

}  // namespace omnihub::base
