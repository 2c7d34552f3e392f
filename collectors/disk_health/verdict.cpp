// The verdict of a decoded disk: failing > worn > ok, each with its reasons in English and
// Vietnamese (thresholds and their reasons: docs/inventory.md "Disk health").
#include <fmt/format.h>

#include "collectors/disk_health/disk_health.hpp"

namespace itsa::collectors::disk_health {
namespace {

enum class Level { info, worn, failing };

struct Finding {
  Level level;
  Reason reason;
};

std::string nvme_warning_bits(std::int64_t w, bool vi) {
  static const char* en[] = {"spare space below threshold",   "temperature out of range",
                             "reliability degraded",          "read-only",
                             "volatile memory backup failed", "persistent memory read-only"};
  static const char* vn[] = {
      "dung lượng dự phòng dưới ngưỡng", "nhiệt độ vượt giới hạn",   "độ tin cậy suy giảm", "chuyển sang chỉ đọc",
      "bộ nhớ tạm dự phòng bị lỗi",      "vùng nhớ bền vững chỉ đọc"};
  std::string s;
  for (int bit = 0; bit < 6; ++bit) {
    if (!(w & (1 << bit))) continue;
    if (!s.empty()) s += ", ";
    s += vi ? vn[bit] : en[bit];
  }
  return s.empty() ? fmt::format("0x{:02x}", w) : s;
}

void ata_findings(const DiskHealth& d, std::vector<Finding>& out) {
  if (d.smart_passed == false)
    out.push_back({Level::failing,
                   {"smart_status_failed", "The drive's own SMART check reports FAILED: it predicts its own failure",
                    "Ổ cứng tự kiểm tra SMART và báo KHÔNG ĐẠT: ổ tự dự báo sắp hỏng"}});
  for (const auto& a : d.attributes) {
    if (!a.threshold || *a.threshold == 0 || *a.threshold >= 0xFE) continue;  // 0: never fails; FE/FF: invalid
    const int t = *a.threshold;
    if (a.value <= t) {
      if (a.prefailure)
        out.push_back({Level::failing,
                       {"attribute_at_threshold",
                        fmt::format("Attribute {} {} is at {}, at or below the maker's failure threshold {}", a.id,
                                    a.name, a.value, t),
                        fmt::format("Chỉ số {} ({}) còn {}, đã chạm ngưỡng hỏng {} của nhà sản xuất", a.id, a.name,
                                    a.value, t)}});
      else
        out.push_back({Level::worn,
                       {"usage_attribute_at_threshold",
                        fmt::format("Usage attribute {} {} is at {}, at or below the maker's threshold {}", a.id,
                                    a.name, a.value, t),
                        fmt::format("Chỉ số hao mòn {} ({}) còn {}, đã chạm ngưỡng {} của nhà sản xuất", a.id, a.name,
                                    a.value, t)}});
    } else if (a.prefailure && a.worst <= t) {
      out.push_back({Level::worn,
                     {"attribute_failed_in_past",
                      fmt::format("Attribute {} {} fell to {} in the past, at or below the maker's threshold {}", a.id,
                                  a.name, a.worst, t),
                      fmt::format("Chỉ số {} ({}) từng xuống {}, chạm ngưỡng hỏng {} của nhà sản xuất", a.id, a.name,
                                  a.worst, t)}});
    }
  }
  if (d.pending_sectors.value_or(0) > 0)
    out.push_back(
        {Level::failing,
         {"pending_sectors", fmt::format("{} sectors cannot be read and wait to be reallocated", *d.pending_sectors),
          fmt::format("Có {} sector không đọc được, đang chờ thay thế", *d.pending_sectors)}});
  if (d.offline_uncorrectable.value_or(0) > 0)
    out.push_back(
        {Level::failing,
         {"offline_uncorrectable",
          fmt::format("{} sectors could not be corrected in the drive's own surface scan", *d.offline_uncorrectable),
          fmt::format("Có {} sector lỗi không sửa được khi ổ tự quét bề mặt", *d.offline_uncorrectable)}});
  if (d.reallocated_sectors.value_or(0) > 0)
    out.push_back({Level::worn,
                   {"reallocated_sectors",
                    fmt::format("{} bad sectors have already been replaced by spare sectors", *d.reallocated_sectors),
                    fmt::format("Đã có {} sector hỏng phải thay bằng sector dự phòng", *d.reallocated_sectors)}});
  if (d.reported_uncorrectable.value_or(0) > 0)
    out.push_back({Level::worn,
                   {"reported_uncorrectable",
                    fmt::format("The drive reported {} uncorrectable read errors", *d.reported_uncorrectable),
                    fmt::format("Ổ đã báo {} lỗi đọc dữ liệu không sửa được", *d.reported_uncorrectable)}});
  if (d.udma_crc_errors.value_or(0) > 0)
    out.push_back({Level::info,
                   {"udma_crc_errors",
                    fmt::format("{} transfer errors on the cable (UDMA CRC): check the data cable and connector, "
                                "not the drive",
                                *d.udma_crc_errors),
                    fmt::format("Có {} lỗi truyền dữ liệu trên cáp (UDMA CRC): cần kiểm tra cáp dữ liệu và đầu cắm, "
                                "không phải lỗi của ổ",
                                *d.udma_crc_errors)}});
}

void nvme_findings(const DiskHealth& d, std::vector<Finding>& out) {
  if (d.critical_warning.value_or(0) != 0) {
    const auto w = *d.critical_warning;
    out.push_back({Level::failing,
                   {"nvme_critical_warning",
                    fmt::format("The NVMe drive raises a critical warning: {}", nvme_warning_bits(w, false)),
                    fmt::format("Ổ NVMe báo cảnh báo nghiêm trọng: {}", nvme_warning_bits(w, true))}});
  }
  if (d.media_errors.value_or(0) > 0)
    out.push_back({Level::worn,
                   {"media_errors", fmt::format("The NVMe drive recorded {} unrecovered data errors", *d.media_errors),
                    fmt::format("Ổ NVMe đã ghi nhận {} lỗi dữ liệu không khôi phục được", *d.media_errors)}});
}

void common_findings(const DiskHealth& d, const HealthLimits& limits, std::vector<Finding>& out) {
  if (d.wear_pct && *d.wear_pct >= 100)
    out.push_back({Level::failing,
                   {"wear_exhausted", fmt::format("The SSD has used {}% of its rated endurance", *d.wear_pct),
                    fmt::format("Ổ SSD đã dùng hết {}% tuổi thọ ghi xóa theo thiết kế", *d.wear_pct)}});
  else if (d.wear_pct && *d.wear_pct >= limits.worn_wear_pct)
    out.push_back(
        {Level::worn,
         {"wear",
          fmt::format("The SSD has used {}% of its rated endurance (limit {}%)", *d.wear_pct, limits.worn_wear_pct),
          fmt::format("Ổ SSD đã dùng {}% tuổi thọ ghi xóa theo thiết kế (ngưỡng {}%)", *d.wear_pct,
                      limits.worn_wear_pct)}});
  if (d.power_on_hours && *d.power_on_hours > limits.worn_power_on_hours)
    out.push_back(
        {Level::worn,
         {"power_on_hours",
          fmt::format("Powered on for {} hours, over the limit of {} hours", *d.power_on_hours,
                      limits.worn_power_on_hours),
          fmt::format("Đã hoạt động {} giờ, vượt mức {} giờ", *d.power_on_hours, limits.worn_power_on_hours)}});
}

}  // namespace

void judge(DiskHealth& d, const HealthLimits& limits, const std::optional<PreviousReading>& previous) {
  std::vector<Finding> found;
  if (previous && d.reallocated_sectors && *d.reallocated_sectors > previous->reallocated_sectors)
    found.push_back({Level::failing,
                     {"reallocated_growing",
                      fmt::format("Reallocated sectors grew from {} to {} since the reading of {}: the surface is "
                                  "still failing",
                                  previous->reallocated_sectors, *d.reallocated_sectors, previous->read_at),
                      fmt::format("Số sector hỏng phải thay tăng từ {} lên {} kể từ lần đọc {}: bề mặt đĩa đang "
                                  "tiếp tục hỏng",
                                  previous->reallocated_sectors, *d.reallocated_sectors, previous->read_at)}});
  if (d.kind == "ata")
    ata_findings(d, found);
  else if (d.kind == "nvme")
    nvme_findings(d, found);
  common_findings(d, limits, found);
  Level worst = Level::info;
  for (const auto& f : found)
    if (f.level > worst) worst = f.level;
  d.verdict = worst == Level::failing ? "failing" : worst == Level::worn ? "worn" : "ok";
  d.reasons.clear();
  for (Level l : {Level::failing, Level::worn, Level::info})
    for (const auto& f : found)
      if (f.level == l) d.reasons.push_back(f.reason);
  if (worst == Level::info)
    d.reasons.insert(d.reasons.begin(),
                     Reason{"within_limits", "No sign of failure or wear: every health value is within its limit",
                            "Không có dấu hiệu hỏng hay hao mòn: mọi chỉ số sức khỏe đều trong giới hạn"});
}

Reason no_privilege_reason(const std::string& device, const char* account) {
  return {"no_privilege",
          fmt::format("No permission to read SMART from {} (the agent must run as {})", device, account),
          fmt::format("Không đủ quyền đọc dữ liệu SMART của {} (agent cần chạy với quyền quản trị)", device)};
}

Reason refused_reason(const std::string& device, const std::string& what) {
  return {"not_supported",
          fmt::format("{} does not answer SMART commands ({}): a virtual disk, a RAID volume or a USB bridge "
                      "that does not pass them through",
                      device, what),
          fmt::format("{} không trả lời lệnh đọc SMART ({}): ổ đĩa ảo, ổ RAID hoặc hộp chuyển USB không hỗ trợ", device,
                      what)};
}

bool same_disk(const nlohmann::json& a, const nlohmann::json& b) {
  auto text = [](const nlohmann::json& d, const char* k) {
    return d.is_object() && d.contains(k) && d[k].is_string() ? d[k].get<std::string>() : std::string();
  };
  const std::string sa = text(a, "serial"), sb = text(b, "serial");
  if (!sa.empty() && !sb.empty()) return sa == sb && text(a, "model") == text(b, "model");
  return !text(a, "device").empty() && text(a, "device") == text(b, "device");
}

DiskHealth unknown_disk(std::string device, Reason reason) {
  DiskHealth d;
  d.device = std::move(device);
  d.verdict = "unknown";
  d.reasons.push_back(std::move(reason));
  return d;
}

}  // namespace itsa::collectors::disk_health
