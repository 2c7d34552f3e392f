#pragma once
// The store-and-forward engine: one step = enrol when needed, or send one batch of pending
// records and act on the classified answer (mark acked delivered / quarantine / re-enrol).
// UploadSchedule (pure) turns each step's result into the wait before the next one.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "config/agent_config.hpp"
#include "store/evidence_store.hpp"
#include "uploader/backoff.hpp"
#include "uploader/credentials.hpp"
#include "uploader/http_client.hpp"

namespace itsa::uploader {

/// What one step did.
enum class StepResult {
  idle,      ///< nothing pending
  sent,      ///< a batch was stored (or enrolment succeeded); more may be pending
  rejected,  ///< the server refused a batch; it is quarantined
  retry,     ///< failed for now (network, 5xx, 429, enrolment refused)
  reauth,    ///< the secret was refused; credentials dropped, enrol next
};

struct Step {
  StepResult result = StepResult::idle;
  bool network = false;                             ///< the server was not reached
  std::optional<std::chrono::seconds> retry_after;  ///< the server asked to wait
  std::string message;
};

/// Waits between steps: drain at once while batches go through, upload_interval when idle,
/// exponential backoff with full jitter on failure (honouring Retry-After).
class UploadSchedule {
 public:
  UploadSchedule(std::chrono::milliseconds idle_interval, Backoff backoff)
      : m_idle(idle_interval), m_backoff(std::move(backoff)) {}
  /// The wait after a step with this outcome.
  std::chrono::milliseconds after(const Step& step);
  /// Current count of failures in a row.
  unsigned failures() const { return m_backoff.failures(); }

 private:
  std::chrono::milliseconds m_idle;
  Backoff m_backoff;
  unsigned m_reauths_in_a_row = 0;
};

class Uploader {
 public:
  /// Needs a checked server.url (check_server_url).
  /// `minute_hold` (server.routine_hold_s): routine records alone (minute series, coverage
  /// updates of a running span) wait until a full batch or until the oldest is this old
  /// (bigger batches compress better); any other record is sent at once with all pending.
  Uploader(const config::AgentConfig& config, store::EvidenceStore& store, const Clock& clock,
           const std::atomic<bool>* abort, std::chrono::seconds minute_hold = std::chrono::minutes{15});
  /// One enrolment or one batch.
  Step step();
  /// The HTTP settings (for connectivity checks).
  const HttpSettings& http() const { return m_http; }
  const std::string& server_url() const { return m_url; }

 private:
  Step enrol();
  Step fail(StepResult result, const std::string& message, bool network = false);

  std::string m_url;
  std::string m_token;
  std::filesystem::path m_data_dir;
  std::size_t m_max_records;
  std::size_t m_configured_max_records;
  std::size_t m_max_bytes;
  store::EvidenceStore& m_store;
  const Clock& m_clock;
  HttpSettings m_http;
  std::optional<Credentials> m_credentials;
  std::chrono::seconds m_minute_hold;
};

}  // namespace itsa::uploader
