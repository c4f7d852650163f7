// How an agent command's outcome becomes the API's answer: the command client's failure
// (503 unavailable when the unifier did not apply it in time: it is durable and still will be)
// or the unifier's rejection (client::RejectionOf: NotFound 404, InvalidArgument 400,
// FailedPrecondition 409) as the error shape, its "field" the request's own name for the part
// of the command the unifier's message names ("merge.other: ..." -> "other").
//
// Thread-safety: pure functions.
#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

#include "common/base/status.h"
#include "omnihub/v1/command.pb.h"
#include "services/api/core/request_params.h"

namespace omnihub::api {

// Command field ("merge.other") -> the request's name for it ("other").
using CommandFieldNames = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// The applied result, or the error response to send instead.
Parsed<v1::CommandResult> AppliedResult(const base::Result<v1::CommandResult>& result, CommandFieldNames fields);

}  // namespace omnihub::api
