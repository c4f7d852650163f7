// One HttpServer connection: reads requests with Boost.Beast within the limits, runs the
// handler, writes responses and streamed bodies, and enforces the idle, read and write
// timeouts. Internal to the server (http_server.cc, http_connection_target.cc); handlers never
// see it.
//
// Thread-safety: every member function except executor() runs on the connection's strand.
// Responders and streams reach it from other threads only by posting onto that strand through
// ServerShared's gate, so nothing is posted once the server has begun to stop.
#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/http/request_admission.h"
#include "common/http/server.h"
#include "common/http/types.h"
#include "common/http/wire.h"
#include "common/net/timer.h"

namespace omnihub::http::internal {

class HttpConnection;

// State shared by the server, its connections and their responders; outlives all of them.
struct ServerShared {
  ServerShared(HttpServerOptions opts, HttpHandler h) : options(std::move(opts)), handler(std::move(h)) {}

  const HttpServerOptions options;
  const HttpHandler handler;

  // Open while the io_context exists and runs: a responder posts onto a strand only while
  // holding gate_mu with gate_open set, so no post reaches a destroyed io_context.
  std::mutex gate_mu;
  bool gate_open = true;  // guarded by gate_mu

  std::mutex conns_mu;
  std::unordered_map<uint64_t, std::weak_ptr<HttpConnection>> conns;  // guarded by conns_mu
  bool stopping = false;                                             // guarded by conns_mu

  // Requests from their first byte until their answer is written (streams excepted), and
  // whether HttpServer::BeginDrain was called: a request counted from then on is answered 503
  // with Retry-After: drain_retry_after_s, and every answer closes its connection.
  RequestAdmission admission;
  std::atomic<int> drain_retry_after_s{1};

  // Runs fn(*conn) on the connection's strand if the gate is open and the connection is alive;
  // false if it will not run.
  bool PostTo(const std::weak_ptr<HttpConnection>& weak, std::function<void(HttpConnection&)> fn);
};

// The part of a streamed response shared with the HttpStream the handler holds.
struct StreamState {
  std::atomic<bool> finished{false};  // Close() called, connection gone, or server stopping
};

// The socket as the request parser reads it: once the read timeout has fired, every read fails
// at once with operation_aborted. Cancelling the socket alone is not enough: it aborts only a
// read that is pending, and when the timeout catches a read whose completion is already queued,
// Beast's read loop goes on to start another one that nothing would ever abort.
class TimedReadStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  TimedReadStream(boost::asio::ip::tcp::socket& socket, const bool& timed_out) : socket_(socket), timed_out_(timed_out) {}
  executor_type get_executor() { return socket_.get_executor(); }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (!timed_out_) return socket_.async_read_some(buffers, std::forward<Handler>(handler));
    boost::asio::post(socket_.get_executor(), [h = std::forward<Handler>(handler)]() mutable {
      h(boost::system::error_code(boost::asio::error::operation_aborted), size_t{0});
    });
  }

 private:
  boost::asio::ip::tcp::socket& socket_;
  const bool& timed_out_;
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerShared> shared, uint64_t id);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Any thread: the strand to post onto.
  const boost::asio::any_io_executor& executor() const { return executor_; }

  void Start();
  // Closes the socket at once; pending operations finish with errors and release the object.
  void Close();

  // Answers of request number `seq`; ignored if that request is no longer the one waiting.
  void OnResponse(uint64_t seq, HttpResponse response);
  void OnStreamBegin(uint64_t seq, int status, std::string content_type, HttpHeaders headers,
                     std::shared_ptr<StreamState> state);
  void OnStreamData(uint64_t seq, std::string data);
  void OnStreamEnd(uint64_t seq);
  // The server began to drain: a stream is ended (its client reconnects elsewhere); an idle
  // keep-alive connection is closed; a request already begun is still served; a request begun
  // from now on is refused in Dispatch.
  void OnDrain();

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kStreaming, kLingering, kClosed };
  using SteadyClock = std::chrono::steady_clock;

  void StartRequest();
  void BeginRead();
  void OnHeader(const boost::system::error_code& ec);
  void ReadBody();
  void OnRead(const boost::system::error_code& ec);
  void OnReadError(const boost::system::error_code& ec);
  void Dispatch();
  void SendError(int status, std::string_view code, std::string_view message);
  void SendError(HttpResponse response);  // and close after it
  void Send(HttpResponse response);
  void Enqueue(std::string bytes);
  void DoWrite();
  void OnWrite(const boost::system::error_code& ec, size_t bytes);
  void OnResponseDone();
  void CloseGracefully();
  void Linger();
  void ArmTimer(SteadyClock::duration after);
  void CancelTimer();
  void OnTimer();
  void LogAccess();

  const std::shared_ptr<ServerShared> shared_;
  const HttpServerOptions& options_;  // in shared_
  const uint64_t id_;
  boost::asio::ip::tcp::socket socket_;
  TimedReadStream request_stream_{socket_, timed_out_};  // what the request parser reads
  const boost::asio::any_io_executor executor_;
  const std::unique_ptr<net::Timer> timer_;  // from options_.timers
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::string remote_;
  Phase phase_ = Phase::kIdle;
  bool timed_out_ = false;
  AdmissionSlot request_slot_{shared_->admission};  // held while a request is read, handled or written
  bool admitted_ = true;      // the current request was counted before the server started draining
  bool answered_any_ = false;  // a response was written: idle now means an idle keep-alive connection
  std::shared_ptr<HttpConnection> hold_;  // keeps us alive while a handler owes an answer

  // The current request and its response, for framing and the access log.
  uint64_t seq_ = 0;
  std::string method_ = "-";
  std::string target_ = "-";
  int version_ = 11;
  bool head_request_ = false;
  bool keep_alive_ = false;
  SteadyClock::time_point started_;
  int status_ = 0;
  size_t response_bytes_ = 0;  // body bytes
  bool logged_ = true;         // the current response's access line is written (or not due)
  bool chunked_ = false;       // the current stream is chunked (else delimited by close)
  std::shared_ptr<StreamState> stream_;

  std::deque<std::string> out_;  // not yet written
  size_t out_bytes_ = 0;
  std::string writing_;  // being written
  bool write_pending_ = false;
  std::unique_ptr<std::array<char, 4096>> discard_;  // for lingering close only
};

}  // namespace omnihub::http::internal
