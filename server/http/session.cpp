// Connections: accept, (TLS handshake), read header → route header check → body → handler →
// write; timeouts on every step so slow or stalled clients cannot hold the server.
#include <utility>  // before Boost.Asio (Boost 1.74 + C++20)

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "server/http/routes.hpp"

namespace itsa::server {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

constexpr std::uint32_t k_header_limit_bytes = 16 * 1024;

/// Shared by every connection.
struct Shared {
  ServerContext context;
  Router router;
  std::atomic<int> connections{0};  ///< sessions under the cap (--max-connections)
};

/// A plain or TLS connection; Derived supplies stream() and the TLS steps.
template <class Derived>
class Session {
 public:
  Session(Shared& shared, std::string remote_ip) : m_shared(shared), m_remote_ip(std::move(remote_ip)) {
    m_counted = ++m_shared.connections <= m_shared.context.options.max_connections;
    if (!m_counted) --m_shared.connections;
  }
  ~Session() {
    if (m_counted) --m_shared.connections;
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

 protected:
  /// The first request, or 503 at once when the server already holds --max-connections.
  void begin() {
    if (m_counted) return read_header();
    ++m_shared.context.metrics.connections_refused;
    auto r = json_error(http::status::service_unavailable, "too many connections: retry later");
    r.response.set(http::field::retry_after, "5");
    send_and_close(std::move(r));
  }

  Derived& self() { return static_cast<Derived&>(*this); }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(self().stream()); }

  void read_header() {
    m_header_parser.emplace();
    m_header_parser->header_limit(k_header_limit_bytes);
    m_header_parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    tcp().expires_after(std::chrono::seconds(m_first ? m_shared.context.options.header_timeout_s
                                                     : m_shared.context.options.idle_timeout_s));
    http::async_read_header(self().stream(), m_buffer, *m_header_parser,
                            [s = self().shared_from_this()](beast::error_code ec, std::size_t) { s->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof) return self().close();
    if (ec == http::error::header_limit)
      return send_and_close(json_error(http::status::request_header_fields_too_large, "request header over 16 KiB"));
    if (ec == beast::error::timeout) return self().close();
    if (ec) return send_and_close(json_error(http::status::bad_request, "malformed HTTP request: " + ec.message()));
    m_first = false;
    m_started = std::chrono::steady_clock::now();
    m_context.emplace(RequestContext{m_shared.context, m_remote_ip, Derived::k_tls, {}});
    const auto& header = m_header_parser->get();
    bool path_known = false;
    m_route = m_shared.router.match(header.method(), sv(header.target()), path_known);
    if (!m_route) {
      auto r = path_known ? json_error(http::status::method_not_allowed, "method not allowed")
                          : json_error(http::status::not_found, "no such page");
      // Unread body: answer and close rather than parse what follows.
      if (m_header_parser->content_length().value_or(0) > 0 || m_header_parser->chunked())
        return send_and_close(std::move(r));
      return finish_body_then_reply(std::move(r));
    }
    if (m_route->header_check) {
      if (auto early = m_route->header_check(header, *m_context)) return send_and_close(std::move(*early));
    }
    const std::size_t limit =
        m_route->body_limit == k_server_body_limit ? m_shared.context.options.max_body_bytes : m_route->body_limit;
    if (m_header_parser->content_length() && *m_header_parser->content_length() > limit)
      return send_and_close(
          json_error(http::status::payload_too_large, "body over the limit of " + std::to_string(limit) + " bytes"));
    read_body(limit, std::nullopt);
  }

  void finish_body_then_reply(Reply r) { read_body(64 * 1024, std::move(r)); }

  void read_body(std::size_t limit, std::optional<Reply> fixed) {
    m_body_parser.emplace(std::move(*m_header_parser));
    m_body_parser->body_limit(limit);
    m_fixed = std::move(fixed);
    tcp().expires_after(std::chrono::seconds(m_shared.context.options.body_timeout_s));
    const auto& req = m_body_parser->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
      http::async_write(self().stream(), *cont,
                        [s = self().shared_from_this(), cont](beast::error_code ec, std::size_t) {
                          if (ec) return s->close();
                          s->read_body_now();
                        });
      return;
    }
    read_body_now();
  }

  void read_body_now() {
    http::async_read(self().stream(), m_buffer, *m_body_parser,
                     [s = self().shared_from_this()](beast::error_code ec, std::size_t) { s->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit)
      return send_and_close(json_error(http::status::payload_too_large, "body over the limit"));
    if (ec) return self().close();  // timeout, reset, malformed chunking: nothing useful to answer
    auto req = std::make_shared<Request>(m_body_parser->release());
    if (m_fixed) return finish(*req, std::move(*m_fixed));
    if (m_route->offload != Offload::none) return offload(std::move(req));
    finish(*req, run_handler(*req));
  }

  Reply run_handler(const Request& req) {
    try {
      return m_route->handler(req, *m_context);
    } catch (const std::exception& e) {
      log::get("server")->error("{} {}: {}", sv(req.method_string()), sv(req.target()), e.what());
      return json_error(http::status::internal_server_error, "internal error");
    }
  }

  // Hashing and rendering run on a worker pool; the reply comes back to this connection's
  // strand. A full pool answers at once (429 for logins, 503 for pages): nothing queues unbounded.
  void offload(std::shared_ptr<Request> req) {
    auto& context = m_shared.context;
    const auto kind = m_route->offload;
    auto& pool = kind == Offload::hash ? context.hash_pool : context.render_pool;
    auto s = self().shared_from_this();
    const bool taken = pool.try_post([s, req] {
      auto reply = std::make_shared<Reply>(s->run_handler(*req));
      net::post(s->tcp().get_executor(), [s, req, reply] { s->finish(*req, std::move(*reply)); });
    });
    if (taken) return;
    ++context.metrics.busy_refusals;
    finish(*req, m_shared.router.busy_reply(*req, kind));
  }

  void finish(const Request& req, Reply reply) {
    reply.response.version(req.version());
    reply.response.keep_alive(req.keep_alive() && reply.response.keep_alive());
    if (req.method() == http::verb::head) reply.response.body().clear();
    send(std::move(reply), !req.keep_alive());
  }

  void send_and_close(Reply r) {
    r.response.keep_alive(false);
    send(std::move(r), true);
  }

  void send(Reply r, bool close_after) {
    m_response = std::make_shared<Response>(std::move(r.response));
    m_close_after = close_after || !m_response->keep_alive();
    if (!m_response->has_content_length()) m_response->prepare_payload();
    m_response->set(http::field::server, "itsa-server");
    m_response->set("X-Content-Type-Options", "nosniff");
    if (Derived::k_tls) m_response->set(http::field::strict_transport_security, "max-age=31536000");
    const int status = m_response->result_int();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    m_shared.context.metrics.observe_request(status, m_context ? seconds : 0.0);
    if (r.delay.count() > 0) {
      m_timer = std::make_unique<net::steady_timer>(tcp().get_executor());
      m_timer->expires_after(r.delay);
      m_timer->async_wait([s = self().shared_from_this()](beast::error_code) { s->write(); });
      return;
    }
    write();
  }

  void write() {
    tcp().expires_after(std::chrono::seconds(m_shared.context.options.body_timeout_s));
    http::async_write(self().stream(), *m_response, [s = self().shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || s->m_close_after) return s->close();
      s->m_response.reset();
      s->read_header();
    });
  }

  Shared& m_shared;
  std::string m_remote_ip;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::empty_body>> m_header_parser;
  std::optional<http::request_parser<http::string_body>> m_body_parser;
  std::optional<RequestContext> m_context;
  std::optional<Reply> m_fixed;
  const Route* m_route = nullptr;
  std::shared_ptr<Response> m_response;
  std::unique_ptr<net::steady_timer> m_timer;
  std::chrono::steady_clock::time_point m_started{};
  bool m_close_after = false;
  bool m_first = true;
  bool m_counted = false;
};

class PlainSession : public Session<PlainSession>, public std::enable_shared_from_this<PlainSession> {
 public:
  static constexpr bool k_tls = false;
  PlainSession(tcp::socket&& socket, Shared& shared, std::string ip)
      : Session(shared, std::move(ip)), m_stream(std::move(socket)) {}
  beast::tcp_stream& stream() { return m_stream; }
  void start() { begin(); }
  /// Lingering close: stop sending, then drain what the client still sends (up to 2 s) so the
  /// kernel does not reset the connection and destroy our last response before it is read.
  void close() {
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return m_stream.close();
    m_stream.expires_after(std::chrono::seconds(2));
    drain();
  }

 private:
  void drain() {
    m_stream.async_read_some(net::buffer(m_drain), [s = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return s->m_stream.close();
      s->drain();
    });
  }
  friend class Session<PlainSession>;
  beast::tcp_stream m_stream;
  std::array<char, 4096> m_drain{};
};

class TlsSession : public Session<TlsSession>, public std::enable_shared_from_this<TlsSession> {
 public:
  static constexpr bool k_tls = true;
  TlsSession(tcp::socket&& socket, ssl::context& ctx, Shared& shared, std::string ip)
      : Session(shared, std::move(ip)), m_stream(std::move(socket), ctx) {}
  beast::ssl_stream<beast::tcp_stream>& stream() { return m_stream; }
  void start() {
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(m_shared.context.options.header_timeout_s));
    m_stream.async_handshake(ssl::stream_base::server, [s = shared_from_this()](beast::error_code ec) {
      if (ec) return s->close_now();
      s->begin();
    });
  }
  void close() {
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(5));
    m_stream.async_shutdown([s = shared_from_this()](beast::error_code) { s->close_now(); });
  }
  void close_now() { beast::get_lowest_layer(m_stream).close(); }

 private:
  friend class Session<TlsSession>;
  beast::ssl_stream<beast::tcp_stream> m_stream;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor acceptor, Shared& shared, ssl::context* tls)
      : m_ioc(ioc), m_acceptor(std::move(acceptor)), m_shared(shared), m_tls(tls), m_pause(ioc) {}
  void accept() {
    m_acceptor.async_accept(net::make_strand(m_ioc),
                            [s = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                              if (!ec) {
                                s->accepted(std::move(socket));
                              } else if (ec == net::error::operation_aborted) {
                                return;
                              } else {
                                s->pause(ec);  // out of descriptors (EMFILE/ENFILE) or another error
                                return;
                              }
                              s->accept();
                            });
  }

 private:
  void accepted(tcp::socket socket) {
    if (m_backoff.count() > 0) {
      log::get("server")->info("accepting connections again");
      m_backoff = std::chrono::milliseconds(0);
    }
    beast::error_code ignored;
    auto ep = socket.remote_endpoint(ignored);
    auto ip = ignored ? std::string("?") : ep.address().to_string();
    if (m_tls) {
      std::make_shared<TlsSession>(std::move(socket), *m_tls, m_shared, ip)->start();
    } else {
      std::make_shared<PlainSession>(std::move(socket), m_shared, ip)->start();
    }
  }
  // A failed accept (no descriptor left) would fail again at once: retrying in a loop spins a
  // core. Wait 50 ms, doubling to 2 s, while it lasts; log once per episode (issue 17).
  void pause(const beast::error_code& ec) {
    if (m_backoff.count() == 0)
      log::get("server")->warn("cannot accept connections ({}): pausing, retrying with backoff", ec.message());
    m_backoff = std::min(std::chrono::milliseconds(2000), std::max(std::chrono::milliseconds(50), m_backoff * 2));
    m_pause.expires_after(m_backoff);
    m_pause.async_wait([s = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) s->accept();
    });
  }

  net::io_context& m_ioc;
  tcp::acceptor m_acceptor;
  Shared& m_shared;
  ssl::context* m_tls;
  net::steady_timer m_pause;
  std::chrono::milliseconds m_backoff{0};
};

}  // namespace

Result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return Error{"expected ADDR:PORT, e.g. 127.0.0.1:8443, got '" + text + "'"};
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  net::ip::make_address(host, ec);
  if (ec) return Error{"'" + host + "' is not an IP address"};
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) return Error{"port must be 0..65535 in '" + text + "'"};
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

Result<void> check_listen_policy(const ServerOptions& o) {
  beast::error_code ec;
  auto address = net::ip::make_address(o.address, ec);
  if (ec) return Error{"--listen: bad address '" + o.address + "'"};
  if (!o.tls() && !address.is_loopback() && !o.insecure_listen)
    return Error{"--listen " + o.address +
                 " is not loopback: give --tls-cert and --tls-key, or --insecure-listen to serve plain HTTP anyway "
                 "(agent secrets and passwords would cross the network unencrypted)"};
  return ok();
}

Result<void> run_server(const ServerOptions& options, Storage& storage) {
  auto logger = log::get("server");
  net::io_context ioc{options.threads};
  std::unique_ptr<ssl::context> tls;
  if (options.tls()) {
    tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    tls->use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) return Error{"--tls-cert " + options.tls_cert_file + ": " + ec.message()};
    tls->use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
    if (ec) return Error{"--tls-key " + options.tls_key_file + ": " + ec.message()};
  }
  Shared shared{ServerContext(storage, options, SystemClock::instance()), Router{}};
  register_routes(shared.router);

  beast::error_code ec;
  tcp::endpoint endpoint{net::ip::make_address(options.address), options.port};
  tcp::acceptor acceptor{ioc};
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return Error{"cannot listen on " + options.address + ":" + std::to_string(options.port) + ": " + ec.message()};
  const auto port = acceptor.local_endpoint().port();
  std::make_shared<Listener>(ioc, std::move(acceptor), shared, tls.get())->accept();

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int sig) {
    logger->info("signal {}: stopping", sig);
    ioc.stop();
  });
  auto durability = storage.commit_durability();
  logger->info("listening on {}://{}:{} ({} storage, commits {}, {} threads)", options.tls() ? "https" : "http",
               options.address, port, storage.backend(),
               durability ? durability.value() : "of unknown durability: " + durability.error().message,
               options.threads);
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  return ok();
}

}  // namespace itsa::server
