#include "common/client/graph_commands.h"

#include "common/base/uuid.h"
#include "common/event/identity.h"

namespace omnihub::client {

base::Result<v1::Identity> IdentityOfSelector(const v1::CustomerSelector& selector, std::string_view label,
                                              std::string_view arg) {
  const std::string named = std::string(label) + " '" + std::string(arg) + "'";
  if (!selector.has_identity()) {
    return base::Status::InvalidArgument(named +
                                         " is a customer id; give an identity (email:..., phone:..., "
                                         "PLATFORM:ACCOUNT:USER_ID)");
  }
  if (event::IsHandleReference(selector.identity())) {
    return base::Status::InvalidArgument(named + " is a handle; give the user id (e.g. x:USER_ID)");
  }
  return selector.identity();
}

base::Result<std::string> ParseMergeId(std::string_view arg, std::string_view label) {
  std::string merge_id;
  if (!base::UuidFromString(std::string(arg), &merge_id)) {
    return base::Status::InvalidArgument(std::string(label) + " '" + std::string(arg) +
                                         "' is not a merge id (the UUID the merge answered)");
  }
  return base::UuidToString(merge_id);
}

v1::Command LinkCommand(v1::CustomerSelector customer, v1::Identity identity, std::string reason) {
  v1::Command command;
  command.set_reason(std::move(reason));
  *command.mutable_link()->mutable_customer() = std::move(customer);
  *command.mutable_link()->mutable_identity() = std::move(identity);
  return command;
}

v1::Command UnlinkCommand(v1::Identity identity, std::string reason) {
  v1::Command command;
  command.set_reason(std::move(reason));
  *command.mutable_unlink()->mutable_identity() = std::move(identity);
  return command;
}

v1::Command MergeCommand(v1::CustomerSelector survivor, v1::CustomerSelector other, std::string reason) {
  v1::Command command;
  command.set_reason(std::move(reason));
  *command.mutable_merge()->mutable_survivor() = std::move(survivor);
  *command.mutable_merge()->mutable_other() = std::move(other);
  return command;
}

v1::Command SplitCommand(std::string merge_id, std::string reason) {
  v1::Command command;
  command.set_reason(std::move(reason));
  command.mutable_split()->set_merge_id(std::move(merge_id));
  return command;
}

v1::QueryRequest MergePreviewQuery(v1::CustomerSelector survivor, v1::CustomerSelector other) {
  v1::QueryRequest request;
  *request.mutable_merge_preview()->mutable_survivor() = std::move(survivor);
  *request.mutable_merge_preview()->mutable_other() = std::move(other);
  return request;
}

nlohmann::json GraphResultToJson(const v1::Command& command, const v1::CommandResult& result) {
  if (command.has_merge()) return {{"merge_id", result.merge_id()}, {"customer_id", result.customer_id()}};
  if (command.has_split()) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& id : result.customer_ids()) ids.push_back(id);
    return {{"merge_id", result.merge_id()}, {"customer_ids", std::move(ids)}};
  }
  return {{"customer_id", result.customer_id()}};
}

}  // namespace omnihub::client
