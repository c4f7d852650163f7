// The served OpenAPI 3.1 document, built from the part files of services/api/openapi/ (one per
// area, so helpers describing different endpoints never edit the same file). "00-base.json" is
// the root: info, servers, security schemes, the shared Error schema and common responses.
// Every other part may hold only "paths" and "components"; they are merged into the root:
//   - components.<kind>.<name>: a name defined twice (in any two parts) is an error;
//   - paths.<path>.<field>: two parts may describe different operations of one path (GET in
//     one, POST in another), but the same operation or path-item field twice is an error.
// Then every "$ref" must be a local pointer ("#/components/...") that resolves, because the
// document is served on its own. Any of these mistakes stops omnihub-api at startup (a part
// that silently lost an endpoint would make the contract lie).
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/status.h"
#include "services/api/core/embedded_files.h"

namespace omnihub::api {

// The root part's file name.
inline constexpr char kOpenApiRootPart[] = "00-base.json";

// The merged document. InvalidArgument naming the part (and the key) for: JSON that does not
// parse, a part that is not an object, no root part, a top-level key other than "paths" and
// "components" outside the root, a duplicate key as above, or a "$ref" that does not resolve.
// Parts are merged in name order whatever order `parts` has; files not named *.json are skipped.
base::Result<nlohmann::json> MergeOpenApiParts(std::span<const EmbeddedFile> parts);

// Every "$ref" value in `document` that is not a local JSON pointer ("#/...") resolving within
// it, each as "<where it is>: <ref>" with `where` the JSON pointer of the object holding it.
std::vector<std::string> UnresolvedRefs(const nlohmann::json& document);

}  // namespace omnihub::api
