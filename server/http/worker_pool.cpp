#include "server/http/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.hpp"

namespace itsa::server {

WorkerPool::WorkerPool(std::string name, int threads, std::size_t max_waiting, int nice)
    : m_name(std::move(name)), m_capacity(static_cast<std::size_t>(threads) + max_waiting) {
  for (int i = 0; i < threads; ++i) m_threads.emplace_back([this, nice] { work(nice); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  for (auto& t : m_threads) t.join();
}

bool WorkerPool::try_post(std::function<void()> job) {
  {
    std::lock_guard lock(m_mutex);
    if (m_stop || m_jobs.size() + m_running >= m_capacity) return false;
    m_jobs.push_back(std::move(job));
  }
  m_wake.notify_one();
  return true;
}

std::size_t WorkerPool::in_flight() const {
  std::lock_guard lock(m_mutex);
  return m_jobs.size() + m_running;
}

void WorkerPool::work(int nice) {
#ifdef __linux__
  // Per-thread priority: on Linux setpriority(PRIO_PROCESS, tid) applies to one thread.
  if (nice != 0) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice);
#else
  (void)nice;
#endif
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
      if (m_stop) return;  // waiting jobs are dropped: their clients see the connection close
      job = std::move(m_jobs.front());
      m_jobs.pop_front();
      ++m_running;
    }
    try {
      job();
    } catch (const std::exception& e) {
      log::get("server")->error("{} worker: {}", m_name, e.what());
    }
    std::lock_guard lock(m_mutex);
    --m_running;
  }
}

}  // namespace itsa::server
