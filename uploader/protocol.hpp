#pragma once
// The agent's side of docs/protocol.md as pure functions: server URL policy, request
// bodies, reply parsing and the ok / retry / reject classification of an answer.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "store/evidence_store.hpp"
#include "uploader/http_client.hpp"

namespace itsa::uploader {

/// https:// anywhere; http:// only to a loopback host (127.0.0.0/8, ::1, localhost).
/// The error names the URL and says what to do.
Result<void> check_server_url(const std::string& url);
/// base + path without a doubled slash.
std::string join_url(const std::string& base, const std::string& path);

/// {"schema_version":1,"agent_id","records":[...]} for POST /api/v1/ingest.
std::string ingest_body(const std::string& agent_id, const std::vector<store::StoredRecord>& batch);

/// A routine record (a minute series, or a coverage update of a span still running) may wait
/// up to server.routine_hold_s to travel in a bigger batch; any other record is an event.
bool is_routine(const store::StoredRecord& record);
/// The seqs of `batch` that a 200 reply acknowledges (seqs not in the batch are ignored).
Result<std::vector<std::uint64_t>> acked_seqs(const std::string& reply_body,
                                              const std::vector<store::StoredRecord>& batch);
/// The server's "error" text of a reply, or the first 200 bytes of the body.
std::string server_message(const std::string& reply_body);

/// What to do after one request.
enum class Outcome {
  ok,      ///< stored: mark acked records delivered, reset backoff
  retry,   ///< network, 5xx, 408, 429, unreadable reply: back off and send again
  reject,  ///< 400/403/other 4xx: the batch is malformed; quarantine it, never resend
  reauth,  ///< 401: the secret is no longer valid; enrol again
  shrink,  ///< 413: the batch is too large; send fewer records
};

struct Classification {
  Outcome outcome = Outcome::retry;
  std::string message;                              ///< one line for the log and status
  bool network = false;                             ///< the server was not reached at all
  std::optional<std::chrono::seconds> retry_after;  ///< from a 429/503 Retry-After
};

/// Classifies an answer (or its absence) to a POST to `url`.
Classification classify(const HttpResponse& response, const std::string& url);

/// gzip (RFC 1952) of `data`.
std::string gzip_compress(const std::string& data);

}  // namespace itsa::uploader
