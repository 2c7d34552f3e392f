#include "tests/server/storage_contract.hpp"

#include <doctest/doctest.h>

#include "server/auth/crypto.hpp"
#include "server/web/views.hpp"
#include "tests/server/records.hpp"

namespace itsa::test {

using namespace itsa::server;

namespace {

constexpr std::int64_t k_t0 = 1'795'000'000'000;  // 2026-11-18
const std::string k_a = "0b9d0000-0000-4000-8000-00000000000a";
const std::string k_b = "0b9d0000-0000-4000-8000-00000000000b";

void check_tokens(Storage& s) {
  REQUIRE(s.create_token("tok1", "So Tai chinh", hash_secret("secret-token-1"), k_t0));
  REQUIRE(s.create_token("tok2", "UBND Xa", hash_secret("secret-token-2"), k_t0 + 1));
  auto site = s.site_for_token(hash_secret("secret-token-1"));
  REQUIRE(site);
  REQUIRE(site.value());
  CHECK(*site.value() == "So Tai chinh");
  CHECK_FALSE(s.site_for_token(hash_secret("nope")).value());
  // A duplicate id is an error, not a silent overwrite.
  CHECK_FALSE(s.create_token("tok1", "X", hash_secret("other"), k_t0));
  auto revoked = s.revoke_token("tok2");
  REQUIRE(revoked);
  CHECK(revoked.value());
  CHECK_FALSE(s.revoke_token("missing").value());
  CHECK_FALSE(s.site_for_token(hash_secret("secret-token-2")).value());
  auto list = s.list_tokens().value();
  REQUIRE(list.size() == 2);
  CHECK(list[0].id == "tok1");
  CHECK_FALSE(list[0].revoked);
  CHECK(list[1].revoked);
  CHECK(s.sites().value() == std::vector<std::string>{"So Tai chinh", "UBND Xa"});
}

void check_agents(Storage& s) {
  REQUIRE(s.enrol_agent({k_a, "PC-KETOAN-01", "So Tai chinh", "0.1.0", "", hash_secret("sa1"), k_t0, ""}).value());
  REQUIRE(s.enrol_agent({k_b, "PC-VANTHU-02", "UBND Xa", "0.1.0", k_a, hash_secret("sb1"), k_t0, ""}).value());
  CHECK(*s.agent_for_secret(hash_secret("sa1")).value() == k_a);
  // An existing agent_id is not re-enrolled without proof of its secret: nothing changes.
  auto stolen = s.enrol_agent({k_b, "EVIL-PC", "So Tai chinh", "6.6.6", "", hash_secret("evil"), k_t0 + 3, ""});
  REQUIRE(stolen);
  CHECK_FALSE(stolen.value());
  auto wrong = s.enrol_agent(
      {k_b, "EVIL-PC", "So Tai chinh", "6.6.6", "", hash_secret("evil"), k_t0 + 3, hash_secret("not-sb1")});
  REQUIRE(wrong);
  CHECK_FALSE(wrong.value());
  CHECK_FALSE(s.agent_for_secret(hash_secret("evil")).value());
  CHECK(s.agent(k_b).value()->hostname == "PC-VANTHU-02");
  CHECK(s.agent(k_b).value()->site == "UBND Xa");
  // With proof it replaces the secret: the old one stops working; the link is kept.
  auto rotated =
      s.enrol_agent({k_b, "PC-VANTHU-02", "UBND Xa", "0.1.1", "", hash_secret("sb2"), k_t0 + 5, hash_secret("sb1")});
  REQUIRE(rotated);
  CHECK(rotated.value());
  CHECK_FALSE(s.agent_for_secret(hash_secret("sb1")).value());
  CHECK(*s.agent_for_secret(hash_secret("sb2")).value() == k_b);
  auto b = s.agent(k_b).value();
  REQUIRE(b);
  CHECK(b->previous_agent_id == k_a);
  CHECK(b->agent_version == "0.1.1");
  CHECK(b->first_seen_ms == k_t0);
  CHECK(b->last_seen_ms == k_t0 + 5);
  CHECK_FALSE(s.agent("nobody").value());
  CHECK_FALSE(b->revoked());
  // Revoked (issue 17): its secret stops working, it cannot re-enrol even with proof, records stay.
  REQUIRE(s.revoke_agent(k_b, k_t0 + 7).value());
  CHECK_FALSE(s.agent_for_secret(hash_secret("sb2")).value());
  auto back =
      s.enrol_agent({k_b, "PC-VANTHU-02", "UBND Xa", "0.1.2", "", hash_secret("sb3"), k_t0 + 8, hash_secret("sb2")});
  REQUIRE(back);
  CHECK_FALSE(back.value());
  CHECK(s.revoke_agent(k_b, k_t0 + 9).value());  // again: the first time is kept
  CHECK(s.agent(k_b).value()->revoked_ms == k_t0 + 7);
  CHECK(s.agent(k_b).value()->agent_version == "0.1.1");
  CHECK_FALSE(s.revoke_agent("nobody", k_t0).value());
  CHECK_FALSE(s.agent(k_a).value()->revoked());
  CHECK(*s.agent_for_secret(hash_secret("sa1")).value() == k_a);
  CHECK(s.agents().value().size() == 2);
}

void check_ingest(Storage& s) {
  const std::int64_t now = k_t0 + 10 * 60000;
  std::vector<RecordIn> batch{
      record(k_a, 1, "inventory", k_t0, inventory("PC-KETOAN-01")),
      record(k_a, 2, "coverage", k_t0 + 60000, coverage(k_t0, k_t0 + 60000)),
      record(k_a, 3, "outage", k_t0 + 120000, outage("o1", k_t0 + 30000, k_t0 + 90000)),
  };
  auto r1 = s.ingest(k_a, batch, now);
  REQUIRE(r1);
  CHECK(r1.value().stored == 3);
  CHECK(r1.value().duplicates == 0);
  CHECK(r1.value().acked == std::vector<std::int64_t>{1, 2, 3});
  // Idempotent: the same batch plus one new record stores only the new one, acks all.
  batch.push_back(record(k_a, 4, "coverage", k_t0 + 180000, coverage(k_t0, k_t0 + 180000)));
  auto r2 = s.ingest(k_a, batch, now + 1000);
  REQUIRE(r2);
  CHECK(r2.value().stored == 1);
  CHECK(r2.value().duplicates == 3);
  CHECK(r2.value().acked == std::vector<std::int64_t>{1, 2, 3, 4});
  // Same seq in another boot is another record.
  auto r3 = s.ingest(k_a, {record(k_a, 4, "lifecycle", k_t0 + 200000, {{"event", "start"}}, "other-boot")}, now + 2000);
  REQUIRE(r3);
  CHECK(r3.value().stored == 1);
  REQUIRE(s.ingest(k_b,
                   {record(k_b, 1, "assessment", k_t0, assessment("meets")),
                    record(k_b, 2, "assessment", k_t0 + 1, assessment("does_not_meet"))},
                   now));
  CHECK(s.agent(k_a).value()->last_seen_ms == now + 2000);

  auto stats = s.stats().value();
  REQUIRE(stats.size() == 2);
  CHECK(stats[0].agent_id == k_a);
  CHECK(stats[0].records == 5);
  CHECK(stats[0].hostname == "PC-KETOAN-01");
  CHECK(stats[0].last_seen_ms == now + 2000);
  CHECK(stats[1].records == 2);

  // The generic iterator: by agent, by site, by type, by time, in (agent, seq) order; stop early.
  std::vector<std::int64_t> seqs;
  RecordQuery q;
  q.agent_ids = {k_a};
  q.types = {"coverage", "outage"};
  REQUIRE(s.records(q, [&](const StoredRecord& r) {
    seqs.push_back(r.seq);
    return true;
  }));
  CHECK(seqs == std::vector<std::int64_t>{2, 3, 4});
  RecordQuery by_site;
  by_site.site = "UBND Xa";
  int n = 0;
  REQUIRE(s.records(by_site, [&](const StoredRecord& r) {
    CHECK(r.agent_id == k_b);
    CHECK(nlohmann::json::parse(r.payload_json)["profile"] == "default");
    ++n;
    return true;
  }));
  CHECK(n == 2);
  RecordQuery by_time;
  by_time.from_ms = k_t0 + 60000;
  by_time.to_ms = k_t0 + 180000;
  seqs.clear();
  REQUIRE(s.records(by_time, [&](const StoredRecord& r) {
    seqs.push_back(r.seq);
    return true;
  }));
  CHECK(seqs == std::vector<std::int64_t>{2, 3});
  n = 0;
  REQUIRE(s.records({}, [&](const StoredRecord&) { return ++n < 2; }));
  CHECK(n == 2);
  // The store is still usable after stopping early.
  CHECK(s.stats().value().size() == 2);

  auto latest = s.latest_of_type("assessment").value();
  REQUIRE(latest.size() == 1);
  CHECK(latest[0].seq == 2);
  CHECK(nlohmann::json::parse(latest[0].payload_json)["verdict"] == "does_not_meet");

  // Views over the same data: 3 min observed, 60 s of outage inside it.
  auto rows = machine_rows(s, now).value();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].agent.agent_id == k_a);
  CHECK(rows[0].availability_30d.observed_s == doctest::Approx(180));
  CHECK(rows[0].availability_30d.outage_s == doctest::Approx(60));
  CHECK(rows[0].facts.cpu.find("i3-4150") != std::string::npos);
  CHECK(rows[1].facts.verdict == "does_not_meet");
  auto detail = machine_detail(s, k_a, now, 7).value();
  REQUIRE(detail);
  CHECK(detail->outages.size() == 1);
  CHECK(detail->outages[0].cause == "link_down");
  CHECK(site_summaries(s, now).value().size() == 2);
}

// Issue 15: sites belong to agencies; agents, tokens and reviewers carry them.
void check_agencies(Storage& s) {
  // "So Tai chinh" was made by a token naming no agency: the first agency a token names is its own.
  REQUIRE(s.create_token("tok3", "So Tai chinh", "So Tai chinh tinh", hash_secret("secret-token-3"), k_t0 + 10));
  auto moved = s.create_token("tok4", "So Tai chinh", "UBND huyen", hash_secret("secret-token-4"), k_t0 + 11);
  REQUIRE_FALSE(moved);
  CHECK(moved.error().message.find("belongs to agency 'So Tai chinh tinh'") != std::string::npos);
  CHECK_FALSE(s.site_for_token(hash_secret("secret-token-4")).value());  // nothing of the refused token stored
  REQUIRE(s.create_token("tok5", "Phong Y te", "UBND huyen", hash_secret("secret-token-5"), k_t0 + 12));
  // A token naming no agency leaves the site's as it is.
  REQUIRE(s.create_token("tok6", "Phong Y te", hash_secret("secret-token-6"), k_t0 + 13));
  auto sites = s.site_rows().value();
  REQUIRE(sites.size() == 3);
  CHECK(sites[0].name == "Phong Y te");
  CHECK(sites[0].agency == "UBND huyen");
  CHECK(sites[1].name == "So Tai chinh");
  CHECK(sites[1].agency == "So Tai chinh tinh");
  CHECK(sites[2].name == "UBND Xa");
  CHECK(sites[2].agency == "");
  const auto tokens = s.list_tokens().value();
  for (const auto& t : tokens) {
    if (t.id == "tok1" || t.id == "tok3") CHECK(t.agency == "So Tai chinh tinh");  // the site's agency
    if (t.id == "tok2") CHECK(t.agency == "");
    if (t.id == "tok6") CHECK(t.agency == "UBND huyen");
  }
  CHECK(s.agent(k_a).value()->agency == "So Tai chinh tinh");
  CHECK(s.agent(k_b).value()->agency == "");
  const std::int64_t now = k_t0 + 3 * 3600 * 1000;
  auto rows = machine_rows(s, now, {}, std::string("So Tai chinh tinh")).value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].agent.agent_id == k_a);
  CHECK(machine_rows(s, now, {}, std::string("UBND huyen")).value().empty());
  CHECK(machine_rows(s, now).value().size() == 2);
  auto summaries = site_summaries(s, now, {}, std::string("So Tai chinh tinh")).value();
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].site == "So Tai chinh");
}

void check_users(Storage& s) {
  auto hash = hash_password("correct horse");
  REQUIRE(hash);
  REQUIRE(s.add_user({"lan", hash.value(), k_t0}));
  auto dup = s.add_user({"lan", hash.value(), k_t0});
  REQUIRE_FALSE(dup);
  CHECK(dup.error().message.find("already exists") != std::string::npos);
  auto u = s.user("lan").value();
  REQUIRE(u);
  CHECK(verify_password("correct horse", u->password_hash));
  CHECK_FALSE(verify_password("wrong", u->password_hash));
  CHECK(u->password_hash.rfind("$argon2id$", 0) == 0);
  CHECK(u->agency == "");  // every agency
  REQUIRE(s.add_user({"thu", hash.value(), k_t0, "UBND huyen"}));
  CHECK(s.user("thu").value()->agency == "UBND huyen");
  CHECK(s.users().value().back().agency == "UBND huyen");
  REQUIRE(s.create_session({hash_secret("cookie"), "lan", "csrf123", k_t0 + 3600000}));
  auto sess = s.session(hash_secret("cookie"), k_t0).value();
  REQUIRE(sess);
  CHECK(sess->user_name == "lan");
  CHECK(sess->csrf_token == "csrf123");
  CHECK_FALSE(s.session(hash_secret("cookie"), k_t0 + 3600001).value());  // expired
  REQUIRE(s.delete_session(hash_secret("cookie")));
  CHECK_FALSE(s.session(hash_secret("cookie"), k_t0).value());
  REQUIRE(s.create_session({hash_secret("cookie2"), "lan", "c", k_t0 + 3600000}));
  CHECK(s.users().value().size() == 2);
  CHECK(s.remove_user("lan").value());
  CHECK_FALSE(s.remove_user("lan").value());
  CHECK_FALSE(s.session(hash_secret("cookie2"), k_t0).value());  // sessions go with the user
}

/// Day counters at ingest (issue 15): minute series cut at local midnight (UTC+7), added once
/// per new record (a duplicate adds nothing), equal to a rebuild from the records.
void check_machine_days(Storage& s) {
  s.set_day_offset(7 * 60);
  using nlohmann::json;
  const json pressure = {{"minute", "2026-11-18T16:58:00Z"},
                         {"minutes", 3},
                         {"cpu_busy_pct", {95, 50, 99}},
                         {"mem_used_pct", {10, 92, 10}}};
  const json link = {{"minute", "2026-11-18T16:59:00Z"},
                     {"minutes", 2},
                     {"interface", "eth0"},
                     {"flaps", {1, 0}},
                     {"rx_crc_errors", {3, 0}},
                     {"rx_frame_errors", {1, 2}}};
  const std::vector<RecordIn> batch{record(k_a, 20, "pressure_minute", k_t0, pressure),
                                    record(k_a, 21, "link_minute", k_t0, link)};
  REQUIRE(s.ingest(k_a, batch, k_t0));
  REQUIRE(s.ingest(k_a, batch, k_t0 + 1000));  // the same records again: nothing added
  using itsa::report::DayCounters;
  const auto expect = [&](const std::vector<MachineDayRow>& rows) {
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].agent_id == k_a);
    CHECK(rows[0].day == "2026-11-18");  // 23:58 and 23:59 local
    CHECK(rows[0].utc_offset_min == 420);
    CHECK(rows[0].counters == DayCounters{2, 1, 1, 2, 1, 1, 4, 1});
    CHECK(rows[1].day == "2026-11-19");  // 00:00 local
    CHECK(rows[1].counters == DayCounters{1, 1, 0, 1, 1, 0, 2, 1});
  };
  auto days = s.machine_days("2026-11-01", "2026-11-30");
  REQUIRE(days);
  expect(days.value());
  CHECK(s.machine_days("2026-11-19", "2026-11-19").value().size() == 1);
  // A later record of the same day adds to it.
  REQUIRE(s.ingest(k_a,
                   {record(k_a, 22, "pressure_minute", k_t0,
                           {{"minute", "2026-11-18T17:30:00Z"}, {"cpu_busy_pct", 20}, {"mem_used_pct", 95}})},
                   k_t0 + 2000));
  auto later = s.machine_days("2026-11-19", "2026-11-19").value();
  REQUIRE(later.size() == 1);
  CHECK(later[0].counters.pressure_minutes == 2);
  CHECK(later[0].counters.mem_over_minutes == 1);
  // Rebuilt from the records: the same figures.
  auto rebuilt = s.rebuild_machine_days();
  REQUIRE(rebuilt);
  CHECK(rebuilt.value() == 2);
  auto again = s.machine_days("2026-11-01", "2026-11-30").value();
  REQUIRE(again.size() == 2);
  CHECK(again[1].counters.pressure_minutes == 2);
  CHECK(again[0].counters == DayCounters{2, 1, 1, 2, 1, 1, 4, 1});
  // Another offset: the minutes fall in one UTC day.
  s.set_day_offset(0);
  REQUIRE(s.rebuild_machine_days());
  auto utc = s.machine_days("2026-11-01", "2026-11-30").value();
  REQUIRE(utc.size() == 1);
  CHECK(utc[0].day == "2026-11-18");
  CHECK(utc[0].utc_offset_min == 0);
  CHECK(utc[0].counters.pressure_minutes == 4);
  s.set_day_offset(7 * 60);
  REQUIRE(s.rebuild_machine_days());
}

}  // namespace

void check_storage_contract(Storage& storage) {
  REQUIRE(storage.migrate());  // idempotent
  // An acknowledged seq is on disk: the live connection commits with full sync (issue 17).
  auto durability = storage.commit_durability();
  REQUIRE(durability);
  CHECK(durability.value() == (storage.backend() == "sqlite" ? "synchronous=FULL" : "synchronous_commit=on"));
  check_tokens(storage);
  check_agents(storage);
  check_ingest(storage);
  check_machine_days(storage);
  check_agencies(storage);
  check_users(storage);
}

}  // namespace itsa::test
