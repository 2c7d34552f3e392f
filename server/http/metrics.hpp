#pragma once
// Prometheus counters of the server (GET /metrics).
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace itsa::server {

class Metrics {
 public:
  /// Counts one finished request.
  void observe_request(int status, double seconds);
  std::atomic<std::uint64_t> ingest_batches{0};       ///< accepted batches
  std::atomic<std::uint64_t> records_stored{0};       ///< newly stored records
  std::atomic<std::uint64_t> records_duplicate{0};    ///< already stored records
  std::atomic<std::uint64_t> ingest_rejected{0};      ///< batches answered 4xx
  std::atomic<std::uint64_t> enrolments{0};           ///< successful enrolments
  std::atomic<std::uint64_t> login_failures{0};       ///< failed logins
  std::atomic<std::uint64_t> busy_refusals{0};        ///< logins (429) and pages (503) refused: worker pool full
  std::atomic<std::uint64_t> connections_refused{0};  ///< connections over --max-connections (503)
  /// The text exposition, with the gauges given by the caller.
  std::string render(std::int64_t agents_total, std::int64_t agents_seen_24h) const;

 private:
  static constexpr std::array<double, 10> k_buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  std::array<std::atomic<std::uint64_t>, 11> m_bucket_counts{};  ///< last = +Inf
  std::atomic<std::uint64_t> m_latency_sum_us{0};
  std::array<std::atomic<std::uint64_t>, 6> m_by_class{};  ///< 1xx..5xx, [0] unused
};

}  // namespace itsa::server
