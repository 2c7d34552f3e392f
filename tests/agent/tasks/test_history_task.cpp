// The daemon's history task: the first reading goes back history.days, marks what is older than
// the agent's installation, and each later reading starts where the previous one ended (the
// store's meta), so reading daily never stores an event twice; a log that cannot be read is
// read again from the same point.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "agent/tasks/history_task.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
namespace hist = itsa::collectors::history;

namespace {

hist::LogEvent link_down(itsa::UtcTime at) {
  hist::LogEvent e;
  e.source = "linux_journal";
  e.kind = "link_down";
  e.at = at;
  e.provider = "r8169";
  e.adapter = "enp2s0";
  return e;
}

}  // namespace

TEST_CASE("history task: 90 days back at first start, then only what is new; before_install by the identity") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  itsa::ManualClock clock(*itsa::parse_rfc3339("2026-11-01T08:00:00Z"));
  itsa::store::StoreOptions o;
  o.data_dir = itsa::test::temp_dir();
  o.clock = &clock;
  o.boot_id = "boot-1";
  auto opened = itsa::store::EvidenceStore::open(o);
  REQUIRE(opened);
  auto& store = *opened.value();
  itsa::agent::TaskContext ctx{io, config, store, clock, &store};
  // The "log": events at fixed times; the reader returns those in (since, until].
  std::vector<hist::LogEvent> log{link_down(*itsa::parse_rfc3339("2026-07-01T00:00:00Z")),  // > 90 days back
                                  link_down(*itsa::parse_rfc3339("2026-10-01T09:00:00Z")),
                                  link_down(*itsa::parse_rfc3339("2026-10-01T09:05:00Z"))};
  std::vector<std::pair<itsa::UtcTime, itsa::UtcTime>> asked;
  bool readable = true;
  auto reader = [&](itsa::UtcTime since, itsa::UtcTime until) {
    asked.emplace_back(since, until);
    hist::HistoryReading r;
    r.read = readable;
    if (!readable) r.note = "journal not read: test";
    for (const auto& e : log)
      if (readable && e.at > since && e.at <= until) r.events.push_back(e);
    return r;
  };
  itsa::agent::HistoryTask task(reader, 0s, 24h);
  task.start(ctx);
  io.run_for(50ms);
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].first == *itsa::parse_rfc3339("2026-08-03T08:00:00Z"));  // 90 days
  auto records = store.query(itsa::protocol::record_type::history, std::nullopt, 100);
  REQUIRE(records);
  REQUIRE(records.value().size() == 1);  // the two events of 1 October, one group
  const json first = records.value()[0].payload;
  CHECK(first["count"] == 2);
  CHECK(first["before_install"] == true);  // older than the store's identity
  CHECK(first["day"] == "2026-10-01");

  // The next day: the log gained an event after installation; only it is read and stored.
  log.push_back(link_down(*itsa::parse_rfc3339("2026-11-01T10:00:00Z")));
  clock.advance(24h);
  io.restart();
  io.run_for(50ms);
  REQUIRE(asked.size() == 2);
  CHECK(asked[1].first == *itsa::parse_rfc3339("2026-11-01T08:00:00Z"));  // where the first ended
  records = store.query(itsa::protocol::record_type::history, std::nullopt, 100);
  REQUIRE(records.value().size() == 2);
  CHECK(records.value()[1].payload["count"] == 1);
  CHECK(records.value()[1].payload["before_install"] == false);

  // A day the log cannot be read: nothing stored, the next reading starts from the same point.
  readable = false;
  clock.advance(24h);
  CHECK(task.read_now() == 0);
  readable = true;
  clock.advance(24h);
  CHECK(task.read_now() == 0);  // nothing new
  CHECK(asked.back().first == *itsa::parse_rfc3339("2026-11-02T08:00:00Z"));
  CHECK(store.query(itsa::protocol::record_type::history, std::nullopt, 100).value().size() == 2);
  task.stop("test");
}

TEST_CASE("history task: history.days 0 never reads") {
  boost::asio::io_context io;
  itsa::config::AgentConfig config;
  config.history_days = 0;
  itsa::ManualClock clock;
  struct Sink final : itsa::EvidenceSink {
    int n = 0;
    itsa::Result<std::uint64_t> append(const std::string&, itsa::UtcTime, json) override { return ++n; }
  } sink;
  itsa::agent::TaskContext ctx{io, config, sink, clock};
  int calls = 0;
  itsa::agent::HistoryTask task([&](itsa::UtcTime, itsa::UtcTime) {
    ++calls;
    return hist::HistoryReading{};
  });
  task.start(ctx);
  io.run_for(20ms);
  CHECK(calls == 0);
  CHECK(sink.n == 0);
}
