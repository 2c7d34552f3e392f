// Windows disk health: placeholder until the IOCTL_ATA_PASS_THROUGH / SMART_RCV_DRIVE_DATA /
// IOCTL_STORAGE_QUERY_PROPERTY reader lands; every disk is "unknown".
#include "collectors/disk_health/disk_health.hpp"

namespace itsa::collectors::disk_health {

DiskHealth read_device(const std::string& path, const HealthLimits&) {
  return unknown_disk(
      path, {"not_supported", "Disk health is not read on Windows yet", "Chưa đọc được tình trạng ổ đĩa trên Windows"});
}

std::vector<DiskHealth> read_all_disks(const HealthLimits&) {
  return {};
}

}  // namespace itsa::collectors::disk_health
