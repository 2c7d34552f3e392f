// A stand-in agent for process-level tests and benches of the store and uploader: opens the
// real EvidenceStore, runs the real UploaderTask, and appends records at a given rate,
// writing each committed seq to --committed (so a test that kill -9s it knows what was
// acknowledged). Exits on SIGTERM/SIGINT, after --count records, or when --drain finds
// nothing pending.
#include <atomic>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include "agent/tasks/uploader_task.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "config/agent_config.hpp"
#include "store/evidence_store.hpp"

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) {
  g_stop = true;
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback = "") {
  for (int i = 1; i + 1 < argc; ++i)
    if (name == argv[i]) return argv[i + 1];
  return fallback;
}
bool flag(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i)
    if (name == argv[i]) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace itsa;
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  log::init({arg(argc, argv, "--log-level", "info"), "", true});
  auto config = config::default_agent_config();
  config.data_dir = arg(argc, argv, "--data-dir");
  config.server.url = arg(argc, argv, "--url");
  config.server.enroll_token = arg(argc, argv, "--token", "test-token");
  config.server.upload_interval_s = std::stoi(arg(argc, argv, "--upload-interval", "1"));
  config.server.timeout_s = std::stoi(arg(argc, argv, "--timeout", "2"));
  config.server.batch_max_records = std::stoi(arg(argc, argv, "--batch", "100"));
  config.probes.interval_s = 1;
  config.store_max_bytes = std::stoll(arg(argc, argv, "--max-bytes", std::to_string(64ll << 20)));
  const double rate = std::stod(arg(argc, argv, "--rate", "100"));
  const long count = std::stol(arg(argc, argv, "--count", "-1"));
  const std::size_t payload_bytes = std::stoul(arg(argc, argv, "--payload-bytes", "0"));
  const bool drain = flag(argc, argv, "--drain");

  store::StoreOptions so;
  so.data_dir = config.data_dir;
  so.max_bytes = config.store_max_bytes;
  auto opened = store::EvidenceStore::open(so);
  if (!opened) {
    std::cerr << "load_agent: " << opened.error().message << "\n";
    return 1;
  }
  auto& st = *opened.value();
  int committed_fd = -1;
  if (auto path = arg(argc, argv, "--committed"); !path.empty())
    committed_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);

  boost::asio::io_context io;
  agent::TaskContext ctx{io, config, st, SystemClock::instance()};
  uploader::UploaderTuning tuning;
  tuning.backoff_base = std::chrono::milliseconds{std::stol(arg(argc, argv, "--backoff-base-ms", "200"))};
  tuning.backoff_cap = std::chrono::milliseconds{std::stol(arg(argc, argv, "--backoff-cap-ms", "2000"))};
  tuning.routine_hold = std::chrono::seconds{std::stol(arg(argc, argv, "--minute-hold-s", "0"))};
  uploader::UploaderTask task(tuning);
  if (!config.server.url.empty()) task.start(ctx);

  const std::string filler(payload_bytes, 'x');
  long made = 0;
  const auto period = std::chrono::duration<double>(rate > 0 ? 1.0 / rate : 0.0);
  auto next = std::chrono::steady_clock::now();
  while (!g_stop && (count < 0 || made < count)) {
    if (drain) {
      auto stats = st.stats();
      if (stats && stats.value().records_pending == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    nlohmann::json payload = {{"minute", to_rfc3339(SystemClock::instance().utc_now())}, {"n", made}};
    if (!filler.empty()) payload["filler"] = filler;
    const bool outage = made % 10 == 0;
    if (outage) payload = {{"id", "o" + std::to_string(made / 100)}, {"state", "open"}, {"n", made}};
    auto r = st.append(outage ? "outage" : "probe_minute", SystemClock::instance().utc_now(), payload);
    if (r && committed_fd >= 0) {
      const auto line = std::to_string(r.value()) + "\n";
      if (::write(committed_fd, line.data(), line.size()) < 0) return 1;
    }
    ++made;
    if (rate > 0) {
      next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
      std::this_thread::sleep_until(next);
    }
  }
  if (flag(argc, argv, "--exit-hard")) _exit(0);  // like a crash: no close, no checkpoint
  task.stop("stopped");
  return 0;
}
