// The server never crashes or stops serving others on bad input: garbage, truncated gzip, huge
// headers, slowloris-style stalls, stalled bodies — while a good client keeps being served.
// And TLS with a self-signed certificate made by the openssl CLI.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "tests/server/records.hpp"
#include "tests/server/server_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::test;

namespace {

const std::string k_agent = "0b9d0000-0000-4000-8000-0000000000b1";

/// True when the server closed the connection (recv == 0 or reset) within the timeout.
bool closed_within(int fd, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
  }
  return false;
}

std::string shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

}  // namespace

TEST_CASE("bad input and stalled clients do not stop the server serving a good client") {
  const auto dir = (temp_dir() / "data").string();
  const auto token = prepare_data_dir(dir);
  ServerProcess server(dir, {"--header-timeout-s", "2", "--body-timeout-s", "2"});
  REQUIRE(server.running());
  const int port = server.port();
  const auto secret = enrol(port, token, k_agent, "PC-ROBUST");
  REQUIRE_FALSE(secret.empty());

  std::atomic<bool> stop{false};
  std::atomic<int> good_ok{0}, good_fail{0};
  std::atomic<long> worst_ms{0};
  std::thread good([&] {
    while (!stop) {
      const auto t = std::chrono::steady_clock::now();
      auto r = http_request(port, "GET", "/healthz", {}, "", std::chrono::milliseconds(3000));
      const long ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
      worst_ms = std::max(worst_ms.load(), ms);
      (r.status == 200 ? good_ok : good_fail)++;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  // Slowloris: many connections that trickle a header and never finish it.
  std::vector<int> slow;
  for (int i = 0; i < 40; ++i) {
    int fd = connect_to(port);
    REQUIRE(fd >= 0);
    (void)!::send(fd, "GET /machines HTTP/1.1\r\nHost: x\r\n", 34, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  // Stalled body: an authenticated ingest that promises 1000 bytes and sends 10.
  int stalled = connect_to(port);
  std::string stall_req = "POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret +
                          "\r\nContent-Length: 1000\r\n\r\n{\"schema_v";
  (void)!::send(stalled, stall_req.data(), stall_req.size(), MSG_NOSIGNAL);

  // Garbage of every kind.
  std::mt19937 rng(42);
  for (int i = 0; i < 30; ++i) {
    std::string junk(static_cast<std::size_t>(rng() % 5000 + 1), '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    http_raw(port, junk, std::chrono::milliseconds(300));
  }
  auto r_bad_start = parse_response(http_raw(port, "HELLO WORLD\r\n\r\n", std::chrono::milliseconds(2000)));
  CHECK(r_bad_start.status == 400);
  auto huge = parse_response(
      http_raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n",
               std::chrono::milliseconds(2000)));
  CHECK(huge.status == 431);
  auto bad_chunk = http_raw(port,
                            "POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret +
                                "\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n",
                            std::chrono::milliseconds(2000));
  (void)bad_chunk;  // closed or 400: either way the server lives on
  const std::string body =
      nlohmann::json{{"schema_version", 1}, {"agent_id", k_agent}, {"records", nlohmann::json::array()}}.dump();
  auto z = gzip(body);
  auto truncated =
      http_request(port, "POST", "/api/v1/ingest", {"Authorization: Bearer " + secret, "Content-Encoding: gzip"},
                   z.substr(0, z.size() / 2));
  CHECK(truncated.status == 400);
  auto bomb =
      http_request(port, "POST", "/api/v1/ingest", {"Authorization: Bearer " + secret, "Content-Encoding: gzip"},
                   gzip(std::string(80 * 1024 * 1024, ' ')));
  CHECK(bomb.status == 413);
  auto not_json =
      http_request(port, "POST", "/api/v1/ingest", {"Authorization: Bearer " + secret}, std::string(10000, '{'));
  CHECK(not_json.status == 400);
  auto unknown = http_request(port, "DELETE", "/api/v1/ingest");
  CHECK(unknown.status == 405);

  // The stalled clients are cut off by the timeouts.
  int closed = 0;
  for (int fd : slow) {
    (void)!::send(fd, "X", 1, MSG_NOSIGNAL);
    closed += closed_within(fd, 4000) ? 1 : 0;
    ::close(fd);
  }
  CHECK(closed == 40);
  CHECK(closed_within(stalled, 4000));
  ::close(stalled);

  stop = true;
  good.join();
  CHECK(good_fail == 0);
  CHECK(good_ok > 10);
  CHECK(worst_ms < 2000);
  CHECK(server.running());
  CHECK(http_request(port, "GET", "/healthz").status == 200);
  CHECK(server.stop() == 0);  // SIGTERM: clean exit
}

namespace {

/// A prepared data dir with a self-signed certificate for 127.0.0.1: {cert, key} paths.
std::pair<std::string, std::string> tls_data_dir(const std::string& dir) {
  prepare_data_dir(dir);
  const auto cert = dir + "/cert.pem";
  const auto key = dir + "/key.pem";
  shell("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
        " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null");
  return {cert, key};
}

}  // namespace

TEST_CASE("TLS with a self-signed certificate; session cookies are Secure") {
  if (shell("command -v openssl; command -v curl").find("curl") == std::string::npos) {
    MESSAGE("SKIPPED: openssl and curl CLIs are needed (scripts/install-deps --tests)");
    return;
  }
  const auto dir = (temp_dir() / "data").string();
  const auto [cert, key] = tls_data_dir(dir);
  ServerProcess server(dir, {"--tls-cert", cert, "--tls-key", key}, true);
  REQUIRE(server.running());
  const auto base = "https://127.0.0.1:" + std::to_string(server.port());
  CHECK(shell("curl -sS --cacert " + cert + " " + base + "/healthz") == "{\"status\":\"ok\"}");
  auto login = shell("curl -sS -i --cacert " + cert + " " + base + "/login");
  CHECK(login.find("Secure") != std::string::npos);
  CHECK(login.find("Strict-Transport-Security") != std::string::npos);
  // Plain HTTP to the TLS port and an untrusted client are refused without harm.
  http_raw(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::milliseconds(1000));
  CHECK(shell("curl -s -o /dev/null -w '%{http_code}' " + base + "/healthz") == "000");
  CHECK(shell("curl -sS --cacert " + cert + " " + base + "/healthz") == "{\"status\":\"ok\"}");
  CHECK(server.running());
  // A missing key file is a clear startup error.
  auto r = run_server_cli(
      {"run", "--data-dir", dir, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", dir + "/nope.pem"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--tls-key") != std::string::npos);
}

TEST_CASE("TLS: the server accepts cipher suites that Windows 7 SP1's Schannel offers, and refuses TLS 1.1") {
  if (shell("command -v openssl").find("openssl") == std::string::npos) {
    MESSAGE("SKIPPED: the openssl CLI is needed (scripts/install-deps --tests)");
    return;
  }
  const auto dir = (temp_dir() / "data").string();
  const auto [cert, key] = tls_data_dir(dir);
  ServerProcess server(dir, {"--tls-cert", cert, "--tls-key", key}, true);
  REQUIRE(server.running());
  // The suite openssl s_client negotiated ("Cipher is X"; "(NONE)" when the handshake failed).
  const auto negotiated = [&](const std::string& options) {
    const auto out = shell("openssl s_client -connect 127.0.0.1:" + std::to_string(server.port()) + " " + options +
                           " </dev/null 2>&1");
    const auto at = out.find("Cipher is ");
    if (at == std::string::npos) return std::string("(no handshake)");
    return out.substr(at + 10, out.find_first_of("\r\n", at) - at - 10);
  };
  // TLS 1.2 suites of an RSA certificate that Windows 7 SP1's Schannel offers (Microsoft's "TLS Cipher
  // Suites in Windows 7"): TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P256/_P384,
  // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P256/_P384, TLS_RSA_WITH_AES_256_CBC_SHA256,
  // TLS_RSA_WITH_AES_128_CBC_SHA256 (no ECDHE_RSA with GCM before Windows 8.1/10). Offered one at a
  // time, ECDHE on Windows 7's curves only; every one is asked, at least one must be accepted.
  int accepted = 0;
  for (const std::string suite :
       {"ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES128-SHA256", "AES256-SHA256", "AES128-SHA256"}) {
    const auto got = negotiated("-tls1_2 -cipher " + suite + " -groups P-256:P-384");
    MESSAGE("Windows 7 SP1 suite " << suite << ": " << got);
    if (got == suite) ++accepted;
  }
  CHECK(accepted >= 1);
  // The probe can fail: TLS 1.1 (what Windows 7 offers when a client does not ask for TLS 1.2) is refused.
  CHECK(negotiated("-tls1_1 -cipher DEFAULT@SECLEVEL=0") == "(NONE)");
  CHECK(server.running());
}

namespace {
/// CPU seconds (user + system) the process has used so far (/proc/PID/stat).
double cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}
}  // namespace

TEST_CASE("out of file descriptors: the server pauses accepting without spinning, then serves again") {
  const auto dir = (temp_dir() / "data").string();
  prepare_data_dir(dir);
  ServerProcess server(dir);
  REQUIRE(server.running());
  REQUIRE(http_request(server.port(), "GET", "/healthz").status == 200);
  // Leave the server 4 descriptors above what it holds now.
  std::size_t open_fds = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator("/proc/" + std::to_string(server.pid()) + "/fd"))
    ++open_fds;
  rlimit before{};
  REQUIRE(::prlimit(server.pid(), RLIMIT_NOFILE, nullptr, &before) == 0);
  const rlimit low{open_fds + 4, before.rlim_max};  // the soft limit only: it can be raised back
  REQUIRE(::prlimit(server.pid(), RLIMIT_NOFILE, &low, nullptr) == 0);
  std::vector<int> held;
  for (int i = 0; i < 24; ++i) {
    const int fd = connect_to(server.port());
    if (fd >= 0) held.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the server has hit EMFILE
  const double cpu0 = cpu_seconds(server.pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double cpu_used = cpu_seconds(server.pid()) - cpu0;
  CHECK(cpu_used < 0.3);  // a spinning accept loop burns ~2 s of CPU here
  CHECK(server.running());
  for (int fd : held) ::close(fd);
  REQUIRE(::prlimit(server.pid(), RLIMIT_NOFILE, &before, nullptr) == 0);
  // Accepting resumes after the backoff (at most 2 s).
  int status = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (status != 200 && std::chrono::steady_clock::now() < give_up) {
    status = http_request(server.port(), "GET", "/healthz", {}, "", std::chrono::milliseconds(3000)).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(status == 200);
}
