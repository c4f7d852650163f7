#include "common/http/types.h"

#include <atomic>
#include <exception>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/base/text.h"

namespace omnihub::http {
namespace {

// A JSON string literal; invalid UTF-8 becomes U+FFFD (dump() would throw on it otherwise).
std::string JsonString(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A stream that refuses everything: what a second Stream() call gets.
class RefusingStream final : public HttpStream {
 public:
  bool Write(std::string) override { return false; }
  void Close() override {}
};

// Collects a streamed body for HttpResponder::Capture and delivers it as one response.
class CapturedStream final : public HttpStream {
 public:
  CapturedStream(HttpResponse head, std::function<void(HttpResponse)> deliver)
      : response_(std::move(head)), deliver_(std::move(deliver)) {}
  ~CapturedStream() override { Close(); }

  bool Write(std::string data) override {
    std::lock_guard lock(mu_);
    if (!deliver_) return false;
    response_.body += data;
    return true;
  }
  void Close() override {
    std::function<void(HttpResponse)> deliver;
    HttpResponse response;
    {
      std::lock_guard lock(mu_);
      if (!deliver_) return;
      deliver.swap(deliver_);
      response = std::move(response_);
    }
    deliver(std::move(response));
  }

 private:
  std::mutex mu_;
  HttpResponse response_;                     // guarded by mu_
  std::function<void(HttpResponse)> deliver_;  // guarded by mu_; empty once closed
};

class CaptureTarget final : public HttpResponseTarget {
 public:
  explicit CaptureTarget(std::function<void(HttpResponse)> on_response) : on_response_(std::move(on_response)) {}
  void Send(HttpResponse response) override { on_response_(std::move(response)); }
  std::shared_ptr<HttpStream> OpenStream(int status, std::string content_type, HttpHeaders headers) override {
    HttpResponse head;
    head.status = status;
    head.content_type = std::move(content_type);
    head.headers = std::move(headers);
    return std::make_shared<CapturedStream>(std::move(head), std::move(on_response_));
  }

 private:
  std::function<void(HttpResponse)> on_response_;
};

}  // namespace

std::optional<std::string_view> FindHttpHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [field, value] : headers) {
    if (base::EqualsIgnoreAsciiCase(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view HttpRequest::param(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

HttpResponse JsonError(int status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  // Spelled out rather than dumped so that the layout is the documented one, spaces included.
  response.body = "{\"error\": {\"code\": " + JsonString(code) + ", \"message\": " + JsonString(message) + "}}";
  return response;
}

// Shared by all copies of one responder. The answer is claimed atomically so that exactly one
// caller reaches the target; the destructor answers 500 if nobody did.
class HttpResponder::State {
 public:
  explicit State(std::unique_ptr<HttpResponseTarget> target) : target_(std::move(target)) {}
  ~State() {
    if (answered_.exchange(true)) return;
    try {  // a destructor must not throw, whatever a test's target does
      target_->Send(JsonError(500, "internal", "the request handler did not produce a response"));
    } catch (const std::exception& e) {
      spdlog::error("http: answering an abandoned request failed: {}", e.what());
    }
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // True for the first caller only.
  bool Claim() {
    if (!answered_.exchange(true)) return true;
    spdlog::error("http: a handler answered the same request twice; the second answer is dropped");
    return false;
  }
  bool answered() const { return answered_.load(); }
  HttpResponseTarget& target() { return *target_; }

 private:
  std::atomic<bool> answered_{false};
  const std::unique_ptr<HttpResponseTarget> target_;
};

HttpResponder::HttpResponder(std::unique_ptr<HttpResponseTarget> target)
    : state_(std::make_shared<State>(std::move(target))) {}

HttpResponder HttpResponder::Capture(std::function<void(HttpResponse)> on_response) {
  return HttpResponder(std::make_unique<CaptureTarget>(std::move(on_response)));
}

void HttpResponder::operator()(HttpResponse response) const {
  if (state_ && state_->Claim()) state_->target().Send(std::move(response));
}

std::shared_ptr<HttpStream> HttpResponder::Stream(int status, std::string content_type, HttpHeaders headers) const {
  if (state_ && state_->Claim()) {
    if (auto stream = state_->target().OpenStream(status, std::move(content_type), std::move(headers))) return stream;
  }
  return std::make_shared<RefusingStream>();
}

bool HttpResponder::answered() const { return state_ && state_->answered(); }

}  // namespace omnihub::http
