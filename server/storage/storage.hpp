#pragma once
// The server's storage interface: one contract, two backends (SQLite embedded default,
// PostgreSQL for several server instances), both implemented once by SqlStorage
// (sql_storage.hpp) over a connection of either engine. Every method is thread-safe (the
// store serialises on its own lock) and returns Result<> instead of throwing.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "report/day_rollup.hpp"

namespace itsa::server {

/// One record as received (payload kept as its JSON text).
struct RecordIn {
  std::string agent_id;      ///< must equal the authenticated agent
  std::string boot_id;       ///< OS boot the record was made in
  std::int64_t seq = 0;      ///< per-agent sequence number (>= 1)
  std::string type;          ///< record type (docs/protocol.md)
  std::int64_t time_ms = 0;  ///< record time, unix milliseconds UTC
  std::string payload_json;  ///< payload object, serialised
};

/// One stored record as read back.
struct StoredRecord {
  std::string agent_id;      ///< agent that made it
  std::string boot_id;       ///< OS boot it was made in
  std::int64_t seq = 0;      ///< per-agent sequence number
  std::string type;          ///< record type
  std::int64_t time_ms = 0;  ///< record time, unix milliseconds UTC
  std::string payload_json;  ///< payload object, serialised
};

/// What ingest did with a batch.
struct IngestResult {
  std::vector<std::int64_t> acked;  ///< every seq of the batch now stored (new or before)
  int stored = 0;                   ///< records newly stored
  int duplicates = 0;               ///< records that were already stored
  int expired = 0;                  ///< records older than the retention cut: acknowledged, not stored (docs/server.md)
};

/// What retention did (or would do, dry run): records older than cut_ms are gone.
struct RetentionResult {
  std::int64_t cut_ms = 0;                      ///< first instant kept: the start of a UTC month
  std::vector<std::string> dropped_partitions;  ///< PostgreSQL: whole monthly partitions dropped
  std::int64_t records_deleted = 0;             ///< rows deleted one by one (SQLite; PostgreSQL's default partition)
  std::int64_t keys_deleted = 0;                ///< PostgreSQL: exactly-once keys of the dropped records
  std::int64_t rollup_rows_deleted = 0;         ///< day_gens, day_digests and machine_days rows of the dropped days
};

/// The start (unix ms) of the UTC month `keep_months` months before the month of now_ms: retention
/// keeps the current month and the keep_months before it.
std::int64_t retention_cut_ms(std::int64_t now_ms, int keep_months);

/// An enrolment token (the token itself is never stored, only its hash).
struct TokenRow {
  std::string id;               ///< short public id used by `token revoke`
  std::string site;             ///< site the token enrols agents into
  std::int64_t created_ms = 0;  ///< when it was created
  bool revoked = false;         ///< revoked tokens enrol nobody
  std::string agency = {};      ///< agency of its site ("" = the installation's one agency)
};

/// A site (office, department) and the agency it belongs to (issue 15: a province's server
/// collects several agencies; "" = the installation's one agency, as `./run.sh` sets it up).
struct SiteRow {
  std::string name;    ///< site name
  std::string agency;  ///< agency name, "" when none was given
};

/// An enrolled agent.
struct AgentRow {
  std::string agent_id;            ///< agent UUID
  std::string hostname;            ///< hostname given at enrolment
  std::string site;                ///< site of the enrolment token
  std::string agent_version;       ///< agent version given at enrolment
  std::string previous_agent_id;   ///< earlier id of the same machine (cloned disk); empty if none
  std::int64_t first_seen_ms = 0;  ///< first enrolment
  std::int64_t last_seen_ms = 0;   ///< last enrolment or ingest
  std::int64_t revoked_ms = 0;     ///< when `agent revoke` cut it off; 0 = active
  std::string agency = {};         ///< agency of its site ("" = the installation's one agency)
  bool revoked() const { return revoked_ms != 0; }
};

/// What enrolment writes (a new secret replaces the old one).
struct AgentEnrolment {
  std::string agent_id;           ///< agent UUID
  std::string hostname;           ///< reported hostname
  std::string site;               ///< site of the token used
  std::string agent_version;      ///< reported agent version
  std::string previous_agent_id;  ///< empty if none
  std::string secret_hash;        ///< hash of the new secret
  std::int64_t now_ms = 0;        ///< enrolment time
  std::string proof_hash;         ///< hash of the secret the caller proved (Authorization), empty if none
};

/// One row of `itsa-server stats`.
struct AgentStats {
  std::string agent_id;           ///< agent UUID
  std::string hostname;           ///< hostname
  std::string site;               ///< site
  std::int64_t records = 0;       ///< distinct records stored
  std::int64_t last_seen_ms = 0;  ///< last enrolment or ingest
};

/// A reviewer account.
struct UserRow {
  std::string name;             ///< login name
  std::string password_hash;    ///< libsodium crypto_pwhash_str (argon2id) string
  std::int64_t created_ms = 0;  ///< when it was created
  /// What the reviewer may see: "" = every agency (the province's view), else only the sites of
  /// this agency (machines, sites, reports, CSV).
  std::string agency = {};
};

/// A logged-in browser session (the cookie value is stored hashed).
struct SessionRow {
  std::string id_hash;          ///< hash of the cookie value
  std::string user_name;        ///< logged-in reviewer
  std::string csrf_token;       ///< CSRF token of this session's forms
  std::int64_t expires_ms = 0;  ///< expiry (absolute)
};

/// One machine's counters of one local day (report/day_rollup.hpp), as ingest added them.
struct MachineDayRow {
  std::string agent_id;
  std::string day;         ///< local day "YYYY-MM-DD"
  int utc_offset_min = 0;  ///< the offset its day was cut at
  report::DayCounters counters;
};

/// The generation of one machine's records of one UTC day: bumped by every ingest that brings a
/// record made that day, so a digest computed from those records knows when it is stale.
struct DayGenRow {
  std::string agent_id;
  std::int64_t utc_day = 0;  ///< days since 1970-01-01 UTC of the records' time
  std::int64_t gen = 0;
};

/// A stored day digest of one machine (report/day_digest.hpp).
struct DayDigestRow {
  std::string agent_id;
  std::int64_t day = 0;    ///< local day number (report::local_day)
  std::int64_t token = 0;  ///< the generations it was computed at (their sum)
  std::string digest;      ///< report::digest_day's text
};
using DayDigestVisitor = std::function<bool(const DayDigestRow&)>;

/// Which records to read. Empty lists mean "all".
struct RecordQuery {
  std::vector<std::string> agent_ids;  ///< only these agents
  std::string site;                    ///< only agents of this site (empty = any)
  std::vector<std::string> types;      ///< only these record types
  std::int64_t from_ms = INT64_MIN;    ///< time_ms >= from_ms
  std::int64_t to_ms = INT64_MAX;      ///< time_ms < to_ms
};

/// Called for each record in (agent_id, seq) order; return false to stop. The callback must
/// not call back into the same Storage (the backend holds its lock while iterating).
using RecordVisitor = std::function<bool(const StoredRecord&)>;

/// The storage contract both backends implement (tests/server/storage_contract.cpp).
class Storage {
 public:
  virtual ~Storage() = default;
  /// "sqlite" or "postgres".
  virtual std::string backend() const = 0;
  /// Creates missing tables and indexes (idempotent).
  virtual Result<void> migrate() = 0;
  /// How a commit reaches the disk on the live connection, as the database reports it:
  /// SQLite "synchronous=FULL" (also EXTRA/NORMAL/OFF), PostgreSQL "synchronous_commit=on" (…).
  /// An ingest is acknowledged only after its commit, so this is what an `acked` seq is worth.
  virtual Result<std::string> commit_durability() = 0;

  // --- sites and enrolment tokens ---
  /// Stores a token (by hash) for a site; creates the site if new, in `agency` when given. A
  /// site keeps its agency: a token naming another one is an error (an unnamed site takes the
  /// first agency a token names).
  virtual Result<void> create_token(const std::string& id, const std::string& site, const std::string& agency,
                                    const std::string& token_hash, std::int64_t now_ms) = 0;
  /// A token of a site of no named agency (one agency per installation).
  Result<void> create_token(const std::string& id, const std::string& site, const std::string& token_hash,
                            std::int64_t now_ms) {
    return create_token(id, site, std::string(), token_hash, now_ms);
  }
  virtual Result<std::vector<TokenRow>> list_tokens() = 0;
  /// Marks a token revoked; false when no such id.
  virtual Result<bool> revoke_token(const std::string& id) = 0;
  /// The site of a valid (not revoked) token, nullopt otherwise.
  virtual Result<std::optional<std::string>> site_for_token(const std::string& token_hash) = 0;
  /// Every site name, sorted.
  virtual Result<std::vector<std::string>> sites() = 0;
  /// Every site with its agency, sorted by name.
  virtual Result<std::vector<SiteRow>> site_rows() = 0;

  // --- agents ---
  /// Creates or updates an agent and replaces its secret hash.
  /// A new agent_id is enrolled; an existing one only with proof of its current secret
  /// (`proof_hash`), which then rotates it. false = the id exists and the proof is missing or
  /// wrong: nothing changed (issue 17: re-enrolment must not take over another PC's identity).
  virtual Result<bool> enrol_agent(const AgentEnrolment& enrolment) = 0;
  /// The agent whose secret has this hash, nullopt otherwise (and for a revoked agent).
  virtual Result<std::optional<std::string>> agent_for_secret(const std::string& secret_hash) = 0;
  /// Revokes an agent: its secret stops working and it cannot re-enrol under its id; its
  /// records stay. false when no such agent. Revoking twice keeps the first time.
  virtual Result<bool> revoke_agent(const std::string& agent_id, std::int64_t now_ms) = 0;
  virtual Result<std::optional<AgentRow>> agent(const std::string& agent_id) = 0;
  /// Every agent, by site then hostname.
  virtual Result<std::vector<AgentRow>> agents() = 0;

  // --- records ---
  /// Stores each record once (insert or ignore on agent_id, boot_id, seq) in one transaction
  /// and updates the agent's last_seen. All-or-nothing.
  virtual Result<IngestResult> ingest(const std::string& agent_id, const std::vector<RecordIn>& records,
                                      std::int64_t now_ms) = 0;
  /// The UTC offset at which ingest cuts local days for machine_days (the installation's
  /// report.json; UTC+7 until set). Set once at start, before the first ingest.
  virtual void set_day_offset(int utc_offset_min) = 0;
  /// The day counters of every machine for local days from_day..to_day ("YYYY-MM-DD", inclusive).
  virtual Result<std::vector<MachineDayRow>> machine_days(const std::string& from_day, const std::string& to_day) = 0;
  /// Recomputes every machine's day counters from the stored records at the current offset
  /// (`itsa-server rollup rebuild`); the number of machine-days written.
  virtual Result<std::int64_t> rebuild_machine_days() = 0;
  /// Every machine's record generations for UTC days from_utc_day..to_utc_day (inclusive).
  virtual Result<std::vector<DayGenRow>> day_gens(std::int64_t from_utc_day, std::int64_t to_utc_day) = 0;
  /// Visits the stored digests of `key` for local days from_day..to_day in (agent_id, day) order
  /// (stale ones included: the caller compares tokens). The visitor must not call the Storage.
  virtual Result<void> day_digests(const std::string& key, std::int64_t from_day, std::int64_t to_day,
                                   const DayDigestVisitor& visit) = 0;
  /// Stores (or replaces) day digests of `key`, all in one transaction.
  virtual Result<void> put_day_digests(const std::vector<DayDigestRow>& rows, const std::string& key) = 0;
  /// One row of put_day_digests.
  Result<void> put_day_digest(const DayDigestRow& row, const std::string& key) { return put_day_digests({row}, key); }
  /// Drops every stored day digest and recounts the generations from the records
  /// (`itsa-server rollup rebuild`); the number of (machine, UTC day) generations.
  virtual Result<std::int64_t> rebuild_day_gens() = 0;
  /// Visits the records matching the query in (agent_id, seq) order.
  virtual Result<void> records(const RecordQuery& query, const RecordVisitor& visit) = 0;
  /// The highest-seq record of a type for each agent (e.g. the latest inventory), by agent.
  virtual Result<std::vector<StoredRecord>> latest_of_type(const std::string& type) = 0;
  /// Drops every record older than retention_cut_ms(now_ms, keep_months) and the rollups of
  /// those days; later ingests acknowledge such records without storing them (`expired`).
  /// PostgreSQL drops whole monthly partitions, SQLite deletes in batches. Also creates the
  /// partitions of the current and next months. dry_run: what would go, nothing changed.
  virtual Result<RetentionResult> retention(std::int64_t now_ms, int keep_months, bool dry_run) = 0;
  /// Per-agent record counts for `itsa-server stats`.
  virtual Result<std::vector<AgentStats>> stats() = 0;

  // --- reviewers and sessions ---
  /// Creates a user; error when the name exists.
  virtual Result<void> add_user(const UserRow& user) = 0;
  virtual Result<std::optional<UserRow>> user(const std::string& name) = 0;
  virtual Result<std::vector<UserRow>> users() = 0;
  /// Removes a user and their sessions; false when no such user.
  virtual Result<bool> remove_user(const std::string& name) = 0;
  virtual Result<void> create_session(const SessionRow& session) = 0;
  /// The unexpired session with this id hash, nullopt otherwise.
  virtual Result<std::optional<SessionRow>> session(const std::string& id_hash, std::int64_t now_ms) = 0;
  virtual Result<void> delete_session(const std::string& id_hash) = 0;
};

/// Opens the store: PostgreSQL when `db_url` starts with postgres:// or postgresql://,
/// otherwise SQLite at <data_dir>/itsa-server.db. Runs migrate(). `writers`: PostgreSQL
/// connections that write side by side (the pool of `run --db-connections`); SQLite has one.
Result<std::unique_ptr<Storage>> open_storage(const std::string& data_dir, const std::string& db_url, int writers = 1);

/// Backends (used by open_storage and the contract tests).
Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& file);
Result<std::unique_ptr<Storage>> open_postgres_storage(const std::string& url, int writers = 1);

}  // namespace itsa::server
