#include "common/http/admin_post.h"

#include <boost/asio.hpp>

#include "common/net/listen_address.h"

namespace omnihub::http {

base::Result<AdminAnswer> AdminPost(const std::string& listen, const std::string& path, const std::string& json_body,
                                    std::chrono::seconds timeout) {
  auto endpoint = net::ParseListenAddress("admin_listen", listen, net::PortZero::kRejected);
  if (!endpoint.ok()) return endpoint.status();
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  std::string reply;
  boost::system::error_code failure;
  socket.async_connect(*endpoint, [&](const boost::system::error_code& ec) {
    if (ec) {
      failure = ec;
      return;
    }
    auto request = std::make_shared<std::string>("POST " + path + " HTTP/1.1\r\nHost: " + listen +
                                                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                                                 std::to_string(json_body.size()) + "\r\nConnection: close\r\n\r\n" +
                                                 json_body);
    asio::async_write(socket, asio::buffer(*request), [&, request](const boost::system::error_code& wec, size_t) {
      if (wec) {
        failure = wec;
        return;
      }
      asio::async_read(socket, asio::dynamic_buffer(reply), [&](const boost::system::error_code& rec, size_t) {
        if (rec && rec != asio::error::eof) failure = rec;
      });
    });
  });
  io.run_for(timeout);
  if (!io.stopped()) return base::Status::Unavailable(listen + " did not answer within " + std::to_string(timeout.count()) + " s");
  if (failure) return base::Status::Unavailable(listen + ": " + failure.message());
  // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody"
  AdminAnswer answer;
  if (reply.size() < 12 || reply.compare(0, 5, "HTTP/") != 0) {
    return base::Status::Unavailable(listen + " did not answer with HTTP");
  }
  answer.status = std::atoi(reply.c_str() + 9);
  if (const size_t body = reply.find("\r\n\r\n"); body != std::string::npos) answer.body = reply.substr(body + 4);
  return answer;
}

}  // namespace omnihub::http
