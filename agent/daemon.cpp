#include "agent/daemon.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <optional>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/data_dir_lock.hpp"
#include "agent/exit_codes.hpp"
#include "agent/identity_check.hpp"
#include "agent/instability_check.hpp"
#include "agent/memory_trim.hpp"
#include "agent/service_notify.hpp"
#include "agent/tasks/task.hpp"
#include "agent/watchdog.hpp"
#include "common/clock_sync.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "config/agent_config.hpp"
#include "itsa/version.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"
#include "store/series_sink.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

using nlohmann::json;
namespace asio = boost::asio;

namespace {
/// The store draft holding the open coverage span (docs/store.md): not a minute series, so
/// SeriesSink leaves it to the daemon.
constexpr const char* k_coverage_draft = "coverage|open";

std::optional<UtcTime> time_of(const json& payload, const char* key) {
  const auto it = payload.find(key);
  if (it == payload.end() || !it->is_string()) return std::nullopt;
  return parse_rfc3339(it->get<std::string>());
}
}  // namespace

struct Daemon::State {
  DaemonOptions options;
  const Clock& clock;
  const SleepClock& sleep_clock;
  std::shared_ptr<spdlog::logger> logger = log::get("daemon");
  asio::io_context io;
  asio::signal_set signals{io};
  asio::steady_timer coverage_timer{io};
  asio::steady_timer draft_timer{io};
  asio::steady_timer clock_timer{io};
  asio::steady_timer watchdog_timer{io};
  asio::steady_timer trim_timer{io};
  std::unique_ptr<config::AgentConfig> config;
  std::unique_ptr<DataDirLock> data_dir_lock;  ///< held from before the store opens until run() returns
  std::unique_ptr<store::EvidenceStore> store;
  std::unique_ptr<store::SeriesSink> series;  ///< what tasks write through (minute samples become series)
  std::unique_ptr<TaskContext> context;
  std::vector<std::unique_ptr<DaemonTask>> tasks;
  UtcTime span_start;
  bool span_synced = true;
  UtcTime last_utc;
  MonoTime last_mono;
  bool stopping = false;
  std::atomic<bool> is_running{false};
  std::chrono::milliseconds last_slept{0};  ///< SleepClock reading at the last check
  bool suspended = false;                   ///< between a suspend and its resume: no open span

  State(DaemonOptions o, const Clock& c)
      : options(std::move(o)),
        clock(c),
        sleep_clock(options.sleep_clock ? *options.sleep_clock : system_sleep_clock()) {}

  void record(const std::string& type, json payload, std::optional<UtcTime> time = {}) {
    auto r = store->append(type, time ? *time : clock.utc_now(), std::move(payload));
    if (!r) logger->error("cannot record {}: {}", type, r.error().message);
  }

  void lifecycle(const std::string& event, const std::string& detail, std::optional<UtcTime> time = {}) {
    record(rt::lifecycle, {{"event", event}, {"agent_version", k_version}, {"detail", detail}}, time);
  }

  // A start or an applied reload also says which probe settings are in effect, so the report's
  // method section can state them for PCs that had no outage (docs/protocol.md).
  void lifecycle_with_settings(const std::string& event, const std::string& detail) {
    record(rt::lifecycle,
           {{"event", event},
            {"agent_version", k_version},
            {"detail", detail},
            {"probes",
             {{"interval_s", config->probes.interval_s},
              {"down_after", config->probes.down_after},
              {"up_after", config->probes.up_after}}}},
           std::nullopt);
  }

  // The system suspends at `at`: the open span ends "suspended"; none is open until the resume.
  void suspend(UtcTime at, const std::string& detail) {
    if (suspended || stopping) return;
    suspended = true;
    logger->info("system suspend: {}", detail);
    emit_coverage(at, "suspended");
    lifecycle("suspend", detail, at);
  }

  // The system resumed at `at`: a new span opens; the clock checks start again from here.
  void resume(UtcTime at, const std::string& detail) {
    if (!suspended || stopping) return;
    suspended = false;
    logger->info("system resumed: {}", detail);
    lifecycle("resume", detail, at);
    open_span(at);
    last_slept = sleep_clock.slept_total();
    last_utc = clock.utc_now();
    last_mono = clock.mono_now();
  }

  // The self-watchdog's request (posted to the loop): every task stopped and started again.
  void restart_work(const std::string& reason) {
    if (stopping) return;
    logger->warn("self-watchdog: restarting the agent's work: {}", reason);
    stop_tasks("watchdog_restart");
    start_tasks();
    lifecycle("watchdog_restart", reason);
    if (auto trimmed = trim_memory(); !trimmed) logger->warn("memory trim failed: {}", trimmed.error().message);
  }

  json span_payload(UtcTime end, const std::string& end_reason) const {
    return {{"start", to_rfc3339_ms(span_start)},
            {"end", to_rfc3339_ms(end)},
            {"end_reason", end_reason},
            {"clock_synced", span_synced}};
  }

  // A "running" span is a record; a closing one (stopped, suspended, clock_jump) is a record that
  // also removes the span's draft in the same transaction.
  void emit_coverage(UtcTime end, const std::string& end_reason) {
    span_synced = span_synced && clock_synchronized();
    if (end_reason == "running") {
      record(rt::coverage, span_payload(end, end_reason));
      return;
    }
    auto r = store->append_draft(k_coverage_draft, rt::coverage, clock.utc_now(), span_payload(end, end_reason));
    if (!r) logger->error("cannot record {}: {}", rt::coverage, r.error().message);
  }

  // The open span's end, kept cheaply between its records (docs/store.md "coverage draft").
  void update_coverage_draft() {
    const auto now = clock.utc_now();
    span_synced = span_synced && clock_synchronized();
    auto r = store->put_draft(k_coverage_draft, rt::coverage, now, span_payload(now, "running"));
    if (!r) logger->warn("cannot keep the coverage draft: {}", r.error().message);
  }

  void open_span(UtcTime start) {
    span_start = start;
    span_synced = clock_synchronized();
    emit_coverage(start, "running");
  }

  // The end of the first coverage span closed "stopped" or "crashed" at or after `t`: when the run
  // observing at `t` ended.
  std::optional<UtcTime> run_end_after(UtcTime t) const {
    auto spans = store->query(rt::coverage, t, 100'000);
    if (!spans) return std::nullopt;
    std::optional<UtcTime> first;
    for (const auto& r : spans.value()) {
      const auto reason = r.payload.value("end_reason", "");
      if (reason != "stopped" && reason != "crashed") continue;
      const auto end = time_of(r.payload, "end");
      if (end && *end >= t && (!first || *end < *first)) first = end;
    }
    return first;
  }

  // What the previous process (crash, kill -9, power cut) left open is closed at the last moment it
  // observed: the later of its last coverage record's end, its coverage draft's end, and the
  // times of its still-open outage records (made while it observed).
  void close_previous_run(PreviousRun& previous) {
    std::optional<json> span;                                     // the previous run's span still "running", if any
    if (auto l = store->latest(rt::lifecycle); l && l.value()) {  // before this run's "start"
      previous.known = true;
      previous.boot_id = l.value()->boot_id;
    }
    std::optional<UtcTime> last_seen;
    auto seen = [&](std::optional<UtcTime> t) {
      if (t && (!last_seen || *t > *last_seen)) last_seen = t;
    };
    auto last = store->latest(rt::coverage);
    if (!last) logger->error("{}", last.error().message);
    if (last && last.value()) {
      const auto& p = last.value()->payload;
      seen(time_of(p, "end"));
      if (p.value("end_reason", "") == "running") span = p;
    }
    bool has_draft = false;
    std::optional<UtcTime> outage_observed;  // the last round that saw an open outage (network task)
    bool has_outage_draft = false;
    if (auto drafts = store->drafts(); drafts) {
      for (const auto& d : drafts.value()) {
        if (d.key == k_outage_observed_draft) {
          has_outage_draft = true;
          outage_observed = time_of(d.payload, "observed_until");
        }
        if (d.key != k_coverage_draft) continue;
        has_draft = true;
        const auto draft_start = time_of(d.payload, "start");
        const auto draft_end = time_of(d.payload, "end");
        if (!draft_start || !draft_end) break;
        const auto record_start = span
                                      ? time_of(*span, "start")
                                      : (last && last.value() ? time_of(last.value()->payload, "start") : std::nullopt);
        if (span && record_start == draft_start) {
          seen(draft_end);
        } else if (!record_start || *draft_start > *record_start) {
          span = d.payload;  // a span whose records were lost: the draft is all that is left of it
          seen(draft_end);
        }
        // Otherwise the draft belongs to a span already closed: dropped below.
      }
    } else {
      logger->error("{}", drafts.error().message);
    }

    auto outages = store->latest_by_payload_id(rt::outage);
    if (!outages) logger->error("{}", outages.error().message);
    std::vector<const store::StoredRecord*> open;
    if (outages) {
      for (const auto& r : outages.value()) {
        if (r.payload.value("state", "") != "open") continue;
        open.push_back(&r);
        if (span) seen(r.time);  // made while that run observed
      }
    }

    if (span && !open.empty()) seen(outage_observed);

    if (span) {
      if (last_seen) (*span)["end"] = to_rfc3339_ms(*last_seen);
      (*span)["end_reason"] = "crashed";
      previous.crashed = true;
      previous.last_seen = last_seen;
      auto r = has_draft ? store->append_draft(k_coverage_draft, rt::coverage, clock.utc_now(), *span)
                         : store->append(rt::coverage, clock.utc_now(), *span);
      if (!r) logger->error("cannot record {}: {}", rt::coverage, r.error().message);
      logger->warn("the previous run ended without a clean stop (crash or power cut) after {}", span->value("end", ""));
    } else if (has_draft) {
      if (auto r = store->remove_draft(k_coverage_draft); !r) logger->warn("{}", r.error().message);
    }

    for (const auto* r : open) {
      json p = r->payload;
      const auto start = time_of(p, "start");
      UtcTime end = start && last_seen ? std::max(*start, *last_seen) : (start ? *start : r->time);
      // An outage left open by an older run (before this one's predecessor) ends with its own run.
      if (start) end = std::max(*start, std::min(end, run_end_after(*start).value_or(end)));
      const double duration_s = start ? std::chrono::duration<double>(end - *start).count() : 0.0;
      p["state"] = "closed";
      p["end"] = to_rfc3339_ms(end);
      p["end_reason"] = "agent_stopped";
      p["duration_s"] = std::round(duration_s * 1000.0) / 1000.0;
      record(rt::outage, p);
      logger->warn("outage {} ({}) was still open when the previous run ended: closed at {} (agent_stopped)",
                   p.value("id", ""), p.value("cause", ""), p["end"].get<std::string>());
    }
    if (has_outage_draft)  // after the outages it ended are recorded
      if (auto r = store->remove_draft(k_outage_observed_draft); !r) logger->warn("{}", r.error().message);
  }

  void start_tasks() {
    if (!series || series->window_minutes() != config->store_series_minutes) {
      series.reset();  // closes the open series of the old window length
      series = std::make_unique<store::SeriesSink>(*store, config->store_series_minutes);
    }
    context = std::make_unique<TaskContext>(TaskContext{io, *config, *series, clock, store.get()});
    tasks = make_tasks(*config);
    for (auto& task : tasks) {
      try {
        task->start(*context);
        logger->info("started task {}", task->name());
      } catch (const std::exception& e) {
        logger->error("task {} failed to start: {}", task->name(), e.what());
      }
    }
  }

  void stop_tasks(std::string_view reason) {
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
      try {
        (*it)->stop(reason);
      } catch (const std::exception& e) {
        logger->error("task {} failed to stop: {}", (*it)->name(), e.what());
      }
    }
    tasks.clear();
  }

  void schedule_coverage() {
    coverage_timer.expires_after(options.coverage_interval);
    coverage_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      if (!suspended) emit_coverage(clock.utc_now(), "running");
      schedule_coverage();
    });
  }

  void schedule_coverage_draft() {
    if (options.coverage_draft_interval.count() <= 0) return;
    draft_timer.expires_after(options.coverage_draft_interval);
    draft_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      if (!suspended) update_coverage_draft();
      schedule_coverage_draft();
    });
  }

  void schedule_clock_check() {
    clock_timer.expires_after(options.clock_check_interval);
    clock_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      const auto utc = clock.utc_now();
      const auto mono = clock.mono_now();
      // Time the system slept since the last check: the monotonic clock stood still meanwhile.
      const auto slept_total = sleep_clock.slept_total();
      const auto slept = slept_total - last_slept;
      last_slept = slept_total;
      const auto expected = last_utc + std::chrono::duration_cast<UtcTime::duration>(mono - last_mono) +
                            (slept > std::chrono::milliseconds{0} ? std::chrono::duration_cast<UtcTime::duration>(slept)
                                                                  : UtcTime::duration{0});
      const auto drift = utc - expected;
      if (slept >= options.suspend_threshold) {
        // Seen only now, after the resume: the span ends when the sleep began (to within one check).
        const auto slept_s = std::chrono::duration_cast<std::chrono::seconds>(slept).count();
        const auto began = std::max(last_utc, utc - std::chrono::duration_cast<UtcTime::duration>(slept));
        suspend(began, "the system slept " + std::to_string(slept_s) + " s (seen at resume)");
        resume(utc, "after " + std::to_string(slept_s) + " s asleep");
      } else if (suspended) {
        // Told of a suspend (Windows power event) that has not happened yet, or a resume still to come.
      } else if (drift > options.clock_jump_threshold || drift < -options.clock_jump_threshold) {
        const auto drift_s = std::chrono::duration_cast<std::chrono::seconds>(drift).count();
        logger->warn("wall clock moved by {} s; the coverage span is closed and a new one opened", drift_s);
        emit_coverage(expected, "clock_jump");
        lifecycle("clock_jump", "wall clock moved by " + std::to_string(drift_s) + " s");
        open_span(utc);
      }
      last_utc = utc;
      last_mono = mono;
      schedule_clock_check();
    });
  }

  void schedule_watchdog() {
    const auto interval = watchdog_interval();
    if (interval.count() <= 0) return;
    watchdog_timer.expires_after(interval / 2);
    watchdog_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      notify_watchdog();
      schedule_watchdog();
    });
  }

  // Gives back start-up memory, then keeps the resident set near the steady working set.
  void schedule_memory_trim(std::chrono::seconds after) {
    if (after.count() <= 0) return;
    trim_timer.expires_after(after);
    trim_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      auto trimmed = trim_memory();
      if (trimmed) {
        logger->debug("memory trimmed: resident {} KiB -> {} KiB ({} file mappings)",
                      trimmed.value().rss_before_bytes >> 10, trimmed.value().rss_after_bytes >> 10,
                      trimmed.value().mappings_trimmed);
      } else {
        logger->warn("memory trim failed: {}", trimmed.error().message);
      }
      schedule_memory_trim(options.memory_trim_interval);
    });
  }

  void reload() {
    notify_reloading();
    auto loaded = config::load_agent_config(options.config_file);
    if (!loaded) {
      logger->error("config reload failed; keeping the running config:\n{}", loaded.error().message);
      lifecycle("config_reload", "rejected, old config kept: " + loaded.error().message);
      notify_ready();
      return;
    }
    auto next = std::make_unique<config::AgentConfig>(std::move(loaded.value()));
    if (!options.data_dir_override.empty()) next->data_dir = options.data_dir_override;
    if (next->data_dir != config->data_dir)
      logger->warn("data_dir changed to {}; it takes effect at the next start", next->data_dir.string());
    next->data_dir = config->data_dir;
    log::init({next->log_level, next->log_file, true});
    stop_tasks("config_reload");
    config = std::move(next);
    start_tasks();
    lifecycle_with_settings("config_reload", "applied " + options.config_file.string());
    logger->info("config reloaded from {}", options.config_file.string());
    notify_ready();
  }

  void wait_signal() {
    signals.async_wait([this](boost::system::error_code ec, int signo) {
      if (ec) return;
#ifdef SIGHUP
      if (signo == SIGHUP) {
        reload();
        wait_signal();
        return;
      }
#endif
      logger->info("stopping (signal {})", signo);
      shutdown("stopped");
    });
  }

  void shutdown(const std::string& reason) {
    if (stopping) return;
    stopping = true;
    notify_stopping();
    is_running = false;
    set_work_restart_handler(nullptr);
    stop_tasks(reason);
    if (series) series->close_all();
    coverage_timer.cancel();
    draft_timer.cancel();
    clock_timer.cancel();
    watchdog_timer.cancel();
    trim_timer.cancel();
    signals.cancel();
    if (!suspended) emit_coverage(clock.utc_now(), "stopped");
    lifecycle("stop", reason);
    io.stop();
  }
};

Daemon::Daemon(DaemonOptions options, const Clock& clock)
    : m_state(std::make_unique<State>(std::move(options), clock)) {}

Daemon::~Daemon() = default;

void Daemon::request_stop(std::string reason) {
  auto* s = m_state.get();
  asio::post(s->io, [s, reason = std::move(reason)] {
    s->logger->info("stopping ({})", reason);
    s->shutdown(reason);
  });
}

void Daemon::notify_power(bool suspending) {
  auto* s = m_state.get();
  asio::post(s->io, [s, suspending] {
    const auto now = s->clock.utc_now();
    if (suspending) {
      s->suspend(now, "power event: the system is suspending");
    } else {
      s->resume(now, "power event: the system resumed");
    }
  });
}

bool Daemon::running() const {
  return m_state->is_running;
}

int Daemon::run() {
  auto& s = *m_state;
  tune_allocator();
  auto loaded = config::load_agent_config(s.options.config_file);
  if (!loaded) {
    s.logger->error("{}", loaded.error().message);
    return k_exit_invalid_config;
  }
  s.config = std::make_unique<config::AgentConfig>(std::move(loaded.value()));
  if (!s.options.data_dir_override.empty()) s.config->data_dir = s.options.data_dir_override;
  try {
    log::init({s.config->log_level, s.config->log_file, true});
  } catch (const std::exception& e) {
    s.logger->error("{}", e.what());
    return k_exit_invalid_config;
  }

  // One agent per data folder: a second `run` would lose records on UNIQUE(agent_id, seq).
  auto locked = lock_data_dir(s.config->data_dir);
  if (locked.status != DataDirLockAttempt::Status::acquired) {
    s.logger->error("{}", locked.message);
    return locked.status == DataDirLockAttempt::Status::held_elsewhere ? k_exit_already_running : k_exit_failure;
  }
  s.data_dir_lock = std::move(locked.lock);

  store::StoreOptions so;
  so.data_dir = s.config->data_dir;
  so.max_bytes = s.config->store_max_bytes;
  so.retention_days = s.config->store_retention_days;
  so.clock = &s.clock;
  auto opened = store::EvidenceStore::open(so);
  if (!opened) {
    s.logger->error("cannot open the evidence store: {}", opened.error().message);
    return k_exit_failure;
  }
  s.store = std::move(opened.value());
  check_hardware_identity(*s.store);

  // Signals first, so a stop during start-up is not lost.
  s.signals.add(SIGINT);
  s.signals.add(SIGTERM);
#ifdef SIGHUP
  s.signals.add(SIGHUP);
#endif
  s.wait_signal();

  PreviousRun previous;
  s.close_previous_run(previous);
  record_instability(*s.store, previous, s.clock.utc_now());
  s.lifecycle_with_settings("start",
                            "config " + s.options.config_file.string() + ", data_dir " + s.config->data_dir.string());
  s.last_utc = s.clock.utc_now();
  s.last_mono = s.clock.mono_now();
  s.last_slept = s.sleep_clock.slept_total();
  s.open_span(s.last_utc);
  s.logger->info("itsa-agent {} running: agent_id {}, boot_id {}, store {}", k_version, s.store->agent_id(),
                 s.store->boot_id(), s.store->path().string());
  s.start_tasks();
  s.schedule_coverage();
  s.schedule_coverage_draft();
  s.schedule_clock_check();
  s.schedule_watchdog();
  s.schedule_memory_trim(s.options.memory_trim_delay);
  set_work_restart_handler([state = &s](const std::string& reason) {
    asio::post(state->io, [state, reason] { state->restart_work(reason); });
  });
  s.is_running = true;
  notify_ready();
  notify_status("running");

  for (;;) {
    try {
      s.io.run();
      break;
    } catch (const std::exception& e) {
      // A task's handler threw: log it and keep the daemon alive.
      s.logger->error("unexpected error in the daemon loop: {}", e.what());
    }
  }
  if (!s.stopping) s.shutdown("stopped");
  s.logger->info("stopped");
  // The lock goes last: the next agent on this data_dir finds the store closed.
  s.context.reset();
  s.series.reset();
  s.store.reset();
  s.data_dir_lock.reset();
  return k_exit_ok;
}

}  // namespace itsa::agent
