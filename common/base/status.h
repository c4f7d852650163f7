// Status and Result<T>: how every fallible call in omnihub reports failure.
//
// Exceptions never cross module boundaries; where a library throws (toml++,
// nlohmann::json, cppzmq) the caller catches and returns a Status.
// Codes map onto protocol replies: InvalidArgument -> SMTP 5xx / HTTP 400,
// Unavailable -> SMTP 4xx / HTTP 503, NotFound -> 404, Corruption -> dead letter.
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace omnihub::base {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kUnavailable,
  kCorruption,
  kIoError,
  kInternal,
  kFailedPrecondition,  // the request is well-formed but the state does not allow it (a merge split twice)
};

// Stable lower-case name of a code ("invalid_argument"); used in JSON error bodies.
std::string_view StatusCodeName(StatusCode code);
// Inverse of StatusCodeName; kInternal for unknown names.
StatusCode StatusCodeFromName(std::string_view name);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }

  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsInvalidArgument() const { return code_ == StatusCode::kInvalidArgument; }
  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsUnavailable() const { return code_ == StatusCode::kUnavailable; }
  bool IsCorruption() const { return code_ == StatusCode::kCorruption; }

  // "invalid_argument: message" (or "ok").
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or a failure Status (std::expected arrives only in C++23).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    // A Result holding an OK status would have no value to return.
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace omnihub::base

// Propagates a failed Status from an expression returning Status. The variable
// name is made unique per use so that nested uses (lambdas) do not shadow.
#define OMNIHUB_STATUS_CONCAT_INNER(a, b) a##b
#define OMNIHUB_STATUS_CONCAT(a, b) OMNIHUB_STATUS_CONCAT_INNER(a, b)
#define OMNIHUB_RETURN_IF_ERROR(expr) OMNIHUB_RETURN_IF_ERROR_IMPL(OMNIHUB_STATUS_CONCAT(status_, __COUNTER__), expr)
#define OMNIHUB_RETURN_IF_ERROR_IMPL(var, expr) \
  do {                                          \
    ::omnihub::base::Status var = (expr);             \
    if (!var.ok()) return var;                  \
  } while (0)
