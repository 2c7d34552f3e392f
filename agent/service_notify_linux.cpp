// systemd notifications (Type=notify, WatchdogSec=): the sd_notify datagram protocol spoken
// directly (one "KEY=value" datagram to the AF_UNIX socket named by $NOTIFY_SOCKET; '@' = abstract
// namespace), so the agent does not load libsystemd and its compression/crypto libraries (~1 MiB
// of resident memory). A no-op when NOTIFY_SOCKET is unset (not started by systemd).
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "agent/service_notify.hpp"

namespace itsa::agent {
namespace {

// Sends one notification; false when there is no manager socket or it cannot be reached.
bool send_notification(std::string_view message) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return false;
  const std::size_t path_len = std::strlen(path);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if ((path[0] != '/' && path[0] != '@') || path_len > sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path, path, path_len);
  if (path[0] == '@') address.sun_path[0] = '\0';  // abstract socket
  const auto address_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_len);
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ssize_t sent = -1;
  do {
    sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address),
                    address_len);
  } while (sent < 0 && errno == EINTR);
  ::close(fd);
  return sent == static_cast<ssize_t>(message.size());
}

}  // namespace

void notify_ready() {
  send_notification("READY=1");
}

void notify_watchdog() {
  send_notification("WATCHDOG=1");
}

void notify_stopping() {
  send_notification("STOPPING=1");
}

void notify_reloading() {
  send_notification("RELOADING=1");
}

void notify_status(std::string_view text) {
  send_notification("STATUS=" + std::string(text));
}

std::chrono::milliseconds watchdog_interval() {
  // WATCHDOG_USEC, for this process only when WATCHDOG_PID names another one (as sd_watchdog_enabled).
  const char* usec_text = std::getenv("WATCHDOG_USEC");
  if (!usec_text || !*usec_text) return std::chrono::milliseconds{0};
  if (const char* pid_text = std::getenv("WATCHDOG_PID"); pid_text && *pid_text) {
    char* end = nullptr;
    const long long pid = std::strtoll(pid_text, &end, 10);
    if (*end != '\0' || pid != static_cast<long long>(::getpid())) return std::chrono::milliseconds{0};
  }
  char* end = nullptr;
  const unsigned long long usec = std::strtoull(usec_text, &end, 10);
  if (*end != '\0' || usec == 0) return std::chrono::milliseconds{0};
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds{usec});
}

}  // namespace itsa::agent
