#pragma once
// Runs the real itsa-server binary for tests: CLI commands, and `run` in the background on a
// free loopback port; plus a small raw-socket HTTP client (so tests can also send garbage).
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace itsa::test {

/// Output of one CLI run.
struct CliResult {
  int exit_code = -1;  ///< process exit code
  std::string out;     ///< stdout
  std::string err;     ///< stderr
};

/// Runs itsa-server with args, feeding `input` to stdin.
CliResult run_server_cli(const std::vector<std::string>& args, const std::string& input = "");

/// A parsed HTTP response.
struct HttpResponse {
  int status = 0;                                   ///< 0 when no response came
  std::multimap<std::string, std::string> headers;  ///< lower-case names
  std::string body;                                 ///< body bytes
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

/// One request over a fresh connection (Connection: close). Headers as "Name: value".
/// `from_ip`: a loopback source address to connect from (e.g. "127.0.0.9"); "" = the default.
HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::vector<std::string>& headers = {}, const std::string& body = "",
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(15000),
                          const std::string& from_ip = "");
/// Sends raw bytes and returns what came back before the server closed or the timeout.
std::string http_raw(int port, const std::string& bytes,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                     const std::string& from_ip = "");
/// Parses a raw response.
HttpResponse parse_response(const std::string& raw);
/// gzip-compresses (for ingest bodies).
std::string gzip(const std::string& data);

/// A TCP connection to 127.0.0.1:port (blocking socket fd), or -1; from `from_ip` when given.
int connect_to(int port, const std::string& from_ip = "");

/// `itsa-server run` in the background; stopped with SIGTERM by the destructor.
class ServerProcess {
 public:
  ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args = {}, bool tls = false);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  int port() const { return m_port; }
  int pid() const { return m_pid; }
  bool running() const;
  /// Sends SIGTERM and returns the exit code.
  int stop();
  /// stderr log so far.
  std::string log() const;

 private:
  int m_pid = -1;
  int m_port = 0;
  std::string m_log_file;
};

/// Creates the store, a token for `site`, a user lan / "mat-khau-123"; returns the token.
std::string prepare_data_dir(const std::string& data_dir, const std::string& site = "So Tai chinh");
/// Logs in as prepare_data_dir's reviewer (lan) or another; the "Cookie: itsa_session=…" header,
/// "" when the login failed. From `from_ip` when given.
std::string reviewer_session(int port, const std::string& from_ip = "", const std::string& name = "lan",
                             const std::string& password = "mat-khau-123");
/// Enrols an agent over HTTP; returns its secret (empty on failure).
std::string enrol(int port, const std::string& token, const std::string& agent_id, const std::string& hostname);

}  // namespace itsa::test
