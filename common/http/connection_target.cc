#include "common/http/connection_target.h"

#include <atomic>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>

namespace omnihub::http::internal {
namespace {

// Each Write and the Close become a post onto the strand; the strand keeps their order.
class ServerStream final : public HttpStream {
 public:
  ServerStream(std::shared_ptr<ServerShared> shared, std::weak_ptr<HttpConnection> conn, uint64_t seq,
               std::shared_ptr<StreamState> state)
      : shared_(std::move(shared)), conn_(std::move(conn)), seq_(seq), state_(std::move(state)) {}
  ~ServerStream() override { Close(); }

  bool Write(std::string data) override {
    if (closed_.load() || state_->finished.load()) return false;
    if (data.empty()) return true;
    const uint64_t seq = seq_;
    const bool posted = shared_->PostTo(
        conn_, [seq, data = std::move(data)](HttpConnection& c) mutable { c.OnStreamData(seq, std::move(data)); });
    return posted && !state_->finished.load();
  }

  void Close() override {
    if (closed_.exchange(true)) return;
    const uint64_t seq = seq_;
    if (!shared_->PostTo(conn_, [seq](HttpConnection& c) { c.OnStreamEnd(seq); })) state_->finished = true;
  }

 private:
  const std::shared_ptr<ServerShared> shared_;
  const std::weak_ptr<HttpConnection> conn_;
  const uint64_t seq_;
  const std::shared_ptr<StreamState> state_;
  std::atomic<bool> closed_{false};
};

// Where a request's responder delivers: the connection's strand, if both still exist.
class ConnectionTarget final : public HttpResponseTarget {
 public:
  ConnectionTarget(std::shared_ptr<ServerShared> shared, std::weak_ptr<HttpConnection> conn, uint64_t seq)
      : shared_(std::move(shared)), conn_(std::move(conn)), seq_(seq) {}

  void Send(HttpResponse response) override {
    const uint64_t seq = seq_;
    shared_->PostTo(conn_, [seq, response = std::move(response)](HttpConnection& c) mutable {
      c.OnResponse(seq, std::move(response));
    });
  }

  std::shared_ptr<HttpStream> OpenStream(int status, std::string content_type, HttpHeaders headers) override {
    auto state = std::make_shared<StreamState>();
    const uint64_t seq = seq_;
    const bool posted = shared_->PostTo(conn_, [seq, status, content_type = std::move(content_type),
                                                headers = std::move(headers), state](HttpConnection& c) mutable {
      c.OnStreamBegin(seq, status, std::move(content_type), std::move(headers), state);
    });
    if (!posted) state->finished = true;
    return std::make_shared<ServerStream>(shared_, conn_, seq, std::move(state));
  }

 private:
  const std::shared_ptr<ServerShared> shared_;
  const std::weak_ptr<HttpConnection> conn_;
  const uint64_t seq_;
};

}  // namespace

bool ServerShared::PostTo(const std::weak_ptr<HttpConnection>& weak, std::function<void(HttpConnection&)> fn) {
  std::lock_guard lock(gate_mu);
  if (!gate_open) return false;
  std::shared_ptr<HttpConnection> conn = weak.lock();
  if (!conn) return false;
  boost::asio::post(conn->executor(), [conn, fn = std::move(fn)] { fn(*conn); });
  return true;
}

std::unique_ptr<HttpResponseTarget> MakeConnectionTarget(std::shared_ptr<ServerShared> shared,
                                                         std::weak_ptr<HttpConnection> conn, uint64_t seq) {
  return std::make_unique<ConnectionTarget>(std::move(shared), std::move(conn), seq);
}

}  // namespace omnihub::http::internal
