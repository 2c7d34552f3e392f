#pragma once
// Runs one probe of any kind asynchronously on the caller's io_context: ICMP (platform
// prober), TCP connect, DNS query over UDP, HTTP(S) through libcurl on a worker thread.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "collectors/network/icmp_prober.hpp"
#include "collectors/network/probe_stats.hpp"
#include "collectors/network/probe_target.hpp"

namespace itsa::network {

struct ProberSettings {
  int timeout_ms = 1000;                 ///< a probe's whole budget
  int attempts = 4;                      ///< tries inside the budget (ICMP, TCP, DNS)
  int http_timeout_ms = 3000;            ///< HTTP(S) answers later than this are slow (TLS handshakes are slower)
  int slow_ms = 5000;                    ///< probes.slow_ms: DNS/HTTP(S) answers up to this are slow, not failed
  std::string proxy;                     ///< HTTP(S) proxy URL; empty = environment
  std::string dns_name = "example.com";  ///< name the DNS probe resolves
};

/// True when HTTP(S) probes go through a proxy: `configured` (server.proxy) or the *_proxy
/// environment libcurl reads. A proxy-only office reaches the web only that way.
bool uses_proxy(const std::string& configured);

class Prober {
 public:
  Prober(boost::asio::io_context& io, ProberSettings settings);
  ~Prober();
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;
  /// Probes `target`; `done` runs on the io_context exactly once, within the budget.
  void probe(const ProbeTarget& target, std::function<void(ProbeSample)> done);
  /// Cancels what is pending (callbacks still run, failed).
  void cancel();
  /// How ICMP is sent ("raw", "datagram", ...).
  std::string icmp_mode() const { return m_icmp->mode(); }

 private:
  void probe_tcp(const ProbeTarget& target, std::function<void(ProbeSample)> done);
  void probe_dns(const ProbeTarget& target, std::function<void(ProbeSample)> done);
  void probe_http(const ProbeTarget& target, std::function<void(ProbeSample)> done);
  void http_worker();

  boost::asio::io_context& m_io;
  ProberSettings m_settings;
  std::unique_ptr<IcmpProber> m_icmp;
  std::uint16_t m_dns_id = 0;
  // HTTP worker: jobs run one at a time with curl_easy_perform; results posted back to m_io.
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<std::function<void()>> m_jobs;
  bool m_stopping = false;
  std::thread m_worker;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace itsa::network
