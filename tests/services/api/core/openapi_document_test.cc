// MergeOpenApiParts: the parts compiled into omnihub-api merge into one document whose every
// $ref resolves (so a part another area adds cannot break the served contract unnoticed), and
// the mistakes that must stop the service at startup are refused with the parts named.
#include "services/api/core/openapi_document.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace omnihub::api {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

constexpr std::string_view kRoot =
    R"({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Error": {"type": "object"}},
                       "responses": {"NotFound": {"description": "no",
                           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}})";

std::string Message(const base::Result<json>& r) { return r.ok() ? "ok" : r.status().message(); }

TEST(OpenApiDocumentTest, EmbeddedPartsMergeIntoOneDocumentWhoseRefsAllResolve) {
  auto merged = MergeOpenApiParts(OpenApiParts());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const json& doc = *merged;
  // Valid JSON as served: it survives a dump and a strict parse.
  const json reparsed = json::parse(doc.dump(), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(reparsed.is_discarded());
  EXPECT_EQ(reparsed, doc);

  EXPECT_TRUE(doc.at("openapi").get<std::string>().starts_with("3.1.")) << doc.at("openapi");
  EXPECT_EQ(doc.at("servers").at(0).at("url"), "http://127.0.0.1:8080");
  EXPECT_TRUE(doc.at("components").at("securitySchemes").contains("bearerToken"));
  EXPECT_TRUE(doc.at("components").at("securitySchemes").contains("sessionCookie"));
  const json& error = doc.at("components").at("schemas").at("Error");
  EXPECT_EQ(error.at("required"), json::array({"error"}));
  EXPECT_EQ(error.at("properties").at("error").at("required"), json::array({"code", "message"}));
  for (const char* name : {"BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooManyRequests"}) {
    EXPECT_TRUE(doc.at("components").at("responses").contains(name)) << name;
  }
  EXPECT_TRUE(doc.at("paths").contains("/api/openapi.json"));
  EXPECT_THAT(UnresolvedRefs(doc), ::testing::IsEmpty());
}

TEST(OpenApiDocumentTest, EmbeddedOperationsHaveUniqueIdsAndResponses) {
  auto merged = MergeOpenApiParts(OpenApiParts());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const std::set<std::string> methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  std::set<std::string> ids;
  size_t operations = 0;
  for (const auto& [path, item] : merged->at("paths").items()) {
    EXPECT_TRUE(path.starts_with("/")) << path;
    for (const auto& [method, operation] : item.items()) {
      if (!methods.contains(method)) continue;
      ++operations;
      ASSERT_TRUE(operation.contains("operationId")) << method << " " << path;
      EXPECT_TRUE(ids.insert(operation.at("operationId").get<std::string>()).second)
          << "operationId " << operation.at("operationId") << " used twice (" << method << " " << path << ")";
      EXPECT_FALSE(operation.value("responses", json::object()).empty()) << method << " " << path;
    }
  }
  EXPECT_GE(operations, 1u);
}

TEST(OpenApiDocumentTest, AreasMergeTheirPathsAndComponentsInNameOrder) {
  const EmbeddedFile parts[] = {
      {"write.json", R"({"paths": {"/api/v1/c/{id}": {"post": {"operationId": "w"}}},
                         "components": {"schemas": {"Note": {"type": "object"}}}})"},
      {"00-base.json", kRoot},
      {"README.md", "not a part"},
      {"read.json", R"({"paths": {"/api/v1/c/{id}": {"get": {"operationId": "r",
                         "responses": {"404": {"$ref": "#/components/responses/NotFound"}}}}},
                        "components": {"schemas": {"Customer": {"$ref": "#/components/schemas/Note"}},
                                       "parameters": {"Limit": {"name": "limit", "in": "query"}}}})"},
  };
  auto merged = MergeOpenApiParts(parts);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const json& item = merged->at("paths").at("/api/v1/c/{id}");
  EXPECT_EQ(item.at("get").at("operationId"), "r");
  EXPECT_EQ(item.at("post").at("operationId"), "w");
  EXPECT_EQ(merged->at("info").at("title"), "t");
  const json& components = merged->at("components");
  EXPECT_TRUE(components.at("schemas").contains("Error"));
  EXPECT_TRUE(components.at("schemas").contains("Note"));
  EXPECT_TRUE(components.at("schemas").contains("Customer"));
  EXPECT_TRUE(components.at("responses").contains("NotFound"));
  EXPECT_TRUE(components.at("parameters").contains("Limit"));
}

TEST(OpenApiDocumentTest, ASchemaDefinedTwiceIsAnErrorNamingBothParts) {
  const EmbeddedFile parts[] = {
      {"00-base.json", kRoot},
      {"read.json", R"({"components": {"schemas": {"Customer": {"type": "object"}}}})"},
      {"write.json", R"({"components": {"schemas": {"Customer": {"type": "string"}}}})"},
  };
  auto merged = MergeOpenApiParts(parts);
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(merged), HasSubstr("openapi/write.json"));
  EXPECT_THAT(Message(merged), HasSubstr("components.schemas.Customer"));
  EXPECT_THAT(Message(merged), HasSubstr("openapi/read.json"));
}

TEST(OpenApiDocumentTest, AnAreaRedefiningABaseComponentIsAnError) {
  const EmbeddedFile parts[] = {
      {"00-base.json", kRoot},
      {"stream.json", R"({"components": {"responses": {"NotFound": {"description": "mine"}}}})"},
  };
  auto merged = MergeOpenApiParts(parts);
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged), HasSubstr("components.responses.NotFound is already defined in openapi/00-base.json"));
}

TEST(OpenApiDocumentTest, TheSameOperationTwiceIsAnError) {
  const EmbeddedFile parts[] = {
      {"00-base.json", kRoot},
      {"read.json", R"({"paths": {"/api/v1/x": {"get": {"operationId": "a"}}}})"},
      {"tokens.json", R"({"paths": {"/api/v1/x": {"get": {"operationId": "b"}}}})"},
  };
  auto merged = MergeOpenApiParts(parts);
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(Message(merged), HasSubstr("openapi/tokens.json: paths[/api/v1/x].get is already defined in openapi/read.json"));
}

TEST(OpenApiDocumentTest, ARefThatResolvesToNothingIsAnError) {
  for (const char* ref : {"#/components/schemas/Missing", "other.json#/components/schemas/Error", "#nope", "#/a~2b"}) {
    const std::string part =
        R"({"paths": {"/api/v1/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": ")" +
        std::string(ref) + R"("}}}}}}}}})";
    const EmbeddedFile parts[] = {{"00-base.json", kRoot}, {"read.json", part}};
    auto merged = MergeOpenApiParts(parts);
    ASSERT_FALSE(merged.ok()) << ref;
    EXPECT_THAT(Message(merged), HasSubstr(ref));
    // Where it is, as a JSON pointer with '/' escaped.
    EXPECT_THAT(Message(merged), HasSubstr("/paths/~1api~1v1~1x/get/responses/200/content/application~1json/schema"));
  }
}

TEST(OpenApiDocumentTest, RefsIntoPathsUseEscapedPointers) {
  const json doc = json::parse(R"({"paths": {"/a/{id}": {"get": {}}},
      "x": [{"$ref": "#/paths/~1a~1{id}/get"}, {"$ref": "#/paths/~1a~1{id}/post"}, {"$ref": 7}]})");
  EXPECT_THAT(UnresolvedRefs(doc), ::testing::ElementsAre("/x/1: \"#/paths/~1a~1{id}/post\"", "/x/2: 7"));
}

TEST(OpenApiDocumentTest, MalformedPartsAreErrorsNamingThePart) {
  struct Case {
    std::string name, text, expected;
  };
  const std::vector<Case> cases = {
      {"read.json", R"({"paths": )", "openapi/read.json: not valid JSON"},
      {"read.json", R"([1])", "openapi/read.json: must be a JSON object"},
      {"read.json", R"({"info": {"title": "mine"}})", "openapi/read.json: top-level \"info\" belongs in 00-base.json"},
      {"read.json", R"({"paths": []})", "openapi/read.json: paths must be an object"},
      {"read.json", R"({"components": {"schemas": [1]}})", "openapi/read.json: components.schemas must be an object"},
      {"read.json", R"({"paths": {"/x": "get"}})", "openapi/read.json: paths[/x] must be an object"},
  };
  for (const Case& c : cases) {
    const EmbeddedFile parts[] = {{"00-base.json", kRoot}, {c.name, c.text}};
    auto merged = MergeOpenApiParts(parts);
    ASSERT_FALSE(merged.ok()) << c.text;
    EXPECT_THAT(Message(merged), HasSubstr(c.expected)) << c.text;
  }
}

TEST(OpenApiDocumentTest, TheRootPartIsRequired) {
  const EmbeddedFile without[] = {{"read.json", R"({"paths": {}})"}};
  EXPECT_THAT(Message(MergeOpenApiParts(without)), HasSubstr("openapi/00-base.json is missing"));
  const EmbeddedFile rootless[] = {{"00-base.json", R"({"info": {}})"}};
  EXPECT_THAT(Message(MergeOpenApiParts(rootless)), HasSubstr("lacks \"openapi\""));
}

}  // namespace
}  // namespace omnihub::api
