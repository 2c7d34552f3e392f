#pragma once
// A probe target parsed from its URI (icmp://ADDR, tcp://HOST:PORT, http(s)://URL) and
// the layer it tests.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace itsa::network {

/// Which part of the path a target tests (protocol.md probe_minute "layer").
enum class Layer { gateway, lan, internet, dns };

/// How a target is probed.
enum class ProbeKind { icmp, tcp, http, dns };

struct ProbeTarget {
  std::string uri;  ///< as configured; also the "target" field of records
  ProbeKind kind = ProbeKind::icmp;
  Layer layer = Layer::internet;
  std::string host;  ///< address or name (http: inside the URL)
  int port = 0;      ///< tcp/dns port; 0 for icmp/http
};

/// "gateway", "lan", "internet", "dns".
std::string_view layer_name(Layer layer);

/// Parses one configured URI; the error names the URI and what is wrong with it.
Result<ProbeTarget> parse_probe_target(std::string_view uri, Layer layer);

}  // namespace itsa::network
