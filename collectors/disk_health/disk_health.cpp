// The portable part of disk health: JSON of one disk, and decoding a captured file exactly as a
// live disk (`itsa-agent disk-health --smart-file`).
#include "collectors/disk_health/disk_health.hpp"

#include "common/file_bytes.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

namespace itsa::collectors::disk_health {
namespace {

using nlohmann::json;

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

bool is_blob_tag(const Bytes& b) {
  if (b.size() < 4) return false;
  const std::string tag(b.begin(), b.begin() + 4);
  return tag == "IDFY" || tag == "SMDT" || tag == "SMTH" || tag == "SMST";
}

}  // namespace

json to_json(const DiskHealth& d) {
  json reasons = json::array();
  for (const auto& r : d.reasons) reasons.push_back({{"code", r.code}, {"en", r.en}, {"vi", r.vi}});
  json attrs = json::array();
  for (const auto& a : d.attributes)
    attrs.push_back({{"id", a.id},
                     {"name", a.name},
                     {"prefailure", a.prefailure},
                     {"value", a.value},
                     {"worst", a.worst},
                     {"threshold", opt(a.threshold)},
                     {"raw", a.raw}});
  return {{"device", d.device},
          {"kind", d.kind.empty() ? json(nullptr) : json(d.kind)},
          {"model", opt(d.model)},
          {"serial", opt(d.serial)},
          {"firmware", opt(d.firmware)},
          {"ssd", opt(d.ssd)},
          {"verdict", d.verdict},
          {"reasons", reasons},
          {"smart_status", d.smart_passed ? json(*d.smart_passed ? "passed" : "failed") : json(nullptr)},
          {"power_on_hours", opt(d.power_on_hours)},
          {"temperature_c", opt(d.temperature_c)},
          {"reallocated_sectors", opt(d.reallocated_sectors)},
          {"pending_sectors", opt(d.pending_sectors)},
          {"offline_uncorrectable", opt(d.offline_uncorrectable)},
          {"udma_crc_errors", opt(d.udma_crc_errors)},
          {"reported_uncorrectable", opt(d.reported_uncorrectable)},
          {"command_timeouts", opt(d.command_timeouts)},
          {"wear_pct", opt(d.wear_pct)},
          {"media_errors", opt(d.media_errors)},
          {"unsafe_shutdowns", opt(d.unsafe_shutdowns)},
          {"critical_warning", opt(d.critical_warning)},
          {"available_spare_pct", opt(d.available_spare_pct)},
          {"available_spare_threshold_pct", opt(d.available_spare_threshold_pct)},
          {"attributes", attrs},
          {"notes", d.notes}};
}

json inventory_summary(const json& disks) {
  json out = json::array();
  if (!disks.is_array()) return out;
  for (const auto& d : disks) {
    if (!d.is_object()) continue;
    json reason = nullptr;
    if (d.contains("reasons") && d["reasons"].is_array() && !d["reasons"].empty()) reason = d["reasons"][0];
    out.push_back({{"device", d.value("device", "")},
                   {"model", d.contains("model") ? d["model"] : json(nullptr)},
                   {"serial", d.contains("serial") ? d["serial"] : json(nullptr)},
                   {"verdict", d.value("verdict", "unknown")},
                   {"reason", reason}});
  }
  return out;
}

Result<DiskHealth> load_smart_file(const std::filesystem::path& path, const HealthLimits& limits) {
  auto bytes = itsa::read_file_bytes(path);
  if (!bytes) return bytes.error();
  const Bytes& b = bytes.value();
  Result<DiskHealth> decoded = Error{};
  if (is_blob_tag(b)) {
    auto pages = parse_skdump_blob(b);
    if (!pages) return Error{fmt::format("{}: {}", path.string(), pages.error().message)};
    decoded = decode_ata(pages.value());
  } else if (b.size() == k_nvme_log_bytes) {
    Bytes ident;
    const std::string name = path.filename().string();
    const std::string suffix = ".smart-log.bin";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const auto beside = path.parent_path() / (name.substr(0, name.size() - suffix.size()) + ".id-ctrl.bin");
      std::error_code ec;
      if (std::filesystem::exists(beside, ec))
        if (auto id = itsa::read_file_bytes(beside)) ident = std::move(id).value();
    }
    decoded = decode_nvme(b, ident);
  } else {
    return Error{
        fmt::format("{}: neither a skdump --save blob (no IDFY/SMDT record) nor a {}-byte NVMe "
                    "SMART/Health log ({} bytes)",
                    path.string(), k_nvme_log_bytes, b.size())};
  }
  if (!decoded) return Error{fmt::format("{}: {}", path.string(), decoded.error().message)};
  DiskHealth d = std::move(decoded).value();
  d.device = path.string();
  judge(d, limits);
  return d;
}

}  // namespace itsa::collectors::disk_health
