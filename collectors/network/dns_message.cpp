#include "collectors/network/dns_message.hpp"

#include <cstdio>

namespace itsa::network {

namespace {

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

// Reader over a message with bounds checks.
struct Reader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t pos = 0;
  bool need(std::size_t n) const { return pos + n <= size; }
  std::uint16_t u16() {
    auto v = static_cast<std::uint16_t>(data[pos] << 8 | data[pos + 1]);
    pos += 2;
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t hi = u16();
    return hi << 16 | u16();
  }
};

// Reads a possibly compressed name starting at r.pos; advances r.pos past it.
Result<std::string> read_name(Reader& r) {
  std::string name;
  std::size_t pos = r.pos;
  bool jumped = false;
  for (int hops = 0; hops < 64; ++hops) {
    if (pos >= r.size) return Error{"DNS name runs past the end of the message at byte " + std::to_string(pos)};
    std::uint8_t len = r.data[pos];
    if ((len & 0xc0) == 0xc0) {
      if (pos + 1 >= r.size) return Error{"DNS compression pointer cut at byte " + std::to_string(pos)};
      std::size_t target = static_cast<std::size_t>((len & 0x3f) << 8 | r.data[pos + 1]);
      if (!jumped) r.pos = pos + 2;
      jumped = true;
      pos = target;
      continue;
    }
    if ((len & 0xc0) != 0) return Error{"DNS label with reserved bits at byte " + std::to_string(pos)};
    if (len == 0) {
      if (!jumped) r.pos = pos + 1;
      return name.empty() ? std::string(".") : name;
    }
    if (pos + 1 + len > r.size) return Error{"DNS label runs past the end at byte " + std::to_string(pos)};
    if (!name.empty()) name += '.';
    name.append(reinterpret_cast<const char*>(r.data + pos + 1), len);
    pos += 1 + len;
  }
  return Error{"DNS name has a compression loop"};
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_dns_query(std::uint16_t id, std::string_view name, std::uint16_t qtype) {
  std::vector<std::uint8_t> out;
  put16(out, id);
  put16(out, 0x0100);  // standard query, recursion desired
  put16(out, 1);       // one question
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Error{"DNS query: empty name"};
  if (name.size() > 253) return Error{"DNS query: name longer than 253 characters"};
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    std::string_view label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63)
      return Error{"DNS query: bad label '" + std::string(label) + "' in '" + std::string(name) + "'"};
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  out.push_back(0);
  put16(out, qtype);
  put16(out, 1);  // class IN
  return out;
}

Result<DnsResponse> decode_dns_response(const std::uint8_t* data, std::size_t size) {
  Reader r{data, size};
  if (!r.need(12)) return Error{"DNS message shorter than its 12-byte header (" + std::to_string(size) + " bytes)"};
  DnsResponse resp;
  resp.id = r.u16();
  std::uint16_t flags = r.u16();
  resp.is_response = (flags & 0x8000) != 0;
  resp.truncated = (flags & 0x0200) != 0;
  resp.rcode = flags & 0x000f;
  std::uint16_t qd = r.u16(), an = r.u16();
  r.u16();
  r.u16();
  for (std::uint16_t i = 0; i < qd; ++i) {
    auto n = read_name(r);
    if (!n) return n.error();
    if (i == 0) resp.question = n.value();
    if (!r.need(4)) return Error{"DNS question cut at byte " + std::to_string(r.pos)};
    r.pos += 4;
  }
  for (std::uint16_t i = 0; i < an; ++i) {
    DnsAnswer a;
    auto n = read_name(r);
    if (!n) return n.error();
    a.name = n.value();
    if (!r.need(10)) return Error{"DNS answer " + std::to_string(i) + " cut at byte " + std::to_string(r.pos)};
    a.type = r.u16();
    r.u16();  // class
    a.ttl = r.u32();
    std::uint16_t rdlen = r.u16();
    if (!r.need(rdlen)) return Error{"DNS answer " + std::to_string(i) + " data runs past the end"};
    const std::uint8_t* rd = data + r.pos;
    if (a.type == k_dns_type_a && rdlen == 4) {
      a.data = std::to_string(rd[0]) + "." + std::to_string(rd[1]) + "." + std::to_string(rd[2]) + "." +
               std::to_string(rd[3]);
    } else if (a.type == k_dns_type_aaaa && rdlen == 16) {
      char buf[8];
      for (int g = 0; g < 8; ++g) {
        std::snprintf(buf, sizeof buf, "%x", rd[2 * g] << 8 | rd[2 * g + 1]);
        a.data += (g ? ":" : "") + std::string(buf);
      }
    } else if (a.type == k_dns_type_cname) {
      Reader sub = r;
      auto target = read_name(sub);
      if (!target) return target.error();
      a.data = target.value();
    }
    r.pos += rdlen;
    resp.answers.push_back(std::move(a));
  }
  return resp;
}

}  // namespace itsa::network
