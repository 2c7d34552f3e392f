#pragma once
// The Storage of both SQL backends, written once over a SqlConnection (sql_connection.hpp).
// sqlite_storage.cpp and postgres_storage.cpp only open their connection and hand it here.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "server/storage/sql_connection.hpp"
#include "server/storage/storage.hpp"

namespace itsa::server {

class SqlStorage final : public Storage {
 public:
  /// `reader`, when given, is a second connection to the same database for the long reads
  /// (records, latest_of_type, stats): reports and UI pages then never hold up ingest.
  explicit SqlStorage(std::unique_ptr<SqlConnection> connection, std::unique_ptr<SqlConnection> reader = nullptr);
  /// A pool of writers (PostgreSQL: `itsa-server run --db-connections`): each call borrows one,
  /// so ingests of several I/O threads run side by side as several instances' do. One writer
  /// (SQLite, one-shot commands) serialises every call.
  SqlStorage(std::vector<std::unique_ptr<SqlConnection>> writers, std::unique_ptr<SqlConnection> reader);

  /// A connection lent for one call: a pool writer (given back when the lease ends) or the
  /// reader (its lock held until then).
  class Lease {
   public:
    Lease(SqlStorage* pool, SqlConnection* conn, std::unique_lock<std::mutex> lock = {});
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SqlConnection* operator->() const { return m_conn; }
    operator SqlConnection*() const { return m_conn; }  // NOLINT: used as the connection
    /// A pool writer: gives it back and borrows one again (lets waiting calls in between).
    void cycle();

   private:
    SqlStorage* m_pool;  ///< null: not a pool writer
    SqlConnection* m_conn;
    std::unique_lock<std::mutex> m_lock;
  };

  /// How many writer connections the pool holds.
  std::size_t writer_count() const;

  std::string backend() const override;
  Result<void> migrate() override;
  Result<std::string> commit_durability() override;

  using Storage::create_token;
  Result<void> create_token(const std::string& id, const std::string& site, const std::string& agency,
                            const std::string& token_hash, std::int64_t now_ms) override;
  Result<std::vector<TokenRow>> list_tokens() override;
  Result<bool> revoke_token(const std::string& id) override;
  Result<std::optional<std::string>> site_for_token(const std::string& token_hash) override;
  Result<std::vector<std::string>> sites() override;
  Result<std::vector<SiteRow>> site_rows() override;

  Result<bool> enrol_agent(const AgentEnrolment& enrolment) override;
  Result<std::optional<std::string>> agent_for_secret(const std::string& secret_hash) override;
  Result<bool> revoke_agent(const std::string& agent_id, std::int64_t now_ms) override;
  Result<std::optional<AgentRow>> agent(const std::string& agent_id) override;
  Result<std::vector<AgentRow>> agents() override;

  Result<IngestResult> ingest(const std::string& agent_id, const std::vector<RecordIn>& records,
                              std::int64_t now_ms) override;
  void set_day_offset(int utc_offset_min) override;
  Result<std::vector<MachineDayRow>> machine_days(const std::string& from_day, const std::string& to_day) override;
  Result<std::int64_t> rebuild_machine_days() override;
  Result<std::vector<DayGenRow>> day_gens(std::int64_t from_utc_day, std::int64_t to_utc_day) override;
  Result<void> day_digests(const std::string& key, std::int64_t from_day, std::int64_t to_day,
                           const DayDigestVisitor& visit) override;
  Result<void> put_day_digests(const std::vector<DayDigestRow>& rows, const std::string& key) override;
  Result<std::int64_t> rebuild_day_gens() override;
  Result<void> records(const RecordQuery& query, const RecordVisitor& visit) override;
  Result<std::vector<StoredRecord>> latest_of_type(const std::string& type) override;
  Result<std::vector<AgentStats>> stats() override;
  Result<RetentionResult> retention(std::int64_t now_ms, int keep_months, bool dry_run) override;

  Result<void> add_user(const UserRow& user) override;
  Result<std::optional<UserRow>> user(const std::string& name) override;
  Result<std::vector<UserRow>> users() override;
  Result<bool> remove_user(const std::string& name) override;
  Result<void> create_session(const SessionRow& session) override;
  Result<std::optional<SessionRow>> session(const std::string& id_hash, std::int64_t now_ms) override;
  Result<void> delete_session(const std::string& id_hash) override;

 private:
  /// Runs body between begin() and COMMIT; rolls back when it or the COMMIT fails.
  Result<void> transaction(SqlConnection* conn, const std::function<Result<void>()>& body);
  Result<std::vector<AgentRow>> select_agents(const std::string& where, const SqlValues& params);

  /// Adds day counters (local day number → counters) of one agent, inside the caller's transaction.
  Result<void> add_machine_days(SqlConnection* conn, const std::string& agent_id,
                                const std::map<long long, report::DayCounters>& days);

  /// Recounts day_gens from the records when it is empty and records exist (stores made before it).
  Result<void> fill_day_gens(SqlConnection* conn);
  /// ALTER TABLE … ADD COLUMN for each added_columns() entry a store made before lacks.
  Result<void> add_missing_columns(SqlConnection* conn);

  // PostgreSQL's monthly partitions of records (docs/server.md, "Partitions").
  /// Converts a records table made before partitioning, in one transaction.
  Result<void> partition_old_records(SqlConnection* conn);
  /// Makes sure the partition of UTC month `month` (year * 12 + month - 1) exists, moving its
  /// rows out of the default partition; own transaction, serialised between instances.
  Result<void> ensure_partition(SqlConnection* conn, int month);
  /// The months of these record times that should have a partition and are not known to.
  std::set<int> missing_partitions(const std::vector<std::int64_t>& times_ms, std::int64_t now_ms) const;
  std::set<int> m_partitions;  ///< months known to have a partition (under m_partitions_mutex)
  mutable std::mutex m_partitions_mutex;
  std::vector<std::unique_ptr<SqlConnection>> m_writers;  ///< the pool (at least one)
  std::vector<SqlConnection*> m_idle;                     ///< writers not lent (under m_pool_mutex)
  std::mutex m_pool_mutex;
  std::condition_variable m_pool_free;
  std::atomic<int> m_day_offset_min{7 * 60};
  std::unique_ptr<SqlConnection> m_reader;  ///< may be null: reads borrow a writer then
  std::mutex m_read_mutex;
  /// Borrows a writer, waiting until one is free.
  Lease writer();
  SqlConnection* take();
  void give_back(SqlConnection* conn);
  /// The connection for long reads (the reader, else a writer).
  Lease read_connection();
};

/// Wraps an open connection and runs migrate() (for the backends' open_*_storage).
Result<std::unique_ptr<Storage>> open_sql_storage(std::unique_ptr<SqlConnection> connection,
                                                  std::unique_ptr<SqlConnection> reader = nullptr);
Result<std::unique_ptr<Storage>> open_sql_storage(std::vector<std::unique_ptr<SqlConnection>> writers,
                                                  std::unique_ptr<SqlConnection> reader);

}  // namespace itsa::server
