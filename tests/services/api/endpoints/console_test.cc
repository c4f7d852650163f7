// The console's files as served (endpoints/console_files.h and, through the real router and
// authenticator, endpoints/console.cc), and the rules they must keep
// under the strict Content-Security-Policy: no inline script or style, no event-handler
// attributes, nothing loaded from another origin, and no HTML built from strings in the
// scripts (text goes in through textContent, so a message cannot inject markup).
#include "services/api/endpoints/console_files.h"

#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "services/api/core/embedded_files.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

std::string Header(const http::HttpResponse& r, std::string_view name) {
  auto v = http::FindHttpHeader(r.headers, name);
  return v ? std::string(*v) : std::string();
}

TEST(ConsoleFilesTest, IndexLoadsTheAppAsAModule) {
  const http::HttpResponse r = ConsoleFileResponse("index.html");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
  EXPECT_NE(r.body.find(R"(<script type="module" src="/console/app.js"></script>)"), std::string::npos);
  EXPECT_NE(r.body.find(R"(<link rel="stylesheet" href="/console/app.css">)"), std::string::npos);
}

TEST(ConsoleFilesTest, ScriptsAndStylesHaveTheirTypes) {
  EXPECT_EQ(ConsoleFileResponse("app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(ConsoleFileResponse("app.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(ConsoleContentType("x.svg"), "image/svg+xml");
  EXPECT_EQ(ConsoleContentType("x.woff2"), "font/woff2");
  EXPECT_EQ(ConsoleContentType("README"), "application/octet-stream");
  EXPECT_EQ(ConsoleContentType(".js"), "application/octet-stream");
}

TEST(ConsoleFilesTest, UnknownNamesAreNotFoundInTheErrorShape) {
  for (const char* name : {"nope.js", "../api_config.h", "", "index.html/", "APP.JS"}) {
    const http::HttpResponse r = ConsoleFileResponse(name);
    EXPECT_EQ(r.status, 404) << name;
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "not_found") << name;
    EXPECT_EQ(body["error"]["field"], "path") << name;
  }
}

TEST(ConsoleFilesTest, EveryFileIsFlatAndServed) {
  ASSERT_FALSE(ConsoleFiles().empty());
  for (const EmbeddedFile& f : ConsoleFiles()) {
    // The route captures one segment: a file in a sub-folder could never be served.
    EXPECT_EQ(f.path.find('/'), std::string_view::npos) << f.path;
    const http::HttpResponse r = ConsoleFileResponse(f.path);
    EXPECT_EQ(r.status, 200) << f.path;
    EXPECT_EQ(r.body, f.data) << f.path;
    EXPECT_NE(r.content_type, "application/octet-stream") << f.path;
  }
}

TEST(ConsoleFilesTest, MarkupHasNoInlineScriptStyleOrHandlers) {
  const std::regex inline_script(R"(<script(?![^>]*\bsrc=)[^>]*>)", std::regex::icase);
  const std::regex style_element(R"(<style\b)", std::regex::icase);
  const std::regex style_attribute(R"(\sstyle\s*=)", std::regex::icase);
  const std::regex handler_attribute(R"(\son[a-z]+\s*=)", std::regex::icase);
  const std::regex other_origin(R"((src|href|action)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase);
  int html_files = 0;
  for (const EmbeddedFile& f : ConsoleFiles()) {
    if (!f.path.ends_with(".html")) continue;
    ++html_files;
    const std::string text(f.data);
    EXPECT_FALSE(std::regex_search(text, inline_script)) << f.path;
    EXPECT_FALSE(std::regex_search(text, style_element)) << f.path;
    EXPECT_FALSE(std::regex_search(text, style_attribute)) << f.path;
    EXPECT_FALSE(std::regex_search(text, handler_attribute)) << f.path;
    EXPECT_FALSE(std::regex_search(text, other_origin)) << f.path;
  }
  EXPECT_GE(html_files, 1);
}

TEST(ConsoleFilesTest, ScriptsNeverParseStringsAsMarkup) {
  const std::regex markup_sink(
      R"(\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\(|createContextualFragment)");
  // Any quoted URL of another origin, except the SVG namespace's name (svg.js passes it to
  // createElementNS; nothing is fetched from it).
  const std::regex other_origin(R"(["'`](https?:)?//(?!www\.w3\.org/2000/svg["'`])[a-z0-9])", std::regex::icase);
  const std::regex css_import(R"(@import|url\(\s*["']?(https?:)?//)", std::regex::icase);
  int scripts = 0;
  for (const EmbeddedFile& f : ConsoleFiles()) {
    const std::string text(f.data);
    if (f.path.ends_with(".js")) {
      ++scripts;
      EXPECT_FALSE(std::regex_search(text, markup_sink)) << f.path;
      EXPECT_FALSE(std::regex_search(text, other_origin)) << f.path;
    }
    if (f.path.ends_with(".css")) {
      EXPECT_FALSE(std::regex_search(text, css_import)) << f.path;
    }
  }
  EXPECT_GE(scripts, 1);
}

class ConsoleRoutesTest : public testing::EndpointHarness {
 protected:
  ConsoleRoutesTest() { EXPECT_TRUE(AddConsoleRoutes(routes(), services()).ok()); }
};

TEST_F(ConsoleRoutesTest, PageAndFilesNeedNoTokenAndCarryTheStrictPolicy) {
  for (const char* target : {"/", "/console/app.js", "/console/app.css"}) {
    const http::HttpResponse r = Call("GET", target, "");
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(Header(r, "Content-Security-Policy"), kContentSecurityPolicy) << target;
    EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache") << target;
  }
  EXPECT_EQ(Call("GET", "/", "").body, ConsoleFileResponse("index.html").body);
  EXPECT_EQ(Call("GET", "/console/app.js", "").content_type, "text/javascript; charset=utf-8");
}

TEST_F(ConsoleRoutesTest, UnknownFilesAndOtherMethodsAreRefused) {
  ExpectError(Call("GET", "/console/missing.js", ""), 404, "not_found", "path");
  ExpectError(Call("GET", "/console/%2e%2e%2fapi_config.h", ""), 404, "not_found", "path");
  EXPECT_EQ(Call("GET", "/console/sub/app.js", "").status, 404);
  EXPECT_EQ(Call("POST", "/", "").status, 405);
}

}  // namespace
}  // namespace omnihub::api
