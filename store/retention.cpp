// The store's limits: retention of delivered records and the size cap, evicting by tiers
// (docs/store.md), each eviction recorded as a store_event.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"
#include "store/sqlite_util.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::store {
namespace {

// The eviction tiers, first evicted first (docs/store.md).
struct Tier {
  const char* name;
  std::string where;
};

// "type = 'outage'" / "type IN ('pressure_minute', ...)" from the record type names.
std::string type_is(std::string_view type) {
  return "type = '" + std::string(type) + "'";
}
template <typename Types>
std::string type_in(const Types& types) {
  std::string sql = "type IN (";
  for (std::size_t i = 0; i < std::size(types); ++i) sql += (i ? ", '" : "'") + std::string(types[i]) + "'";
  return sql + ")";
}

const std::vector<Tier>& tiers() {
  static const std::vector<Tier> k_tiers = [] {
    const std::string done = "(delivered_ms IS NOT NULL OR quarantined = 1)";
    const std::string pending = "(delivered_ms IS NULL AND quarantined = 0)";
    const std::string minute = type_in(series::minute_types);
    const std::string kept = type_in(std::array<std::string_view, 2>{rt::outage, rt::inventory});
    return std::vector<Tier>{
        {"delivered per-minute samples", done + " AND " + minute},
        {"delivered events", done + " AND NOT " + minute + " AND NOT " + kept},
        {"delivered outages and inventories", done + " AND " + kept},
        {"undelivered per-minute samples", pending + " AND " + minute},
        {"undelivered events", pending + " AND NOT " + minute + " AND NOT " + kept},
        {"undelivered inventories", pending + " AND " + type_is(rt::inventory)},
        {"undelivered superseded outage updates",
         pending + " AND " + type_is(rt::outage) + " AND EXISTS (SELECT 1 FROM records r2 WHERE r2." +
             type_is(rt::outage) + " AND r2.payload_id = records.payload_id AND r2.rowid > records.rowid)"},
        {"undelivered outages", pending + " AND " + type_is(rt::outage)},
    };
  }();
  return k_tiers;
}

std::int64_t pragma_int(sqlite3* db, const char* pragma) {
  Statement st(db, pragma);
  return st.prepared() && st.step() == SQLITE_ROW ? st.int64(0) : 0;
}

// Bytes of pages in use (file size minus free pages).
std::int64_t used_bytes(sqlite3* db) {
  return (pragma_int(db, "PRAGMA page_count") - pragma_int(db, "PRAGMA freelist_count")) *
         pragma_int(db, "PRAGMA page_size");
}

}  // namespace

Result<std::size_t> EvidenceStore::enforce_limits_locked() {
  if (m_options.read_only) return std::size_t{0};
  m_appends_since_check = 0;
  struct Evicted {
    std::string detail;
    std::int64_t count;
  };
  std::vector<Evicted> evicted;
  const auto cutoff = to_unix_ms(m_clock.utc_now() - std::chrono::hours(24) * m_options.retention_days);
  {
    Statement del(m_db,
                  "DELETE FROM records WHERE (delivered_ms IS NOT NULL AND delivered_ms < ?1) OR "
                  "(quarantined = 1 AND time_ms < ?1)");
    del.bind(1, cutoff);
    if (del.step() != SQLITE_DONE) return Error{sql_error(m_db, "cannot apply retention to " + m_path.string())};
    if (const auto n = sqlite3_changes(m_db); n > 0)
      evicted.push_back(
          {"retention: delivered records older than " + std::to_string(m_options.retention_days) + " days", n});
  }
  std::int64_t used = used_bytes(m_db);
  if (used > m_options.max_bytes) {
    const std::int64_t target = m_options.max_bytes / 10 * 9;
    for (const auto& tier : tiers()) {
      std::int64_t count = 0;
      const std::string sql = std::string("DELETE FROM records WHERE rowid IN (SELECT rowid FROM records WHERE ") +
                              tier.where + " ORDER BY rowid LIMIT 256)";
      while (used > target) {
        if (exec(m_db, sql) != SQLITE_OK) return Error{sql_error(m_db, "cannot evict from " + m_path.string())};
        const auto n = sqlite3_changes(m_db);
        if (n == 0) break;
        count += n;
        used = used_bytes(m_db);
      }
      if (count > 0)
        evicted.push_back({"size cap " + std::to_string(m_options.max_bytes) + " bytes: " + tier.name, count});
      if (used <= target) break;
    }
  }
  std::size_t total = 0;
  for (const auto& e : evicted) total += static_cast<std::size_t>(e.count);
  if (total > 0) exec(m_db, "PRAGMA incremental_vacuum");
  for (const auto& e : evicted) {
    log::get("store")->warn("evicted {} records from the evidence store ({})", e.count, e.detail);
    auto r = append_locked(rt::store_event, m_clock.utc_now(),
                           {{"event", "evicted"}, {"detail", e.detail}, {"count", e.count}});
    if (!r) return r.error();
  }
  m_appends_since_check = 0;
  return total;
}

}  // namespace itsa::store
