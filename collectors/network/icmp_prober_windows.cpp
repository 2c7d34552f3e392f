// Windows ICMP: IcmpSendEcho (blocking, with its own timeout) on one worker thread owned by
// the prober; each result is posted back to the io_context. Attempts are sent one after
// another inside the budget; probes of one round run one after another.
// (IcmpSendEcho2 with an event waited on by Asio's object_handle uses the system thread
// pool's wait queue, which trips an assertion in Wine 8's ntdll and kills the process.)
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <icmpapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>

#include "collectors/network/icmp_prober.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;

class WindowsIcmpProber final : public IcmpProber {
 public:
  explicit WindowsIcmpProber(asio::io_context& io) : m_io(io), m_icmp(IcmpCreateFile()) {}
  ~WindowsIcmpProber() override {
    {
      std::lock_guard lock(m_mutex);
      m_stopping = true;
      m_jobs.clear();
    }
    m_cv.notify_all();
    if (m_worker.joinable()) m_worker.join();  // at most one echo timeout
    if (m_icmp != INVALID_HANDLE_VALUE) IcmpCloseHandle(m_icmp);
  }
  WindowsIcmpProber(const WindowsIcmpProber&) = delete;
  WindowsIcmpProber& operator=(const WindowsIcmpProber&) = delete;

  void probe(const std::string& address, int timeout_ms, int attempts, std::function<void(ProbeSample)> done) override {
    IN_ADDR addr{};
    if (m_icmp == INVALID_HANDLE_VALUE || inet_pton(AF_INET, address.c_str(), &addr) != 1) {
      ProbeSample s;
      s.attempts_sent = 0;
      s.error = m_icmp == INVALID_HANDLE_VALUE ? "IcmpCreateFile failed" : "not an IPv4 address: " + address;
      asio::post(m_io, [done = std::move(done), s] { done(s); });
      return;
    }
    Job job;
    job.addr = addr;
    job.attempts = std::max(1, attempts);
    job.per_attempt_ms = static_cast<DWORD>(std::max(1, timeout_ms / job.attempts));
    job.done = std::move(done);
    {
      std::lock_guard lock(m_mutex);
      m_jobs.push_back(std::move(job));
      if (!m_worker.joinable()) m_worker = std::thread([this] { work(); });
    }
    m_cv.notify_one();
  }

  void cancel() override {}
  std::string mode() const override {
    return m_icmp == INVALID_HANDLE_VALUE ? "unavailable: IcmpCreateFile" : "icmp_api";
  }

 private:
  struct Job {
    IN_ADDR addr{};
    int attempts = 1;
    DWORD per_attempt_ms = 250;
    std::function<void(ProbeSample)> done;
  };

  // Sends up to job.attempts echoes, stopping at the first answer.
  ProbeSample echo(const Job& job) const {
    char payload[16] = "itsa-probe-echo";
    unsigned char reply[sizeof(ICMP_ECHO_REPLY) + sizeof payload + 8 + 64] = {};
    ProbeSample s;
    for (int i = 0; i < job.attempts; ++i) {
      ++s.attempts_sent;
      const DWORD n = IcmpSendEcho(m_icmp, job.addr.S_un.S_addr, payload, sizeof payload, nullptr, reply, sizeof reply,
                                   job.per_attempt_ms);
      const auto* r = reinterpret_cast<const ICMP_ECHO_REPLY*>(reply);
      if (n > 0 && r->Status == IP_SUCCESS) {
        s.ok = true;
        s.rtt_ms = r->RoundTripTime;
        s.attempts_lost = i;
        return s;
      }
    }
    s.attempts_lost = s.attempts_sent;
    s.error = "timeout";
    return s;
  }

  void work() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      m_cv.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
      if (m_stopping) return;
      Job job = std::move(m_jobs.front());
      m_jobs.pop_front();
      lock.unlock();
      const ProbeSample s = echo(job);
      asio::post(m_io, [done = std::move(job.done), s] { done(s); });
      lock.lock();
    }
  }

  asio::io_context& m_io;
  HANDLE m_icmp;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<Job> m_jobs;
  bool m_stopping = false;
  std::thread m_worker;
};

}  // namespace

std::unique_ptr<IcmpProber> make_icmp_prober(asio::io_context& io) {
  return std::make_unique<WindowsIcmpProber>(io);
}

}  // namespace itsa::network
