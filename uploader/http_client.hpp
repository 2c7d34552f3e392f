#pragma once
// One HTTP POST over libcurl with the uploader's rules: TLS always verified (optional
// private CA), proxy from config or the usual environment variables, connect and whole-
// request timeouts, and an abort flag so the daemon stops within a second.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace itsa::uploader {

struct HttpSettings {
  std::string ca_file;  ///< PEM bundle of a private CA; empty = system CAs
  std::string proxy;    ///< empty = libcurl reads http(s)_proxy / no_proxy
  long connect_timeout_s = 10;
  long timeout_s = 30;                       ///< whole request
  const std::atomic<bool>* abort = nullptr;  ///< set = abandon the transfer
};

struct HttpResponse {
  bool transport_ok = false;    ///< a complete HTTP response arrived
  std::string transport_error;  ///< why not (DNS, refused, TLS, timeout)
  long status = 0;
  std::string body;
  std::optional<long> retry_after_s;  ///< Retry-After (seconds form)
};

/// POSTs `body` with `headers` ("Name: value") to `url`.
HttpResponse http_post(const std::string& url, const std::string& body, const std::vector<std::string>& headers,
                       const HttpSettings& settings);

/// True when a TCP (and TLS, for https) connection to the server of `url` succeeds now.
bool server_reachable(const std::string& url, const HttpSettings& settings);

}  // namespace itsa::uploader
