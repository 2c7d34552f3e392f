// Windows: SendARP (iphlpapi, Windows 2000 and later, so Windows 7 too) on one worker thread
// owned by the prober; it blocks until the reply or its own timeout (about 3 s, not
// settable), so a probe's result may come after the round and counts as "could not ask"
// for that round. Each result is posted back to the io_context.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "collectors/network/neighbor_prober.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

class WindowsNeighborProber final : public NeighborProber {
 public:
  explicit WindowsNeighborProber(asio::io_context& io) : m_io(io) {}
  ~WindowsNeighborProber() override {
    {
      std::lock_guard lock(m_mutex);
      m_stopping = true;
      m_jobs.clear();
    }
    m_cv.notify_all();
    if (m_worker.joinable()) m_worker.join();  // at most one SendARP timeout
  }
  WindowsNeighborProber(const WindowsNeighborProber&) = delete;
  WindowsNeighborProber& operator=(const WindowsNeighborProber&) = delete;

  void probe(const std::string& /*interface*/, const std::string& ipv4, int timeout_ms, int /*attempts*/,
             std::function<void(NeighborResult)> done) override {
    IN_ADDR addr{};
    if (inet_pton(AF_INET, ipv4.c_str(), &addr) != 1) {
      asio::post(m_io, [done = std::move(done), ipv4] { done({std::nullopt, 0, "not an IPv4 address: " + ipv4}); });
      return;
    }
    // The round does not wait for SendARP's own timeout: past ours, the answer is "could not ask".
    auto state = std::make_shared<Pending>(m_io);
    state->done = std::move(done);
    state->deadline.expires_after(std::chrono::milliseconds(std::max(1, timeout_ms)));
    state->deadline.async_wait([state](boost::system::error_code ec) {
      if (!ec) state->finish({std::nullopt, 0, "sendarp: no result in time"});
    });
    {
      std::lock_guard lock(m_mutex);
      m_jobs.push_back({addr, state});
      if (!m_worker.joinable()) m_worker = std::thread([this] { work(); });
    }
    m_cv.notify_one();
  }

  void cancel() override {}
  std::string mode() const override { return "sendarp"; }

 private:
  struct Pending {
    explicit Pending(asio::io_context& io) : deadline(io) {}
    asio::steady_timer deadline;
    std::function<void(NeighborResult)> done;
    bool finished = false;
    void finish(NeighborResult r) {
      if (finished) return;
      finished = true;
      deadline.cancel();
      done(std::move(r));
    }
  };
  struct Job {
    IN_ADDR addr{};
    std::shared_ptr<Pending> state;
  };

  void work() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      m_cv.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
      if (m_stopping) return;
      Job job = std::move(m_jobs.front());
      m_jobs.pop_front();
      lock.unlock();
      ULONG mac[2] = {};
      ULONG len = 6;
      const auto t0 = Steady::now();
      const DWORD rc = SendARP(job.addr.S_un.S_addr, 0, mac, &len);
      const double rtt = std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
      NeighborResult r;
      if (rc == NO_ERROR && len > 0) {
        r = {true, rtt, "sendarp"};
      } else if (rc == ERROR_BAD_NET_NAME || rc == ERROR_GEN_FAILURE) {
        r = {false, 0, "sendarp: no reply"};
      } else {
        r = {std::nullopt, 0, "sendarp failed: error " + std::to_string(rc)};
      }
      asio::post(m_io, [state = job.state, r] { state->finish(r); });
      lock.lock();
    }
  }

  asio::io_context& m_io;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<Job> m_jobs;
  bool m_stopping = false;
  std::thread m_worker;
};

}  // namespace

std::unique_ptr<NeighborProber> make_neighbor_prober(asio::io_context& io) {
  return std::make_unique<WindowsNeighborProber>(io);
}

}  // namespace itsa::network
