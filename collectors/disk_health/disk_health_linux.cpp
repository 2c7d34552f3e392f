// Linux disk health: SATA/PATA disks through SG_IO with SCSI ATA PASS-THROUGH(16) (as smartctl
// does for libata: IDENTIFY 0xEC, SMART READ DATA 0xD0, READ THRESHOLDS 0xD1, RETURN STATUS 0xDA),
// NVMe through NVME_IOCTL_ADMIN_CMD (Get Log Page 02h, Identify Controller). Needs root (or
// CAP_SYS_RAWIO); a disk that refuses is "unknown" with the reason.
#include <fcntl.h>
#include <linux/nvme_ioctl.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "collectors/disk_health/disk_health.hpp"

namespace itsa::collectors::disk_health {
namespace {

namespace fs = std::filesystem;

thread_local bool g_denied = false;  ///< the last failed ioctl was refused for lack of privilege

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// Sends one ATA command through ATA PASS-THROUGH(16). `data` empty: non-data command with the
/// result registers returned (ck_cond), whose LBA mid/high go to `lba_mid_high`.
bool ata_command(int fd, std::uint8_t command, std::uint8_t feature, Bytes& data, std::string& err,
                 std::uint16_t* lba_mid_high = nullptr) {
  std::uint8_t cdb[16] = {};
  std::uint8_t sense[32] = {};
  const bool smart = command == 0xB0;
  cdb[0] = 0x85;  // ATA PASS-THROUGH(16)
  if (data.empty()) {
    cdb[1] = 3 << 1;  // protocol: non-data
    cdb[2] = 0x20;    // ck_cond: return the registers
  } else {
    cdb[1] = 4 << 1;  // protocol: PIO data-in
    cdb[2] = 0x0E;    // t_dir from device, byte_block, t_length in sector count
  }
  cdb[4] = feature;
  cdb[6] = data.empty() ? 0 : 1;  // sector count
  cdb[8] = smart ? 1 : 0;         // LBA low
  cdb[10] = smart ? 0x4F : 0;     // LBA mid: SMART signature
  cdb[12] = smart ? 0xC2 : 0;     // LBA high
  cdb[14] = command;
  sg_io_hdr_t io{};
  io.interface_id = 'S';
  io.cmd_len = sizeof cdb;
  io.cmdp = cdb;
  io.mx_sb_len = sizeof sense;
  io.sbp = sense;
  io.dxfer_direction = data.empty() ? SG_DXFER_NONE : SG_DXFER_FROM_DEV;
  io.dxfer_len = static_cast<unsigned>(data.size());
  io.dxferp = data.empty() ? nullptr : data.data();
  io.timeout = 10000;
  if (::ioctl(fd, SG_IO, &io) != 0) {
    g_denied = errno == EPERM || errno == EACCES;
    err = fmt::format("SG_IO: {}", std::strerror(errno));
    return false;
  }
  if (io.host_status != 0 || (io.driver_status & 0x0F) != 0) {
    err = fmt::format("SG_IO host status {}, driver status {}", io.host_status, io.driver_status);
    return false;
  }
  // Sense descriptor 09h (ATA status return) holds the registers; a sense key of 05h means the
  // device does not know ATA PASS-THROUGH.
  const bool descriptor = (sense[0] & 0x7F) == 0x72;
  const int key = descriptor ? (sense[1] & 0x0F) : (sense[2] & 0x0F);
  if (io.status != 0 && key == 0x05) {
    err = "ATA PASS-THROUGH rejected (illegal request)";
    return false;
  }
  if (descriptor && sense[8] == 0x09) {
    if (sense[8 + 13] & 0x01) {
      err = fmt::format("ATA command 0x{:02x} aborted (error 0x{:02x})", command, sense[8 + 3]);
      return false;
    }
    if (lba_mid_high) *lba_mid_high = static_cast<std::uint16_t>((sense[8 + 9] << 8) | sense[8 + 11]);
  } else if (!descriptor && (sense[0] & 0x7F) == 0x70 && data.empty() && lba_mid_high) {
    // Fixed-format sense (D_SENSE clear): ATA status in byte 4, LBA mid/high in bytes 10/11 (SAT-3).
    if (sense[4] & 0x01) {
      err = fmt::format("ATA command 0x{:02x} aborted (error 0x{:02x})", command, sense[3]);
      return false;
    }
    *lba_mid_high = static_cast<std::uint16_t>((sense[10] << 8) | sense[11]);
  } else if (data.empty() && lba_mid_high) {
    err = "no ATA registers returned";
    return false;
  } else if (io.status != 0) {
    err = fmt::format("SCSI status 0x{:02x}", io.status);
    return false;
  }
  return true;
}

DiskHealth read_ata(int fd, const std::string& path, const HealthLimits& limits) {
  AtaPages pages;
  std::string err;
  pages.identify.assign(k_ata_page_bytes, 0);
  if (!ata_command(fd, 0xEC, 0, pages.identify, err)) return unknown_disk(path, refused_reason(path, err));
  pages.smart_data.assign(k_ata_page_bytes, 0);
  if (!ata_command(fd, 0xB0, 0xD0, pages.smart_data, err)) return unknown_disk(path, refused_reason(path, err));
  pages.thresholds.assign(k_ata_page_bytes, 0);
  if (!ata_command(fd, 0xB0, 0xD1, pages.thresholds, err)) {
    pages.notes.push_back("SMART READ THRESHOLDS failed: " + err);
    pages.thresholds.clear();
  }
  Bytes none;
  std::uint16_t regs = 0;
  if (ata_command(fd, 0xB0, 0xDA, none, err, &regs)) {
    if (regs == 0x4FC2)
      pages.status_passed = true;
    else if (regs == 0xF42C)
      pages.status_passed = false;
    else
      pages.notes.push_back(fmt::format("SMART RETURN STATUS: unexpected registers 0x{:04x}", regs));
  } else {
    pages.notes.push_back("SMART RETURN STATUS failed: " + err);
  }
  auto d = decode_ata(pages);
  if (!d) return unknown_disk(path, refused_reason(path, d.error().message));
  DiskHealth disk = std::move(d).value();
  disk.device = path;
  judge(disk, limits);
  return disk;
}

bool nvme_admin(int fd, std::uint8_t opcode, std::uint32_t nsid, std::uint32_t cdw10, Bytes& data, std::string& err) {
  nvme_admin_cmd cmd{};
  cmd.opcode = opcode;
  cmd.nsid = nsid;
  cmd.addr = reinterpret_cast<std::uintptr_t>(data.data());
  cmd.data_len = static_cast<std::uint32_t>(data.size());
  cmd.cdw10 = cdw10;
  cmd.timeout_ms = 10000;
  const int rc = ::ioctl(fd, NVME_IOCTL_ADMIN_CMD, &cmd);
  if (rc < 0) {
    g_denied = errno == EPERM || errno == EACCES;
    err = fmt::format("NVME_IOCTL_ADMIN_CMD: {}", std::strerror(errno));
    return false;
  }
  if (rc > 0) {
    err = fmt::format("NVMe status 0x{:x}", rc);
    return false;
  }
  return true;
}

DiskHealth read_nvme(int fd, const std::string& path, const HealthLimits& limits) {
  Bytes log(k_nvme_log_bytes, 0), ident(k_nvme_ident_bytes, 0);
  std::string err;
  const std::uint32_t numd = k_nvme_log_bytes / 4 - 1;
  if (!nvme_admin(fd, 0x02, 0xFFFFFFFF, (numd << 16) | 0x02, log, err))
    return unknown_disk(path, refused_reason(path, err));
  std::vector<std::string> notes;
  if (!nvme_admin(fd, 0x06, 0, 0x01, ident, err)) {
    notes.push_back("Identify Controller failed: " + err);
    ident.clear();
  }
  auto d = decode_nvme(log, ident);
  if (!d) return unknown_disk(path, refused_reason(path, d.error().message));
  DiskHealth disk = std::move(d).value();
  disk.device = path;
  disk.notes.insert(disk.notes.end(), notes.begin(), notes.end());
  judge(disk, limits);
  return disk;
}

std::string read_line(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  return s;
}

/// Why a block device has no SMART without asking it: virtual disks of the usual hypervisors.
std::optional<Reason> virtual_disk(const std::string& name) {
  const fs::path sys = fs::path("/sys/block") / name;
  const std::string vendor = read_line(sys / "device" / "vendor");
  const bool virtio = name.rfind("vd", 0) == 0 || name.rfind("xvd", 0) == 0;
  if (!virtio && vendor != "QEMU" && vendor != "VMware" && vendor != "Msft" && vendor != "VBOX") return std::nullopt;
  const std::string what = virtio ? std::string("virtio/Xen") : vendor;
  return Reason{"no_smart_virtual",
                fmt::format("/dev/{} is a virtual disk ({}): the hypervisor reports no SMART data", name, what),
                fmt::format("/dev/{} là ổ đĩa ảo ({}): máy ảo không cung cấp dữ liệu SMART", name, what)};
}

bool skipped(const std::string& name) {
  for (const char* p : {"loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd", "mmcblk", "zd"})
    if (name.rfind(p, 0) == 0) return true;
  return false;
}

}  // namespace

DiskHealth read_device(const std::string& path, const HealthLimits& limits) {
  Fd fd;
  fd.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd.fd < 0) {
    if (errno == EACCES || errno == EPERM) return unknown_disk(path, no_privilege_reason(path, "root"));
    return unknown_disk(path, {"cannot_open", fmt::format("Cannot open {}: {}", path, std::strerror(errno)),
                               fmt::format("Không mở được {}: {}", path, std::strerror(errno))});
  }
  const std::string name = fs::path(path).filename().string();
  g_denied = false;
  DiskHealth d = name.rfind("nvme", 0) == 0 ? read_nvme(fd.fd, path, limits) : read_ata(fd.fd, path, limits);
  if (d.verdict == "unknown" && g_denied) return unknown_disk(path, no_privilege_reason(path, "root"));
  return d;
}

std::vector<DiskHealth> read_all_disks(const HealthLimits& limits) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/sys/block", ec)) {
    const std::string name = e.path().filename().string();
    if (!skipped(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<DiskHealth> out;
  for (const auto& name : names) {
    const std::string dev = "/dev/" + name;
    if (auto why = virtual_disk(name)) {
      out.push_back(unknown_disk(dev, *why));
      continue;
    }
    out.push_back(read_device(dev, limits));
  }
  return out;
}

}  // namespace itsa::collectors::disk_health
