#pragma once
// Strict validation of an ingest body (docs/protocol.md): the first problem, named by its
// JSON path, or the records ready to store.
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

/// A parsed batch, or why it was refused (status 400 or 403).
struct IngestParse {
  int status = 200;               ///< 200, 400 (malformed), 403 (another agent's records), 413 (over a limit)
  std::string error;              ///< e.g. "records[3].seq: must be a positive integer"
  std::vector<RecordIn> records;  ///< when status == 200
};

constexpr std::size_t k_max_records_per_batch = 20000;
/// Limits enforced while parsing, before any document is built past them (issue 17): nesting
/// depth (a batch is 4 levels to a payload; an inventory a few more), JSON values in one body,
/// and the serialised size of one record's payload (413 naming the record).
constexpr int k_max_json_depth = 64;
constexpr std::size_t k_max_json_values = 1'000'000;
constexpr std::size_t k_max_payload_bytes = 256 * 1024;

/// Parses and validates a JSON body sent by `agent_id`.
/// `now`: the server's clock; a record time outside [2000-01-01, now + 1 day] is refused (a PC
/// whose clock was reset to 2000 or set years ahead would otherwise corrupt every period's report).
IngestParse parse_ingest(std::string_view body, const std::string& agent_id, UtcTime now);
/// True for a record type of docs/protocol.md.
bool known_record_type(std::string_view type);

}  // namespace itsa::server
