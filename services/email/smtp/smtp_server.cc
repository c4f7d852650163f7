#include "services/email/smtp/smtp_server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <unordered_map>

#include "common/base/counted_flag.h"
#include "common/net/listener.h"

namespace omnihub::email {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

constexpr size_t kReadChunk = 64 * 1024;

class Connection;

// Open connections by id, shared with the connections so that they can deregister themselves
// even if they outlive the server object inside the io_context's queue.
struct Registry {
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> live;
  std::atomic<size_t> in_transaction{0};  // connections whose session is in a transaction
};

// One client: moves bytes between the socket (plain, or TLS after STARTTLS) and the session.
// Lives as long as an I/O handler or an outstanding delivery holds a reference.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ssl::context& tls, net::TimerFactory& timers, SmtpSessionOptions options,
             MessageSink& sink, const RecipientPolicy& policy, SmtpSession::Poster post,
             std::shared_ptr<Registry> registry, uint64_t id)
      : stream_(std::move(socket), tls),
        timer_(timers.NewTimer(stream_.get_executor())),
        session_(std::move(options), sink, policy, std::move(post)),
        registry_(std::move(registry)),
        id_(id) {}

  ~Connection() { registry_->live.erase(id_); }

  void Start() {
    // The session outlives no connection, so `this` is valid whenever it calls back.
    session_.set_resume_callback([this] { Pump(); });
    Pump();
  }

  // The server drains: see SmtpSession::OnDrain.
  void OnDrain() {
    session_.OnDrain();
    Pump();
  }

  // Closes the socket now; pending operations complete with an error and release the object.
  void Close() {
    if (closed_) return;
    closed_ = true;
    in_transaction_.Set(false);
    error_code ignored;
    timer_->Cancel();
    stream_.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.lowest_layer().close(ignored);
    hold_.reset();
  }

 private:
  // Decides the next step from the session's state; called after every completion.
  void Pump() {
    if (closed_) return;
    auto keep = shared_from_this();  // resetting hold_ must not destroy us mid-call
    in_transaction_.Set(session_.in_transaction());
    // Nothing else refers to the connection while the sink works on a message: hold ourselves.
    if (session_.delivery_outstanding()) {
      hold_ = keep;
    } else {
      hold_.reset();
    }
    if (session_.has_output() && !writing_) StartWrite();
    if (writing_ || handshaking_) return;
    if (session_.closing()) return Close();
    if (session_.starttls_pending()) {
      if (!reading_) StartHandshake();
      return;
    }
    // Replies are written before more input is read, so a client that pipelines without
    // reading cannot make the output grow without bound.
    if (session_.wants_input() && !reading_) StartRead();
  }

  void StartRead() {
    reading_ = true;
    ArmTimer();
    auto handler = [self = shared_from_this()](const error_code& ec, size_t n) { self->OnRead(ec, n); };
    if (tls_) {
      stream_.async_read_some(asio::buffer(read_buf_), std::move(handler));
    } else {
      stream_.next_layer().async_read_some(asio::buffer(read_buf_), std::move(handler));
    }
  }

  void OnRead(const error_code& ec, size_t n) {
    reading_ = false;
    ClientProgressed();
    if (ec) return Close();  // EOF, reset, or Close()/Stop() aborting the read
    session_.Feed(std::string_view(read_buf_.data(), n));
    Pump();
  }

  void StartWrite() {
    writing_ = true;
    write_buf_ = session_.TakeOutput();
    ArmTimer();
    auto handler = [self = shared_from_this()](const error_code& ec, size_t) { self->OnWrite(ec); };
    if (tls_) {
      asio::async_write(stream_, asio::buffer(write_buf_), std::move(handler));
    } else {
      asio::async_write(stream_.next_layer(), asio::buffer(write_buf_), std::move(handler));
    }
  }

  void OnWrite(const error_code& ec) {
    writing_ = false;
    ClientProgressed();
    if (ec) return Close();
    write_buf_.clear();
    Pump();
  }

  void StartHandshake() {
    handshaking_ = true;
    ArmTimer();
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](const error_code& ec) {
      self->handshaking_ = false;
      self->ClientProgressed();
      if (ec) {
        spdlog::debug("smtp connection {}: TLS handshake failed: {}", self->id_, ec.message());
        return self->Close();
      }
      self->tls_ = true;
      self->session_.OnTlsStarted();
      self->Pump();
    });
  }

  // The idle timer runs while we wait for the client (read, write or handshake), never while we
  // wait for the sink, whose slowness is not the client's fault.
  void ArmTimer() {
    timer_->Arm(session_.limits().idle_timeout, [self = shared_from_this()] { self->OnTimer(); });
  }

  // A wait for the client ended. The timer stops unless another wait is still on (the 421 is
  // written while a read is pending); the next wait arms it again.
  void ClientProgressed() {
    if (!reading_ && !writing_ && !handshaking_) timer_->Cancel();
  }

  void OnTimer() {
    if (closed_) return;
    if (writing_ || handshaking_) return Close();  // the client stopped reading: nothing to say
    if (!reading_) return;
    session_.OnIdleTimeout();  // 421, written while the read is still pending, then close
    Pump();
  }

  ssl::stream<tcp::socket> stream_;
  const std::unique_ptr<net::Timer> timer_;
  SmtpSession session_;
  std::shared_ptr<Registry> registry_;
  const uint64_t id_;
  std::shared_ptr<Connection> hold_;  // set while a delivery is outstanding
  std::array<char, kReadChunk> read_buf_{};
  std::string write_buf_;
  bool tls_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool handshaking_ = false;
  bool closed_ = false;
  base::CountedFlag in_transaction_{registry_->in_transaction};  // the session is in a transaction
};

}  // namespace

class SmtpServer::Impl {
 public:
  Impl(asio::io_context& io, MessageSink& sink, const RecipientPolicy& policy, SmtpServerOptions options)
      : io_(io),
        sink_(sink),
        policy_(policy),
        options_(std::move(options)),
        registry_(std::make_shared<Registry>()),
        listener_(io.get_executor(), MakeListenerOptions(options_), MakeListenerCallbacks()),
        tls_(ssl::context::tls_server) {}

  base::Status Start() {
    error_code ec;
    if (options_.lmtp && options_.port == 25) {
      return base::Status::InvalidArgument("LMTP must not listen on port 25 (RFC 2033 section 5)");
    }
    if (!options_.tls_certificate_file.empty() || !options_.tls_private_key_file.empty()) {
      OMNIHUB_RETURN_IF_ERROR(LoadTls());
    }
    const asio::ip::address address = asio::ip::make_address(options_.listen_address, ec);
    if (ec) return base::Status::InvalidArgument("bad listen address '" + options_.listen_address + "': " + ec.message());
    OMNIHUB_RETURN_IF_ERROR(listener_.Open(tcp::endpoint(address, options_.port)));
    listener_.Start();
    return base::Status::Ok();
  }

  void Stop() {
    listener_.Close();
    // Copy first: closing may destroy a connection, which erases itself from the map.
    std::vector<std::shared_ptr<Connection>> open;
    for (auto& [id, weak] : registry_->live) {
      if (auto conn = weak.lock()) open.push_back(std::move(conn));
    }
    for (auto& conn : open) conn->Close();
  }

  void BeginDrain() {
    if (draining_) return;
    draining_ = true;
    std::vector<std::shared_ptr<Connection>> open;
    for (auto& [id, weak] : registry_->live) {
      if (auto conn = weak.lock()) open.push_back(std::move(conn));
    }
    for (auto& conn : open) conn->OnDrain();
  }

  size_t transactions_in_flight() const { return registry_->in_transaction.load(); }
  uint16_t port() const { return listener_.port(); }
  size_t connection_count() const { return registry_->live.size(); }

 private:
  base::Status LoadTls() {
    if (options_.tls_certificate_file.empty() || options_.tls_private_key_file.empty()) {
      return base::Status::InvalidArgument("TLS needs both a certificate file and a private key file");
    }
    error_code ec;
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                     ec);
    if (!ec) tls_.use_certificate_chain_file(options_.tls_certificate_file, ec);
    if (ec) return base::Status::InvalidArgument("TLS certificate " + options_.tls_certificate_file + ": " + ec.message());
    tls_.use_private_key_file(options_.tls_private_key_file, ssl::context::pem, ec);
    if (ec) return base::Status::InvalidArgument("TLS private key " + options_.tls_private_key_file + ": " + ec.message());
    if (SSL_CTX_check_private_key(tls_.native_handle()) != 1) {
      return base::Status::InvalidArgument("TLS private key does not match the certificate");
    }
    tls_enabled_ = true;
    return base::Status::Ok();
  }

  static net::ListenerOptions MakeListenerOptions(const SmtpServerOptions& options) {
    net::ListenerOptions listener;
    listener.name = std::string(options.lmtp ? "lmtp" : "smtp") + " server " + options.listen_address + ":" +
                    std::to_string(options.port);
    listener.max_connections = options.max_connections;
    listener.refusal = "421 4.3.2 " + options.hostname + " Error: too many connections\r\n";
    listener.timers = options.timers;
    return listener;
  }

  net::Listener::Callbacks MakeListenerCallbacks() {
    net::Listener::Callbacks callbacks;
    callbacks.open_connections = [this] { return registry_->live.size(); };
    callbacks.on_accept = [this](tcp::socket socket) { OnAccepted(std::move(socket)); };
    callbacks.on_refused = [this] {
      if (options_.metrics == nullptr) return;
      options_.metrics->OnConnectionRefused();
      options_.metrics->OnReply(421);
    };
    return callbacks;
  }

  // Within the connection cap (the listener checked it).
  void OnAccepted(tcp::socket socket) {
    if (draining_) {
      if (options_.metrics != nullptr) options_.metrics->OnReply(421);
      return net::WriteAndClose(std::move(socket), SmtpSession::DrainReply(options_.hostname));
    }
    error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    const uint64_t id = ++next_id_;
    SmtpSessionOptions session;
    session.hostname = options_.hostname;
    session.lmtp = options_.lmtp;
    session.tls_available = tls_enabled_;
    session.remote_address = ec ? "" : remote.address().to_string();
    session.session_id = std::to_string(id);
    session.limits = options_.limits;
    session.metrics = options_.metrics;
    // The poster keeps the io_context's run() going until every delivery callback has been
    // handed back, so a sink finishing after Stop() never posts into a finished loop.
    auto executor = asio::require(io_.get_executor(), asio::execution::outstanding_work.tracked);
    SmtpSession::Poster post = [executor](std::function<void()> fn) { asio::post(executor, std::move(fn)); };
    auto conn = std::make_shared<Connection>(std::move(socket), tls_, *options_.timers, std::move(session), sink_,
                                             policy_, std::move(post), registry_, id);
    registry_->live.emplace(id, conn);
    conn->Start();
  }

  asio::io_context& io_;
  MessageSink& sink_;
  const RecipientPolicy& policy_;
  const SmtpServerOptions options_;
  const std::shared_ptr<Registry> registry_;
  net::Listener listener_;
  ssl::context tls_;
  bool tls_enabled_ = false;
  bool draining_ = false;
  uint64_t next_id_ = 0;
};

SmtpServer::SmtpServer(asio::io_context& io, MessageSink& sink, const RecipientPolicy& policy,
                       SmtpServerOptions options)
    : impl_(std::make_unique<Impl>(io, sink, policy, std::move(options))) {}

SmtpServer::~SmtpServer() { Stop(); }

base::Status SmtpServer::Start() { return impl_->Start(); }
uint16_t SmtpServer::port() const { return impl_->port(); }
void SmtpServer::Stop() { impl_->Stop(); }
void SmtpServer::BeginDrain() { impl_->BeginDrain(); }
size_t SmtpServer::transactions_in_flight() const { return impl_->transactions_in_flight(); }
size_t SmtpServer::connection_count() const { return impl_->connection_count(); }

}  // namespace omnihub::email
