#include "server/storage/retention_runner.hpp"

#include <iostream>

#include "common/time_format.hpp"

namespace itsa::server {

RetentionRunner::RetentionRunner(Storage& storage, int keep_months, const Clock& clock, std::chrono::seconds every,
                                 std::function<void(const Result<RetentionResult>&)> on_pass)
    : m_storage(storage),
      m_keep_months(keep_months),
      m_clock(clock),
      m_every(every),
      m_on_pass(std::move(on_pass)),
      m_thread([this] { loop(); }) {}

RetentionRunner::~RetentionRunner() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void RetentionRunner::loop() {
  std::unique_lock lock(m_mutex);
  while (!m_stop) {
    lock.unlock();
    auto r = m_storage.retention(to_unix_ms(m_clock.utc_now()), m_keep_months, false);
    if (!r) {
      std::cerr << "itsa-server: retention: " << r.error().message << " (again in an hour)\n";
    } else if (!r.value().dropped_partitions.empty() || r.value().records_deleted > 0) {
      std::cerr << "itsa-server: retention: records before " << to_rfc3339(from_unix_ms(r.value().cut_ms))
                << " dropped: " << r.value().dropped_partitions.size() << " partitions, " << r.value().records_deleted
                << " rows deleted\n";
    }
    if (m_on_pass) m_on_pass(r);
    lock.lock();
    m_wake.wait_for(lock, r ? m_every : std::min(m_every, std::chrono::seconds(3600)), [this] { return m_stop; });
  }
}

}  // namespace itsa::server
