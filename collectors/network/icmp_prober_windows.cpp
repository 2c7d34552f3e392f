// Windows ICMP: IcmpSendEcho2 with an event per echo, waited on by Asio (object_handle),
// so no thread blocks. Attempts are sent one after another inside the budget.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <icmpapi.h>
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <boost/asio/post.hpp>
#include <boost/asio/windows/object_handle.hpp>

#include "collectors/network/icmp_prober.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;

class WindowsIcmpProber final : public IcmpProber {
 public:
  explicit WindowsIcmpProber(asio::io_context& io) : m_io(io), m_icmp(IcmpCreateFile()) {}
  ~WindowsIcmpProber() override {
    if (m_icmp != INVALID_HANDLE_VALUE) IcmpCloseHandle(m_icmp);
  }

  void probe(const std::string& address, int timeout_ms, int attempts,
             std::function<void(ProbeSample)> done) override {
    IN_ADDR addr{};
    if (m_icmp == INVALID_HANDLE_VALUE || inet_pton(AF_INET, address.c_str(), &addr) != 1) {
      ProbeSample s;
      s.attempts_sent = 0;
      s.error = m_icmp == INVALID_HANDLE_VALUE ? "IcmpCreateFile failed" : "not an IPv4 address: " + address;
      asio::post(m_io, [done = std::move(done), s] { done(s); });
      return;
    }
    auto st = std::make_shared<State>(m_io);
    st->done = std::move(done);
    st->addr = addr;
    st->attempts_left = std::max(1, attempts);
    st->per_attempt_ms = static_cast<DWORD>(std::max(1, timeout_ms / st->attempts_left));
    send(st);
  }

  void cancel() override {}
  std::string mode() const override { return m_icmp == INVALID_HANDLE_VALUE ? "unavailable: IcmpCreateFile" : "icmp_api"; }

 private:
  struct State {
    explicit State(asio::io_context& io) : event(io, CreateEventW(nullptr, FALSE, FALSE, nullptr)) {}
    std::function<void(ProbeSample)> done;
    IN_ADDR addr{};
    asio::windows::object_handle event;
    int attempts_left = 1;
    int sent = 0;
    DWORD per_attempt_ms = 250;
    char payload[16] = "itsa-probe-echo";
    unsigned char reply[sizeof(ICMP_ECHO_REPLY) + 16 + 8 + 64] = {};
  };

  void send(const std::shared_ptr<State>& st) {
    --st->attempts_left;
    ++st->sent;
    IcmpSendEcho2(m_icmp, st->event.native_handle(), nullptr, nullptr, st->addr.S_un.S_addr, st->payload,
                  sizeof st->payload, nullptr, st->reply, sizeof st->reply, st->per_attempt_ms);
    st->event.async_wait([this, st](boost::system::error_code ec) {
      ProbeSample s;
      s.attempts_sent = st->sent;
      if (!ec && IcmpParseReplies(st->reply, sizeof st->reply) > 0) {
        auto* r = reinterpret_cast<ICMP_ECHO_REPLY*>(st->reply);
        if (r->Status == IP_SUCCESS) {
          s.ok = true;
          s.rtt_ms = r->RoundTripTime;
          s.attempts_lost = st->sent - 1;
          st->done(s);
          return;
        }
      }
      if (!ec && st->attempts_left > 0) {
        send(st);
        return;
      }
      s.attempts_lost = st->sent;
      s.error = "timeout";
      st->done(s);
    });
  }

  asio::io_context& m_io;
  HANDLE m_icmp;
};

}  // namespace

std::unique_ptr<IcmpProber> make_icmp_prober(asio::io_context& io) { return std::make_unique<WindowsIcmpProber>(io); }

}  // namespace itsa::network
