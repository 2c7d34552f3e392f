#include "agent/tasks/network_task.hpp"

#include <boost/asio/post.hpp>

#include "common/clock_sync.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::network {

namespace {
constexpr int k_attempts = 4;                             ///< tries per probe inside probes.timeout_ms
constexpr auto k_http_every = std::chrono::seconds(120);  ///< HTTP(S) is costly: probed less often
auto logger() {
  return log::get("network");
}

/// The outage payload with the settings that defined it, for the report's "scope and method":
/// evidence.probe_interval_s, down_after, up_after (docs/protocol.md).
nlohmann::json outage_record(const Outage& outage, const OutageDetector& detector, int interval_s) {
  nlohmann::json payload = outage_payload(outage);
  payload[protocol::evidence_key::evidence].update(
      nlohmann::json(protocol::OutageProbeSettings{interval_s, detector.down_after(), detector.up_after()}));
  return payload;
}
}  // namespace

NetworkTask::NetworkTask(LinkReader reader, std::function<void()> on_recovery, int dns_port)
    : m_reader(std::move(reader)), m_on_recovery(std::move(on_recovery)), m_dns_port(dns_port) {}

NetworkTask::~NetworkTask() {
  *m_alive = false;
}

void NetworkTask::start(agent::TaskContext& ctx) {
  m_ctx = &ctx;
  const auto& p = ctx.config.probes;
  m_detector.emplace(p.down_after, p.up_after);
  m_stats.emplace(p.degraded_loss_pct, p.degraded_rtt_factor);
  ProberSettings settings;
  settings.timeout_ms = p.timeout_ms;
  settings.attempts = k_attempts;
  settings.http_timeout_ms = std::max(p.timeout_ms, 3000);
  settings.proxy = ctx.config.server.proxy;
  settings.dns_name = p.dns.name;
  m_prober = std::make_unique<Prober>(ctx.io, settings);
  for (const auto& uri : p.lan)
    if (auto t = parse_probe_target(uri, Layer::lan))
      m_static_targets.push_back(t.value());
    else
      logger()->warn("{}", t.error().message);
  for (const auto& uri : p.internet)
    if (auto t = parse_probe_target(uri, Layer::internet))
      m_static_targets.push_back(t.value());
    else
      logger()->warn("{}", t.error().message);
  m_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  m_watch = make_link_watch(ctx.io);
  if (auto r = m_watch->start([this](const std::string& ifname) { on_link_change(ifname); }); !r)
    logger()->warn("{} (carrier changes are seen at the next round only)", r.error().message);
  logger()->info("probing every {} s, ICMP mode: {}", p.interval_s, m_prober->icmp_mode());
  poll_links(ctx.clock.utc_now());
  schedule_round(std::chrono::milliseconds(0));
}

void NetworkTask::stop(std::string_view reason) {
  if (m_stopped || m_ctx == nullptr) return;
  m_stopped = true;
  *m_alive = false;
  if (m_timer) m_timer->cancel();
  if (m_watch) m_watch->stop();
  if (m_prober) m_prober->cancel();
  const auto& clock = m_ctx->clock;
  if (auto closed = m_detector->close(clock.utc_now(), clock.mono_now(), "observation_ended")) {
    emit(rt::outage, outage_record(*closed, *m_detector, m_ctx->config.probes.interval_s));
  }
  emit_minutes(m_stats->flush());
  for (const auto& rec : m_links.flush()) emit(rt::link_minute, rec);
  logger()->info("stopped ({})", reason);
}

nlohmann::json NetworkTask::status() const {
  nlohmann::json links = nlohmann::json::object();
  for (const auto& [name, s] : m_links.current())
    links[name] = {{"carrier", s.carrier},
                   {"speed_mbps", s.speed_mbps ? nlohmann::json(*s.speed_mbps) : nullptr},
                   {"flaps", m_links.flaps_total(name)}};
  nlohmann::json st{{"rounds", m_rounds}, {"outages", m_outages}, {"links", links}};
  if (m_detector && m_detector->open_outage())
    st["open_outage"] = outage_record(*m_detector->open_outage(), *m_detector, m_ctx->config.probes.interval_s);
  return st;
}

void NetworkTask::emit(const std::string& type, const nlohmann::json& payload) {
  auto r = m_ctx->sink.append(type, m_ctx->clock.utc_now(), payload);
  if (!r) logger()->error("could not store a {} record: {}", type, r.error().message);
}

void NetworkTask::emit_minutes(const MinuteRecords& records) {
  for (const auto& rec : records.probe_minutes) emit(rt::probe_minute, rec);
  for (const auto& rec : records.degraded) emit(rt::degraded, rec);
}

void NetworkTask::schedule_round(std::chrono::milliseconds delay) {
  m_timer->expires_after(delay);
  m_timer->async_wait([this, alive = m_alive](boost::system::error_code ec) {
    if (ec || !*alive) return;
    start_round();
  });
}

void NetworkTask::poll_links(UtcTime now) {
  for (const auto& rec : m_links.roll(now)) emit(rt::link_minute, rec);
  for (const auto& name : m_reader.interfaces()) {
    auto snap = m_reader.read(name);
    if (!snap) continue;
    for (const auto& ev : m_links.update(snap.value(), now)) emit(rt::link_event, ev);
  }
}

void NetworkTask::on_link_change(const std::string& interface) {
  if (m_stopped) return;
  auto snap = m_reader.read(interface);
  if (!snap) return;
  auto current = m_links.current();
  auto it = current.find(interface);
  if (it == current.end()) return;  // not a watched interface
  bool carrier_changed = it->second.carrier != snap.value().carrier;
  for (const auto& ev : m_links.update(snap.value(), m_ctx->clock.utc_now())) emit(rt::link_event, ev);
  // Probe at once so the outage or recovery is timed by this change, not by the next tick.
  if (carrier_changed && !m_round_running) {
    m_timer->cancel();
    schedule_round(std::chrono::milliseconds(0));
  }
}

std::vector<ProbeTarget> NetworkTask::round_targets(bool with_http) {
  std::vector<ProbeTarget> out;
  const auto& p = m_ctx->config.probes;
  auto route = m_reader.default_route();
  m_route_interface = route ? route->interface : "";
  std::string gateway = p.gateway == "auto" ? (route ? route->gateway : "") : p.gateway;
  if (!gateway.empty()) {
    ProbeTarget t;
    t.uri = "icmp://" + gateway;
    t.kind = ProbeKind::icmp;
    t.layer = Layer::gateway;
    t.host = gateway;
    out.push_back(t);
  }
  for (const auto& t : m_static_targets)
    if (t.kind != ProbeKind::http || with_http) out.push_back(t);
  std::string resolver = p.dns.resolver;
  if (resolver == "auto") {
    auto system = m_reader.system_resolvers();
    resolver = system.empty() ? "" : system.front();
  }
  if (!resolver.empty() && !p.dns.name.empty()) {
    ProbeTarget t;
    t.kind = ProbeKind::dns;
    t.layer = Layer::dns;
    t.host = resolver;
    t.port = m_dns_port;
    t.uri = "dns://" + (resolver.find(':') != std::string::npos ? "[" + resolver + "]" : resolver) +
            (m_dns_port != 53 ? ":" + std::to_string(m_dns_port) : "");
    out.push_back(t);
  }
  return out;
}

void NetworkTask::start_round() {
  if (m_stopped) return;
  const auto& clock = m_ctx->clock;
  m_round_utc = clock.utc_now();
  m_round_mono = clock.mono_now();
  poll_links(m_round_utc);
  bool with_http = !m_http_ever || m_round_mono - m_last_http >= k_http_every;
  m_round_targets = round_targets(with_http);
  if (with_http) {
    m_http_ever = true;
    m_last_http = m_round_mono;
  }
  m_round_results.assign(m_round_targets.size(), std::nullopt);
  m_round_running = true;
  const auto id = ++m_round_id;
  for (std::size_t i = 0; i < m_round_targets.size(); ++i) {
    m_prober->probe(m_round_targets[i],
                    [this, alive = m_alive, id, i, target = m_round_targets[i], at = m_round_utc](ProbeSample s) {
                      if (!*alive) return;
                      if (id == m_round_id && m_round_running)
                        probe_done(id, i, std::move(s));
                      else
                        emit_minutes(m_stats->add(target, s, at));  // a late HTTP answer still counts in its minute
                    });
  }
  maybe_finish_round(id);
}

void NetworkTask::probe_done(std::uint64_t round_id, std::size_t index, ProbeSample sample) {
  if (index < m_round_results.size()) m_round_results[index] = std::move(sample);
  maybe_finish_round(round_id);
}

void NetworkTask::maybe_finish_round(std::uint64_t round_id) {
  if (round_id != m_round_id || !m_round_running) return;
  for (std::size_t i = 0; i < m_round_targets.size(); ++i)
    if (!m_round_results[i] && m_round_targets[i].kind != ProbeKind::http) return;  // HTTP never holds a round
  m_round_running = false;
  finish_round();
}

void NetworkTask::finish_round() {
  ++m_rounds;
  RoundResult round;
  round.utc = m_round_utc;
  round.mono = m_round_mono;
  round.interface = m_route_interface;
  nlohmann::json carrier = nlohmann::json::object();
  bool any_carrier = false;
  for (const auto& [name, s] : m_links.current()) {
    carrier[name] = s.carrier;
    any_carrier = any_carrier || s.carrier;
    if (m_route_interface.empty() && s.carrier) round.interface = name;
  }
  round.link_up = any_carrier;
  nlohmann::json failed = nlohmann::json::array();
  for (std::size_t i = 0; i < m_round_targets.size(); ++i) {
    const auto& t = m_round_targets[i];
    if (!m_round_results[i]) continue;  // HTTP still running: not part of this round
    const auto& s = *m_round_results[i];
    std::optional<bool>* layer = nullptr;
    switch (t.layer) {
      case Layer::gateway:
      case Layer::lan:
        layer = &round.gateway_ok;
        break;
      case Layer::internet:
        layer = &round.internet_ok;
        break;
      case Layer::dns:
        layer = &round.dns_ok;
        break;
    }
    *layer = layer->value_or(false) || s.ok;  // a layer is up when ANY of its targets answered
    if (!s.ok) failed.push_back({{"target", t.uri}, {"layer", layer_name(t.layer)}, {"error", s.error}});
    emit_minutes(m_stats->add(t, s, m_round_utc));
  }
  // A round without any gateway known cannot say the LAN is up.
  if (!round.gateway_ok && m_route_interface.empty()) round.gateway_ok = false;
  nlohmann::json link = nlohmann::json::object();
  if (auto it = m_links.current(); it.count(round.interface)) {
    const auto& s = it.at(round.interface);
    link = {{"interface", s.interface},
            {"carrier", s.carrier},
            {"speed_mbps", s.speed_mbps ? nlohmann::json(*s.speed_mbps) : nullptr},
            {"rx_errors_total", s.counters.rx_errors},
            {"rx_crc_errors_total", s.counters.rx_crc_errors},
            {"flaps_total", m_links.flaps_total(s.interface)}};
  }
  round.evidence = {
      {"at", to_rfc3339_ms(m_round_utc)}, {"failed_probes", failed}, {"carrier", carrier}, {"link", link}};
  const bool was_open = m_detector->open_outage().has_value();
  auto change = m_detector->feed(round, clock_synchronized());
  // A minute that overlaps an outage is not "degraded"; single failed rounds do not count.
  if (was_open || m_detector->open_outage()) m_stats->mark_failing();
  if (change) {
    emit(rt::outage, outage_record(*change, *m_detector, m_ctx->config.probes.interval_s));
    if (change->end_utc) {
      logger()->info("outage {} ({}) ended after {:.1f} s", change->id, cause_name(change->cause), change->duration_s);
      if (m_on_recovery) m_on_recovery();
    } else {
      ++m_outages;
      logger()->warn("outage {} started: {}", change->id, cause_name(change->cause));
    }
  }
  // Next round one interval (jittered by +-10%) after this one started.
  const auto interval = std::chrono::milliseconds(m_ctx->config.probes.interval_s * 1000);
  std::uniform_int_distribution<long> jitter(-interval.count() / 10, interval.count() / 10);
  auto next = m_round_mono + interval + std::chrono::milliseconds(jitter(m_rng));
  auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(next - m_ctx->clock.mono_now());
  schedule_round(std::max(delay, std::chrono::milliseconds(0)));
}

}  // namespace itsa::network
