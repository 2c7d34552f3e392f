#include "uploader/uploader.hpp"

#include <algorithm>

#include "collectors/identity/hardware_identity.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "itsa/version.hpp"
#include "uploader/protocol.hpp"

namespace itsa::uploader {

using nlohmann::json;

std::chrono::milliseconds UploadSchedule::after(const Step& step) {
  switch (step.result) {
    case StepResult::sent:
    case StepResult::rejected:
      m_backoff.reset();
      m_reauths_in_a_row = 0;
      return std::chrono::milliseconds{0};
    case StepResult::idle:
      m_backoff.reset();
      m_reauths_in_a_row = 0;
      return m_idle;
    case StepResult::reauth:
      if (++m_reauths_in_a_row == 1) return std::chrono::milliseconds{0};
      return m_backoff.next();
    case StepResult::retry: {
      auto wait = m_backoff.next();
      if (step.retry_after) wait = std::max<std::chrono::milliseconds>(wait, *step.retry_after);
      return wait;
    }
  }
  return m_idle;
}

Uploader::Uploader(const config::AgentConfig& config, store::EvidenceStore& store, const Clock& clock,
                   const std::atomic<bool>* abort, std::chrono::seconds minute_hold)
    : m_url(config.server.url),
      m_token(config.server.enroll_token),
      m_data_dir(config.data_dir),
      m_max_records(static_cast<std::size_t>(config.server.batch_max_records)),
      m_configured_max_records(m_max_records),
      m_max_bytes(static_cast<std::size_t>(config.server.batch_max_bytes)),
      m_store(store),
      m_clock(clock),
      m_credentials(load_credentials(config.data_dir)),
      m_minute_hold(minute_hold) {
  m_http.ca_file = config.server.ca_file;
  m_http.proxy = config.server.proxy;
  m_http.timeout_s = config.server.timeout_s;
  m_http.connect_timeout_s = std::min(10, config.server.timeout_s);
  m_http.abort = abort;
}

Step Uploader::fail(StepResult result, const std::string& message, bool network) {
  auto r = m_store.set_meta("last_error", to_rfc3339(m_clock.utc_now()) + " " + message);
  if (!r) log::get("uploader")->warn("cannot record the upload error: {}", r.error().message);
  Step s;
  s.result = result;
  s.message = message;
  s.network = network;
  return s;
}

Step Uploader::enrol() {
  auto logger = log::get("uploader");
  if (m_token.empty()) return fail(StepResult::retry, "server.enroll_token is empty: cannot enrol with " + m_url);
  const auto identity = m_store.identity();
  const auto hardware = identity::read_hardware_identity();
  json body = {
      {"schema_version", 1},
      {"token", m_token},
      {"agent_id", identity.agent_id},
      {"hostname", hardware.hostname},
      {"agent_version", k_version},
      {"identity", hardware.to_json()},
      {"previous_agent_id", identity.previous_agent_id.empty() ? json(nullptr) : json(identity.previous_agent_id)}};
  const auto url = join_url(m_url, "/api/v1/enroll");
  const auto response = http_post(url, body.dump(), {"Content-Type: application/json"}, m_http);
  const auto c = classify(response, url);
  if (c.outcome != Outcome::ok) {
    Step s = fail(StepResult::retry, "enrolment failed: " + c.message, c.network);
    s.retry_after = c.retry_after;
    return s;
  }
  const auto reply = json::parse(response.body, nullptr, false);
  if (!reply.is_object() || !reply.contains("secret") || !reply["secret"].is_string())
    return fail(StepResult::retry, "enrolment reply from " + url + " has no secret");
  Credentials cred;
  cred.agent_id = identity.agent_id;
  cred.secret = reply["secret"].get<std::string>();
  cred.server_url = m_url;
  cred.site = reply.value("site", "");
  cred.enrolled_at = to_rfc3339(m_clock.utc_now());
  if (auto saved = save_credentials(m_data_dir, cred); !saved) return fail(StepResult::retry, saved.error().message);
  m_credentials = cred;
  logger->info("enrolled agent {} with {} (site \"{}\")", cred.agent_id, m_url, cred.site);
  Step s;
  s.result = StepResult::sent;
  s.message = "enrolled";
  return s;
}

Step Uploader::step() {
  auto logger = log::get("uploader");
  const auto agent_id = m_store.agent_id();
  if (!m_credentials || m_credentials->agent_id != agent_id || m_credentials->server_url != m_url) return enrol();

  auto batch = m_store.pending_batch(m_max_records, m_max_bytes);
  if (!batch) return fail(StepResult::retry, batch.error().message);
  if (batch.value().empty()) return Step{};
  const auto& records = batch.value();
  const bool only_routine = std::all_of(records.begin(), records.end(), is_routine);
  if (only_routine && records.size() < m_max_records && m_clock.utc_now() - records.front().time < m_minute_hold)
    return Step{};  // let per-minute samples gather into a bigger batch
  const auto url = join_url(m_url, "/api/v1/ingest");
  const auto body = gzip_compress(ingest_body(agent_id, records));
  const auto response = http_post(
      url, body,
      {"Authorization: Bearer " + m_credentials->secret, "Content-Type: application/json", "Content-Encoding: gzip"},
      m_http);
  const auto c = classify(response, url);
  std::vector<std::uint64_t> seqs;
  for (const auto& r : records) seqs.push_back(r.seq);
  switch (c.outcome) {
    case Outcome::ok: {
      auto acked = acked_seqs(response.body, records);
      if (!acked) return fail(StepResult::retry, acked.error().message);
      if (acked.value().empty()) return fail(StepResult::retry, url + " acknowledged none of the batch");
      auto marked = m_store.mark_delivered(acked.value());
      if (!marked) return fail(StepResult::retry, marked.error().message);
      if (acked.value().size() < records.size())
        logger->warn("{} acknowledged {} of {} records; the rest are sent again", url, acked.value().size(),
                     records.size());
      logger->debug("delivered {} records (seq {}..{}, {} gzip bytes)", acked.value().size(), seqs.front(), seqs.back(),
                    body.size());
      m_max_records = m_configured_max_records;
      if (auto r = m_store.set_meta("last_upload", to_rfc3339(m_clock.utc_now())); !r)
        logger->warn("cannot record the upload time: {}", r.error().message);
      Step s;
      s.result = StepResult::sent;
      s.message = "delivered " + std::to_string(acked.value().size());
      return s;
    }
    case Outcome::shrink:
      if (records.size() > 1) {
        m_max_records = std::max<std::size_t>(1, records.size() / 2);
        logger->warn("{}; sending at most {} records per batch", c.message, m_max_records);
        Step s;
        s.result = StepResult::sent;
        s.message = c.message;
        return s;
      }
      [[fallthrough]];
    case Outcome::reject: {
      logger->error("server rejected a batch of {} records (seq {}..{}); it is quarantined: {}", records.size(),
                    seqs.front(), seqs.back(), c.message);
      auto q = m_store.quarantine(seqs, c.message);
      if (!q) logger->error("cannot quarantine the batch: {}", q.error().message);
      return fail(StepResult::rejected, c.message);
    }
    case Outcome::reauth:
      logger->warn("{}; enrolling again", c.message);
      remove_credentials(m_data_dir);
      m_credentials.reset();
      return fail(StepResult::reauth, c.message);
    case Outcome::retry: {
      logger->warn("upload failed, will retry: {}", c.message);
      Step s = fail(StepResult::retry, c.message, c.network);
      s.retry_after = c.retry_after;
      return s;
    }
  }
  return Step{};
}

}  // namespace itsa::uploader
