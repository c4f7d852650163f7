// The shape of the read commands that name one customer and print one answer
// (`omnihubctl lookup IDENTITY`, `omnihubctl customer explain CUSTOMER|IDENTITY`): parse the
// only argument as a customer selector, ask the hub, print the answer as indented JSON.
//
// Thread-safety: as CtlContext (one command at a time).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "omnihub/v1/query.pb.h"
#include "services/ctl/ctl_context.h"

namespace omnihub::ctl {

// Puts the parsed selector into the request for this command.
using FillCustomerRequest = std::function<void(v1::QueryRequest&, const v1::CustomerSelector&)>;
// Renders the hub's answer.
using CustomerAnswerJson = std::function<nlohmann::json(const v1::QueryResponse&)>;

// Returns the command's exit code; errors are reported on ctx.err (`usage` names the command).
int RunCustomerQuery(CtlContext& ctx, const std::vector<std::string>& args, const std::string& usage,
                     const FillCustomerRequest& fill, const CustomerAnswerJson& answer_json);

}  // namespace omnihub::ctl
