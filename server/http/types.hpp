#pragma once
// HTTP types shared by the server core and the route handlers.
// <utility> before Boost.Asio: Boost 1.74 misses it in C++20 (std::exchange).
#include <utility>

#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace itsa::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;    ///< a request with its whole body
using Response = http::response<http::string_body>;  ///< a response
using RequestHeader = http::request_header<>;        ///< a request before its body is read

/// Beast's (Boost 1.74) string_view as std::string_view.
inline std::string_view sv(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

/// A handler's answer; `delay` postpones sending it (slows down failed logins) without blocking a thread.
struct Reply {
  Response response;
  std::chrono::milliseconds delay{0};
};

/// A reply with a body and content type.
Reply make_reply(http::status status, std::string body, const std::string& content_type);
/// {"error": message} with the status.
Reply json_error(http::status status, const std::string& message);
/// 303 See Other.
Reply redirect(const std::string& location);

}  // namespace itsa::server
