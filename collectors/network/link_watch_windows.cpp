// Windows: NotifyIpInterfaceChange calls back on a system thread; the change is posted to
// the io_context and named by its interface alias.
// Order matters: <netioapi.h> declares the MIB_IPINTERFACE_ROW API only after <ws2ipdef.h>.
// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <winsock2.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
#include <netioapi.h>
// clang-format on
#undef interface  // <windows.h>'s COM macro; project headers have fields named interface

#include <boost/asio/post.hpp>

#include "collectors/network/link_watch.hpp"

namespace itsa::network {

namespace {

namespace asio = boost::asio;

class WindowsLinkWatch final : public LinkWatch {
 public:
  explicit WindowsLinkWatch(asio::io_context& io) : m_io(io) {}
  ~WindowsLinkWatch() override { stop(); }

  Result<void> start(std::function<void(const LinkChange&)> on_change) override {
    m_on_change = std::move(on_change);
    if (NotifyIpInterfaceChange(AF_UNSPEC, &WindowsLinkWatch::callback, this, FALSE, &m_handle) != NO_ERROR)
      return Error{"link watch: NotifyIpInterfaceChange failed"};
    return ok();
  }

  void stop() override {
    if (m_handle != nullptr) CancelMibChangeNotify2(m_handle);  // waits for running callbacks
    m_handle = nullptr;
    m_on_change = nullptr;
  }

 private:
  static void WINAPI callback(PVOID ctx, PMIB_IPINTERFACE_ROW row, MIB_NOTIFICATION_TYPE) {
    auto* self = static_cast<WindowsLinkWatch*>(ctx);
    if (row == nullptr) return;
    wchar_t alias[IF_MAX_STRING_SIZE + 1] = {};
    if (ConvertInterfaceLuidToAlias(&row->InterfaceLuid, alias, IF_MAX_STRING_SIZE) != NO_ERROR) return;
    int n = WideCharToMultiByte(CP_UTF8, 0, alias, -1, nullptr, 0, nullptr, nullptr);
    std::string name(static_cast<std::size_t>(n > 0 ? n - 1 : 0), '\0');
    WideCharToMultiByte(CP_UTF8, 0, alias, -1, name.data(), n, nullptr, nullptr);
    // The row is not fully populated (MSDN): the task reads the interface's state itself.
    LinkChange change;
    change.interface = std::move(name);
    asio::post(self->m_io, [self, change] {
      if (self->m_on_change) self->m_on_change(change);
    });
  }

  asio::io_context& m_io;
  HANDLE m_handle = nullptr;
  std::function<void(const LinkChange&)> m_on_change;
};

}  // namespace

std::unique_ptr<LinkWatch> make_link_watch(asio::io_context& io) {
  return std::make_unique<WindowsLinkWatch>(io);
}

}  // namespace itsa::network
