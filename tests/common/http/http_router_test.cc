// HttpRouter, HttpResponder, JsonError and the HTTP framing helpers, without sockets.
#include "common/http/router.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "common/http/types.h"
#include "common/http/wire.h"

namespace omnihub::http {
namespace {

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = path;
  request.path = std::move(path);
  return request;
}

class HttpRouterTest : public ::testing::Test {
 protected:
  // Dispatches and returns the answer (the responder is answered synchronously in these tests).
  HttpResponse Call(const HttpRouter& router, HttpRequest request) {
    std::optional<HttpResponse> answer;
    router.Dispatch(std::move(request), HttpResponder::Capture([&answer](HttpResponse r) { answer = std::move(r); }));
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(HttpResponse{});
  }

  // A handler answering "<tag> <param values...>".
  static HttpHandler Tagged(std::string tag) {
    return [tag](HttpRequest request, HttpResponder respond) {
      HttpResponse response;
      response.body = tag;
      for (const auto& [name, value] : request.path_params) response.body += " " + name + "=" + value;
      respond(std::move(response));
    };
  }
};

TEST_F(HttpRouterTest, ExactPathGoesToItsHandler) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/health", Tagged("health")).ok());
  ASSERT_TRUE(router.Add("GET", "/", Tagged("root")).ok());
  EXPECT_EQ(Call(router, Request("GET", "/health")).body, "health");
  EXPECT_EQ(Call(router, Request("GET", "/")).body, "root");
  EXPECT_EQ(Call(router, Request("GET", "/health/")).status, 404);
  EXPECT_EQ(Call(router, Request("GET", "/healthz")).status, 404);
}

TEST_F(HttpRouterTest, CapturesArePercentDecodedIntoPathParams) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("POST", "/twilio/{account}/messages/{sid}", Tagged("msg")).ok());
  EXPECT_EQ(Call(router, Request("POST", "/twilio/AC%20x%2Fy/messages/SM+1")).body, "msg account=AC x/y sid=SM+1");
}

TEST_F(HttpRouterTest, CaptureNeedsANonEmptySegment) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("POST", "/twilio/{account}/messages", Tagged("msg")).ok());
  EXPECT_EQ(Call(router, Request("POST", "/twilio//messages")).status, 404);
}

TEST_F(HttpRouterTest, InvalidPercentEncodingIsBadRequest) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/c/{id}", Tagged("c")).ok());
  const HttpResponse response = Call(router, Request("GET", "/c/%zz"));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("\"code\": \"bad_request\""), std::string::npos);
  EXPECT_EQ(Call(router, Request("GET", "/c/ab%4")).status, 400);
}

TEST_F(HttpRouterTest, UnknownPathIsNotFoundJson) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/a", Tagged("a")).ok());
  const HttpResponse response = Call(router, Request("GET", "/b"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error": {"code": "not_found", "message": "no resource at this path"}})");
}

TEST_F(HttpRouterTest, SeveralMethodsShareAPattern) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/items/{id}", Tagged("get")).ok());
  ASSERT_TRUE(router.Add("POST", "/items/{id}", Tagged("post")).ok());
  EXPECT_EQ(Call(router, Request("GET", "/items/7")).body, "get id=7");
  EXPECT_EQ(Call(router, Request("POST", "/items/7")).body, "post id=7");
}

TEST_F(HttpRouterTest, WrongMethodIsMethodNotAllowedWithAllow) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/items/{id}", Tagged("get")).ok());
  ASSERT_TRUE(router.Add("POST", "/items/{id}", Tagged("post")).ok());
  const HttpResponse response = Call(router, Request("DELETE", "/items/7"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(FindHttpHeader(response.headers, "allow").value_or(""), "GET, HEAD, POST");
  EXPECT_NE(response.body.find("\"code\": \"method_not_allowed\""), std::string::npos);
}

TEST_F(HttpRouterTest, HeadFallsBackToGet) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/x", Tagged("get")).ok());
  EXPECT_EQ(Call(router, Request("HEAD", "/x")).body, "get");
}

TEST_F(HttpRouterTest, LiteralSegmentBeatsCapture) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/users/{id}", Tagged("user")).ok());
  ASSERT_TRUE(router.Add("GET", "/users/me", Tagged("me")).ok());
  ASSERT_TRUE(router.Add("DELETE", "/users/{id}", Tagged("delete")).ok());
  EXPECT_EQ(Call(router, Request("GET", "/users/me")).body, "me");
  EXPECT_EQ(Call(router, Request("GET", "/users/42")).body, "user id=42");
  // The literal route has no DELETE, the capture route has: the method decides.
  EXPECT_EQ(Call(router, Request("DELETE", "/users/me")).body, "delete id=me");
}

TEST_F(HttpRouterTest, AddRejectsMalformedAndDuplicateRoutes) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/a/{id}", Tagged("a")).ok());
  EXPECT_TRUE(router.Add("GET", "/a/{id}", Tagged("again")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("POST", "/a/{other}", Tagged("conflict")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("get", "/b", Tagged("b")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("GET", "b", Tagged("b")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("GET", "/b/{x}/{x}", Tagged("b")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("GET", "/b/{x", Tagged("b")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("GET", "/b/{}", Tagged("b")).IsInvalidArgument());
  EXPECT_TRUE(router.Add("GET", "/b", HttpHandler()).IsInvalidArgument());
  EXPECT_EQ(Call(router, Request("GET", "/a/1")).body, "a id=1");
}

TEST_F(HttpRouterTest, AsHandlerDispatchesOnASnapshot) {
  HttpRouter router;
  ASSERT_TRUE(router.Add("GET", "/a", Tagged("a")).ok());
  HttpHandler handler = router.AsHandler();
  ASSERT_TRUE(router.Add("GET", "/b", Tagged("b")).ok());
  std::optional<HttpResponse> answer;
  handler(Request("GET", "/b"), HttpResponder::Capture([&answer](HttpResponse r) { answer = std::move(r); }));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 404);
}

TEST(HttpResponderTest, DroppedResponderAnswersInternalError) {
  std::optional<HttpResponse> answer;
  { HttpResponder respond = HttpResponder::Capture([&answer](HttpResponse r) { answer = std::move(r); }); }
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 500);
  EXPECT_NE(answer->body.find("\"code\": \"internal\""), std::string::npos);
}

TEST(HttpResponderTest, OnlyTheFirstAnswerOfAllCopiesCounts) {
  int calls = 0;
  int status = 0;
  HttpResponder respond = HttpResponder::Capture([&](HttpResponse r) {
    ++calls;
    status = r.status;
  });
  HttpResponder copy = respond;
  EXPECT_FALSE(copy.answered());
  HttpResponse created;
  created.status = 201;
  copy(created);
  respond(HttpResponse{});
  EXPECT_TRUE(respond.answered());
  EXPECT_FALSE(respond.Stream(200, "text/plain")->Write("x"));
  copy = HttpResponder::Capture([](HttpResponse) {});  // the last copy goes: no second answer
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status, 201);
}

TEST(HttpResponderTest, CapturedStreamIsDeliveredWhenClosed) {
  std::optional<HttpResponse> answer;
  auto stream = HttpResponder::Capture([&answer](HttpResponse r) { answer = std::move(r); })
                    .Stream(200, "text/event-stream", {{"Cache-Control", "no-cache"}});
  EXPECT_TRUE(stream->Write("data: 1\n\n"));
  EXPECT_TRUE(stream->Write("data: 2\n\n"));
  EXPECT_FALSE(answer.has_value());
  stream->Close();
  EXPECT_FALSE(stream->Write("late"));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->content_type, "text/event-stream");
  EXPECT_EQ(answer->body, "data: 1\n\ndata: 2\n\n");
}

TEST(JsonErrorTest, HasTheDocumentedLayoutAndEscapes) {
  const HttpResponse plain = JsonError(413, "payload_too_large", "too big");
  EXPECT_EQ(plain.status, 413);
  EXPECT_EQ(plain.content_type, "application/json");
  EXPECT_EQ(plain.body, R"({"error": {"code": "payload_too_large", "message": "too big"}})");
  EXPECT_EQ(JsonError(400, "bad_request", "quote \" and \n").body,
            R"({"error": {"code": "bad_request", "message": "quote \" and \n"}})");
  EXPECT_EQ(JsonError(400, "bad_request", "bad \xff byte").body,
            "{\"error\": {\"code\": \"bad_request\", \"message\": \"bad \xEF\xBF\xBD byte\"}}");
}

TEST(HttpHeadersTest, LookupIgnoresCaseAndReturnsTheFirst) {
  HttpRequest request;
  request.headers = {{"X-Twilio-Signature", "abc"}, {"x-twilio-signature", "second"}};
  EXPECT_EQ(request.header("x-TWILIO-signature").value_or(""), "abc");
  EXPECT_FALSE(request.header("X-Missing").has_value());
}

TEST(HttpWireTest, SplitTargetKeepsPathAndQueryRaw) {
  std::string path;
  std::string query;
  wire::SplitTarget("/a/b%20c?x=1&y=%2F", &path, &query);
  EXPECT_EQ(path, "/a/b%20c");
  EXPECT_EQ(query, "x=1&y=%2F");
  wire::SplitTarget("/a?", &path, &query);
  EXPECT_EQ(path, "/a");
  EXPECT_EQ(query, "");
  wire::SplitTarget("http://example.com:8080/p?q=1?2", &path, &query);
  EXPECT_EQ(path, "/p");
  EXPECT_EQ(query, "q=1?2");
  wire::SplitTarget("HTTPS://example.com", &path, &query);
  EXPECT_EQ(path, "/");
}

TEST(HttpWireTest, ResponseHeadDropsUnsafeAndFramingFields) {
  const HttpHeaders extra = {{"X-Ok", "1"},         {"X-Evil", "a\r\nSet-Cookie: x"}, {"Content-Length", "99"},
                             {"Bad Name", "v"},     {"Content-Type", "text/html"},    {"Connection", "upgrade"}};
  wire::ResponseHead head;
  head.status = 201;
  head.content_type = "application/json";
  head.headers = &extra;
  head.content_length = 2;
  head.keep_alive = false;
  EXPECT_EQ(wire::FormatResponseHead(head),
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\nX-Ok: 1\r\n"
            "Connection: close\r\n\r\n");
  head.framing = wire::Framing::kChunked;
  head.keep_alive = true;
  head.request_version = 10;
  head.headers = nullptr;
  EXPECT_EQ(wire::FormatResponseHead(head),
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            "Connection: keep-alive\r\n\r\n");
  EXPECT_EQ(wire::FormatChunk("hello world, 26 characters"), "1a\r\nhello world, 26 characters\r\n");
  EXPECT_EQ(wire::FormatChunk(""), "");
}

}  // namespace
}  // namespace omnihub::http
