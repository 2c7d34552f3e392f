#include "tests/server/server_process.hpp"

#include <cctype>
#include <regex>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/server/pg_cluster.hpp"

namespace itsa::test {
namespace {

std::string read_fd(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int connect_to(int port, const std::string& from_ip) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (!from_ip.empty()) {
    sockaddr_in src{};
    src.sin_family = AF_INET;
    if (::inet_pton(AF_INET, from_ip.c_str(), &src.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

CliResult run_server_cli(const std::vector<std::string>& args, const std::string& input) {
  const std::string dir = "/tmp";
  char out_tmpl[] = "/tmp/itsa-cli-out-XXXXXX";
  char err_tmpl[] = "/tmp/itsa-cli-err-XXXXXX";
  int out_fd = ::mkstemp(out_tmpl);
  int err_fd = ::mkstemp(err_tmpl);
  int in_pipe[2];
  if (::pipe(in_pipe) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::close(in_pipe[1]);
    std::vector<char*> argv{const_cast<char*>(ITSA_SERVER_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(ITSA_SERVER_BIN, argv.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  if (!input.empty()) (void)!::write(in_pipe[1], input.data(), input.size());
  ::close(in_pipe[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  ::lseek(out_fd, 0, SEEK_SET);
  ::lseek(err_fd, 0, SEEK_SET);
  r.out = read_fd(out_fd);
  r.err = read_fd(err_fd);
  ::close(out_fd);
  ::close(err_fd);
  ::unlink(out_tmpl);
  ::unlink(err_tmpl);
  return r;
}

std::string http_raw(int port, const std::string& bytes, std::chrono::milliseconds timeout,
                     const std::string& from_ip) {
  int fd = connect_to(port, from_ip);
  if (fd < 0) return {};
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[16384];
  while (true) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

HttpResponse parse_response(const std::string& raw) {
  HttpResponse r;
  auto end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return r;
  r.status = std::atoi(raw.c_str() + 9);
  std::istringstream lines(raw.substr(0, end));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers.emplace(name, value);
  }
  r.body = raw.substr(end + 4);
  if (auto cl = r.header("content-length"); !cl.empty()) r.body.resize(std::min(r.body.size(), std::stoul(cl)));
  return r;
}

HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::vector<std::string>& headers, const std::string& body,
                          std::chrono::milliseconds timeout, const std::string& from_ip) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& h : headers) req += h + "\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  return parse_response(http_raw(port, req, timeout, from_ip));
}

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

ServerProcess::ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args, bool tls) {
  m_port = free_port();
  m_log_file = data_dir + "/server-" + std::to_string(m_port) + ".log";
  std::vector<std::string> args{"run", "--data-dir", data_dir, "--listen", "127.0.0.1:" + std::to_string(m_port)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  m_pid = ::fork();
  if (m_pid == 0) {
    int fd = ::open(m_log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv{const_cast<char*>(ITSA_SERVER_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(ITSA_SERVER_BIN, argv.data());
    ::_exit(127);
  }
  // Ready when the port accepts connections (TLS servers are probed the same way).
  (void)tls;
  for (int i = 0; i < 200 && running(); ++i) {
    int fd = connect_to(m_port);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

bool ServerProcess::running() const {
  if (m_pid <= 0) return false;
  int status = 0;
  return ::waitpid(m_pid, &status, WNOHANG) == 0;
}

int ServerProcess::stop() {
  if (m_pid <= 0) return -1;
  ::kill(m_pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ::kill(m_pid, SIGKILL);
  ::waitpid(m_pid, &status, 0);
  m_pid = -1;
  return -9;
}

ServerProcess::~ServerProcess() {
  stop();
}

std::string ServerProcess::log() const {
  return slurp(m_log_file);
}

std::string prepare_data_dir(const std::string& data_dir, const std::string& site) {
  run_server_cli({"init", "--data-dir", data_dir});
  run_server_cli({"user", "add", "--data-dir", data_dir, "--name", "lan", "--password-stdin"}, "mat-khau-123\n");
  auto r = run_server_cli({"token", "create", "--data-dir", data_dir, "--site", site});
  auto out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

namespace {
/// x-www-form-urlencoded value.
std::string url_form(const std::string& s) {
  static const char* k_hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::string reviewer_session(int port, const std::string& from_ip, const std::string& name,
                             const std::string& password) {
  auto form = http_request(port, "GET", "/login", {}, "", std::chrono::milliseconds(5000), from_ip);
  std::smatch m;
  if (!std::regex_search(form.body, m, std::regex("name=\"csrf_token\" value=\"([^\"]+)\""))) return {};
  const std::string csrf = m[1];
  auto r = http_request(port, "POST", "/login",
                        {"Cookie: itsa_login_csrf=" + csrf, "Content-Type: application/x-www-form-urlencoded"},
                        "name=" + url_form(name) + "&password=" + url_form(password) + "&csrf_token=" + csrf,
                        std::chrono::milliseconds(15000), from_ip);
  for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it)
    if (it->second.rfind("itsa_session=", 0) == 0) return "Cookie: " + it->second.substr(0, it->second.find(';'));
  return {};
}

std::string enrol(int port, const std::string& token, const std::string& agent_id, const std::string& hostname) {
  nlohmann::json body{{"schema_version", 1},         {"token", token},           {"agent_id", agent_id},
                      {"hostname", hostname},        {"agent_version", "0.1.0"}, {"identity", {{"smbios_uuid", "x"}}},
                      {"previous_agent_id", nullptr}};
  auto r = http_request(port, "POST", "/api/v1/enroll", {"Content-Type: application/json"}, body.dump());
  if (r.status != 200) return {};
  return nlohmann::json::parse(r.body).value("secret", "");
}

}  // namespace itsa::test
