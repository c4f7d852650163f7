#include "services/api/core/openapi_document.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace omnihub::api {
namespace {

using nlohmann::json;

// Which part defined each merged key (as "components.schemas.Error" or
// "paths[/api/v1/x].get"), so a duplicate names both files.
using Owners = std::map<std::string, std::string, std::less<>>;

base::Status Invalid(std::string_view part, std::string_view what) {
  return base::Status::InvalidArgument("openapi/" + std::string(part) + ": " + std::string(what));
}

// Copies every member of `from` into `into`; `label`.<member> identifies it in `owners`.
base::Status MergeMembers(const json& from, json& into, const std::string& label, std::string_view part,
                          Owners& owners) {
  if (!from.is_object()) return Invalid(part, label + " must be an object");
  for (const auto& [key, value] : from.items()) {
    const std::string id = label + "." + key;
    auto [owner, fresh] = owners.emplace(id, std::string(part));
    if (!fresh) return Invalid(part, id + " is already defined in openapi/" + owner->second);
    into[key] = value;
  }
  return base::Status::Ok();
}

base::Status MergePart(const json& part, std::string_view name, json& document, Owners& owners) {
  if (auto paths = part.find("paths"); paths != part.end()) {
    if (!paths->is_object()) return Invalid(name, "paths must be an object");
    for (const auto& [path, item] : paths->items()) {
      json& merged = document["paths"][path];
      if (merged.is_null()) merged = json::object();
      OMNIHUB_RETURN_IF_ERROR(MergeMembers(item, merged, "paths[" + path + "]", name, owners));
    }
  }
  if (auto components = part.find("components"); components != part.end()) {
    if (!components->is_object()) return Invalid(name, "components must be an object");
    for (const auto& [kind, entries] : components->items()) {
      json& merged = document["components"][kind];
      if (merged.is_null()) merged = json::object();
      OMNIHUB_RETURN_IF_ERROR(MergeMembers(entries, merged, "components." + kind, name, owners));
    }
  }
  return base::Status::Ok();
}

std::string EscapePointerToken(std::string_view token) {
  std::string out;
  for (const char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

bool Resolves(const json& document, const json& ref) {
  if (!ref.is_string()) return false;
  const std::string& text = ref.get_ref<const std::string&>();
  if (text.empty() || text.front() != '#') return false;  // another document: not served with this one
  try {
    return document.contains(json::json_pointer(text.substr(1)));
  } catch (const json::exception&) {  // not a JSON pointer ("#foo", a bad ~ escape)
    return false;
  }
}

void CollectUnresolved(const json& node, const json& document, const std::string& where,
                       std::vector<std::string>& out) {
  if (node.is_object()) {
    if (auto ref = node.find("$ref"); ref != node.end() && !Resolves(document, *ref)) {
      out.push_back((where.empty() ? "/" : where) + ": " + ref->dump());
    }
    for (const auto& [key, value] : node.items()) {
      CollectUnresolved(value, document, where + "/" + EscapePointerToken(key), out);
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) CollectUnresolved(node[i], document, where + "/" + std::to_string(i), out);
  }
}

}  // namespace

base::Result<nlohmann::json> MergeOpenApiParts(std::span<const EmbeddedFile> parts) {
  std::vector<const EmbeddedFile*> sorted;
  for (const EmbeddedFile& part : parts) {
    if (part.path.ends_with(".json")) sorted.push_back(&part);  // a README beside them is no part
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->path < b->path; });

  json document;
  Owners owners;
  bool have_root = false;
  // The root first, so its own keys are owned by it; then the others in name order.
  for (const bool root_pass : {true, false}) {
    for (const EmbeddedFile* file : sorted) {
      const bool is_root = file->path == kOpenApiRootPart;
      if (is_root != root_pass) continue;
      const json part = json::parse(file->data, nullptr, /*allow_exceptions=*/false);
      if (part.is_discarded()) return Invalid(file->path, "not valid JSON");
      if (!part.is_object()) return Invalid(file->path, "must be a JSON object");
      if (is_root) {
        if (!part.contains("openapi")) return Invalid(file->path, "the root part lacks \"openapi\"");
        have_root = true;
        document = part;
        document["paths"] = json::object();
        document["components"] = json::object();
      } else {
        for (const auto& [key, value] : part.items()) {
          if (key != "paths" && key != "components") {
            return Invalid(file->path, "top-level \"" + key + "\" belongs in " + kOpenApiRootPart +
                                           "; an area's part holds only paths and components");
          }
        }
      }
      OMNIHUB_RETURN_IF_ERROR(MergePart(part, file->path, document, owners));
    }
  }
  if (!have_root) return base::Status::InvalidArgument(std::string("openapi/") + kOpenApiRootPart + " is missing");

  const std::vector<std::string> unresolved = UnresolvedRefs(document);
  if (!unresolved.empty()) {
    std::string list;
    for (const std::string& u : unresolved) list += (list.empty() ? "" : "; ") + u;
    return base::Status::InvalidArgument("the OpenAPI document has $refs that resolve to nothing: " + list);
  }
  return document;
}

std::vector<std::string> UnresolvedRefs(const nlohmann::json& document) {
  std::vector<std::string> out;
  CollectUnresolved(document, document, "", out);
  return out;
}

}  // namespace omnihub::api
