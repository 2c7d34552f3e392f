#include "uploader/protocol.hpp"

#include <algorithm>
#include <set>

#include <zlib.h>
#include <boost/asio/ip/address.hpp>

#include "common/minute_series.hpp"
#include "protocol/record_types.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::uploader {

using nlohmann::json;

namespace {

// The host part of scheme://[user@]host[:port]/...
std::string url_host(const std::string& url) {
  auto rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find(':'));
}

}  // namespace

Result<void> check_server_url(const std::string& url) {
  if (url.rfind("https://", 0) == 0) {
    if (url_host(url).empty()) return Error{"server.url \"" + url + "\" has no host"};
    return ok();
  }
  if (url.rfind("http://", 0) != 0)
    return Error{"server.url \"" + url + "\" must start with https:// (or http:// for a loopback server)"};
  const auto host = url_host(url);
  if (host == "localhost") return ok();
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (!ec && address.is_loopback()) return ok();
  return Error{"server.url \"" + url + "\" uses plain http:// to a host that is not loopback (" + host +
               "); evidence is only sent over https:// with a verified certificate"};
}

std::string join_url(const std::string& base, const std::string& path) {
  std::string out = base;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out + path;
}

std::string ingest_body(const std::string& agent_id, const std::vector<store::StoredRecord>& batch) {
  json records = json::array();
  for (const auto& r : batch) records.push_back(r.to_wire());
  return json{{"schema_version", 1}, {"agent_id", agent_id}, {"records", std::move(records)}}.dump();
}

Result<std::vector<std::uint64_t>> acked_seqs(const std::string& reply_body,
                                              const std::vector<store::StoredRecord>& batch) {
  const auto doc = json::parse(reply_body, nullptr, false);
  if (!doc.is_object() || !doc.contains("acked") || !doc["acked"].is_array())
    return Error{"the server's reply has no \"acked\" list: " + reply_body.substr(0, 200)};
  std::set<std::uint64_t> in_batch;
  for (const auto& r : batch) in_batch.insert(r.seq);
  std::vector<std::uint64_t> out;
  for (const auto& v : doc["acked"])
    if (v.is_number_unsigned() && in_batch.count(v.get<std::uint64_t>())) out.push_back(v.get<std::uint64_t>());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string server_message(const std::string& reply_body) {
  const auto doc = json::parse(reply_body, nullptr, false);
  if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) return doc["error"].get<std::string>();
  std::string text = reply_body.substr(0, 200);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? "(empty reply)" : text;
}

Classification classify(const HttpResponse& response, const std::string& url) {
  Classification c;
  if (!response.transport_ok) {
    c.outcome = Outcome::retry;
    c.network = true;
    c.message = "cannot reach " + url + ": " + response.transport_error;
    return c;
  }
  const long s = response.status;
  const std::string prefix = url + " answered " + std::to_string(s) + ": ";
  if (response.retry_after_s) c.retry_after = std::chrono::seconds{*response.retry_after_s};
  if (s >= 200 && s < 300) {
    c.outcome = Outcome::ok;
    c.message = "ok";
  } else if (s == 401) {
    c.outcome = Outcome::reauth;
    c.message = prefix + server_message(response.body);
  } else if (s == 413) {
    c.outcome = Outcome::shrink;
    c.message = prefix + server_message(response.body);
  } else if (s == 408 || s == 429 || s >= 500 || s < 200 || (s >= 300 && s < 400)) {
    c.outcome = Outcome::retry;
    c.message = prefix + server_message(response.body);
  } else {
    c.outcome = Outcome::reject;
    c.message = prefix + server_message(response.body);
  }
  return c;
}

std::string gzip_compress(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

bool is_routine(const store::StoredRecord& record) {
  return series::is_minute_type(record.type) || (record.type == rt::coverage && record.payload.is_object() &&
                                                 record.payload.value("end_reason", "") == "running");
}

}  // namespace itsa::uploader
