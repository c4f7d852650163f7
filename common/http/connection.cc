#include "common/http/connection.h"

#include <algorithm>
#include <exception>
#include <limits>

#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>

#include "common/http/connection_target.h"
#include "common/http/server_metrics.h"
#include "common/net/listen_address.h"

namespace omnihub::http::internal {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

// After an error response we keep reading (and discarding) for at most this long before
// closing, so that the kernel does not answer the client's unread request bytes with a reset
// that destroys the response before the client has read it.
constexpr std::chrono::seconds kMaxLinger{2};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string FormatRemote(const tcp::socket& socket) {
  error_code ec;
  const tcp::endpoint endpoint = socket.remote_endpoint(ec);
  return ec ? "-" : net::FormatEndpoint(endpoint);
}

bool IsParseError(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

HttpConnection::HttpConnection(tcp::socket socket, std::shared_ptr<ServerShared> shared, uint64_t id)
    : shared_(std::move(shared)),
      options_(shared_->options),
      id_(id),
      socket_(std::move(socket)),
      executor_(socket_.get_executor()),
      timer_(options_.timers->NewTimer(executor_)) {}

HttpConnection::~HttpConnection() {
  if (stream_) stream_->finished = true;
  std::lock_guard lock(shared_->conns_mu);
  shared_->conns.erase(id_);
}

void HttpConnection::Start() {
  remote_ = FormatRemote(socket_);
  error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);  // small responses should not wait for Nagle
  StartRequest();
}

void HttpConnection::StartRequest() {
  if (phase_ == Phase::kClosed) return;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(
      std::min<size_t>(options_.max_header_bytes, std::numeric_limits<uint32_t>::max())));
  parser_->body_limit(options_.max_body_bytes);
  method_ = "-";
  target_ = "-";
  version_ = 11;
  head_request_ = false;
  keep_alive_ = false;
  timed_out_ = false;
  status_ = 0;
  response_bytes_ = 0;
  chunked_ = false;
  stream_.reset();
  if (buffer_.size() > 0) return BeginRead();  // pipelined bytes: the next request has begun
  // Draining: an idle keep-alive connection is closed at once (OnDrain), also one that becomes
  // idle only now, after an answer written before the drain began.
  if (answered_any_ && shared_->admission.draining()) return CloseGracefully();
  buffer_.shrink_to_fit();  // an idle connection should not keep a large request's buffer
  phase_ = Phase::kIdle;
  ArmTimer(options_.idle_timeout);
  // Waiting for readability rather than reading tells us when the first byte arrives, which
  // is when the idle timeout gives way to the read timeout.
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const error_code& ec) {
    if (self->phase_ != Phase::kIdle) return;
    if (ec) return self->Close();
    self->BeginRead();
  });
}

void HttpConnection::BeginRead() {
  phase_ = Phase::kReading;
  admitted_ = request_slot_.Take();
  started_ = options_.timers->Now();
  ArmTimer(options_.read_timeout);
  http::async_read_header(request_stream_, buffer_, *parser_,
                          [self = shared_from_this()](const error_code& ec, size_t) { self->OnHeader(ec); });
}

void HttpConnection::OnHeader(const error_code& ec) {
  if (phase_ != Phase::kReading) return;
  if (ec) return OnReadError(ec);
  const auto& msg = parser_->get();
  method_ = std::string(msg.method_string());
  target_ = std::string(msg.target());
  version_ = static_cast<int>(msg.version());
  // Clients such as curl wait (up to a second) for this before they send a larger body.
  if (version_ >= 11 && !parser_->is_done() &&
      boost::beast::iequals(msg[http::field::expect], "100-continue")) {
    asio::async_write(socket_, asio::buffer(kContinue), [self = shared_from_this()](const error_code& wec, size_t) {
      if (self->phase_ != Phase::kReading) return;
      if (wec) return self->OnReadError(wec);
      self->ReadBody();
    });
    return;
  }
  ReadBody();
}

void HttpConnection::ReadBody() {
  if (parser_->is_done()) return OnRead({});
  http::async_read(request_stream_, buffer_, *parser_,
                   [self = shared_from_this()](const error_code& ec, size_t) { self->OnRead(ec); });
}

void HttpConnection::OnRead(const error_code& ec) {
  if (phase_ != Phase::kReading) return;
  if (ec) return OnReadError(ec);
  CancelTimer();
  if (version_ >= 11 && parser_->get().find(http::field::host) == parser_->get().end()) {
    return SendError(400, "bad_request", "an HTTP/1.1 request needs a Host field");  // RFC 9112 section 3.2
  }
  Dispatch();
}

void HttpConnection::OnReadError(const error_code& ec) {
  CancelTimer();
  if (parser_->is_header_done()) {
    method_ = std::string(parser_->get().method_string());
    target_ = std::string(parser_->get().target());
  }
  if (timed_out_) return SendError(408, "timeout", "the request was not received in time");
  if (ec == http::error::header_limit) {
    return SendError(431, "header_too_large",
                     "the request header exceeds " + std::to_string(options_.max_header_bytes) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return SendError(413, "payload_too_large",
                     "the request body exceeds " + std::to_string(options_.max_body_bytes) + " bytes");
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return Close();
  if (IsParseError(ec)) return SendError(400, "bad_request", "malformed HTTP request: " + ec.message());
  Close();  // reset by the peer, or aborted by Close()
}

void HttpConnection::Dispatch() {
  auto& msg = parser_->get();
  HttpRequest request;
  request.method = method_;
  request.target = target_;
  wire::SplitTarget(target_, &request.path, &request.query);
  request.version = version_;
  request.headers.reserve(static_cast<size_t>(std::distance(msg.begin(), msg.end())));
  for (const auto& field : msg) request.headers.emplace_back(field.name_string(), field.value());
  request.body = std::move(msg.body());
  request.remote = remote_;
  keep_alive_ = msg.keep_alive();
  head_request_ = msg.method() == http::verb::head;
  if (!admitted_) {
    // Begun after the drain did: not ours to take any more. Retry-After tells the client when
    // this address answers again (a restarted process, or another instance behind it).
    HttpResponse refusal = JsonError(503, "unavailable", "the server is shutting down; try again later");
    refusal.headers.emplace_back("Retry-After", std::to_string(shared_->drain_retry_after_s.load()));
    phase_ = Phase::kHandling;
    return SendError(std::move(refusal));
  }
  phase_ = Phase::kHandling;
  ++seq_;
  hold_ = shared_from_this();
  HttpResponder respond(MakeConnectionTarget(shared_, weak_from_this(), seq_));
  try {
    shared_->handler(std::move(request), std::move(respond));
  } catch (const std::exception& e) {
    // The responder died with the handler's frame, so the client gets a 500.
    spdlog::error("http {} {}: the handler threw: {}", method_, target_, e.what());
  } catch (...) {
    spdlog::error("http {} {}: the handler threw", method_, target_);
  }
}

void HttpConnection::SendError(int status, std::string_view code, std::string_view message) {
  SendError(JsonError(status, code, message));
}

void HttpConnection::SendError(HttpResponse response) {
  keep_alive_ = false;  // the rest of the stream cannot be trusted to start a request
  Send(std::move(response));
}

void HttpConnection::OnResponse(uint64_t seq, HttpResponse response) {
  if (phase_ != Phase::kHandling || seq != seq_) return;
  Send(std::move(response));
}

void HttpConnection::Send(HttpResponse response) {
  if (response.status < 200 || response.status > 599) {
    spdlog::error("http {} {}: the handler answered with status {}", method_, target_, response.status);
    response = JsonError(500, "internal", "the handler produced an invalid status");
  }
  status_ = response.status;
  logged_ = false;
  if (shared_->admission.draining()) keep_alive_ = false;  // the connection ends with this answer
  const bool no_body = status_ == 204 || status_ == 304;
  wire::ResponseHead head;
  head.status = status_;
  head.content_type = response.content_type;
  head.headers = &response.headers;
  head.framing = no_body ? wire::Framing::kNone : wire::Framing::kContentLength;
  head.content_length = response.body.size();
  head.keep_alive = keep_alive_;
  head.request_version = version_;
  std::string bytes = wire::FormatResponseHead(head);
  response_bytes_ = 0;
  if (!no_body && !head_request_) {
    bytes += response.body;
    response_bytes_ = response.body.size();
  }
  phase_ = Phase::kWriting;
  Enqueue(std::move(bytes));
  auto keep = std::move(hold_);  // the write now holds us
}

void HttpConnection::OnStreamBegin(uint64_t seq, int status, std::string content_type, HttpHeaders headers,
                                   std::shared_ptr<StreamState> state) {
  if (phase_ != Phase::kHandling || seq != seq_) {
    state->finished = true;
    return;
  }
  if (status < 200 || status > 599 || status == 204 || status == 304) {
    state->finished = true;
    spdlog::error("http {} {}: the handler streamed with status {}", method_, target_, status);
    return Send(JsonError(500, "internal", "the handler produced an invalid status"));
  }
  stream_ = std::move(state);
  request_slot_.Release();  // a stream lasts as long as its client: not work a drain waits for
  status_ = status;
  logged_ = false;
  response_bytes_ = 0;
  chunked_ = version_ >= 11;
  if (!chunked_) keep_alive_ = false;  // HTTP/1.0 has no chunks: the close ends the body
  wire::ResponseHead head;
  head.status = status;
  head.content_type = content_type;
  head.headers = &headers;
  head.framing = chunked_ ? wire::Framing::kChunked : wire::Framing::kUntilClose;
  head.keep_alive = keep_alive_;
  head.request_version = version_;
  if (head_request_) {
    stream_->finished = true;
    phase_ = Phase::kWriting;
    Enqueue(wire::FormatResponseHead(head));
    auto keep = std::move(hold_);
    return;
  }
  phase_ = Phase::kStreaming;  // hold_ stays: between writes nothing else refers to us
  Enqueue(wire::FormatResponseHead(head));
  if (shared_->admission.draining()) OnDrain();  // begun as the drain did: ended at once
}

void HttpConnection::OnStreamData(uint64_t seq, std::string data) {
  if (phase_ != Phase::kStreaming || seq != seq_) return;
  response_bytes_ += data.size();
  Enqueue(chunked_ ? wire::FormatChunk(data) : std::move(data));
  if (out_bytes_ > options_.max_stream_buffer_bytes) {
    spdlog::warn("http {} {} {}: client reads too slowly, {} bytes queued; closing", remote_, method_, target_,
                 out_bytes_);
    Close();
  }
}

void HttpConnection::OnStreamEnd(uint64_t seq) {
  if (phase_ != Phase::kStreaming || seq != seq_) return;
  stream_->finished = true;
  phase_ = Phase::kWriting;
  if (chunked_) Enqueue(std::string(wire::kLastChunk));
  auto keep = std::move(hold_);
  if (!write_pending_ && out_.empty()) OnResponseDone();
}

void HttpConnection::OnDrain() {
  if (phase_ == Phase::kStreaming) {
    keep_alive_ = false;
    return OnStreamEnd(seq_);
  }
  // An idle keep-alive connection's client (a pool) takes a close as "reconnect", and the
  // listener is gone, so it moves on to another instance; its next request would only be
  // refused. A connection accepted but not used yet stays open: its client is about to send
  // the request, which gets a 503 with Retry-After, a clearer answer than a reset. Bytes
  // already waiting on an idle connection get that 503 too (counted only now, after the drain
  // began), rather than a close that would leave their client guessing.
  if (phase_ != Phase::kIdle || !answered_any_) return;
  error_code ec;
  if (socket_.available(ec) > 0 && !ec) return;
  CloseGracefully();
}

void HttpConnection::Enqueue(std::string bytes) {
  out_bytes_ += bytes.size();
  out_.push_back(std::move(bytes));
  DoWrite();
}

void HttpConnection::DoWrite() {
  if (write_pending_ || out_.empty() || phase_ == Phase::kClosed) return;
  // Everything queued goes out in one write: a stream's small pieces need not cost a syscall each.
  writing_ = std::move(out_.front());
  out_.pop_front();
  for (; !out_.empty(); out_.pop_front()) writing_ += out_.front();
  out_bytes_ = 0;
  write_pending_ = true;
  ArmTimer(options_.write_timeout);
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const error_code& ec, size_t n) { self->OnWrite(ec, n); });
}

void HttpConnection::OnWrite(const error_code& ec, size_t) {
  write_pending_ = false;
  if (phase_ == Phase::kClosed) return;
  if (ec) return Close();
  CancelTimer();
  writing_ = std::string();  // do not keep a large response's buffer on an idle connection
  if (!out_.empty()) return DoWrite();
  if (phase_ == Phase::kWriting) OnResponseDone();
}

void HttpConnection::OnResponseDone() {
  LogAccess();
  answered_any_ = true;
  request_slot_.Release();
  if (keep_alive_) return StartRequest();
  CloseGracefully();
}

void HttpConnection::CloseGracefully() {
  phase_ = Phase::kLingering;
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  if (!discard_) discard_ = std::make_unique<std::array<char, 4096>>();
  ArmTimer(std::min<SteadyClock::duration>(options_.read_timeout, kMaxLinger));
  Linger();
}

void HttpConnection::Linger() {
  socket_.async_read_some(asio::buffer(*discard_), [self = shared_from_this()](const error_code& ec, size_t) {
    if (self->phase_ != Phase::kLingering) return;
    if (ec) return self->Close();  // normally EOF: the client has read our answer and closed
    self->Linger();
  });
}

void HttpConnection::Close() {
  if (phase_ == Phase::kClosed) return;
  if (!logged_) LogAccess();
  phase_ = Phase::kClosed;
  CancelTimer();
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (stream_) stream_->finished = true;
  out_.clear();
  request_slot_.Release();
  auto keep = std::move(hold_);
}

void HttpConnection::ArmTimer(SteadyClock::duration after) {
  if (phase_ == Phase::kClosed) return;
  timer_->Arm(after, [self = shared_from_this()] { self->OnTimer(); });
}

void HttpConnection::CancelTimer() { timer_->Cancel(); }

void HttpConnection::OnTimer() {
  switch (phase_) {
    case Phase::kReading: {
      // Abort the read (and any the parser would start after it); OnReadError then answers 408.
      timed_out_ = true;
      error_code ignored;
      socket_.cancel(ignored);
      return;
    }
    case Phase::kIdle:       // keep-alive connection unused for idle_timeout
    case Phase::kWriting:    // the client does not take our bytes
    case Phase::kStreaming:  // (a timer runs while streaming only during a write)
    case Phase::kLingering:
      return Close();
    case Phase::kHandling:
    case Phase::kClosed:
      return;
  }
}

void HttpConnection::LogAccess() {
  logged_ = true;
  if (status_ == 0) return;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(options_.timers->Now() - started_).count();
  if (options_.metrics != nullptr) options_.metrics->Record(status_, static_cast<double>(micros) / 1e6);
  if (!options_.access_log) return;
  std::string_view shown = target_;
  std::string redacted;
  if (const size_t q = shown.find('?'); !options_.access_log_query && q != std::string_view::npos) {
    redacted = std::string(shown.substr(0, q)) + "?...";
    shown = redacted;
  }
  spdlog::info("http {} \"{} {}\" {} {} {:.3f}ms", remote_, method_, shown, status_, response_bytes_,
               static_cast<double>(micros) / 1000.0);
}

}  // namespace omnihub::http::internal
