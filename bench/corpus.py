"""Complaint texts and customer names in Vietnamese, Thai and English for the benchmark's cases.

Shared by the bulk seeder (historical cases) and the POST scenario (the bodies wrk sends), so both exercise
the same language detection and subject extraction paths as real traffic.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, list[str]] = {
    "vi": [
        "Phòng 1204 điều hòa không hoạt động từ tối qua, tôi đã gọi lễ tân hai lần nhưng chưa ai lên sửa.",
        "Nhân viên nhà hàng phục vụ rất chậm, chúng tôi chờ món hơn 50 phút mà không có lời xin lỗi nào.",
        "Tôi bị tính tiền minibar hai lần trên hóa đơn, mong khách sạn kiểm tra và hoàn lại tiền sớm.",
        "Khăn tắm trong phòng có vết bẩn và mùi ẩm mốc, rất thất vọng với tiêu chuẩn vệ sinh.",
        "Đặt phòng hướng biển nhưng lại được xếp phòng nhìn ra bãi đỗ xe, lễ tân nói đã hết phòng.",
        "Wifi trong phòng chập chờn cả ngày, tôi không thể làm việc được, cần hỗ trợ gấp.",
        "Xe đưa đón sân bay đến trễ 40 phút, gia đình tôi suýt lỡ chuyến bay về Hà Nội.",
        "Món phở bị nguội và nước dùng quá mặn, nhân viên không đổi món khi tôi phản ánh.",
        "Tiếng ồn từ công trình bên cạnh bắt đầu từ 6 giờ sáng, không ai báo trước cho khách.",
        "Nhân viên spa hủy lịch hẹn của tôi mà không thông báo, tôi đã chờ ở quầy 30 phút.",
        "khong co nuoc nong trong phong tam tu sang den gio, nhan vien noi se sua nhung chua thay ai",
        "Thẻ phòng bị hỏng ba lần trong hai ngày, mỗi lần phải xuống lễ tân làm lại rất bất tiện.",
    ],
    "th": [
        "แอร์ในห้องพักไม่เย็นตั้งแต่เมื่อคืน โทรแจ้งแผนกต้อนรับสองครั้งแล้วแต่ยังไม่มีใครมาซ่อม",
        "พนักงานร้านอาหารบริการช้ามาก รออาหารเกือบหนึ่งชั่วโมงโดยไม่มีคำขอโทษ",
        "ถูกเรียกเก็บเงินค่ามินิบาร์ซ้ำสองครั้งในใบเสร็จ กรุณาตรวจสอบและคืนเงินด้วยค่ะ",
        "ผ้าเช็ดตัวในห้องมีคราบและมีกลิ่นอับ ผิดหวังกับมาตรฐานความสะอาดมาก",
        "จองห้องวิวทะเลแต่ได้ห้องที่มองเห็นลานจอดรถ พนักงานบอกว่าห้องเต็ม",
        "อินเทอร์เน็ตในห้องหลุดตลอดทั้งวัน ทำงานไม่ได้เลย ต้องการความช่วยเหลือด่วน",
        "รถรับส่งสนามบินมาสายสี่สิบนาที เกือบตกเครื่องกลับเชียงใหม่",
        "ต้มยำกุ้งเย็นชืดและเค็มเกินไป พนักงานไม่ยอมเปลี่ยนให้เมื่อแจ้ง",
        "เสียงดังจากงานก่อสร้างข้างโรงแรมตั้งแต่หกโมงเช้า ไม่มีการแจ้งล่วงหน้า",
        "สปายกเลิกนัดของฉันโดยไม่แจ้ง ต้องรอที่เคาน์เตอร์สามสิบนาที",
    ],
    "en": [
        "The air conditioning in room 1204 has not worked since last night; I called reception twice.",
        "Service at the restaurant was very slow, we waited almost an hour for our food with no apology.",
        "I was charged twice for the minibar on my bill, please check and refund the difference.",
        "The towels in our room were stained and smelled damp, very disappointing for this hotel.",
        "We booked a sea view room but were given one facing the car park, reception said it was full.",
        "The wifi keeps dropping all day and I cannot work, I need help urgently please.",
        "The airport shuttle arrived forty minutes late and my family almost missed our flight home.",
        "My soup was served cold and far too salty, and the waiter refused to replace it.",
        "Construction noise next door started at six in the morning and nobody warned the guests.",
        "The spa cancelled my appointment without telling me and I waited at the desk for half an hour.",
        "Key card stopped working three times in two days, each time I had to queue at reception again.",
        "Housekeeping did not clean our room yesterday even though we left the sign out before noon.",
    ],
}

NAMES: dict[str, list[str]] = {
    "vi": ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hoàng Anh", "Phạm Thu Hà", "Vũ Đức Thắng", "Đặng Mai Phương"],
    "th": ["สมชาย ใจดี", "สุดารัตน์ แก้วมณี", "ประยุทธ์ ทองคำ", "วิไลวรรณ ศรีสุข", "ธนากร พงษ์ไพร"],
    "en": ["Emma Wilson", "James Carter", "Olivia Brown", "Liam Johnson", "Sophie Martin", "Daniel Lee"],
}

# Share of traffic per language: the desk serves Vietnamese and Thai properties with international guests.
LANGUAGE_MIX = {"vi": 0.45, "th": 0.30, "en": 0.25}
