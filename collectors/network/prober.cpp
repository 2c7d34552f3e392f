#include "collectors/network/prober.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>

#include <curl/curl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/network/dns_message.hpp"

namespace itsa::network {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {

double ms_since(Steady::time_point t) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

// Shared state of a multi-attempt probe (TCP, DNS).
struct Attempts {
  explicit Attempts(asio::io_context& io) : timer(io), deadline_timer(io) {}
  std::function<void(ProbeSample)> done;
  asio::steady_timer timer;           ///< next attempt
  asio::steady_timer deadline_timer;  ///< whole budget
  std::vector<Steady::time_point> started;
  bool finished = false;
  std::string last_error = "timeout";
  bool refused = false;
};

}  // namespace

Prober::Prober(asio::io_context& io, ProberSettings settings)
    : m_io(io), m_settings(std::move(settings)), m_icmp(make_icmp_prober(io)) {
  m_dns_id = static_cast<std::uint16_t>(Steady::now().time_since_epoch().count() & 0xffff);
  m_worker = std::thread([this] { http_worker(); });
}

Prober::~Prober() {
  *m_alive = false;
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_jobs.clear();
  }
  m_cv.notify_all();
  if (m_worker.joinable()) m_worker.join();
}

void Prober::cancel() {
  m_icmp->cancel();
}

void Prober::probe(const ProbeTarget& target, std::function<void(ProbeSample)> done) {
  switch (target.kind) {
    case ProbeKind::icmp:
      m_icmp->probe(target.host, m_settings.timeout_ms, m_settings.attempts, std::move(done));
      return;
    case ProbeKind::tcp:
      probe_tcp(target, std::move(done));
      return;
    case ProbeKind::dns:
      probe_dns(target, std::move(done));
      return;
    case ProbeKind::http:
      probe_http(target, std::move(done));
      return;
  }
}

void Prober::probe_tcp(const ProbeTarget& target, std::function<void(ProbeSample)> done) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(target.host, ec);
  if (ec) {
    ProbeSample s;
    s.attempts_sent = 0;
    s.error = "tcp probe needs an IP address, got '" + target.host + "'";
    asio::post(m_io, [done = std::move(done), s] { done(s); });
    return;
  }
  asio::ip::tcp::endpoint ep(addr, static_cast<unsigned short>(target.port));
  auto st = std::make_shared<Attempts>(m_io);
  st->done = std::move(done);
  auto sockets = std::make_shared<std::vector<std::unique_ptr<asio::ip::tcp::socket>>>();
  const int attempts = std::max(1, m_settings.attempts);
  const auto gap = std::chrono::milliseconds(std::max(1, m_settings.timeout_ms / attempts));
  auto finish = [st, sockets](bool ok, double rtt_ms, std::size_t answered_attempt) {
    if (st->finished) return;
    st->finished = true;
    st->timer.cancel();
    st->deadline_timer.cancel();
    for (auto& s : *sockets) {
      boost::system::error_code e;
      s->set_option(asio::socket_base::linger(true, 0), e);  // RST: 4 packets instead of 7
      s->close(e);
    }
    ProbeSample out;
    out.ok = ok;
    out.rtt_ms = rtt_ms;
    out.attempts_sent = static_cast<int>(st->started.size());
    out.attempts_lost = ok ? static_cast<int>(answered_attempt) : out.attempts_sent;
    out.error = ok ? "" : st->last_error;
    out.refused = ok && st->refused;
    st->done(out);
  };
  auto start_attempt = std::make_shared<std::function<void()>>();
  // The function refers to itself weakly: only a pending timer keeps it alive, so no cycle
  // outlives an io_context stopped mid-probe.
  *start_attempt = [this, st, sockets, ep, finish, gap, attempts, self = std::weak_ptr(start_attempt)] {
    if (st->finished) return;
    std::size_t index = st->started.size();
    st->started.push_back(Steady::now());
    sockets->push_back(std::make_unique<asio::ip::tcp::socket>(m_io));
    auto& sock = *sockets->back();
    sock.async_connect(ep, [st, finish, index](boost::system::error_code e) {
      if (st->finished) return;
      // A refused connection is an answer, but maybe a first-hop firewall's: the sample says
      // so (refused) and the cause rules decide whether it proves the target (cause_rules.hpp).
      if (!e || e == asio::error::connection_refused) {
        st->refused = static_cast<bool>(e);
        finish(true, ms_since(st->started[index]), index);
      } else if (e != asio::error::operation_aborted)
        st->last_error = e.message();
    });
    if (static_cast<int>(st->started.size()) < attempts) {
      st->timer.expires_after(gap);
      st->timer.async_wait([again = self.lock()](boost::system::error_code e) {
        if (!e && again && *again) (*again)();
      });
    }
  };
  st->deadline_timer.expires_after(std::chrono::milliseconds(m_settings.timeout_ms));
  st->deadline_timer.async_wait([finish, start_attempt](boost::system::error_code e) {
    if (!e) finish(false, 0, 0);
    *start_attempt = nullptr;  // no attempt after the deadline
  });
  (*start_attempt)();
}

// DNS: `attempts` queries inside probes.timeout_ms, then one a timeout apart until slow_ms
// (a resolver's own patience). Each query has its own id, so the RTT is that query's; an
// answer later than timeout_ms after the first query is `slow`, not a failure.
void Prober::probe_dns(const ProbeTarget& target, std::function<void(ProbeSample)> done) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(target.host, ec);
  auto check = encode_dns_query(0, m_settings.dns_name);
  if (ec || !check) {
    ProbeSample s;
    s.attempts_sent = 0;
    s.error = ec ? "DNS resolver is not an IP address: '" + target.host + "'" : check.error().message;
    asio::post(m_io, [done = std::move(done), s] { done(s); });
    return;
  }
  asio::ip::udp::endpoint ep(addr, static_cast<unsigned short>(target.port));
  auto st = std::make_shared<Attempts>(m_io);
  st->done = std::move(done);
  auto sock = std::make_shared<asio::ip::udp::socket>(m_io);
  sock->open(ep.protocol(), ec);
  auto ids = std::make_shared<std::vector<std::uint16_t>>();
  auto buf = std::make_shared<std::array<std::uint8_t, 1500>>();
  const int attempts = std::max(1, m_settings.attempts);
  const int timeout_ms = m_settings.timeout_ms;
  const int budget_ms = std::max(timeout_ms, m_settings.slow_ms);
  const auto gap = std::chrono::milliseconds(std::max(1, timeout_ms / attempts));
  auto finish = [st, sock, timeout_ms](bool ok, double rtt_ms, const std::string& error) {
    if (st->finished) return;
    st->finished = true;
    st->timer.cancel();
    st->deadline_timer.cancel();
    boost::system::error_code e;
    sock->close(e);
    ProbeSample out;
    out.ok = ok;
    out.rtt_ms = rtt_ms;
    out.attempts_sent = static_cast<int>(st->started.size());
    out.attempts_lost = ok ? out.attempts_sent - 1 : out.attempts_sent;
    out.error = error;
    out.slow = ok && !st->started.empty() && ms_since(st->started.front()) > timeout_ms;
    st->done(out);
  };
  auto receive = std::make_shared<std::function<void()>>();
  // Weak self-references: only a pending receive or timer keeps these functions alive.
  *receive = [st, sock, buf, ids, finish, self = std::weak_ptr(receive)] {
    auto again = self.lock();
    if (!again) return;
    sock->async_receive(asio::buffer(*buf), [st, buf, ids, finish, again](boost::system::error_code e, std::size_t n) {
      if (st->finished || e == asio::error::operation_aborted) return;
      if (e) {  // ICMP port unreachable surfaces here: an answer of sorts, keep waiting for the deadline
        st->last_error = e.message();
        if (*again) (*again)();
        return;
      }
      auto resp = decode_dns_response(buf->data(), n);
      auto sent = resp ? std::find(ids->begin(), ids->end(), resp.value().id) : ids->end();
      if (!resp || sent == ids->end() || !resp.value().is_response) {
        if (*again) (*again)();
        return;
      }
      double rtt = ms_since(st->started[static_cast<std::size_t>(sent - ids->begin())]);
      int rcode = resp.value().rcode;
      if (rcode == 0 || rcode == 3)
        finish(true, rtt, "");
      else
        finish(false, rtt, "DNS answered rcode " + std::to_string(rcode));
    });
  };
  auto send = std::make_shared<std::function<void()>>();
  *send = [this, st, sock, ep, ids, self = std::weak_ptr(send), gap, attempts, timeout_ms, budget_ms] {
    if (st->finished) return;
    const std::uint16_t id = ++m_dns_id;
    auto query = encode_dns_query(id, m_settings.dns_name);
    if (!query) return;
    ids->push_back(id);
    st->started.push_back(Steady::now());
    boost::system::error_code e;
    sock->send_to(asio::buffer(query.value()), ep, 0, e);
    if (e) st->last_error = e.message();
    const int sent = static_cast<int>(st->started.size());
    auto next = sent < attempts ? gap : std::chrono::milliseconds(timeout_ms);
    if (ms_since(st->started.front()) + static_cast<double>(next.count()) < budget_ms) {
      st->timer.expires_after(next);
      st->timer.async_wait([again = self.lock()](boost::system::error_code we) {
        if (!we && again && *again) (*again)();
      });
    }
  };
  st->deadline_timer.expires_after(std::chrono::milliseconds(budget_ms));
  st->deadline_timer.async_wait([st, finish, send, receive](boost::system::error_code e) {
    if (!e) finish(false, 0, st->last_error);
    *send = nullptr;
    *receive = nullptr;
  });
  (*receive)();
  (*send)();
}

bool uses_proxy(const std::string& configured) {
  if (!configured.empty()) return true;
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return true;
  }
  return false;
}

void Prober::probe_http(const ProbeTarget& target, std::function<void(ProbeSample)> done) {
  std::string url = target.uri;
  std::string proxy = m_settings.proxy;
  const long in_time_ms = m_settings.http_timeout_ms;
  const long timeout_ms = std::max<long>(in_time_ms, m_settings.slow_ms);
  auto alive = m_alive;
  const bool via_proxy = uses_proxy(m_settings.proxy);
  auto job = [this, url, proxy, timeout_ms, in_time_ms, via_proxy, alive, done = std::move(done)]() mutable {
    ProbeSample s;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
      s.error = "curl_easy_init failed";
    } else {
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);  // HEAD: the answer matters, not the page
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_USERAGENT, "itsa-agent-probe");
      if (!proxy.empty()) curl_easy_setopt(curl, CURLOPT_PROXY, proxy.c_str());  // else libcurl reads *_proxy env
      auto t0 = Steady::now();
      CURLcode rc = curl_easy_perform(curl);
      long status = 0;
      if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      if (rc == CURLE_OK && via_proxy && (status == 502 || status == 503 || status == 504)) {
        // The proxy answered for a target it could not reach: the LAN works, the target did not answer.
        s.error = "the proxy answered " + std::to_string(status) + " for the target";
      } else if (rc == CURLE_OK) {
        s.ok = true;  // any other HTTP status proves the path to the server works
        s.rtt_ms = ms_since(t0);
        s.slow = s.rtt_ms > static_cast<double>(in_time_ms);
      } else {
        s.error = curl_easy_strerror(rc);
      }
      curl_easy_cleanup(curl);
    }
    s.attempts_sent = 1;
    s.attempts_lost = s.ok ? 0 : 1;
    if (*alive) asio::post(m_io, [done = std::move(done), s] { done(s); });
  };
  {
    std::lock_guard lock(m_mutex);
    m_jobs.push_back(std::move(job));
  }
  m_cv.notify_one();
}

void Prober::http_worker() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(m_mutex);
      m_cv.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
      if (m_stopping) return;
      job = std::move(m_jobs.front());
      m_jobs.pop_front();
    }
    job();
  }
}

}  // namespace itsa::network
