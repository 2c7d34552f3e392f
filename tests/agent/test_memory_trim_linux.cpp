// Linux memory trim and the native sd_notify: real mappings of a real file, a real AF_UNIX socket.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/memory_trim.hpp"
#include "agent/service_notify.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

// Resident KiB of the mapping that starts at `address` (from /proc/self/smaps).
long mapping_rss_kib(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  const auto start = reinterpret_cast<std::uintptr_t>(address);
  while (std::getline(smaps, line)) {
    const std::string first = line.substr(0, line.find(' '));
    if (!first.empty() && first.back() != ':') {  // header "start-end perms ..."
      inside = std::stoull(first.substr(0, first.find('-')), nullptr, 16) == start;
      continue;
    }
    if (inside && first == "Rss:") return std::stol(line.substr(4));
  }
  return -1;
}

constexpr std::size_t k_file_bytes = 1 << 20;

// A 1 MiB file of a known pattern.
std::filesystem::path pattern_file() {
  const auto path = itsa::test::temp_dir() / "pattern.bin";
  std::ofstream out(path, std::ios::binary);
  for (std::size_t i = 0; i < k_file_bytes; ++i) out.put(static_cast<char>(i * 7 % 251));
  return path;
}

struct Mapped {
  void* address = MAP_FAILED;
  int fd = -1;
  Mapped(const std::filesystem::path& path, int prot) {
    fd = ::open(path.c_str(), O_RDONLY);
    address = ::mmap(nullptr, k_file_bytes, prot, MAP_PRIVATE, fd, 0);
  }
  ~Mapped() {
    if (address != MAP_FAILED) ::munmap(address, k_file_bytes);
    if (fd >= 0) ::close(fd);
  }
  const unsigned char* bytes() const { return static_cast<const unsigned char*>(address); }
};

bool has_pattern(const unsigned char* bytes) {
  for (std::size_t i = 0; i < k_file_bytes; i += 997)
    if (bytes[i] != static_cast<unsigned char>(i * 7 % 251)) return false;
  return true;
}

}  // namespace

TEST_CASE("a trim drops unmodified read-only file pages from the resident set; their content stays") {
  const auto path = pattern_file();
  Mapped m(path, PROT_READ);
  REQUIRE(m.address != MAP_FAILED);
  volatile unsigned sum = 0;
  for (std::size_t i = 0; i < k_file_bytes; i += 4096) sum = sum + m.bytes()[i];
  CHECK(mapping_rss_kib(m.address) >= 1000);
  auto trimmed = itsa::agent::trim_memory();
  REQUIRE(trimmed);
  CHECK(trimmed.value().mappings_trimmed >= 1);
  CHECK(trimmed.value().rss_after_bytes < trimmed.value().rss_before_bytes);
  CHECK(mapping_rss_kib(m.address) == 0);
  CHECK(has_pattern(m.bytes()));  // mapped again from the page cache
}

TEST_CASE("a trim never drops modified pages (relocated, then made read-only) nor writable mappings") {
  const auto path = pattern_file();
  Mapped relro(path, PROT_READ | PROT_WRITE);
  Mapped writable(path, PROT_READ | PROT_WRITE);
  REQUIRE(relro.address != MAP_FAILED);
  REQUIRE(writable.address != MAP_FAILED);
  auto* r = static_cast<unsigned char*>(relro.address);
  auto* w = static_cast<unsigned char*>(writable.address);
  r[100] = 0xAB;  // a private copy of the page, as the dynamic loader's relocations make
  REQUIRE(::mprotect(relro.address, k_file_bytes, PROT_READ) == 0);
  w[200] = 0xCD;
  REQUIRE(itsa::agent::trim_memory());
  CHECK(r[100] == 0xAB);
  CHECK(w[200] == 0xCD);
  CHECK(r[5000] == static_cast<unsigned char>(5000 * 7 % 251));
}

TEST_CASE("notifications reach the service manager's socket as sd_notify datagrams") {
  const auto socket_path = itsa::test::temp_dir() / "notify.sock";
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
  itsa::agent::notify_ready();
  itsa::agent::notify_status("running");
  itsa::agent::notify_stopping();
  ::unsetenv("NOTIFY_SOCKET");
  itsa::agent::notify_watchdog();  // no socket: nothing sent, no error
  std::vector<std::string> received;
  char buffer[256];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT)) > 0;) received.emplace_back(buffer, n);
  ::close(fd);
  CHECK(received == std::vector<std::string>{"READY=1", "STATUS=running", "STOPPING=1"});
}

TEST_CASE("the watchdog interval comes from WATCHDOG_USEC, for this process only") {
  ::setenv("WATCHDOG_USEC", "20000000", 1);
  ::unsetenv("WATCHDOG_PID");
  CHECK(itsa::agent::watchdog_interval() == std::chrono::seconds{20});
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  CHECK(itsa::agent::watchdog_interval() == std::chrono::seconds{20});
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  CHECK(itsa::agent::watchdog_interval().count() == 0);
  ::unsetenv("WATCHDOG_PID");
  ::setenv("WATCHDOG_USEC", "soon", 1);
  CHECK(itsa::agent::watchdog_interval().count() == 0);
  ::unsetenv("WATCHDOG_USEC");
  CHECK(itsa::agent::watchdog_interval().count() == 0);
}
