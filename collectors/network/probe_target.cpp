#include "collectors/network/probe_target.hpp"

#include <charconv>

namespace itsa::network {

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::gateway:
      return "gateway";
    case Layer::lan:
      return "lan";
    case Layer::internet:
      return "internet";
    case Layer::dns:
      return "dns";
  }
  return "internet";
}

namespace {

// Splits "host:port" or "[v6]:port"; port 0 when absent.
Result<std::pair<std::string, int>> split_host_port(std::string_view uri, std::string_view rest) {
  std::string_view host = rest;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return Error{"probe target '" + std::string(uri) + "': unclosed '['"};
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
  } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port_text = rest.substr(colon + 1);
  }
  if (host.empty()) return Error{"probe target '" + std::string(uri) + "': no host"};
  int port = 0;
  if (!port_text.empty()) {
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return Error{"probe target '" + std::string(uri) + "': bad port '" + std::string(port_text) + "'"};
  }
  return std::pair{std::string(host), port};
}

}  // namespace

Result<ProbeTarget> parse_probe_target(std::string_view uri, Layer layer) {
  ProbeTarget t;
  t.uri = std::string(uri);
  t.layer = layer;
  auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos)
    return Error{"probe target '" + t.uri + "': expected icmp://, tcp://, http:// or https://"};
  std::string_view scheme = uri.substr(0, scheme_end);
  std::string_view rest = uri.substr(scheme_end + 3);
  if (scheme == "http" || scheme == "https") {
    t.kind = ProbeKind::http;
    auto slash = rest.find('/');
    auto hp = split_host_port(uri, rest.substr(0, slash));
    if (!hp) return hp.error();
    t.host = hp.value().first;
    t.port = hp.value().second != 0 ? hp.value().second : (scheme == "https" ? 443 : 80);
    return t;
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  auto hp = split_host_port(uri, rest);
  if (!hp) return hp.error();
  t.host = hp.value().first;
  t.port = hp.value().second;
  if (scheme == "icmp") {
    t.kind = ProbeKind::icmp;
    if (t.port != 0) return Error{"probe target '" + t.uri + "': icmp:// takes no port"};
  } else if (scheme == "tcp") {
    t.kind = ProbeKind::tcp;
    if (t.port == 0) return Error{"probe target '" + t.uri + "': tcp:// needs a port (tcp://HOST:PORT)"};
  } else if (scheme == "dns") {
    t.kind = ProbeKind::dns;
    if (t.port == 0) t.port = 53;
  } else {
    return Error{"probe target '" + t.uri + "': unknown scheme '" + std::string(scheme) + "'"};
  }
  return t;
}

}  // namespace itsa::network
