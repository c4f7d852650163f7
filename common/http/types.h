// The values an HTTP handler sees and produces (HttpRequest, HttpResponse), the one-shot
// HttpResponder through which it answers, possibly later and from another thread, and
// HttpStream for a body sent in pieces (chunked transfer encoding, server-sent events).
// docs/http-server.md describes the server around them.
//
// Thread-safety: HttpRequest and HttpResponse are plain values. HttpResponder and HttpStream
// may be called from any thread; copies of one HttpResponder share its single answer.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omnihub::http {

// Header fields in arrival order, names as sent; repeated names are kept.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The value of the first field named `name` (ASCII case-insensitive), or nullopt. The view
// points into `headers`.
std::optional<std::string_view> FindHttpHeader(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
  std::string method;  // as sent, e.g. "POST"
  std::string target;  // raw request target: "/twilio/AC1/messages?a=b%20c"
  std::string path;    // raw target up to '?', not percent-decoded
  std::string query;   // raw target after the first '?' ("" if none); signature checks need it unmodified
  int version = 11;    // 10 = HTTP/1.0, 11 = HTTP/1.1
  HttpHeaders headers;
  std::string body;
  std::string remote;  // peer as "127.0.0.1:54321" or "[::1]:54321"
  // `{name}` segments of the matched route, percent-decoded (filled in by HttpRouter).
  std::map<std::string, std::string, std::less<>> path_params;

  std::optional<std::string_view> header(std::string_view name) const { return FindHttpHeader(headers, name); }
  // The path parameter `name`, or "" if the route has none of that name.
  std::string_view param(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";  // "" = no Content-Type field
  std::string body;
  // Further fields. The server sets Content-Length, Transfer-Encoding and Connection itself
  // and drops such fields here, as well as any field with CR, LF or NUL in it.
  HttpHeaders headers;
};

// {"error": {"code": "<code>", "message": "<message>"}} as application/json; invalid UTF-8 in
// `message` becomes U+FFFD. Codes in use: not_found, method_not_allowed, payload_too_large,
// header_too_large, bad_request, timeout, internal, unavailable.
HttpResponse JsonError(int status, std::string_view code, std::string_view message);

// A response body sent in pieces: chunked on HTTP/1.1, delimited by closing the connection on
// HTTP/1.0. Thread-safe; pieces go out in the order the Write calls happened.
class HttpStream {
 public:
  virtual ~HttpStream() = default;  // an implementation closes the stream if Close was not called

  // Queues `data` as the next piece of the body (an empty piece is ignored). False once the
  // stream is closed, the client has gone or the server has stopped; `data` is then dropped,
  // and a producer should stop.
  virtual bool Write(std::string data) = 0;
  // Ends the body. Further calls, and Writes after it, do nothing.
  virtual void Close() = 0;
};

// Where a responder's answer goes. The server implements it; tests may implement it too (or
// use HttpResponder::Capture). Exactly one of the two methods is called, at most once.
class HttpResponseTarget {
 public:
  virtual ~HttpResponseTarget() = default;
  virtual void Send(HttpResponse response) = 0;
  virtual std::shared_ptr<HttpStream> OpenStream(int status, std::string content_type, HttpHeaders headers) = 0;
};

// The one answer to one request. Cheap to copy and move; all copies share the answer. Call it
// (or Stream) exactly once, from any thread; later calls are logged and ignored. If the last
// copy is destroyed unanswered, the client gets 500 {"error": {"code": "internal", ...}}, so a
// forgotten path never leaves a client hanging. If the client has gone meanwhile, the answer is
// dropped quietly.
class HttpResponder {
 public:
  explicit HttpResponder(std::unique_ptr<HttpResponseTarget> target);

  // A responder that hands its answer to `on_response` on the answering thread; a stream is
  // collected and handed over as one response when it is closed. For handler tests.
  static HttpResponder Capture(std::function<void(HttpResponse)> on_response);

  void operator()(HttpResponse response) const;
  // Answers with a streamed body instead; the returned stream is never null (after a repeated
  // call it is one that refuses every Write).
  std::shared_ptr<HttpStream> Stream(int status, std::string content_type, HttpHeaders headers = {}) const;
  // True once this responder (or a copy) has answered.
  bool answered() const;

 private:
  class State;
  std::shared_ptr<State> state_;
};

// Handles one request. Runs on the server's event loop: it must not block; slow work goes to
// another thread, which answers through `respond` when done.
using HttpHandler = std::function<void(HttpRequest request, HttpResponder respond)>;

}  // namespace omnihub::http
