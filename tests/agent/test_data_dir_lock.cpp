// One agent per data folder (agent/data_dir_lock.hpp): the lock is exclusive, names the other
// process, goes with its holder; a second daemon on a data_dir in use exits with
// k_exit_already_running while the first keeps running; read-only store access still works.
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#else
#include <windows.h>
#endif

#include "agent/daemon.hpp"
#include "agent/data_dir_lock.hpp"
#include "agent/exit_codes.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using itsa::agent::DataDirLockAttempt;
using Status = DataDirLockAttempt::Status;

namespace {
std::int64_t this_pid() {
#ifndef _WIN32
  return ::getpid();
#else
  return static_cast<std::int64_t>(GetCurrentProcessId());
#endif
}
}  // namespace

TEST_CASE("the data_dir lock is exclusive, says who holds it, and is released with its holder") {
  const auto dir = itsa::test::temp_dir() / "data";  // created by the lock
  auto first = itsa::agent::lock_data_dir(dir);
  REQUIRE_MESSAGE(first.status == Status::acquired, first.message);
  REQUIRE(first.lock);
  CHECK(std::filesystem::exists(dir / "agent.lock"));

  auto second = itsa::agent::lock_data_dir(dir);
  CHECK(second.status == Status::held_elsewhere);
  CHECK_FALSE(second.lock);
  REQUIRE(second.holder);
  CHECK(*second.holder == this_pid());
  CHECK(second.message.find(dir.string()) != std::string::npos);
  CHECK(second.message.find("pid " + std::to_string(this_pid())) != std::string::npos);

  first.lock.reset();
  auto third = itsa::agent::lock_data_dir(dir);
  CHECK(third.status == Status::acquired);
}

TEST_CASE("the holder's pid is read from the lock file's text") {
  CHECK(itsa::agent::parse_lock_holder("1234\n") == 1234);
  CHECK(itsa::agent::parse_lock_holder("  77") == 77);
  CHECK_FALSE(itsa::agent::parse_lock_holder(""));
  CHECK_FALSE(itsa::agent::parse_lock_holder("0\n"));
  CHECK_FALSE(itsa::agent::parse_lock_holder("pid"));
  CHECK(itsa::agent::held_elsewhere_message("/x", std::nullopt).find("another itsa-agent (lock") != std::string::npos);
}

#ifndef _WIN32
TEST_CASE("another process cannot take the lock while it is held, and can once it is released") {
  const auto dir = itsa::test::temp_dir() / "data";
  auto held = itsa::agent::lock_data_dir(dir);
  REQUIRE(held.status == Status::acquired);
  auto child_status = [&] {
    const pid_t pid = ::fork();
    if (pid == 0) {
      auto a = itsa::agent::lock_data_dir(dir);
      const bool named = a.holder && *a.holder == static_cast<std::int64_t>(::getppid());
      ::_exit(a.status == Status::acquired ? 0 : a.status == Status::held_elsewhere && named ? 10 : 20);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  CHECK(child_status() == 10);  // refused, naming this process
  held.lock.reset();
  CHECK(child_status() == 0);
}
#endif

TEST_CASE("a second daemon on the same data_dir exits with k_exit_already_running; the first keeps running") {
  const auto config = itsa::test::temp_dir() / "agent.json";
  const auto data_dir = itsa::test::temp_dir() / "data";
  std::ofstream(config) << nlohmann::json{{"data_dir", data_dir.string()},
                                          {"log", {{"level", "warn"}}},
                                          {"probes",
                                           {{"gateway", "127.0.0.1"},
                                            {"internet", {"tcp://127.0.0.1:9"}},
                                            {"dns", {{"resolver", "127.0.0.1"}, {"name", "localhost"}}}}}}
                               .dump();
  itsa::agent::DaemonOptions options;
  options.config_file = config;
  options.memory_trim_delay = 0s;
  itsa::agent::Daemon first(options);
  int first_code = -1;
  std::thread t([&] { first_code = first.run(); });
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (!first.running() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
  REQUIRE(first.running());

  itsa::agent::Daemon second(options);
  CHECK(second.run() == itsa::agent::k_exit_already_running);  // returns at once, never starts
  CHECK_FALSE(second.running());
  CHECK(first.running());

  // Read-only commands (status, outages, report) open the store beside the running daemon.
  itsa::store::StoreOptions ro;
  ro.data_dir = data_dir;
  ro.read_only = true;
  auto store = itsa::store::EvidenceStore::open(ro);
  REQUIRE(store);
  auto starts = store.value()->query("lifecycle");
  REQUIRE(starts);
  CHECK(starts.value().size() == 1);  // only the first daemon recorded a start

  first.request_stop("test");
  t.join();
  CHECK(first_code == 0);
  // Released at the stop: a new daemon may run on it.
  auto again = itsa::agent::lock_data_dir(data_dir);
  CHECK(again.status == Status::acquired);
}
