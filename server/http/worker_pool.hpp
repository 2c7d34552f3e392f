#pragma once
// A small bounded pool of worker threads for the work that must not run on the I/O threads:
// password hashing (argon2id, ~64 MiB and ~0.1 s each) and rendering UI pages and reports
// (issue 17). A job is taken only while fewer than threads + max_waiting are in; otherwise the
// caller answers "busy" (429/503) at once instead of queueing without bound.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace itsa::server {

class WorkerPool {
 public:
  /// `nice` lowers the workers' CPU priority (Linux) so the I/O threads win a busy core.
  WorkerPool(std::string name, int threads, std::size_t max_waiting, int nice = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Runs `job` on a worker; false (and `job` dropped) when the pool is full.
  bool try_post(std::function<void()> job);
  /// Jobs running or waiting now.
  std::size_t in_flight() const;
  /// The most jobs it holds at once (threads + max_waiting).
  std::size_t capacity() const { return m_capacity; }
  const std::string& name() const { return m_name; }

 private:
  void work(int nice);

  std::string m_name;
  std::size_t m_capacity;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::function<void()>> m_jobs;
  std::size_t m_running = 0;
  bool m_stop = false;
  std::vector<std::thread> m_threads;
};

}  // namespace itsa::server
