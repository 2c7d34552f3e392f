#include "report/text.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace itsa::report {

namespace {

struct Pair {
  const char* vi;
  const char* en;
};

const std::map<std::string_view, Pair>& labels() {
  static const std::map<std::string_view, Pair> k_labels = {
      {"title", {"SỐ LIỆU ĐO KIỂM MÁY TÍNH VÀ HỆ THỐNG MẠNG", "MEASURED EVIDENCE: COMPUTERS AND NETWORK"}},
      {"subtitle",
       {"Tài liệu minh chứng cho mục “Tồn tại, hạn chế, khó khăn”",
        "Supporting evidence for “Shortcomings and difficulties”"}},
      {"agency", {"Cơ quan", "Agency"}},
      {"site", {"Địa điểm", "Site"}},
      {"all_sites", {"Tất cả", "All"}},
      {"period", {"Kỳ số liệu", "Period"}},
      {"data_as_of", {"Số liệu tính đến ngày", "Data as of"}},
      {"from_to", {"từ ngày {1} đến ngày {2}", "from {1} to {2}"}},
      {"s1", {"I. PHẠM VI VÀ PHƯƠNG PHÁP", "I. SCOPE AND METHOD"}},
      {"s2", {"II. MÁY TÍNH", "II. COMPUTERS"}},
      {"s3", {"III. HỆ THỐNG MẠNG", "III. NETWORK"}},
      {"s4", {"IV. NHẬN ĐỊNH TỪ SỐ LIỆU", "IV. WHAT THE FIGURES SUPPORT"}},
      {"appendix", {"PHỤ LỤC", "APPENDIX"}},
      {"no", {"STT", "No."}},
      {"indicator", {"Chỉ tiêu", "Indicator"}},
      {"unit", {"Đơn vị tính", "Unit"}},
      {"value", {"Số liệu", "Value"}},
      {"notes", {"Ghi chú", "Notes"}},
      {"machines_unit", {"máy", "PCs"}},
      {"times_unit", {"lần", "times"}},
      {"hours_unit", {"giờ", "hours"}},
      {"pc_hours_unit", {"giờ-máy", "PC-hours"}},
      {"years_unit", {"năm", "years"}},
      {"days_unit", {"ngày", "days"}},
      {"seconds_unit", {"giây", "s"}},
      {"minutes_unit", {"phút", "min"}},
      {"rounds_unit", {"lượt đo", "rounds"}},
      {"hours_office", {"Chỉ tính giờ làm việc", "Office hours only"}},
      {"hours_all", {"Tính toàn bộ thời gian quan sát", "Every observed second"}},
      {"office_hours", {"Giờ làm việc", "Office hours"}},
      {"weekdays_mon_fri", {"Thứ Hai – Thứ Sáu", "Monday – Friday"}},
      {"sites", {"Địa điểm", "Sites"}},
      {"machines_total", {"Số máy tính trong phạm vi", "Computers in scope"}},
      {"machines_observed", {"Số máy có số liệu quan sát trong kỳ", "Computers observed in the period"}},
      {"observed_pc_hours", {"Tổng thời gian quan sát", "Observed time"}},
      {"coverage_pct", {"Tỷ lệ thời gian quan sát so với giờ làm việc", "Observed share of counted time"}},
      {"probe_interval", {"Chu kỳ đo kiểm kết nối", "Probe interval"}},
      {"probe_thresholds", {"Ngưỡng xác định mất / có kết nối", "Down / up thresholds"}},
      {"agent_versions", {"Phiên bản phần mềm đo (itsa)", "Agent versions"}},
      {"clock_sync", {"Đồng bộ thời gian", "Clock synchronisation"}},
      {"limits", {"Giới hạn của số liệu", "Limits of the evidence"}},
      {"causes", {"Phân loại nguyên nhân mất kết nối", "What each cause means"}},
      {"inventoried", {"Số máy đã kiểm kê", "Computers inventoried"}},
      {"meeting", {"Số máy đạt cấu hình", "Meeting the profile"}},
      {"not_meeting", {"Số máy không đạt cấu hình", "Not meeting the profile"}},
      {"unknown_verdict", {"Số máy chưa đánh giá được", "Not assessable"}},
      {"profile", {"Cấu hình đối chiếu", "Profile"}},
      {"by_rule", {"Số máy không đạt theo từng tiêu chí", "Machines failing each rule"}},
      {"rule", {"Tiêu chí", "Rule"}},
      {"required", {"Yêu cầu", "Required"}},
      {"measured", {"Thực tế", "Measured"}},
      {"age_avg", {"Tuổi máy bình quân (theo ngày phát hành BIOS)", "Average machine age (from BIOS date)"}},
      {"age_past_life", {"Số máy đã quá thời gian sử dụng 5 năm", "Machines past the 5-year useful life"}},
      {"age_hist", {"Phân bố tuổi máy", "Machine age distribution"}},
      {"verdict_chart", {"Kết quả đánh giá theo tiêu chí", "Verdicts by rule"}},
      {"failing_list", {"Danh sách máy tính không đạt cấu hình", "Computers that do not meet the profile"}},
      {"machine_list", {"Danh sách máy tính", "Machine inventory"}},
      {"hostname", {"Tên máy", "Computer"}},
      {"verdict", {"Kết quả", "Verdict"}},
      {"reasons", {"Lý do", "Reasons"}},
      {"age", {"Tuổi máy (năm)", "Age (years)"}},
      {"ram", {"RAM", "RAM"}},
      {"cpu", {"CPU", "CPU"}},
      {"os", {"Hệ điều hành", "OS"}},
      {"disk", {"Ổ hệ thống", "System disk"}},
      {"pressure", {"Thời gian CPU hoặc RAM trên 90%", "Time with CPU or memory > 90%"}},
      {"pressure_share",
       {"Tỷ lệ thời gian làm việc có CPU hoặc bộ nhớ trên 90% (toàn bộ máy)",
        "Share of working time with CPU or memory > 90% (all PCs)"}},
      {"availability", {"Tỷ lệ sẵn sàng của kết nối mạng", "Network availability"}},
      {"outages_count", {"Số lần mất kết nối", "Number of outages"}},
      {"agency_wide", {"trong đó: cùng lúc nhiều địa điểm (phía nhà cung cấp)", "of which several sites at once"}},
      {"site_wide", {"trong đó: toàn bộ máy tại một địa điểm", "of which site-wide"}},
      {"shared_equipment",
       {"trong đó: vài máy cùng lúc (thiết bị dùng chung)", "of which several PCs together (shared equipment)"}},
      {"single_machine", {"trong đó: chỉ một máy", "of which single-machine"}},
      {"per_site", {"Mất kết nối theo từng địa điểm", "Outages by site"}},
      {"pc_count_col", {"Số máy", "PCs"}},
      {"scope_single_machine", {"Một máy", "One PC"}},
      {"scope_shared_equipment", {"Vài máy (thiết bị dùng chung)", "Several PCs (shared equipment)"}},
      {"scope_site_wide", {"Toàn bộ máy tại địa điểm", "Site-wide"}},
      {"scope_agency_wide", {"Nhiều địa điểm", "Several sites"}},
      {"media_ssd", {"SSD", "SSD"}},
      {"media_nvme", {"SSD NVMe", "NVMe SSD"}},
      {"media_hdd", {"HDD", "HDD"}},
      {"media_unknown", {"chưa rõ", "unknown"}},
      // Section III: the cabling survey list (compute_links.cpp cabling_survey, render_html_network.cpp).
      {"survey_title", {"Danh sách điểm cần khảo sát cáp mạng", "Cabling survey list"}},
      {"survey_priority_survey", {"Cần khảo sát", "Survey"}},
      {"survey_priority_check", {"Theo dõi thêm", "Keep watching"}},
      {"survey_evidence", {"Căn cứ", "Evidence"}},
      {"survey_priority", {"Mức độ", "Priority"}},
      {"survey_for_ii5", {"Nội dung gợi ý cho mục II.5:", "Suggested text for section II.5:"}},
      {"survey_for_iii", {"Nội dung gợi ý cho mục III (đề xuất):", "Suggested text for section III (requests):"}},
      {"survey_outages",
       {"{1} lần mất kết nối do cáp/mạng nội bộ của riêng máy", "{1} outages of its own cable/LAN path"}},
      {"survey_drops", {"{1} lần mất kết nối ngắn/ngày", "{1} short drops a day"}},
      {"survey_flaps", {"{1} lần mất tín hiệu cổng mạng", "{1} link flaps"}},
      {"survey_crc", {"lỗi CRC trong {1} phút", "CRC errors in {1} minutes"}},
      {"survey_downgrades", {"{1} lần tụt tốc độ liên kết", "{1} link speed drops"}},
      {"survey_below", {"{1} phút chạy dưới tốc độ tối đa của card", "{1} minutes below the card's maximum speed"}},
      {"survey_paragraph",
       {"Qua đo kiểm tự động từ ngày {1} đến ngày {2}, {3} máy tính tại {4} địa điểm có dấu hiệu hư hỏng cáp mạng hoặc "
        "đầu nối (mất kết nối ngắn lặp lại, lỗi CRC tăng dần, tốc độ liên kết bị tụt, hoặc mất kết nối nhiều lần chỉ "
        "riêng máy đó): {5}.",
        "Automatic measurement from {1} to {2} found {3} PCs at {4} sites with signs of a damaged cable or connector "
        "(repeated short drops, growing CRC errors, link speed drops, or repeated outages of that PC alone): {5}."}},
      {"survey_none",
       {"Qua đo kiểm tự động từ ngày {1} đến ngày {2}, chưa phát hiện máy tính nào có dấu hiệu hư hỏng cáp mạng hoặc "
        "đầu nối.",
        "Automatic measurement from {1} to {2} found no PC with signs of a damaged cable or connector."}},
      {"survey_request",
       {"Đề nghị cho phép khảo sát, kiểm tra và thay thế cáp mạng, đầu nối tại các điểm: {1}.",
        "We request a survey, test and replacement of the network cabling and connectors at: {1}."}},
      {"survey_request_none",
       {"Số liệu đo chưa cho thấy điểm cáp mạng cần khảo sát, thay thế.",
        "The measurements show no cabling point that needs a survey or replacement."}},
      // Section II: procurement proposal (render_html_computers.cpp, compute_procurement.cpp).
      {"proc_title", {"Bảng đề xuất trang bị, nâng cấp", "Proposed purchases and upgrades"}},
      {"proc_config", {"Cấu hình (CPU; RAM; ổ đĩa)", "Configuration (CPU; RAM; disk)"}},
      {"proc_win11", {"Nâng cấp được Windows 11", "Windows 11 ready"}},
      {"proc_proposal", {"Đề xuất", "Proposal"}},
      {"proc_replace", {"Thay mới", "Replace"}},
      {"proc_upgrade_ram_ssd", {"Nâng cấp RAM và SSD", "Upgrade RAM and SSD"}},
      {"proc_update_os", {"Cập nhật hệ điều hành", "Update the OS"}},
      {"proc_keep", {"Giữ nguyên", "Keep"}},
      {"proc_no", {"Không", "No"}},
      {"csv_os_support_ends", {"Hết hỗ trợ từ ngày", "Support ended on"}},
      {"csv_reasons", {"Lý do", "Reasons"}},
      {"csv_single_pc_outages", {"Mất kết nối do cáp/mạng nội bộ của riêng máy", "Own cable/LAN outages"}},
      {"csv_short_drops_per_day", {"Mất kết nối ngắn mỗi ngày", "Short drops a day"}},
      {"csv_crc_minutes", {"Số phút có lỗi CRC", "Minutes with CRC errors"}},
      {"proc_unknown", {"Chưa đủ thông tin", "Not enough data"}},
      {"proc_os_supported", {"còn được hỗ trợ", "supported"}},
      {"proc_os_ended", {"đã hết hỗ trợ", "support ended"}},
      {"proc_os_paid_extension_only", {"chỉ còn hỗ trợ có trả phí", "paid extended support only"}},
      {"proc_os_free_update", {"hết hỗ trợ, nâng cấp miễn phí được", "unsupported, free upgrade available"}},
      {"proc_os_unknown", {"chưa xác định", "unknown"}},
      {"proc_since", {"từ {1}", "since {1}"}},
      {"proc_reason_no_inventory", {"chưa có số liệu kiểm kê", "no inventory"}},
      {"proc_reason_cpu_below_spec", {"bộ xử lý không đạt", "processor below the profile"}},
      {"proc_reason_past_useful_life",
       {"quá thời gian sử dụng và không đạt cấu hình", "past its useful life and below the profile"}},
      {"proc_reason_no_windows11",
       {"hệ điều hành hết hỗ trợ, phần cứng không nâng cấp được Windows 11",
        "OS unsupported and the hardware cannot take Windows 11"}},
      {"proc_reason_ram_below_spec", {"RAM không đạt", "RAM below the profile"}},
      {"proc_reason_hdd", {"ổ đĩa hệ thống là HDD", "system disk is an HDD"}},
      {"proc_reason_os_unsupported", {"hệ điều hành hết hỗ trợ", "OS unsupported"}},
      {"proc_reason_os_free_update", {"nâng cấp miễn phí lên Windows 11", "free upgrade to Windows 11"}},
      {"proc_counts",
       {"Tổng hợp đề xuất: thay mới {1} máy; nâng cấp RAM và SSD {2} máy; cập nhật hệ điều hành {3} máy; giữ nguyên "
        "{4} máy; chưa đủ thông tin {5} máy.",
        "Summary: replace {1}; upgrade RAM and SSD {2}; update the OS {3}; keep {4}; not enough data {5}."}},
      {"proc_life",
       {"Thời gian sử dụng của máy tính: {1} năm theo {2}.", "Useful life of a computer: {1} years under {2}."}},
      {"proc_price",
       {"Mức giá tối đa một máy tính để bàn: {1} đồng theo {2}; thay mới {3} máy: tối đa {4} đồng.",
        "Price ceiling of one desktop PC: {1} VND under {2}; replacing {3}: at most {4} VND."}},
      {"proc_no_price",
       {"Chưa thiết lập mức giá tối đa (report.json: procurement.price_ceiling_vnd).",
        "No price ceiling configured (report.json: procurement.price_ceiling_vnd)."}},
      {"proc_checked",
       {"Các quy định trên được kiểm tra lần cuối {1} và thiết lập được trong tệp report.json; đề nghị kiểm tra lại "
        "văn "
        "bản đang có hiệu lực trước khi sử dụng.",
        "These rules were last checked {1} and are set in report.json; check the rules in force before quoting."}},
      {"proc_rule",
       {"Quy tắc đề xuất: thay mới khi bộ xử lý không đạt, hoặc máy quá thời gian sử dụng mà không đạt cấu hình, "
        "hoặc hệ điều hành hết hỗ trợ mà phần cứng không nâng cấp được Windows 11; nâng cấp RAM và SSD khi chỉ RAM "
        "hoặc ổ đĩa không đạt; cập nhật hệ điều hành khi chỉ hệ điều hành hết hỗ trợ.",
        "Rule: replace when the processor is below the profile, or the PC is past its useful life and below the "
        "profile, or its OS is unsupported and the hardware cannot take Windows 11; upgrade RAM and SSD when only "
        "RAM or the disk fall short; update the OS when only the OS is unsupported."}},
      {"sites_unit", {"địa điểm", "sites"}},
      {"working_days_col", {"Ngày làm việc có số liệu", "Working days with data"}},
      {"cabling_per_week_col",
       {"Mất kết nối do cáp/mạng nội bộ của riêng máy (lần/máy/tuần)", "Own cable/LAN outages (per PC per week)"}},
      {"events_col", {"Số lần mất kết nối", "Outages"}},
      {"verdict_col", {"Đánh giá", "Verdict"}},
      {"share_of_downtime", {"{1}% tổng thời gian mất kết nối", "{1}% of all downtime"}},
      {"agency_wide_event", {"Nhiều địa điểm: {1}", "Several sites: {1}"}},
      {"shared_event", {"Vài máy tại {1} (thiết bị dùng chung)", "Several PCs at {1} (shared equipment)"}},
      {"machines_pending", {"Máy còn số liệu chưa gửi về", "PCs with records still to come"}},
      {"data_until", {"{1}: số liệu đến {2}", "{1}: data up to {2}"}},
      {"pending_note",
       {"Các bản ghi máy lập sau thời điểm này sẽ được gửi khi máy hoạt động và kết nối lại.",
        "Records made after that time are sent when the PC next runs and connects."}},
      {"downtime", {"Tổng thời gian mất kết nối (cộng theo từng máy)", "Total downtime (summed over PCs)"}},
      {"event_downtime", {"Tổng thời gian gián đoạn (theo lần mất kết nối)", "Outage duration (per outage, summed)"}},
      {"mean_downtime", {"Thời gian gián đoạn bình quân mỗi lần", "Mean outage duration"}},
      {"mtbf", {"Thời gian hoạt động bình quân giữa hai lần mất kết nối (MTBF, mỗi máy)", "MTBF (per PC)"}},
      {"mttr", {"Thời gian khôi phục bình quân (MTTR, mỗi máy)", "MTTR (per PC)"}},
      {"by_cause", {"Số lần mất kết nối theo nguyên nhân", "Outages by cause"}},
      {"cause", {"Nguyên nhân", "Cause"}},
      {"heatmap", {"Tỷ lệ sẵn sàng theo ngày và theo máy", "Availability per day and machine"}},
      {"events", {"Danh sách các lần mất kết nối", "Outages, one by one"}},
      {"start", {"Bắt đầu", "Start"}},
      {"end", {"Kết thúc", "End"}},
      {"duration", {"Thời gian", "Duration"}},
      {"scope_col", {"Phạm vi", "Scope"}},
      {"machines_col", {"Máy bị ảnh hưởng", "Machines"}},
      {"links", {"Máy và cổng mạng có dấu hiệu cáp kém", "Machines and ports with cable symptoms"}},
      {"interface", {"Cổng mạng", "Interface"}},
      {"flaps", {"Số lần chập chờn", "Link flaps"}},
      {"crc", {"Lỗi CRC", "CRC errors"}},
      {"downgrades", {"Giảm tốc độ liên kết", "Speed downgrades"}},
      {"speed", {"Tốc độ liên kết (Mb/s)", "Link speed (Mb/s)"}},
      {"probes", {"Tỷ lệ mất gói và độ trễ", "Packet loss and latency"}},
      {"layer", {"Lớp đo", "Layer"}},
      {"loss", {"Tỷ lệ mất gói", "Packet loss"}},
      {"latency_p50", {"Độ trễ trung vị (ms)", "Median latency (ms)"}},
      {"latency_p95", {"Độ trễ P95 (ms)", "P95 latency (ms)"}},
      {"jitter", {"Độ biến động trễ (ms)", "Jitter (ms)"}},
      {"per_machine", {"Tỷ lệ sẵn sàng theo máy", "Availability per machine"}},
      {"claim", {"Nội dung báo cáo", "Claim of the report"}},
      {"finding", {"Số liệu", "What the figures say"}},
      {"assessment", {"Đánh giá", "Assessment"}},
      {"none", {"Không có", "None"}},
      {"unknown", {"Chưa xác định", "Unknown"}},
      {"no_data", {"Không có số liệu", "No data"}},
      {"layer_gateway", {"Cổng mặc định (gateway)", "Default gateway"}},
      {"layer_lan", {"Máy chủ nội bộ (LAN)", "LAN targets"}},
      {"layer_internet", {"Internet", "Internet"}},
      {"layer_dns", {"Phân giải tên miền (DNS)", "DNS"}},
      {"legend_off", {"Không quan sát", "Not observed"}},
      {"legend_non_working", {"Ngoài giờ làm việc (ngày nghỉ)", "Outside working days"}},
      {"lang_code", {"vi", "en"}},

      // Section I (render_html_scope.cpp): where the probe settings come from.
      {"probe_mixed",
       {"Các máy dùng thiết lập khác nhau (chu kỳ, ngưỡng mất/có): ",
        "Machines used different settings (interval, down/up): "}},
      {"probe_changed", {". Đã thay đổi thiết lập trong kỳ: ", ". Changed during the period: "}},
      {"probe_as_recorded", {"Theo bản ghi đo", "As recorded"}},
      {"probe_not_recorded_by",
       {". Không có trong bản ghi của (thiết lập được ghi kèm mỗi lần mất kết nối): ",
        ". Not recorded by (settings are recorded with each outage): "}},
      {"probe_default", {"Không có trong bản ghi; giá trị mặc định của itsa", "Not in the records; itsa's default"}},
      // Section I: indicator notes.
      {"machines_no_data", {"Không có số liệu (máy tắt hoặc chưa gửi): ", "No data (off or not reporting): "}},
      {"clock_synced_all",
       {"Toàn bộ thời gian quan sát có đồng hồ đã đồng bộ (NTP)", "Clock NTP-synchronised throughout"}},
      {"clock_unsynced_machines", {"Máy có thời gian chưa đồng bộ: ", "Machines with unsynchronised time: "}},
      {"clock_unsynced_outages",
       {"; số lần mất kết nối ghi nhận khi chưa đồng bộ: ", "; outages recorded while unsynchronised: "}},
      // Section I: what each cause means.
      {"probe_method",
       {"Mỗi máy tự đo kiểm kết nối {1} giây một lượt tới cổng mặc định (gateway), máy chủ nội bộ, các địa chỉ "
        "Internet và máy chủ DNS. Một lần mất kết nối được ghi nhận khi {2} lượt đo liên tiếp thất bại, và kết thúc "
        "khi {3} lượt đo liên tiếp thành công; thời điểm bắt đầu là lượt thất bại đầu tiên, thời điểm kết thúc là "
        "lượt thành công đầu tiên.",
        "Each PC probes its default gateway, LAN targets, internet targets and DNS every {1} s. An outage opens "
        "after {2} failed rounds in a row and closes after {3} good rounds; it starts at the first failed round and "
        "ends at the first good one."}},
      {"probe_mixed_see_s1",
       {" Các máy dùng chu kỳ/ngưỡng khác nhau: xem mục I.", " Machines used different settings: see section I."}},
      {"meaning_link_down",
       {"máy mất tín hiệu liên kết ở card mạng (rút/đứt cáp, đầu nối hỏng, cổng switch hỏng) hoặc không có card mạng "
        "dùng được.",
        "the PC's network card lost carrier (cable pulled or broken, bad connector or switch port) or no usable "
        "interface."}},
      {"meaning_lan",
       {"card mạng vẫn có tín hiệu nhưng cổng mặc định không trả lời cả ở mức liên kết (ARP), hoặc thiết bị nội bộ "
        "vốn luôn trả lời nay im lặng (switch, cáp trục, thiết bị mạng nội bộ).",
        "the link is up but the gateway does not answer even at link level (ARP), or a LAN device that always "
        "answered is silent (switches, backbone cabling, LAN devices)."}},
      {"meaning_upstream",
       {"cổng mặc định vẫn liên lạc được nhưng các địa chỉ Internet trên ít nhất hai mạng độc lập đều không trả "
        "lời (đường truyền của nhà cung cấp dịch vụ).",
        "the gateway is reachable but internet targets on at least two independent networks do not answer (the "
        "provider's line)."}},
      {"meaning_dns",
       {"các địa chỉ vẫn đến được nhưng không phân giải được tên miền.",
        "addresses are reachable but name resolution fails."}},
      {"meaning_unknown",
       {"có mất kết nối nhưng số liệu không đủ để xác định vị trí hỏng (ví dụ cổng mặc định không trả lời ping và "
        "không kiểm tra được ARP); không tính vào mạng nội bộ hay cáp.",
        "connectivity failed but the evidence does not show where (e.g. a gateway that ignores ping and no ARP "
        "check); not counted as LAN or cabling."}},
      {"site_wide_meaning",
       {"Mất kết nối toàn bộ máy tại một địa điểm: cùng trong một phút, quá nửa số máy đang hoạt động tại địa điểm "
        "đó (tối thiểu 2 máy) cùng mất kết nối; được tính là một lần.",
        "Site-wide outage: within the same minute, more than half of a site's observing PCs (at least 2) are down; "
        "counted once."}},
      {"shared_meaning",
       {"Vài máy cùng lúc (thiết bị dùng chung): từ 2 máy trở lên tại một địa điểm cùng mất kết nối trong cùng một "
        "phút với cùng nguyên nhân nhưng chưa đến quá nửa số máy; được tính là một lần, không tính là lỗi dây mạng "
        "của từng máy.",
        "Several PCs together (shared equipment): 2 or more PCs of a site down in the same minute with the same "
        "cause, but not most of the site; counted once, not as each PC's cabling."}},
      {"agency_wide_meaning",
       {"Nhiều địa điểm cùng lúc: mất kết nối do nhà cung cấp Internet hoặc DNS xảy ra cùng lúc tại từ 2 địa điểm "
        "trở lên; được tính là một lần cho toàn cơ quan.",
        "Several sites at once: an outage caused by the internet provider or DNS at 2 or more sites at the same "
        "time; counted once for the whole agency."}},
      // Section I: limits of the evidence.
      {"limit_off",
       {"Máy tắt thì không quan sát được gì: thời gian máy tắt không được tính vào thời gian quan sát và cũng không "
        "được tính là mất kết nối. Tỷ lệ sẵn sàng tính trên thời gian quan sát, không tính trên toàn bộ thời gian.",
        "A PC that is off observes nothing: its off time is neither observed time nor downtime. Availability is over "
        "observed time, not wall time."}},
      {"limit_not_observed", {"Không có số liệu quan sát trong kỳ: {1}.", "No observation in the period: {1}."}},
      {"limit_no_inventory", {"Chưa có số liệu kiểm kê cấu hình: {1}.", "No inventory: {1}."}},
      {"limit_office_hours",
       {"Chỉ tính trong giờ làm việc; mất kết nối ngoài giờ làm việc không được tính (một lần mất kết nối kéo dài "
        "qua giờ nghỉ trưa chỉ được tính phần nằm trong giờ làm việc).",
        "Only office hours count; an outage spanning the lunch break counts only its office-hour parts."}},
      {"limit_bios_age",
       {"Tuổi máy ước tính theo ngày phát hành BIOS; nếu BIOS đã được cập nhật thì tuổi thực của máy có thể lớn hơn.",
        "Machine age is estimated from the BIOS release date; an updated BIOS makes a machine look younger than it "
        "is."}},
      {"limit_cause_layer",
       {"Nguyên nhân được xác định theo lớp đo thất bại thấp nhất; \"mạng nội bộ\" bao gồm cả switch và cáp trục, "
        "không riêng cáp của từng máy.",
        "The cause is the lowest layer that failed; \"office LAN\" includes switches and backbone cabling, not only "
        "a PC's own cable."}},
      {"limit_summed",
       {"Tổng thời gian mất kết nối, MTBF và MTTR được cộng theo từng máy (một sự cố làm 3 máy mất kết nối 10 phút "
        "được tính 30 phút-máy).",
        "Total downtime, MTBF and MTTR are summed per PC (an outage that takes 3 PCs down for 10 minutes counts 30 "
        "PC-minutes)."}},

      // Section II (render_html_computers.cpp).
      {"failing_reason", {"{1} (thực tế {2}; yêu cầu {3})", "{1} (measured {2}; required {3})"}},
      {"of_total_machines", {"trên tổng số {1} máy", "of {1}"}},
      {"of_assessed", {"{1} số máy được đánh giá", "{1} of assessed PCs"}},
      {"oldest", {"Máy cũ nhất: {1}", "Oldest: {1}"}},
      {"of_known_age", {"trên {1} máy xác định được tuổi", "of {1} with a known age"}},
      {"often_saturated", {"Số máy có từ 10% thời gian trở lên: {1}", "PCs at or above 10% of the time: {1}"}},
      {"age_hist_axis",
       {"Tuổi máy (năm); màu đỏ: đã quá thời gian sử dụng 5 năm", "Age (years); red: past the 5-year useful life"}},

      // Section III (render_html_network.cpp).
      {"over", {"Trên {1}", "Over {1}"}},
      {"per_pc_summed", {"Cộng theo từng máy: {1}", "Per PC, summed: {1}"}},
      {"downtime_note", {"Thời gian: {1}", "Downtime: {1}"}},
      {"no_outage", {"Không có lần mất kết nối", "No outage"}},
      {"degraded_minutes",
       {"Số phút chất lượng kém (mất gói hoặc trễ cao, chưa đến mức mất kết nối)",
        "Degraded minutes (loss or high latency, no outage)"}},
      {"site_wide_event", {"Toàn bộ máy tại {1}", "Site-wide {1}"}},
      {"one_pc", {"Một máy", "One PC"}},
      {"local_times_office",
       {"Thời điểm theo giờ địa phương; thời gian mất kết nối chỉ tính phần nằm trong giờ làm việc và trong thời gian "
        "máy được quan sát.",
        "Local times; the duration counts only the part within office hours and observed time."}},
      {"minutes_below_max", {"{1} phút dưới tốc độ tối đa", "{1} min below max"}},
      {"no_symptom", {"Không ghi nhận dấu hiệu", "No symptom recorded"}},
      // Claim 3 and 4 (compute_claims.cpp): the network's losses and the cabling evidence.
      {"claim_loss_source",
       {"Hệ thống dây mạng thường xuyên mất kết nối.", "The network cabling frequently loses connection."}},
      {"claim_loss_insufficient",
       {"Mới có số liệu của {1} giờ-máy trong {2} ngày làm việc, độ bao phủ {3} (ghi nhận {7} lần mất kết nối). Để "
        "đánh giá tần suất mất kết nối cần tối thiểu {4} giờ-máy, {5} ngày làm việc có số liệu và độ bao phủ từ {6}% "
        "trở lên; chưa đủ số liệu để kết luận.",
        "Only {1} PC-hours over {2} working days were observed, coverage {3} ({7} outages recorded). Judging how often "
        "the network drops needs at least {4} PC-hours, {5} working days with data and {6}% coverage: not enough data "
        "to conclude."}},
      {"claim_loss_text",
       {"Trong {1} giờ-máy quan sát{2}, ghi nhận {3} lần mất kết nối (tỷ lệ sẵn sàng {4}, tổng thời gian mất kết nối "
        "{5}), gồm: {6} lần do cáp/cổng mạng của máy, {7} lần do mạng nội bộ (LAN), {8} lần do nhà cung cấp dịch vụ "
        "Internet, {9} lần do DNS.",
        "Over {1} observed PC-hours{2}, {3} outages were recorded (availability {4}, total downtime {5}): {6} from a "
        "PC's own cable/port, {7} from the office LAN, {8} from the internet provider, {9} from DNS."}},
      {"claim_loss_office", {" trong giờ làm việc", " of working time"}},
      {"claim_loss_scope",
       {" {1} lần ảnh hưởng cùng lúc nhiều địa điểm (phía nhà cung cấp), {2} lần ảnh hưởng phần lớn máy tại một địa "
        "điểm và {3} lần ảnh hưởng đồng thời vài máy (thiết bị dùng chung như switch): các lần này không tính là do "
        "dây mạng của từng máy.",
        " {1} hit several sites at once (provider side), {2} hit most PCs of a site and {3} hit several PCs together "
        "(shared equipment such as a switch): these are not counted as any PC's cabling."}},
      {"claim_loss_per_week",
       {" Bình quân mỗi máy mất kết nối do cáp hoặc mạng nội bộ của riêng máy đó {1} lần/tuần làm việc.",
        " On average each PC lost the network through its own cable or LAN path {1} times per working week."}},
      {"claim_loss_short_drops",
       {" Ngoài ra có {1} lần mất kết nối ngắn (chưa đến mức được tính là mất kết nối) trên cáp mạng của các máy.",
        " Besides, {1} short drops (too short to count as outages) were recorded on the PCs' wired links."}},
      {"claim_loss_site", {"{1}: {2} lần/máy/tuần ({3})", "{1}: {2} per PC per week ({3})"}},
      {"claim_loss_sites",
       {" Theo từng địa điểm (mất kết nối do cáp hoặc mạng nội bộ của riêng một máy, bình quân mỗi máy mỗi tuần làm "
        "việc; địa điểm nặng nhất trước): {1}.",
        " By site (outages through one PC's own cable or LAN path, per PC and working week; worst first): {1}."}},
      {"claim_loss_some_sites",
       {" Tính chung toàn cơ quan chưa đến mức thường xuyên, nhưng có địa điểm đạt mức thường xuyên (xem theo từng "
        "địa điểm ở trên).",
        " Across the agency it is not frequent, but it is at the sites shown above."}},
      {"claim_loss_provider_share",
       {" Phía nhà cung cấp Internet/DNS gây ra {1}% tổng thời gian mất kết nối của các máy: sửa chữa dây mạng trong "
        "cơ quan không khắc phục được phần này.",
        " The internet provider/DNS caused {1}% of the PCs' total downtime: repairing the office cabling will not "
        "recover that part."}},
      {"claim_loss_partly",
       {" Có mất kết nối do cáp hoặc mạng nội bộ nhưng chưa đến mức thường xuyên (dưới 1 lần/máy/tuần).",
        " Cable or LAN outages occur, but less than once per PC per week."}},
      {"claim_loss_none",
       {" Không ghi nhận lần mất kết nối nào do cáp hoặc mạng nội bộ của riêng một máy; theo số liệu đo, nội dung "
        "này không có cơ sở.",
        " No outage was caused by a single PC's cabling or LAN path; the data do not support this claim."}},
      {"claim_loss_provider",
       {" Phần lớn thời gian mất kết nối do phía nhà cung cấp Internet/DNS, không phải do dây mạng trong cơ quan.",
        " Most of the downtime came from the internet provider or DNS, not from the office cabling."}},
      {"claim_cabling_source",
       {"Hệ thống dây mạng lắp đặt trên 15 năm đã xuống cấp, hư hỏng.",
        "The cabling, installed over 15 years ago, is degraded and damaged."}},
      {"claim_cabling_no_data",
       {"Chưa có số liệu về trạng thái liên kết vật lý (cổng mạng) trong kỳ.",
        "No physical-link data were recorded in the period."}},
      {"claim_cabling_rule",
       {"Dấu hiệu cáp hoặc đầu nối kém của một máy (chỉ tính cáp mạng, không tính Wi-Fi): từ {1} lần mất kết nối ngắn "
        "mỗi ngày trở lên, hoặc lỗi CRC/lỗi khung tăng dần (trong từ {2} phút khác nhau trở lên), hoặc tốc độ liên kết "
        "tụt xuống khi đang kết nối.",
        "Signs of a poor cable or connector on a PC (wired links only, not Wi-Fi): {1} or more short drops a day, or "
        "CRC/alignment errors that keep growing (in {2} or more separate minutes), or a link speed that drops while "
        "connected."}},
      {"claim_cabling_counts",
       {" {1} máy có mất kết nối ngắn từ {3} lần/ngày trở lên, {2} máy có lỗi CRC tăng dần, {4} máy bị hạ tốc độ "
        "liên kết — tổng cộng {5}/{6} máy có dấu hiệu cáp hoặc đầu nối kém.",
        " {1} PCs had {3} or more short drops a day, {2} had growing CRC errors, {4} had their link speed drop — {5} "
        "of {6} PCs show signs of a poor cable or connector."}},
      {"claim_cabling_pc",
       {" {1}: {2} lần mất kết nối ngắn mỗi ngày trên máy này.", " {1}: {2} short drops a day on this PC."}},
      {"claim_cabling_below_max",
       {" {1} máy có card mạng chạy cố định dưới tốc độ tối đa (ví dụ card 1 Gb/s nối switch 100 Mb/s): nêu để biết, "
        "tự nó không phải dấu hiệu cáp hỏng.",
        " {1} PCs run at a constant speed below their card's maximum (e.g. a 1 Gb/s card on a 100 Mb/s switch): shown, "
        "but by itself no sign of a bad cable."}},
      {"claim_cabling_wifi",
       {" Wi-Fi: {1} lần mất kết nối trên {2} máy, tính riêng, không phải do dây mạng.",
        " Wi-Fi: {1} disconnects on {2} PCs, counted apart, not cabling."}},
      {"claim_cabling_resume",
       {" {1} lần mất tín hiệu liên kết ngay khi máy ngủ/thức dậy không được tính.",
        " {1} link losses right at a suspend or resume are not counted."}},
      {"claim_cabling_none",
       {" Số liệu không cho thấy dấu hiệu hư hỏng ở lớp vật lý.", " The data show no physical-layer damage."}},
      {"claim_cabling_supported",
       {" Đề nghị khảo sát, đo kiểm, sửa chữa hệ thống cáp mạng, ưu tiên các cổng nêu tại mục III.",
        " A cabling survey, test and repair is warranted, starting with the ports listed in section III."}},
      {"claim_cabling_partly",
       {" Dấu hiệu tập trung ở một số ít máy, nên kiểm tra cục bộ các cổng này trước.",
        " The symptoms are limited to a few PCs; check those ports first."}},
      {"cabling_evidence", {"Dấu hiệu về cáp mạng theo từng máy", "Cabling evidence per PC"}},
      {"short_drops_per_day", {"Số lần mất kết nối ngắn mỗi ngày (cáp mạng)", "Short drops a day (wired)"}},
      {"wifi_disconnects", {"Mất kết nối Wi-Fi (tính riêng)", "Wi-Fi disconnects (apart)"}},
      {"speed_downgrades", {"Số lần hạ tốc độ", "Speed downgrades"}},
      {"cabling_sign", {"Dấu hiệu cáp kém", "Cable sign"}},
      {"yes", {"Có", "Yes"}},
      {"link_speed_note",
       {"Tốc độ liên kết: thấp nhất ghi nhận / tối đa của card mạng. Tốc độ thấp hơn tối đa nhưng không đổi thường "
        "do cổng switch (ví dụ switch 100 Mb/s), tự nó không phải dấu hiệu cáp hỏng; tốc độ tụt xuống khi đang kết nối "
        "(hạ tốc độ) mới là dấu hiệu của cáp.",
        "Link speed: lowest seen / the card's maximum. A constant speed below the maximum is usually the switch port "
        "(e.g. a 100 Mb/s switch) and by itself no sign of a bad cable; a drop of speed while connected (a downgrade) "
        "is."}},
      {"sent_lost", {"Số gói gửi / mất", "Sent / lost"}},

      // Section IV (render_html_claims.cpp).
      {"claims_intro",
       {"Mỗi nội dung nêu tại mục “Tồn tại, hạn chế, khó khăn” được đối chiếu với số liệu đo; các câu dưới đây có thể "
        "trích dẫn nguyên văn vào báo cáo.",
        "Each claim of the “Shortcomings and difficulties” section set against the measurements; the sentences can "
        "be quoted as they are."}},

      // Charts (svg_charts.cpp).
      {"legend_fails", {"Không đạt", "Fails"}},
      {"legend_passes", {"Đạt", "Passes"}},

      // Durations (fmt_duration).
      {"duration_seconds", {"{1} giây", "{1} s"}},
      {"duration_minutes", {"{1} phút", "{1} min"}},
      {"duration_hours", {"{1} giờ {2} phút", "{1} h {2} min"}},

      // Outage causes (cause_label).
      {"cause_link_down", {"Cáp/cổng mạng của máy", "Own cable/port"}},
      {"cause_lan", {"Mạng nội bộ (LAN)", "Office LAN"}},
      {"cause_upstream", {"Nhà cung cấp dịch vụ Internet", "Internet provider"}},
      {"cause_dns", {"Phân giải tên miền (DNS)", "DNS"}},
      {"cause_unknown", {"Chưa xác định được vị trí", "Not determined"}},
      // Claim verdicts (verdict_label).
      {"verdict_supported", {"Có cơ sở", "Supported"}},
      {"verdict_partly_supported", {"Có cơ sở một phần", "Partly supported"}},
      {"verdict_not_supported", {"Không có cơ sở", "Not supported"}},
      {"verdict_insufficient_data", {"Chưa đủ số liệu", "Insufficient data"}},
      {"verdict_not_measured", {"Không thuộc phạm vi đo", "Not measured"}},
      // Machine verdicts (machine_verdict_label).
      {"machine_meets", {"Đạt", "Meets"}},
      {"machine_does_not_meet", {"Không đạt", "Does not meet"}},
      {"machine_unknown", {"Chưa đánh giá", "Unknown"}},
      // Assessment rules (rule_label).
      {"rule_tpm", {"Không có TPM 2.0", "No TPM 2.0"}},
      {"rule_secure_boot", {"Không hỗ trợ Secure Boot", "No Secure Boot"}},
      {"rule_uefi", {"Không khởi động UEFI", "No UEFI boot"}},
      {"rule_generation", {"CPU không thuộc danh sách hỗ trợ", "CPU generation not supported"}},
      {"rule_64bit", {"CPU không phải 64-bit", "CPU not 64-bit"}},
      {"rule_cores", {"CPU ít nhân", "Too few CPU cores"}},
      {"rule_clock", {"Xung nhịp CPU thấp", "CPU clock too low"}},
      {"rule_ram", {"RAM dưới mức yêu cầu", "RAM below the requirement"}},
      {"rule_free", {"Ổ hệ thống còn ít dung lượng trống", "System disk nearly full"}},
      {"rule_hdd", {"Ổ hệ thống là ổ cứng cơ (HDD)", "HDD system disk"}},
      {"rule_storage", {"Dung lượng lưu trữ thấp", "Storage too small"}},
      {"rule_disk", {"Ổ đĩa không đạt yêu cầu", "Disk below the requirement"}},
      {"rule_os", {"Hệ điều hành hết hỗ trợ", "OS out of support"}},
      {"rule_age", {"Máy đã sử dụng trên 5 năm", "Older than 5 years"}},

      // CSV column headers (render_csv.cpp) that are not one of the labels above.
      {"csv_key", {"Mã", "Key"}},
      {"csv_id", {"Mã", "Id"}},
      {"csv_site", {"Địa điểm", "Site"}},
      {"csv_agent_id", {"Mã agent", "Agent id"}},
      {"csv_bios_date", {"Ngày BIOS", "BIOS date"}},
      {"csv_ram_gb", {"RAM (GB)", "RAM (GB)"}},
      {"csv_os_support", {"Hỗ trợ HĐH", "OS support"}},
      {"csv_failing_rules", {"Tiêu chí không đạt", "Failing rules"}},
      {"csv_pressure_minutes", {"Số phút đo tải", "Pressure minutes"}},
      {"csv_cpu_over_90", {"% thời gian CPU > 90%", "% time CPU > 90%"}},
      {"csv_mem_over_90", {"% thời gian RAM > 90%", "% time memory > 90%"}},
      {"csv_over_90", {"% thời gian CPU hoặc RAM > 90%", "% time CPU or memory > 90%"}},
      {"csv_rule_id", {"Mã tiêu chí", "Rule id"}},
      {"csv_reason", {"Lý do", "Reason"}},
      {"csv_pass", {"Đạt", "Pass"}},
      {"csv_fail", {"Không đạt", "Fail"}},
      {"csv_computers", {"Số máy", "Computers"}},
      {"csv_start_utc", {"Bắt đầu (UTC)", "Start (UTC)"}},
      {"csv_end_utc", {"Kết thúc (UTC)", "End (UTC)"}},
      {"csv_start_local", {"Bắt đầu (giờ địa phương)", "Start (local)"}},
      {"csv_end_local", {"Kết thúc (giờ địa phương)", "End (local)"}},
      {"csv_counted_min", {"Thời gian tính (phút)", "Counted duration (min)"}},
      {"csv_cause_id", {"Mã nguyên nhân", "Cause id"}},
      {"csv_interfaces", {"Cổng mạng", "Interfaces"}},
      {"csv_observed_h", {"Thời gian quan sát (giờ)", "Observed (h)"}},
      {"csv_downtime_min", {"Thời gian mất kết nối (phút)", "Downtime (min)"}},
      {"csv_availability_pct", {"Tỷ lệ sẵn sàng (%)", "Availability (%)"}},
      {"csv_outages", {"Số lần mất kết nối", "Outages"}},
      {"csv_link_down", {"Cáp/cổng", "link_down"}},
      {"csv_lan", {"LAN", "lan"}},
      {"csv_upstream", {"Internet", "upstream"}},
      {"csv_dns", {"DNS", "dns"}},
      {"csv_unknown", {"Chưa xác định", "unknown"}},
      {"csv_date", {"Ngày", "Date"}},
      {"csv_flaps", {"Số lần chập chờn", "Flaps"}},
      {"csv_errors", {"Lỗi khác", "Errors"}},
      {"csv_downgrades", {"Giảm tốc độ", "Speed downgrades"}},
      {"csv_minutes_below_max", {"Số phút dưới tốc độ tối đa", "Minutes below max speed"}},
      {"csv_min_speed", {"Tốc độ thấp nhất (Mb/s)", "Lowest speed (Mb/s)"}},
      {"csv_max_speed", {"Tốc độ tối đa (Mb/s)", "Max speed (Mb/s)"}},
      {"csv_minutes", {"Số phút", "Minutes"}},
      {"csv_sent", {"Gói gửi", "Sent"}},
      {"csv_lost", {"Gói mất", "Lost"}},
      {"csv_loss_pct", {"Tỷ lệ mất gói (%)", "Loss (%)"}},
      {"csv_rtt_p50", {"Độ trễ trung vị (ms)", "Median RTT (ms)"}},
      {"csv_rtt_p95", {"Độ trễ P95 (ms)", "P95 RTT (ms)"}},
      {"csv_rtt_max", {"Độ trễ lớn nhất (ms)", "Max RTT (ms)"}},
      {"csv_jitter_avg", {"Jitter bình quân (ms)", "Mean jitter (ms)"}},
      {"csv_claim", {"Nội dung báo cáo", "Claim"}},
      {"csv_verdict", {"Đánh giá", "Verdict"}},

      {"footer",
       {"Số liệu do phần mềm itsa tự động đo kiểm và tổng hợp; mọi chỉ tiêu được tính từ bản ghi đo, không nhập tay.",
        "Figures measured and compiled automatically by itsa; every figure is computed from stored records, none is "
        "typed in."}},
  };
  return k_labels;
}

/// The entry of `key` in `lang`, or nullptr.
const char* find_label(std::string_view key, Lang lang) {
  const auto it = labels().find(key);
  if (it == labels().end()) return nullptr;
  return lang == Lang::vi ? it->second.vi : it->second.en;
}

/// "1234567" → "1.234.567" with `sep`.
std::string group_digits(std::string digits, char sep) {
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), 1, sep);
  return digits;
}

}  // namespace

std::string label(std::string_view key, Lang lang) {
  const char* text = find_label(key, lang);
  return text ? text : std::string(key);
}

std::string label(std::string_view key, Lang lang, std::initializer_list<std::string_view> args) {
  const char* text = find_label(key, lang);
  if (!text) return std::string(key);
  const std::string_view t = text;
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 2 < t.size() && t[i + 1] >= '1' && t[i + 1] <= '9' && t[i + 2] == '}') {
      const auto n = static_cast<std::size_t>(t[i + 1] - '1');
      if (n < args.size()) {
        out += *(args.begin() + n);
        i += 2;
        continue;
      }
    }
    out += t[i];
  }
  return out;
}

std::string fmt_num(double value, int digits, Lang lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  std::string raw = buf;
  const bool negative = !raw.empty() && raw[0] == '-';
  if (negative) raw.erase(0, 1);
  const auto dot = raw.find('.');
  const std::string frac = dot == std::string::npos ? "" : raw.substr(dot + 1);
  const char group = lang == Lang::vi ? '.' : ',';
  const char decimal = lang == Lang::vi ? ',' : '.';
  std::string out = (negative ? "-" : "") + group_digits(raw.substr(0, dot), group);
  if (!frac.empty()) out += decimal + frac;
  return out;
}

std::string format_number(Lang lang, double value, int decimals) {
  if (!std::isfinite(value)) return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string s = buf;
  auto dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  const char group = lang == Lang::vi ? '.' : ',';
  const char dec = lang == Lang::vi ? ',' : '.';
  std::string out =
      (value < 0 && std::fabs(value) >= 0.5 * std::pow(10.0, -decimals) ? "-" : "") + group_digits(whole, group);
  if (!frac.empty()) out += dec + frac;
  return out;
}

std::string fmt_pct(const nlohmann::json& value, int digits, Lang lang) {
  if (!value.is_number()) return "—";
  return fmt_num(value.get<double>(), digits, lang) + "%";
}

std::string fmt_duration(double seconds, Lang lang) {
  const auto total = static_cast<long long>(std::llround(seconds));
  if (total < 60) return label("duration_seconds", lang, {std::to_string(total)});
  const long long minutes = total / 60;
  const long long hours = minutes / 60;
  if (hours == 0) return label("duration_minutes", lang, {std::to_string(minutes)});
  char mm[32];
  std::snprintf(mm, sizeof mm, "%02lld", minutes % 60);
  return label("duration_hours", lang, {std::to_string(hours), mm});
}

std::string fmt_gb(double bytes, Lang lang) {
  return fmt_num(bytes / (1024.0 * 1024 * 1024), 1, lang) + " GB";
}

std::string rule_label(std::string_view id, Lang lang) {
  struct Match {
    const char* needle;  // first needle found in the id wins
    const char* key;
  };
  static const Match k_rules[] = {
      {"tpm", "rule_tpm"},         {"secure_boot", "rule_secure_boot"},
      {"uefi", "rule_uefi"},       {"generation", "rule_generation"},
      {"64", "rule_64bit"},        {"arch", "rule_64bit"},
      {"core", "rule_cores"},      {"mhz", "rule_clock"},
      {"speed", "rule_clock"},     {"ram", "rule_ram"},
      {"memory", "rule_ram"},      {"free", "rule_free"},
      {"ssd", "rule_hdd"},         {"media", "rule_hdd"},
      {"storage", "rule_storage"}, {"disk", "rule_disk"},
      {"os", "rule_os"},           {"age", "rule_age"},
  };
  for (const Match& m : k_rules) {
    if (id.find(m.needle) != std::string_view::npos) return label(m.key, lang);
  }
  return std::string(id);
}

std::string cause_label(std::string_view cause, Lang lang) {
  if (cause == "link_down") return label("cause_link_down", lang);
  if (cause == "lan") return label("cause_lan", lang);
  if (cause == "upstream") return label("cause_upstream", lang);
  if (cause == "dns") return label("cause_dns", lang);
  if (cause == "unknown") return label("cause_unknown", lang);
  return label("unknown", lang);
}

std::string verdict_label(std::string_view verdict, Lang lang) {
  if (verdict == "supported") return label("verdict_supported", lang);
  if (verdict == "partly_supported") return label("verdict_partly_supported", lang);
  if (verdict == "not_supported") return label("verdict_not_supported", lang);
  if (verdict == "insufficient_data") return label("verdict_insufficient_data", lang);
  return label("verdict_not_measured", lang);
}

std::string machine_verdict_label(std::string_view verdict, Lang lang) {
  if (verdict == "meets") return label("machine_meets", lang);
  if (verdict == "does_not_meet") return label("machine_does_not_meet", lang);
  return label("machine_unknown", lang);
}

std::string csv_cell(std::string_view value, bool text) {
  std::string s;
  if (text && !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) s = "'";
  s += value;
  if (s.find_first_of(",;\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace itsa::report
