// Fields of one rendered Windows event (see event_xml.hpp). Nothing here calls the system.
#include "collectors/eventlog/event_xml.hpp"

#include <charconv>
#include <string>

namespace itsa::collectors::eventlog {

std::optional<std::string_view> element_text(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag);
  std::size_t at = 0;
  while ((at = xml.find(open, at)) != std::string_view::npos) {
    const std::size_t after = at + open.size();
    if (after < xml.size() && (xml[after] == '>' || xml[after] == ' ')) break;
    at = after;
  }
  if (at == std::string_view::npos) return {};
  const auto gt = xml.find('>', at);
  if (gt == std::string_view::npos || xml[gt - 1] == '/') return {};
  const auto close = xml.find("</" + std::string(tag) + ">", gt);
  if (close == std::string_view::npos) return {};
  return xml.substr(gt + 1, close - gt - 1);
}

std::optional<std::string_view> attribute(std::string_view xml, std::string_view tag, std::string_view name) {
  const auto at = xml.find("<" + std::string(tag) + " ");
  if (at == std::string_view::npos) return {};
  const auto end = xml.find('>', at);
  const std::string_view el = xml.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
  const auto key = el.find(" " + std::string(name) + "=");
  if (key == std::string_view::npos) return {};
  const std::size_t q = key + name.size() + 2;
  if (q >= el.size() || (el[q] != '\'' && el[q] != '"')) return {};
  const auto close = el.find(el[q], q + 1);
  if (close == std::string_view::npos) return {};
  return el.substr(q + 1, close - q - 1);
}

std::optional<std::string_view> data_named(std::string_view xml, std::string_view name) {
  for (const char q : {'\'', '"'}) {
    const std::string key = std::string("<Data Name=") + q + std::string(name) + q + ">";
    const auto at = xml.find(key);
    if (at == std::string_view::npos) continue;
    const auto close = xml.find("</Data>", at);
    if (close == std::string_view::npos) return {};
    return xml.substr(at + key.size(), close - at - key.size());
  }
  return {};
}

std::optional<std::string_view> data_at(std::string_view xml, std::size_t index) {
  const auto data = xml.find("<EventData");
  if (data == std::string_view::npos) return {};
  std::size_t at = data;
  for (std::size_t i = 0;; ++i) {
    at = xml.find("<Data", at + 1);
    if (at == std::string_view::npos) return {};
    const std::size_t after = at + 5;
    if (after >= xml.size() || (xml[after] != '>' && xml[after] != ' ' && xml[after] != '/')) continue;
    const auto gt = xml.find('>', at);
    if (gt == std::string_view::npos) return {};
    const bool empty = xml[gt - 1] == '/';
    if (i < index) continue;
    if (empty) return std::string_view{};
    const auto close = xml.find("</Data>", gt);
    if (close == std::string_view::npos) return {};
    return xml.substr(gt + 1, close - gt - 1);
  }
}

std::optional<std::int64_t> decimal(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace itsa::collectors::eventlog
