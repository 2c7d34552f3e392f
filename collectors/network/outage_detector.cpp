#include "collectors/network/outage_detector.hpp"

#include <algorithm>
#include <cmath>

#include "common/time_format.hpp"
#include "protocol/payloads.hpp"

namespace ek = itsa::protocol::evidence_key;

namespace itsa::network {

std::optional<Cause> classify_round(const RoundResult& r) {
  return classify(r.facts).cause;
}

namespace {
double seconds_between(MonoTime a, MonoTime b) {
  return std::chrono::duration<double>(b - a).count();
}
}  // namespace

nlohmann::json outage_payload(const Outage& o) {
  nlohmann::json p{{"id", o.id},
                   {"state", o.end_utc ? "closed" : "open"},
                   {"start", to_rfc3339_ms(o.start_utc)},
                   {"end", nullptr},
                   {"duration_s", std::round(o.duration_s * 1000.0) / 1000.0},
                   {"cause", cause_name(o.cause)},
                   {"interface", o.interface},
                   {"end_reason", nullptr},
                   {"clock_synced", o.clock_synced},
                   {ek::evidence, o.evidence}};
  if (o.end_utc) {
    p["end"] = to_rfc3339_ms(*o.end_utc);
    p["end_reason"] = o.end_reason;
  }
  p[ek::evidence][ek::failed_rounds] = o.failed_rounds;
  return p;
}

OutageDetector::OutageDetector(int down_after, int up_after)
    : m_down_after(std::max(1, down_after)), m_up_after(std::max(1, up_after)) {}

std::optional<Outage> OutageDetector::feed(const RoundResult& round, bool clock_synced) {
  auto cause = classify_round(round);
  if (m_open) {
    m_open->duration_s = seconds_between(m_open->start_mono, round.mono);
    if (cause) {
      m_good_streak = 0;
      m_first_good.reset();
      ++m_open->failed_rounds;
      return std::nullopt;
    }
    if (m_good_streak++ == 0) m_first_good = round;
    if (m_good_streak < m_up_after) return std::nullopt;
    Outage done = std::move(*m_open);
    m_open.reset();
    done.end_utc = m_first_good->utc;
    done.duration_s = seconds_between(done.start_mono, m_first_good->mono);
    done.end_reason = "recovered";
    done.clock_synced = done.clock_synced && clock_synced;
    m_good_streak = 0;
    m_fail_streak = 0;
    m_first_good.reset();
    return done;
  }
  if (!cause) {
    if (m_fail_streak > 0 && m_first_fail && m_streak_cause)
      m_blip = Blip{*m_streak_cause, m_first_fail->utc, m_fail_streak, m_first_fail->interface};
    m_fail_streak = 0;
    m_first_fail.reset();
    m_streak_cause.reset();
    return std::nullopt;
  }
  if (m_fail_streak++ == 0) m_first_fail = round;
  // The lowest layer seen failing decides (a pulled cable may first look like a LAN fault).
  if (!m_streak_cause || *cause < *m_streak_cause) m_streak_cause = cause;
  if (m_fail_streak < m_down_after) return std::nullopt;
  Outage o;
  o.id = "outage-" + std::to_string(to_unix_ms(m_first_fail->utc));
  o.cause = *m_streak_cause;
  o.interface = round.interface.empty() ? m_first_fail->interface : round.interface;
  o.start_utc = m_first_fail->utc;
  o.start_mono = m_first_fail->mono;
  o.duration_s = seconds_between(o.start_mono, round.mono);
  o.clock_synced = clock_synced;
  o.failed_rounds = m_fail_streak;
  o.evidence = {{ek::first_round, m_first_fail->evidence}, {ek::confirming_round, round.evidence}};
  m_open = o;
  m_first_fail.reset();
  m_streak_cause.reset();
  m_good_streak = 0;
  return o;
}

std::optional<Outage> OutageDetector::close(UtcTime now_utc, MonoTime now_mono, std::string_view reason) {
  if (!m_open) return std::nullopt;
  Outage done = std::move(*m_open);
  m_open.reset();
  done.end_utc = now_utc;
  done.duration_s = seconds_between(done.start_mono, now_mono);
  done.end_reason = std::string(reason);
  m_fail_streak = 0;
  m_good_streak = 0;
  m_first_good.reset();
  return done;
}

}  // namespace itsa::network
