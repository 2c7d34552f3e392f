// Windows disk health, \\.\PhysicalDriveN by bus type (IOCTL_STORAGE_QUERY_PROPERTY):
// ATA/SATA through IOCTL_ATA_PASS_THROUGH (IDENTIFY, SMART READ DATA/THRESHOLDS, RETURN STATUS),
// else the older SMART_RCV_DRIVE_DATA; NVMe through IOCTL_STORAGE_QUERY_PROPERTY with
// StorageDeviceProtocolSpecificProperty (Windows 10 and later; "unknown" on 7/8.1, whose
// inbox driver refuses it). Only DeviceIoControl/CreateFileA: nothing newer than Windows 7 is
// imported. Needs an administrator (the service runs as LocalSystem).
#include <windows.h>
// after windows.h, which defines the types they use
#include <ntddscsi.h>
#include <winioctl.h>

#include <fmt/format.h>

#include <cstddef>
#include <cstring>

#include "collectors/disk_health/disk_health.hpp"

namespace itsa::collectors::disk_health {
namespace {

struct Handle {
  HANDLE h = INVALID_HANDLE_VALUE;
  ~Handle() {
    if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
  }
};

std::string win_error(DWORD code) {
  return fmt::format("Windows error {}", code);
}

// ---- ATA: IOCTL_ATA_PASS_THROUGH -------------------------------------------------------------

struct AtaBuffer {
  ATA_PASS_THROUGH_EX apt;
  ULONG filler;  // keeps data aligned
  UCHAR data[k_ata_page_bytes];
};

/// One ATA command; `out` empty: non-data, the result registers' LBA mid/high in `regs`.
bool ata_pass_through(HANDLE h, UCHAR command, UCHAR feature, Bytes& out, std::string& err, WORD* regs = nullptr) {
  AtaBuffer b{};
  const bool data_in = !out.empty();
  const bool smart = command == 0xB0;
  b.apt.Length = sizeof(ATA_PASS_THROUGH_EX);
  b.apt.AtaFlags = ATA_FLAGS_DRDY_REQUIRED | (data_in ? ATA_FLAGS_DATA_IN : 0);
  b.apt.DataTransferLength = data_in ? k_ata_page_bytes : 0;
  b.apt.TimeOutValue = 10;
  b.apt.DataBufferOffset = data_in ? offsetof(AtaBuffer, data) : 0;
  b.apt.CurrentTaskFile[0] = feature;
  b.apt.CurrentTaskFile[1] = 1;  // sector count
  b.apt.CurrentTaskFile[2] = smart ? 1 : 0;
  b.apt.CurrentTaskFile[3] = smart ? 0x4F : 0;
  b.apt.CurrentTaskFile[4] = smart ? 0xC2 : 0;
  b.apt.CurrentTaskFile[5] = 0xA0;
  b.apt.CurrentTaskFile[6] = command;
  DWORD got = 0;
  const DWORD size = data_in ? sizeof b : sizeof(ATA_PASS_THROUGH_EX);
  if (!DeviceIoControl(h, IOCTL_ATA_PASS_THROUGH, &b, size, &b, size, &got, nullptr)) {
    err = "IOCTL_ATA_PASS_THROUGH: " + win_error(GetLastError());
    return false;
  }
  if (b.apt.CurrentTaskFile[6] & 0x01) {
    err = fmt::format("ATA command 0x{:02x} aborted (error 0x{:02x})", command, b.apt.CurrentTaskFile[0]);
    return false;
  }
  if (data_in) std::memcpy(out.data(), b.data, k_ata_page_bytes);
  if (regs) *regs = static_cast<WORD>((b.apt.CurrentTaskFile[3] << 8) | b.apt.CurrentTaskFile[4]);
  return true;
}

// ---- ATA: SMART_RCV_DRIVE_DATA (the SMART IOCTLs of Windows 2000 onwards) ---------------------

bool smart_rcv(HANDLE h, UCHAR command, UCHAR feature, Bytes& out, std::string& err, WORD* regs = nullptr) {
  SENDCMDINPARAMS in{};
  in.cBufferSize = regs ? 0 : k_ata_page_bytes;
  in.irDriveRegs.bFeaturesReg = feature;
  in.irDriveRegs.bSectorCountReg = 1;
  in.irDriveRegs.bSectorNumberReg = 1;
  in.irDriveRegs.bCylLowReg = command == 0xB0 ? 0x4F : 0;
  in.irDriveRegs.bCylHighReg = command == 0xB0 ? 0xC2 : 0;
  in.irDriveRegs.bDriveHeadReg = 0xA0;
  in.irDriveRegs.bCommandReg = command;
  std::vector<BYTE> buf(sizeof(SENDCMDOUTPARAMS) + k_ata_page_bytes, 0);
  DWORD got = 0;
  const DWORD code = regs ? SMART_SEND_DRIVE_COMMAND : SMART_RCV_DRIVE_DATA;
  if (!DeviceIoControl(h, code, &in, sizeof in - 1, buf.data(), static_cast<DWORD>(buf.size()), &got, nullptr)) {
    err = fmt::format("{}: {}", regs ? "SMART_SEND_DRIVE_COMMAND" : "SMART_RCV_DRIVE_DATA", win_error(GetLastError()));
    return false;
  }
  const auto* o = reinterpret_cast<const SENDCMDOUTPARAMS*>(buf.data());
  if (o->DriverStatus.bDriverError != 0) {
    err = fmt::format("SMART driver error {} (IDE error 0x{:02x})", o->DriverStatus.bDriverError,
                      o->DriverStatus.bIDEError);
    return false;
  }
  if (regs) {
    const auto* r = reinterpret_cast<const IDEREGS*>(o->bBuffer);
    *regs = static_cast<WORD>((r->bCylLowReg << 8) | r->bCylHighReg);
  } else {
    std::memcpy(out.data(), o->bBuffer, k_ata_page_bytes);
  }
  return true;
}

using AtaCommand = bool (*)(HANDLE, UCHAR, UCHAR, Bytes&, std::string&, WORD*);

std::optional<AtaPages> read_ata_pages(HANDLE h, AtaCommand cmd, std::string& err) {
  AtaPages p;
  p.identify.assign(k_ata_page_bytes, 0);
  p.smart_data.assign(k_ata_page_bytes, 0);
  p.thresholds.assign(k_ata_page_bytes, 0);
  if (!cmd(h, 0xEC, 0, p.identify, err, nullptr) || !cmd(h, 0xB0, 0xD0, p.smart_data, err, nullptr))
    return std::nullopt;
  if (!cmd(h, 0xB0, 0xD1, p.thresholds, err, nullptr)) {
    p.notes.push_back("SMART READ THRESHOLDS failed: " + err);
    p.thresholds.clear();
  }
  Bytes none;
  WORD regs = 0;
  std::string status_err;
  if (cmd(h, 0xB0, 0xDA, none, status_err, &regs)) {
    if (regs == 0x4FC2)
      p.status_passed = true;
    else if (regs == 0xF42C)
      p.status_passed = false;
    else
      p.notes.push_back(fmt::format("SMART RETURN STATUS: unexpected registers 0x{:04x}", regs));
  } else {
    p.notes.push_back("SMART RETURN STATUS failed: " + status_err);
  }
  return p;
}

DiskHealth read_ata(HANDLE h, const std::string& dev, const HealthLimits& limits) {
  std::string err, first_err;
  auto pages = read_ata_pages(h, ata_pass_through, err);
  if (!pages) {
    first_err = err;
    pages = read_ata_pages(h, smart_rcv, err);
  }
  if (!pages) {
    if (GetLastError() == ERROR_ACCESS_DENIED) return unknown_disk(dev, no_privilege_reason(dev, "administrator"));
    return unknown_disk(dev, refused_reason(dev, first_err + "; " + err));
  }
  auto d = decode_ata(*pages);
  if (!d) return unknown_disk(dev, refused_reason(dev, d.error().message));
  DiskHealth disk = std::move(d).value();
  disk.device = dev;
  judge(disk, limits);
  return disk;
}

// ---- NVMe: IOCTL_STORAGE_QUERY_PROPERTY, protocol-specific data (Windows 10+) ------------------

bool nvme_query(HANDLE h, STORAGE_PROPERTY_ID property, STORAGE_PROTOCOL_NVME_DATA_TYPE type, DWORD value, Bytes& out,
                std::string& err) {
  const std::size_t header = offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters);
  std::vector<BYTE> buf(header + sizeof(STORAGE_PROTOCOL_SPECIFIC_DATA) + out.size(), 0);
  auto* q = reinterpret_cast<STORAGE_PROPERTY_QUERY*>(buf.data());
  q->PropertyId = property;
  q->QueryType = PropertyStandardQuery;
  auto* p = reinterpret_cast<STORAGE_PROTOCOL_SPECIFIC_DATA*>(q->AdditionalParameters);
  p->ProtocolType = ProtocolTypeNvme;
  p->DataType = type;
  p->ProtocolDataRequestValue = value;
  p->ProtocolDataRequestSubValue = 0;
  p->ProtocolDataOffset = sizeof(STORAGE_PROTOCOL_SPECIFIC_DATA);
  p->ProtocolDataLength = static_cast<DWORD>(out.size());
  DWORD got = 0;
  if (!DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, buf.data(), static_cast<DWORD>(buf.size()), buf.data(),
                       static_cast<DWORD>(buf.size()), &got, nullptr)) {
    err = "IOCTL_STORAGE_QUERY_PROPERTY (NVMe): " + win_error(GetLastError());
    return false;
  }
  const auto* d = reinterpret_cast<const STORAGE_PROTOCOL_DATA_DESCRIPTOR*>(buf.data());
  const auto& r = d->ProtocolSpecificData;
  const std::size_t at = offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, ProtocolSpecificData) + r.ProtocolDataOffset;
  if (r.ProtocolDataLength < out.size() || at + out.size() > got) {
    err = fmt::format("NVMe data short: {} bytes", r.ProtocolDataLength);
    return false;
  }
  std::memcpy(out.data(), buf.data() + at, out.size());
  return true;
}

DiskHealth read_nvme(HANDLE h, const std::string& dev, const HealthLimits& limits) {
  Bytes log(k_nvme_log_bytes, 0), ident(k_nvme_ident_bytes, 0);
  std::string err;
  if (!nvme_query(h, StorageDeviceProtocolSpecificProperty, NVMeDataTypeLogPage, 0x02, log, err))
    return unknown_disk(
        dev, {"nvme_needs_windows10",
              fmt::format("{}: the NVMe health log cannot be read ({}); Windows 7 and 8.1 do not offer it", dev, err),
              fmt::format("{}: không đọc được nhật ký sức khỏe NVMe ({}); Windows 7 và 8.1 không hỗ trợ", dev, err)});
  std::vector<std::string> notes;
  if (!nvme_query(h, StorageAdapterProtocolSpecificProperty, NVMeDataTypeIdentify, 1, ident, err)) {
    notes.push_back("Identify Controller failed: " + err);
    ident.clear();
  }
  auto d = decode_nvme(log, ident);
  if (!d) return unknown_disk(dev, refused_reason(dev, d.error().message));
  DiskHealth disk = std::move(d).value();
  disk.device = dev;
  disk.notes.insert(disk.notes.end(), notes.begin(), notes.end());
  judge(disk, limits);
  return disk;
}

// ---- bus type ----------------------------------------------------------------------------------

struct Device {
  STORAGE_BUS_TYPE bus = BusTypeUnknown;
  std::string vendor;
};

std::string field(const std::vector<BYTE>& buf, DWORD offset) {
  if (offset == 0 || offset >= buf.size()) return {};
  std::string s;
  for (std::size_t i = offset; i < buf.size() && buf[i] != 0; ++i) s += static_cast<char>(buf[i]);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::optional<Device> device_info(HANDLE h) {
  STORAGE_PROPERTY_QUERY q{};
  q.PropertyId = StorageDeviceProperty;
  q.QueryType = PropertyStandardQuery;
  std::vector<BYTE> buf(1024, 0);
  DWORD got = 0;
  if (!DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof q, buf.data(), static_cast<DWORD>(buf.size()), &got,
                       nullptr))
    return std::nullopt;
  const auto* d = reinterpret_cast<const STORAGE_DEVICE_DESCRIPTOR*>(buf.data());
  return Device{d->BusType, field(buf, d->VendorIdOffset)};
}

std::optional<Reason> virtual_disk(const std::string& dev, const Device& info) {
  const bool virtual_bus =
      info.bus == BusTypeVirtual || info.bus == BusTypeFileBackedVirtual || info.bus == BusTypeSpaces;
  const bool vm_vendor = info.vendor == "Msft" || info.vendor == "VMware" || info.vendor == "QEMU" ||
                         info.vendor == "VBOX" || info.vendor == "Red Hat";
  if (!virtual_bus && !vm_vendor) return std::nullopt;
  const std::string what = info.vendor.empty() ? std::string("virtual bus") : info.vendor;
  return Reason{"no_smart_virtual", fmt::format("{} is a virtual disk ({}): it reports no SMART data", dev, what),
                fmt::format("{} là ổ đĩa ảo ({}): không có dữ liệu SMART", dev, what)};
}

DiskHealth read_open(HANDLE h, const std::string& dev, const HealthLimits& limits) {
  const auto info = device_info(h);
  if (info) {
    if (auto why = virtual_disk(dev, *info)) return unknown_disk(dev, *why);
    if (info->bus == BusTypeNvme) return read_nvme(h, dev, limits);
  }
  DiskHealth d = read_ata(h, dev, limits);
  if (d.verdict == "unknown" && info && d.reasons.at(0).code == "not_supported") {
    if (info->bus == BusTypeUsb)
      d.reasons[0] = {"usb_bridge",
                      fmt::format("{} is behind a USB bridge that does not pass SMART commands through", dev),
                      fmt::format("{} nối qua hộp chuyển USB không chuyển tiếp lệnh SMART", dev)};
    else if (info->bus == BusTypeRAID)
      d.reasons[0] = {"raid", fmt::format("{} is a RAID volume: its member disks' SMART is not reachable", dev),
                      fmt::format("{} là ổ RAID: không đọc được SMART của từng ổ thành viên", dev)};
  }
  return d;
}

}  // namespace

DiskHealth read_device(const std::string& path, const HealthLimits& limits) {
  Handle h;
  h.h = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                    OPEN_EXISTING, 0, nullptr);
  if (h.h == INVALID_HANDLE_VALUE) {
    const DWORD e = GetLastError();
    if (e == ERROR_ACCESS_DENIED) return unknown_disk(path, no_privilege_reason(path, "administrator"));
    return unknown_disk(path, {"cannot_open", fmt::format("Cannot open {}: {}", path, win_error(e)),
                               fmt::format("Không mở được {}: {}", path, win_error(e))});
  }
  return read_open(h.h, path, limits);
}

std::vector<DiskHealth> read_all_disks(const HealthLimits& limits) {
  std::vector<DiskHealth> out;
  for (int n = 0; n < 32; ++n) {
    const std::string dev = fmt::format("\\\\.\\PhysicalDrive{}", n);
    Handle probe;
    probe.h = CreateFileA(dev.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
    if (probe.h == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND) continue;
    out.push_back(read_device(dev, limits));
  }
  return out;
}

}  // namespace itsa::collectors::disk_health
