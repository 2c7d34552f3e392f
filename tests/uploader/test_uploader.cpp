// The uploader's pure rules: backoff with full jitter, the schedule between steps, the
// ok/retry/reject classification, URL policy, acknowledgement parsing, gzip.
#include <doctest/doctest.h>

#include <set>

#include <zlib.h>

#include "common/clock.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"
#include "uploader/backoff.hpp"
#include "uploader/protocol.hpp"
#include "uploader/uploader.hpp"

using namespace itsa;
using namespace itsa::uploader;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("backoff: full jitter within [1 s, min(cap, 5 s * 2^n)], reset on success") {
  Backoff b(5s, 15min, 42);
  for (unsigned n = 0; n < 12; ++n) {
    const auto ceiling = b.ceiling();
    CHECK(ceiling == std::min<std::chrono::milliseconds>(15min, 5s * (1 << n)));
    const auto d = b.next();
    CHECK(d >= 1s);
    CHECK(d <= std::max<std::chrono::milliseconds>(ceiling, 1s));
  }
  CHECK(b.ceiling() == 15min);
  b.reset();
  CHECK(b.ceiling() == 5s);
  // Jitter really spreads: 200 draws at the cap are not all equal.
  Backoff spread(5s, 15min, 7);
  for (int i = 0; i < 10; ++i) spread.next();
  std::set<long long> seen;
  for (int i = 0; i < 50; ++i) seen.insert(spread.next().count());
  CHECK(seen.size() > 40);
}

TEST_CASE("schedule: drain at once, idle interval, backoff honouring Retry-After, re-enrol once then back off") {
  UploadSchedule s(60s, Backoff(5s, 15min, 1));
  CHECK(s.after(Step{StepResult::sent, false, {}, ""}) == 0ms);
  CHECK(s.after(Step{StepResult::idle, false, {}, ""}) == 60s);
  const auto first = s.after(Step{StepResult::retry, true, {}, ""});
  CHECK(first <= 5s);
  CHECK(s.failures() == 1);
  CHECK(s.after(Step{StepResult::retry, false, std::chrono::seconds{120}, ""}) >= 120s);
  CHECK(s.after(Step{StepResult::rejected, false, {}, ""}) == 0ms);
  CHECK(s.failures() == 0);
  CHECK(s.after(Step{StepResult::reauth, false, {}, ""}) == 0ms);
  CHECK(s.after(Step{StepResult::reauth, false, {}, ""}) >= 1s);
}

TEST_CASE("classification of answers") {
  const std::string url = "https://s/api/v1/ingest";
  HttpResponse r;
  r.transport_error = "Connection refused";
  auto c = classify(r, url);
  CHECK(c.outcome == Outcome::retry);
  CHECK(c.network);
  CHECK(c.message.find("Connection refused") != std::string::npos);
  r.transport_ok = true;
  r.status = 200;
  CHECK(classify(r, url).outcome == Outcome::ok);
  r.status = 503;
  CHECK(classify(r, url).outcome == Outcome::retry);
  CHECK_FALSE(classify(r, url).network);
  r.status = 429;
  r.retry_after_s = 30;
  CHECK(classify(r, url).outcome == Outcome::retry);
  CHECK(classify(r, url).retry_after == 30s);
  r.status = 401;
  CHECK(classify(r, url).outcome == Outcome::reauth);
  r.status = 413;
  CHECK(classify(r, url).outcome == Outcome::shrink);
  r.status = 400;
  r.body = R"({"error": "records[3].type: unknown record type \"foo\""})";
  c = classify(r, url);
  CHECK(c.outcome == Outcome::reject);
  CHECK(c.message.find("records[3].type") != std::string::npos);
  r.status = 403;
  CHECK(classify(r, url).outcome == Outcome::reject);
}

TEST_CASE("server URL policy: https anywhere, http only to loopback") {
  CHECK(check_server_url("https://itsa.example.gov.vn"));
  CHECK(check_server_url("http://127.0.0.1:8080"));
  CHECK(check_server_url("http://localhost:8080/"));
  CHECK(check_server_url("http://[::1]:8080"));
  auto r = check_server_url("http://10.0.0.5:8080");
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("not loopback") != std::string::npos);
  CHECK_FALSE(check_server_url("ftp://x"));
  CHECK(join_url("http://h:1/", "/api/v1/ingest") == "http://h:1/api/v1/ingest");
}

TEST_CASE("acknowledgements: only seqs of the batch count; garbage is an error") {
  std::vector<store::StoredRecord> batch(3);
  batch[0].seq = 4;
  batch[1].seq = 5;
  batch[2].seq = 6;
  auto a = acked_seqs(R"({"acked": [6, 4, 99, 4], "stored": 2, "duplicates": 0})", batch);
  REQUIRE(a);
  CHECK(a.value() == std::vector<std::uint64_t>{4, 6});
  CHECK_FALSE(acked_seqs("<html>", batch));
  CHECK_FALSE(acked_seqs(R"({"stored": 1})", batch));
}

TEST_CASE("ingest body round-trips through gzip") {
  std::vector<store::StoredRecord> batch(1);
  batch[0].agent_id = "a";
  batch[0].boot_id = "b";
  batch[0].seq = 7;
  batch[0].type = "outage";
  batch[0].payload = {{"id", "x"}};
  const auto body = ingest_body("a", batch);
  const auto gz = gzip_compress(body);
  REQUIRE(gz.size() > 18);
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
  std::string out(body.size() + 64, '\0');
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  const auto doc = json::parse(out);
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["records"][0]["seq"] == 7);
  CHECK(doc["records"][0]["payload"]["id"] == "x");
}

TEST_CASE("per-minute samples alone wait for a bigger batch; other records go at once") {
  ManualClock clock;
  const auto dir = test::temp_dir();
  store::StoreOptions o;
  o.data_dir = dir;
  o.clock = &clock;
  auto s = store::EvidenceStore::open(o);
  REQUIRE(s);
  auto& st = *s.value();
  auto config = config::default_agent_config();
  config.data_dir = dir;
  config.server.url = "http://127.0.0.1:9";  // discard port: nothing listens
  config.server.timeout_s = 2;
  Credentials cred;
  cred.agent_id = st.agent_id();
  cred.secret = "s";
  cred.server_url = config.server.url;
  REQUIRE(save_credentials(dir, cred));
  Uploader up(config, st, clock, nullptr, std::chrono::minutes{15});
  REQUIRE(st.append("probe_minute", clock.utc_now(), {{"target", "x"}}));
  CHECK(up.step().result == StepResult::idle);  // held: no request made
  clock.advance(std::chrono::minutes{16});
  auto late = up.step();
  CHECK(late.result == StepResult::retry);  // sent (and the closed port refused it)
  CHECK(late.network);
  REQUIRE(st.append("outage", clock.utc_now(), {{"id", "o"}}));
  Uploader fresh(config, st, clock, nullptr, std::chrono::minutes{15});
  CHECK(fresh.step().result == StepResult::retry);  // an outage is never held
}
