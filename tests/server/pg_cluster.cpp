#include "tests/server/pg_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace itsa::test {
namespace {
const std::string k_bin = "/usr/lib/postgresql/15/bin/";
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

PgCluster::PgCluster() {
  if (!std::filesystem::exists(k_bin + "initdb") || !std::filesystem::exists(k_bin + "pg_ctl")) {
    m_skip_reason =
        "PostgreSQL 15 binaries not found in " + k_bin + " (scripts/install-deps --tests installs postgresql)";
    return;
  }
  char tmpl[] = "/tmp/itsa-pg-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    m_skip_reason = "cannot make a temp dir";
    return;
  }
  m_dir = tmpl;
  if (::geteuid() == 0) {
    m_as = "runuser -u postgres -- ";
    std::system(("chown postgres " + m_dir).c_str());
  }
  const int port = free_port();
  const std::string log = m_dir + "/log";
  std::string init = m_as + k_bin + "initdb -A trust -U postgres -D " + m_dir + "/data >" + log + " 2>&1";
  if (std::system(init.c_str()) != 0) {
    m_skip_reason = "initdb failed (see " + log + ")";
    return;
  }
  std::string start = m_as + k_bin + "pg_ctl -w -t 30 -D " + m_dir + "/data -l " + m_dir + "/data/server.log -o \"-p " +
                      std::to_string(port) + " -k " + m_dir + " -c listen_addresses=127.0.0.1 -c fsync=off\" start >>" +
                      log + " 2>&1";
  if (std::system(start.c_str()) != 0) {
    m_skip_reason = "pg_ctl start failed (see " + log + ")";
    return;
  }
  m_url = "postgres://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
}

PgCluster::~PgCluster() {
  if (m_dir.empty()) return;
  if (!m_url.empty())
    std::system((m_as + k_bin + "pg_ctl -D " + m_dir + "/data -m immediate stop >/dev/null 2>&1").c_str());
  std::error_code ec;
  if (m_skip_reason.empty()) std::filesystem::remove_all(m_dir, ec);
}

std::string psql(const std::string& url, const std::string& sql) {
  const std::string cmd = "/usr/lib/postgresql/15/bin/psql -X -At -v ON_ERROR_STOP=1 '" + url + "' -c \"" + sql + "\"";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace itsa::test
