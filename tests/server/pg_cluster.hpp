#pragma once
// A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from Debian's postgresql-15 in a
// temp dir, on a free loopback port, as the postgres user when running as root.
#include <string>

namespace itsa::test {

class PgCluster {
 public:
  PgCluster();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  /// Empty when the cluster could not start; then skip_reason() says why.
  const std::string& url() const { return m_url; }
  const std::string& skip_reason() const { return m_skip_reason; }

 private:
  std::string m_dir;          ///< data + socket dir
  std::string m_url;          ///< postgres://postgres@127.0.0.1:PORT/postgres
  std::string m_skip_reason;  ///< why it did not start
  std::string m_as;           ///< "runuser -u postgres -- " when root
};

/// A free TCP port on 127.0.0.1.
int free_port();

/// One psql command on the cluster at `url`: its output (-At: unaligned, tuples only), the
/// trailing newline removed. `sql` may hold several statements (one transaction).
std::string psql(const std::string& url, const std::string& sql);

}  // namespace itsa::test
