// The itsa-server command line as the issue spells it (the real binary).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/server/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using itsa::test::run_server_cli;

TEST_CASE("init, token create/list/revoke, user add/list/remove, stats --json") {
  const auto dir = (itsa::test::temp_dir() / "data").string();
  auto init = run_server_cli({"init", "--data-dir", dir});
  CHECK(init.exit_code == 0);
  CHECK(init.out.find("sqlite") != std::string::npos);

  auto create = run_server_cli({"token", "create", "--data-dir", dir, "--site", "Phòng Kế toán"});
  REQUIRE(create.exit_code == 0);
  auto out = create.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  const auto token = out.substr(out.rfind('\n') + 1);
  CHECK(token.size() >= 40);  // 32 random bytes, base64url
  CHECK(token.find(' ') == std::string::npos);

  auto list = run_server_cli({"token", "list", "--data-dir", dir, "--json"});
  REQUIRE(list.exit_code == 0);
  auto tokens = nlohmann::json::parse(list.out)["tokens"];
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0]["site"] == "Phòng Kế toán");
  CHECK(list.out.find(token) == std::string::npos);  // never printed again
  const auto id = tokens[0]["id"].get<std::string>();
  CHECK(run_server_cli({"token", "revoke", "--data-dir", dir, "--id", id}).exit_code == 0);
  auto again = run_server_cli({"token", "revoke", "--data-dir", dir, "--id", "nope"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("no token") != std::string::npos);

  CHECK(run_server_cli({"user", "add", "--data-dir", dir, "--name", "lan", "--password-stdin"}, "mat-khau-123\n")
            .exit_code == 0);
  auto short_pw = run_server_cli({"user", "add", "--data-dir", dir, "--name", "binh", "--password-stdin"}, "123\n");
  CHECK(short_pw.exit_code == 2);
  CHECK(short_pw.err.find("at least 8") != std::string::npos);
  auto dup = run_server_cli({"user", "add", "--data-dir", dir, "--name", "lan", "--password-stdin"}, "mat-khau-456\n");
  CHECK(dup.exit_code == 1);
  CHECK(dup.err.find("already exists") != std::string::npos);
  auto users = run_server_cli({"user", "list", "--data-dir", dir});
  CHECK(users.out.find("lan\t") == 0);
  CHECK(run_server_cli({"user", "remove", "--data-dir", dir, "--name", "lan"}).exit_code == 0);
  CHECK(run_server_cli({"user", "remove", "--data-dir", dir, "--name", "lan"}).exit_code == 1);

  auto stats = run_server_cli({"stats", "--data-dir", dir, "--json"});
  REQUIRE(stats.exit_code == 0);
  auto doc = nlohmann::json::parse(stats.out);
  CHECK(doc["agents"].is_array());
  CHECK(doc["agents"].empty());
}

TEST_CASE("run refuses plain HTTP beyond loopback and names the fix") {
  const auto dir = (itsa::test::temp_dir() / "data").string();
  auto r = run_server_cli({"run", "--data-dir", dir, "--listen", "0.0.0.0:8080"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--tls-cert") != std::string::npos);
  auto bad = run_server_cli({"run", "--data-dir", dir, "--listen", "localhost"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("ADDR:PORT") != std::string::npos);
  auto half = run_server_cli({"run", "--data-dir", dir, "--listen", "127.0.0.1:1", "--tls-cert", "x.pem"});
  CHECK(half.exit_code == 2);
}

TEST_CASE("missing required options are usage errors (exit 2)") {
  CHECK(run_server_cli({"token", "create", "--site", "x"}).exit_code == 2);
  CHECK(run_server_cli({"user", "add", "--data-dir", "/tmp/x", "--name", "a"}).exit_code == 2);
}

TEST_CASE("retention --keep-months N [--dry-run] --json") {
  const auto dir = (itsa::test::temp_dir() / "data").string();
  REQUIRE(run_server_cli({"init", "--data-dir", dir}).exit_code == 0);
  auto dry = run_server_cli({"retention", "--data-dir", dir, "--keep-months", "12", "--dry-run", "--json"});
  REQUIRE(dry.exit_code == 0);
  auto doc = nlohmann::json::parse(dry.out);
  CHECK(doc["dry_run"] == true);
  CHECK(doc["backend"] == "sqlite");
  CHECK(doc["records_deleted"] == 0);
  CHECK(doc["cut"].get<std::string>().find("-01T00:00:00") != std::string::npos);
  auto done = run_server_cli({"retention", "--data-dir", dir, "--keep-months", "12"});
  CHECK(done.exit_code == 0);
  CHECK(done.out.find("dropped the records before") == 0);
  CHECK(run_server_cli({"retention", "--data-dir", dir}).exit_code == 2);
  CHECK(run_server_cli({"retention", "--data-dir", dir, "--keep-months", "0"}).exit_code == 2);
}
