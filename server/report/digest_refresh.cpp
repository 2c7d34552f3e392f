#include "server/report/digest_refresh.hpp"

#include <iostream>

#include "common/time_format.hpp"
#include "server/report/report_input.hpp"

namespace itsa::server {

Result<void> refresh_day_digests(Storage& storage, const report::OfficeSchedule& schedule, long long now_ms, int days,
                                 const std::function<bool()>& cancelled) {
  report::ReportOptions o = recent_days_options(schedule, now_ms, days);
  InputFilter filter;
  filter.latest = false;
  filter.cancelled = cancelled;
  for (const auto hours : {report::HoursMode::office, report::HoursMode::all}) {
    o.hours = hours;
    if (auto r = load_report_input(storage, filter, o); !r) return r.error();
  }
  // The review UI's network views (observation_report): coverage, outages and lifecycle only.
  filter.types = observation_types();
  if (auto r = load_report_input(storage, filter, o); !r) return r.error();
  return ok();
}

DigestRefresher::DigestRefresher(Storage& storage, std::string data_dir, std::chrono::seconds every, const Clock& clock)
    : m_storage(storage), m_data_dir(std::move(data_dir)), m_every(every), m_clock(clock), m_thread([this] {
        loop();
      }) {}

DigestRefresher::~DigestRefresher() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void DigestRefresher::loop() {
  const auto stopped = [this] {
    std::lock_guard lock(m_mutex);
    return m_stop;
  };
  constexpr int k_days = 35;  // a month's report and the UI's 30 days
  while (!stopped()) {
    const long long now = to_unix_ms(m_clock.utc_now());
    if (auto r = refresh_day_digests(m_storage, installation_schedule(m_data_dir), now, k_days, stopped);
        !r && !stopped()) {
      std::cerr << "itsa-server: day digests: " << r.error().message << "\n";
    }
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, m_every, [this] { return m_stop; });
  }
}

}  // namespace itsa::server
