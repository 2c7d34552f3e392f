#include "server/http/metrics.hpp"

#include <sstream>

namespace itsa::server {

void Metrics::observe_request(int status, double seconds) {
  for (std::size_t i = 0; i < k_buckets.size(); ++i)
    if (seconds <= k_buckets[i]) ++m_bucket_counts[i];
  ++m_bucket_counts[k_buckets.size()];
  m_latency_sum_us += static_cast<std::uint64_t>(seconds * 1e6);
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) ++m_by_class[static_cast<std::size_t>(cls)];
}

std::string Metrics::render(std::int64_t agents_total, std::int64_t agents_seen_24h) const {
  std::ostringstream o;
  o << "# HELP itsa_ingest_batches_total Ingest batches accepted.\n# TYPE itsa_ingest_batches_total counter\n"
    << "itsa_ingest_batches_total " << ingest_batches << "\n"
    << "# HELP itsa_ingest_records_total Records received, by result.\n# TYPE itsa_ingest_records_total counter\n"
    << "itsa_ingest_records_total{result=\"stored\"} " << records_stored << "\n"
    << "itsa_ingest_records_total{result=\"duplicate\"} " << records_duplicate << "\n"
    << "# HELP itsa_ingest_rejected_total Ingest requests rejected (4xx).\n# TYPE itsa_ingest_rejected_total counter\n"
    << "itsa_ingest_rejected_total " << ingest_rejected << "\n"
    << "# HELP itsa_enrolments_total Successful enrolments.\n# TYPE itsa_enrolments_total counter\n"
    << "itsa_enrolments_total " << enrolments << "\n"
    << "# HELP itsa_login_failures_total Failed reviewer logins.\n# TYPE itsa_login_failures_total counter\n"
    << "itsa_login_failures_total " << login_failures << "\n"
    << "# HELP itsa_busy_refusals_total Logins and pages refused because their worker pool was full.\n"
    << "# TYPE itsa_busy_refusals_total counter\nitsa_busy_refusals_total " << busy_refusals << "\n"
    << "# HELP itsa_connections_refused_total Connections refused over the connection cap.\n"
    << "# TYPE itsa_connections_refused_total counter\nitsa_connections_refused_total " << connections_refused << "\n"
    << "# HELP itsa_agents Enrolled agents.\n# TYPE itsa_agents gauge\nitsa_agents " << agents_total << "\n"
    << "# HELP itsa_agents_seen_24h Agents seen in the last 24 hours.\n# TYPE itsa_agents_seen_24h gauge\n"
    << "itsa_agents_seen_24h " << agents_seen_24h << "\n"
    << "# HELP itsa_http_responses_total HTTP responses by status class.\n# TYPE itsa_http_responses_total counter\n";
  for (int c = 1; c <= 5; ++c)
    o << "itsa_http_responses_total{class=\"" << c << "xx\"} " << m_by_class[static_cast<std::size_t>(c)] << "\n";
  o << "# HELP itsa_http_request_duration_seconds Time from request header to response.\n"
    << "# TYPE itsa_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < k_buckets.size(); ++i)
    o << "itsa_http_request_duration_seconds_bucket{le=\"" << k_buckets[i] << "\"} " << m_bucket_counts[i] << "\n";
  o << "itsa_http_request_duration_seconds_bucket{le=\"+Inf\"} " << m_bucket_counts[k_buckets.size()] << "\n"
    << "itsa_http_request_duration_seconds_sum " << static_cast<double>(m_latency_sum_us.load()) / 1e6 << "\n"
    << "itsa_http_request_duration_seconds_count " << m_bucket_counts[k_buckets.size()] << "\n";
  return o.str();
}

}  // namespace itsa::server
