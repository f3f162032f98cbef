"""Vietnamese texts for the demo: what guests write (on Zalo, Facebook, email) and what staff answer.

Fragments, not whole cases: `compose` picks and fills them. Slots: {room} {table} {time} {dish} {amount}
{staff} {minutes} {treatment} {hotel} {title} {Title} {short} {name} {agent} {action} {cause} {prevent}
{remedy} {subject}. A leading "^" marks a hotel-only fragment, "~" a restaurant-only one; a fragment with
{room} is hotel-only and one with {table} restaurant-only. The lists under "subject", "action", "cause" and
"prevent" are aligned across the three languages (entry i says the same thing), as are REMEDIES' keys.
"""

from __future__ import annotations

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = {"m": ("Văn", "Đức", "Minh", "Quốc", "Thanh", "Hữu"), "f": ("Thị", "Ngọc", "Thu", "Phương", "Thanh", "Mỹ")}
GIVEN = {
    "m": ("Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Quân", "Khánh", "Phúc", "Bảo", "Sơn", "Trung"),
    "f": ("Lan", "Hương", "Linh", "Trang", "Mai", "Thảo", "Ngọc", "Hà", "Vy", "Nhung", "Yến", "Giang"),
}
TITLES = {"m": "anh", "f": "chị"}

# Staff the guests mention by name, and what they ate or booked (aligned with corpus_en's *_VN lists).
STAFF = ("Hùng", "Trang", "Tú", "Vy", "Nam", "Hạnh")
DISHES = ("phở bò tái", "bún chả", "cá kho tộ", "cơm chiên hải sản", "gỏi cuốn tôm", "lẩu hải sản", "bò lúc lắc",
          "mì Quảng")
TREATMENTS = ("massage đá nóng 90 phút", "gội đầu dưỡng sinh", "massage chân 60 phút", "chăm sóc da mặt")

CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "housekeeping": {
        "subject": ("Phòng {room} chưa được dọn dẹp", "Phòng {room} bẩn, khăn và ga giường không sạch"),
        "problem": (
            "Phòng {room} hôm qua không ai vào dọn, rác vẫn để nguyên, khăn tắm ướt cũng không thay.",
            "Khăn tắm trong phòng {room} có vết ố vàng và mùi ẩm mốc, ga giường còn dính tóc của khách trước.",
            "Mình treo biển dọn phòng từ 9h sáng mà tới {time} vẫn chưa ai dọn phòng {room}.",
            "Nhà tắm phòng {room} có nấm mốc ở góc tường, bồn cầu thì chưa được cọ rửa.",
        ),
        "impact": (
            "Con tôi bị dị ứng, cả đêm gãi không ngủ được.",
            "Tôi phải tự xuống lễ tân xin khăn tới hai lần.",
            "Vợ tôi không dám tắm, cả nhà rất khó chịu.",
        ),
        "action": (
            "cho bộ phận buồng phòng dọn lại toàn bộ phòng {room} và thay mới khăn, ga giường",
            "đổi sang phòng mới đã được giám sát buồng phòng kiểm tra kỹ",
            "cho giám sát buồng phòng kiểm tra lại phòng {room} cùng bạn {staff}",
        ),
        "cause": (
            "ca buồng phòng hôm đó thiếu người nên phòng {room} bị bỏ sót",
            "khăn và ga từ mẻ giặt chưa đạt không được kiểm tra trước khi đưa lên phòng",
        ),
        "prevent": (
            "yêu cầu giám sát ký xác nhận từng phòng trước khi kết thúc ca",
            "kiểm tra ngẫu nhiên đồ vải từ nhà giặt mỗi ngày",
        ),
    },
    "air-conditioning": {
        "subject": ("Điều hòa phòng {room} không mát", "Điều hòa phòng {room} chảy nước, kêu to"),
        "problem": (
            "Điều hòa phòng {room} chạy cả đêm mà không mát, để 18 độ vẫn nóng hầm hập.",
            "Máy lạnh phòng {room} chảy nước xuống sàn, ướt hết cả vali của tôi.",
            "Điều hòa kêu ù ù rất to, tắt đi thì nóng, bật lên thì không ngủ được.",
            "Remote điều hòa phòng {room} hỏng, gọi lễ tân lúc {time} mà chưa ai lên.",
        ),
        "impact": (
            "Em bé nhà mình nóng quá khóc cả đêm, sáng nay bị sốt nhẹ.",
            "Tôi gần như thức trắng, sáng nay họp với khách hàng mà mệt rũ.",
            "Hai vợ chồng phải mở cửa ban công ngủ, muỗi đốt đầy người.",
        ),
        "action": (
            "cho kỹ thuật lên vệ sinh và nạp lại gas điều hòa phòng {room}",
            "đổi sang phòng khác cùng hạng có điều hòa đã kiểm tra",
            "thay mới dàn lạnh và remote điều hòa phòng {room}",
        ),
        "cause": (
            "lưới lọc điều hòa bị bám bụi và thiếu gas nhưng chưa đến lịch bảo trì",
            "ống thoát nước điều hòa bị tắc mà ca kỹ thuật đêm không kiểm tra",
        ),
        "prevent": (
            "rút lịch bảo trì điều hòa xuống còn mỗi tháng một lần vào mùa nóng",
            "thêm bước thử điều hòa vào checklist trước khi giao phòng",
        ),
    },
    "wifi": {
        "subject": ("Wifi phòng {room} chập chờn", "Wifi và tiện ích không hoạt động"),
        "problem": (
            "Wifi phòng {room} cứ vài phút lại rớt, gọi video không được.",
            "Mạng ở khách sạn chậm kinh khủng, tải một file email cũng mất cả chục phút.",
            "^Bể bơi đóng cửa bảo trì mà không ai thông báo trước, trên web vẫn ghi mở cửa.",
            "^Thang máy bên trái hỏng từ hôm qua, ông bà tôi phải leo 6 tầng.",
        ),
        "impact": (
            "Tôi lỡ cuộc họp online với đối tác lúc {time}.",
            "Tôi phải ra quán cà phê ngồi làm việc, mất gần {minutes} phút đi lại.",
        ),
        "action": (
            "cho IT kiểm tra và lắp thêm bộ phát wifi cho tầng của phòng {room}",
            "cấp tài khoản mạng riêng tốc độ cao và khắc phục sự cố thiết bị",
        ),
        "cause": (
            "bộ phát wifi ở tầng này bị lỗi firmware sau lần cập nhật tuần trước",
            "thiết bị hỏng nhưng thông tin chưa được báo cho lễ tân và khách",
        ),
        "prevent": (
            "giám sát tín hiệu wifi từng tầng tự động và báo IT khi rớt mạng",
            "thông báo cho khách qua Zalo và tại lễ tân mỗi khi có tiện ích tạm ngừng",
        ),
    },
    "noise": {
        "subject": ("Phòng {room} bị ồn, không ngủ được", "Tiếng ồn ban đêm"),
        "problem": (
            "Phòng bên cạnh phòng {room} hát karaoke tới 1h sáng, gọi lễ tân hai lần vẫn không ai nhắc.",
            "Công trình bên cạnh khoan đục từ 6h sáng, không ai báo trước cho khách.",
            "^Quầy bar dưới sảnh mở nhạc rất to tới tận {time}, phòng trên tầng 3 nghe rõ mồn một.",
            "Tiếng máy bơm nước kêu ầm ầm cả đêm ngay sau tường phòng {room}.",
        ),
        "impact": (
            "Hai đứa nhỏ nhà mình không ngủ được, sáng nay quấy khóc suốt.",
            "Tôi có chuyến bay sớm mà gần như không chợp mắt được.",
        ),
        "action": (
            "đổi sang phòng yên tĩnh ở tầng cao, xa khu kỹ thuật",
            "làm việc với bên thi công để chỉ khoan đục sau 8h sáng và nhắc nhở phòng gây ồn",
        ),
        "cause": (
            "lễ tân ca đêm không có quy trình xử lý khi khách khiếu nại tiếng ồn",
            "bên em xếp phòng cạnh khu ồn (phòng máy, công trình) mà không báo trước cho khách",
        ),
        "prevent": (
            "ban hành quy định giờ yên tĩnh từ 22h và ca đêm phải kiểm tra trong 10 phút",
            "đánh dấu các phòng gần khu ồn trong hệ thống để không xếp cho gia đình có trẻ nhỏ",
        ),
    },
    "front-desk": {
        "subject": (
            "Chờ check-in quá lâu", "Lễ tân làm sai thông tin phòng",
            "Thẻ từ phòng {room} liên tục bị lỗi",
            "Lễ tân quên trả hộ chiếu",
        ),
        "problem": (
            "Tôi đến lúc {time} mà phải chờ check-in gần {minutes} phút, chỉ có một bạn lễ tân làm việc.",
            "Đã đặt phòng giường đôi nhưng lễ tân xếp phòng {room} hai giường đơn, nói hết phòng.",
            "Thẻ từ phòng {room} hỏng ba lần trong hai ngày, lần nào cũng phải xuống làm lại.",
            "Lễ tân giữ hộ chiếu của tôi rồi quên trả, sáng nay suýt ra sân bay mà không có hộ chiếu.",
        ),
        "impact": (
            "Đi máy bay cả ngày mệt lả mà còn phải đứng chờ ngoài sảnh.",
            "Tôi trễ buổi hẹn ăn tối với khách hàng.",
        ),
        "action": (
            "bổ sung thêm người cho quầy lễ tân vào giờ cao điểm nhận phòng",
            "đổi sang phòng đúng loại đã đặt và mời đồ uống chào mừng",
            "cài lại hệ thống khóa từ và cấp thẻ mới cho phòng {room}",
            "mang hộ chiếu trả tận tay và quản lý sảnh đã gặp xin lỗi",
        ),
        "cause": (
            "lịch ca lễ tân không tính tới việc có đoàn khách đến cùng giờ",
            "thông tin loại giường từ kênh đặt phòng không được đồng bộ vào hệ thống",
            "bộ mã hóa thẻ từ ở quầy bị lỗi nên thẻ bị ghi sai",
            "hộ chiếu giữ lại để khai báo tạm trú nhưng không được ghi vào sổ bàn giao ca",
        ),
        "prevent": (
            "xếp ca lễ tân theo danh sách khách đến dự kiến mỗi ngày",
            "đối chiếu loại giường với email xác nhận của khách khi check-in",
            "kiểm tra bộ mã hóa thẻ mỗi sáng và thay pin khóa định kỳ",
            "trả hộ chiếu ngay khi khai báo xong và ghi vào sổ bàn giao ca",
        ),
    },
    "booking": {
        "subject": (
            "^Đặt phòng bị sai hoặc bị hủy", "~Đặt bàn rồi nhưng đến nơi không có bàn", "Sai thông tin đặt chỗ",
        ),
        "problem": (
            "^Tôi đặt phòng hướng biển qua website, đã chuyển cọc {amount} mà đến nơi lễ tân nói không có booking.",
            "^Đặt 3 đêm nhưng hệ thống chỉ ghi 2 đêm, đêm thứ ba phải trả thêm giá cao hơn.",
            "~Mình đặt bàn 8 người lúc {time} cho tiệc sinh nhật, đã cọc {amount}, tới nơi thì không có bàn.",
            "~Đặt bàn qua fanpage được xác nhận rồi, đến nơi nhân viên bảo không nhận được tin nhắn nào.",
        ),
        "impact": (
            "Cả đoàn phải đứng chờ gần {minutes} phút, rất mất mặt với khách của tôi.",
            "Gia đình tôi phải đi tìm chỗ khác giữa đêm.",
        ),
        "action": (
            "^xác nhận lại đặt phòng, giữ đúng giá đã đặt và hoàn phần chênh lệch",
            "~sắp xếp bàn riêng ngay trong tối đó và xác nhận lại tiền cọc",
            "liên hệ lại để xác nhận thông tin đặt chỗ và gửi email xác nhận mới",
        ),
        "cause": (
            "kênh đặt chỗ trực tuyến bị lỗi đồng bộ nên đặt chỗ không vào hệ thống",
            "nhân viên trực fanpage và website không chuyển thông tin cho bộ phận đặt chỗ",
        ),
        "prevent": (
            "đối soát đặt chỗ giữa website, fanpage và hệ thống hai lần mỗi ngày",
            "gửi tin nhắn xác nhận tự động cho mọi đặt chỗ có cọc",
        ),
    },
    "transfer": {
        "subject": (
            "Xe đưa đón sân bay đến trễ", "Không có xe đón ở sân bay",
            "Tài xế đưa đón lái xe ẩu",
        ),
        "problem": (
            "Xe đón sân bay hẹn {time} mà trễ {minutes} phút, gọi hotline không ai nghe.",
            "Đã đặt xe đón ở sân bay nhưng không có ai cầm biển tên, tôi phải tự bắt taxi hết {amount}.",
            "Tài xế chạy rất ẩu, vừa lái vừa nói chuyện điện thoại, cả nhà sợ hết hồn.",
        ),
        "impact": (
            "Gia đình tôi suýt lỡ chuyến bay về.",
            "Tôi phải tự bắt taxi, đứng chờ giữa trời nắng với hai đứa nhỏ.",
        ),
        "action": (
            "hoàn lại tiền taxi và miễn phí xe đưa đón lượt về",
            "làm việc với nhà xe và tạm dừng tài xế để đào tạo lại",
        ),
        "cause": (
            "lịch đón không được chuyển cho nhà xe sau khi chuyến bay đổi giờ",
            "nhà xe đối tác điều xe trễ và không báo lại cho khách sạn",
            "nhà xe đối tác cho tài xế mới chạy mà không kiểm tra",
        ),
        "prevent": (
            "theo dõi giờ hạ cánh thực tế và gọi xác nhận tài xế trước 2 tiếng",
            "đưa điều khoản đúng giờ vào hợp đồng với nhà xe và kiểm tra hằng tháng",
            "yêu cầu nhà xe kiểm tra, đào tạo tài xế và xem lại phản hồi của khách hằng tháng",
        ),
    },
    "staff-attitude": {
        "subject": ("Thái độ nhân viên không tốt", "Nhân viên phục vụ thiếu tôn trọng khách"),
        "problem": (
            "Bạn nhân viên tên {staff} nói chuyện rất trống không, hỏi gì cũng trả lời cộc lốc.",
            "Tôi hỏi lại hóa đơn thì nhân viên thu ngân tỏ thái độ khó chịu, nói tôi tính sai.",
            "Nhân viên đứng bấm điện thoại, tôi gọi tới ba lần mới quay lại.",
            "^Bảo vệ nói chuyện với khách nước ngoài đi cùng tôi rất thô lỗ.",
        ),
        "impact": (
            "Tôi thấy rất bị coi thường, không muốn quay lại nữa.",
            "Đi cùng đối tác mà tôi thấy rất ngại.",
        ),
        "action": (
            "trao đổi trực tiếp với bạn {staff} và quản lý ca đã gặp mặt xin lỗi",
            "tổ chức buổi đào tạo lại về chuẩn giao tiếp cho cả ca làm việc",
        ),
        "cause": (
            "nhân viên mới chưa được kèm cặp đủ về cách ứng xử khi khách thắc mắc",
            "ca làm việc hôm đó quá tải và quản lý ca không có mặt",
        ),
        "prevent": (
            "ghép nhân viên mới với người kèm cặp trong ba tháng đầu",
            "quản lý ca đứng tại sảnh vào giờ cao điểm",
        ),
    },
    "food-quality": {
        "subject": ("Món ăn không đạt chất lượng", "Món {dish} có vấn đề"),
        "problem": (
            "Món {dish} mang ra bị nguội, nước dùng mặn chát.",
            "Trong đĩa {dish} có sợi tóc, nhân viên chỉ xin lỗi rồi mang đi mà không đổi món.",
            "Ăn {dish} xong về thì cả nhà bị đau bụng, nghi thực phẩm không tươi.",
            "~Bàn {table} gọi {dish} mà mang ra món khác, đổi lại thì phải chờ thêm {minutes} phút.",
        ),
        "impact": (
            "Bé nhà tôi bị tiêu chảy phải ra nhà thuốc lúc nửa đêm.",
            "Bữa tối kỷ niệm coi như hỏng.",
        ),
        "action": (
            "làm lại món {dish} mới và không tính tiền món này",
            "cho bếp trưởng kiểm tra lô nguyên liệu và gọi hỏi thăm sức khỏe",
        ),
        "cause": (
            "món ăn để ở khu ra món quá lâu do thiếu người chạy món",
            "nguyên liệu nhập hôm đó không được kiểm tra nhiệt độ khi nhận hàng",
            "đầu bếp ca đó không đội mũ trùm tóc theo quy định",
            "nhân viên ghi nhầm món khi nhận order",
        ),
        "prevent": (
            "đặt giới hạn 5 phút cho món ở khu ra món",
            "kiểm tra nhiệt độ và hạn dùng mọi lô hàng khi nhận",
            "kiểm tra đồng phục và mũ trùm tóc đầu mỗi ca",
            "đọc lại order cho khách trước khi chuyển xuống bếp",
        ),
    },
    "slow-service": {
        "subject": ("Phục vụ quá chậm", "Chờ món {minutes} phút"),
        "problem": (
            "Gọi món lúc {time} mà {minutes} phút sau mới có món đầu tiên.",
            "Nhà hàng vắng mà gọi mãi không có nhân viên ra, xin hóa đơn cũng phải chờ 20 phút.",
            "~Bàn {table} đã ngồi {minutes} phút, bàn đến sau còn được lên món trước.",
            "^Buffet sáng hết đồ mà không ai bổ sung, chờ món trứng gần {minutes} phút.",
        ),
        "impact": (
            "Tôi trễ giờ họp buổi chiều.",
            "Khách của tôi phải bỏ về trước, rất ngại.",
        ),
        "action": (
            "trao đổi với quản lý nhà hàng về thứ tự ra món và không tính tiền đồ uống",
            "bổ sung nhân viên phục vụ cho khung giờ cao điểm",
        ),
        "cause": (
            "hóa đơn gọi món không được in xuống bếp do máy in bị kẹt giấy",
            "ca tối thiếu hai nhân viên vì nghỉ đột xuất mà không có người thay",
        ),
        "prevent": (
            "kiểm tra máy in bếp đầu mỗi ca và có màn hình báo món chờ quá 15 phút",
            "lập danh sách nhân viên dự phòng cho ca tối cuối tuần",
        ),
    },
    "room-service": {
        "subject": ("^Gọi đồ ăn lên phòng {room} quá lâu", "~Đơn giao hàng đến trễ, thiếu món", "Đồ ăn giao bị sai"),
        "problem": (
            "Gọi {dish} lên phòng {room} lúc {time}, hơn {minutes} phút sau mới có, đồ ăn nguội ngắt.",
            "Đồ ăn mang lên phòng {room} thiếu món, gọi lại thì lễ tân bảo chờ tiếp.",
            "~Đặt giao {dish} về nhà qua hotline, trễ {minutes} phút, canh đổ hết ra túi.",
            "~Đơn giao hàng thiếu hai phần {dish} nhưng vẫn tính đủ {amount}.",
        ),
        "impact": (
            "Cả nhà đói meo, con nhỏ phải ăn tạm bánh quy.",
            "Tôi có cuộc gọi lúc {time} nên phải nhịn luôn bữa tối.",
        ),
        "action": (
            "^làm lại và mang lên phòng {room} món {dish} mới trong 20 phút",
            "~giao bù ngay phần còn thiếu và hoàn tiền các món bị lỗi",
            "kiểm tra lại đơn với bếp và không tính tiền đơn này",
        ),
        "cause": (
            "bếp chỉ có một người trực ca khuya cho cả nhà hàng và đồ ăn lên phòng",
            "đơn hàng được ghi tay nên bị sót món khi chuyển xuống bếp",
        ),
        "prevent": (
            "nhập mọi đơn vào máy và đối chiếu từng món trước khi giao",
            "báo trước thời gian chờ dự kiến khi bếp đang quá tải",
        ),
    },
    "spa": {
        "subject": ("Lịch hẹn spa bị hủy hoặc sai", "Dịch vụ spa không như cam kết"),
        "problem": (
            "Tôi đặt {treatment} lúc {time}, đến nơi thì spa nói lịch đã bị hủy mà không ai báo.",
            "Trả {amount} cho {treatment} mà kỹ thuật viên làm qua loa, chưa đủ giờ đã xong.",
            "Phòng spa có mùi ẩm, khăn không sạch, kỹ thuật viên vừa làm vừa nói chuyện riêng.",
        ),
        "impact": (
            "Tôi đã để dành buổi chiều cuối cùng của kỳ nghỉ cho việc này.",
            "Vai gáy còn đau hơn trước khi làm.",
        ),
        "action": (
            "sắp xếp lại buổi {treatment} với kỹ thuật viên trưởng, miễn phí",
            "hoàn tiền buổi trị liệu và trao đổi với kỹ thuật viên",
        ),
        "cause": (
            "lịch hẹn đặt qua điện thoại không được nhập vào sổ lịch của spa",
            "spa nhận quá nhiều khách cùng khung giờ nên rút ngắn thời gian",
            "phòng trị liệu không được kiểm tra vệ sinh giữa hai lượt khách",
        ),
        "prevent": (
            "gửi tin nhắn xác nhận lịch hẹn spa trước một ngày",
            "giới hạn số khách mỗi khung giờ theo số kỹ thuật viên có mặt",
            "dùng checklist vệ sinh sau mỗi lượt khách và nhắc lại tác phong cho kỹ thuật viên",
        ),
    },
    "billing": {
        "subject": ("Tính tiền sai trên hóa đơn", "Bị trừ tiền hai lần"),
        "problem": (
            "^Hóa đơn phòng {room} có khoản minibar {amount} mà tôi không hề dùng.",
            "Thẻ của tôi bị trừ {amount} hai lần cho cùng một hóa đơn.",
            "~Hóa đơn bàn {table} bị tính thêm hai chai rượu vang, tổng {amount}, bàn tôi không gọi.",
            "Phí dịch vụ và VAT tính hai lần, tổng cộng chênh {amount} so với báo giá.",
        ),
        "impact": (
            "Tôi mất cả buổi sáng gọi ngân hàng để tra soát.",
            "Đây là tiền công tác, tôi không quyết toán được với công ty.",
        ),
        "action": (
            "hoàn lại {amount} về thẻ và gửi hóa đơn điều chỉnh",
            "kiểm tra lại giao dịch với ngân hàng và hủy giao dịch trùng {amount}",
        ),
        "cause": (
            "máy POS bị treo nên thu ngân quẹt thẻ lần hai mà không kiểm tra giao dịch đầu",
            "nhân viên nhập nhầm số phòng hoặc số bàn khi ghi món vào hóa đơn",
            "hệ thống cộng phí dịch vụ và VAT hai lần sau lần cập nhật",
        ),
        "prevent": (
            "kiểm tra lịch sử giao dịch trước mỗi lần quẹt lại thẻ",
            "đọc lại hóa đơn cùng khách trước khi thanh toán",
            "kiểm tra một hóa đơn mẫu sau mỗi lần cập nhật hệ thống",
        ),
    },
}

TEXTS: dict[str, tuple[str, ...]] = {
    "opening": (
        "Chào {hotel},", "Dạ cho em hỏi chút ạ.", "Mình muốn phản ánh một việc.", "Gửi bộ phận chăm sóc khách hàng,",
        "Xin chào, tôi là khách đang ở phòng {room}.", "Ad ơi cho mình phản ánh chút.",
    ),
    "impact": (
        "Cả nhà mất hứng, coi như hỏng buổi tối.", "Tôi mất gần một tiếng chỉ vì chuyện này.",
        "Đây là chuyến đi kỷ niệm ngày cưới của vợ chồng tôi nên rất thất vọng.",
        "Mình đã giới thiệu bạn bè tới đây mà giờ thấy ngại.",
    ),
    "want": (
        "Mong bên mình kiểm tra và phản hồi sớm giúp tôi.", "Tôi muốn gặp quản lý để nói chuyện.",
        "Mong được xử lý trước {time} hôm nay.", "Mình không cần đền bù gì, chỉ mong lần sau đừng như vậy.",
        "Mong được giải thích rõ ràng.",
    ),
    "want_money": ("Tôi đề nghị được hoàn lại tiền.", "Đề nghị trả lại {amount} cho tôi."),
    "signoff": ("Cảm ơn.", "Trân trọng,\n{name}", "Mong phản hồi sớm.", "Thanks ad."),
    "ack": (
        "Dạ em chào {title} {short}, em là {agent} ở {hotel}. Em thành thật xin lỗi {title} về chuyện này ạ. "
        "Em đã chuyển ngay cho bộ phận liên quan, trong vòng 1 tiếng em sẽ báo lại {title} ạ.",
        "Dạ em cảm ơn {title} {short} đã báo cho bên em biết. Bên em rất xin lỗi vì đã làm {title} không hài lòng. "
        "Em đang kiểm tra ngay và sẽ cập nhật cho {title} sớm nhất ạ.",
        "Dạ em xin lỗi {title} nhiều ạ. Việc này là lỗi của bên em, em {agent} sẽ theo sát và phản hồi {title} "
        "trong hôm nay ạ.",
    ),
    "ask_when": (
        "^Dạ để xử lý nhanh nhất, {title} cho em xin số phòng và khoảng thời gian xảy ra sự việc được không ạ?",
        "~Dạ {title} cho em xin số bàn và khoảng thời gian {title} dùng bữa được không ạ?",
    ),
    "answer_when": ("Phòng {room}, khoảng {time} hôm qua nhé.", "Bàn {table}, khoảng {time} tối qua.",
                    "Phòng {room} nha em, tầm {time}."),
    "ask_photo": ("Dạ {title} gửi giúp em ảnh hóa đơn hoặc ảnh chụp sự việc được không ạ? Em cảm ơn {title}.",),
    "answer_photo": (
        "Mình gửi ảnh hóa đơn rồi đó, tổng {amount}.", "Đây em, mình chụp lại rồi nhé.", "Ảnh đây, em xem giúp.",
    ),
    "ask_phone": ("Dạ {title} cho em xin số điện thoại để bên em gọi lại trao đổi trực tiếp được không ạ?",),
    "answer_phone": (
        "Số mình là số trong booking đó, gọi sau 5h chiều giúp mình.", "Gọi số trong booking giúp mình nhé.",
    ),
    "chaser": ("Sao chưa thấy ai phản hồi vậy?", "Ad ơi có cập nhật gì chưa?", "Tôi chờ từ sáng tới giờ rồi đấy."),
    "thanks": (
        "Cảm ơn em, mình thấy ổn rồi.", "Ok, cảm ơn bên mình đã xử lý nhanh.",
        "Cảm ơn {agent} nhiều, lần sau mình vẫn sẽ quay lại.", "Được rồi, cảm ơn.",
    ),
    "unhappy": (
        "Vẫn chưa được đâu, tình trạng y như cũ.", "Mình chưa nhận được tiền hoàn nhé.",
        "Giải quyết vậy là chưa thỏa đáng với tôi.",
    ),
    "update": (
        "Dạ em chào {title} {short}, bên em đã {action}. Nguyên nhân là do {cause}, đây hoàn toàn là lỗi của bên em. "
        "Bên em sẽ {prevent} để không lặp lại. Để bù đắp, {hotel} xin {remedy}. Một lần nữa em xin lỗi {title} ạ.",
        "Dạ em cập nhật cho {title}: bên em đã {action}. Em đã tìm hiểu thì do {cause}. Từ tuần này bên em sẽ "
        "{prevent}. Mong {title} nhận lời xin lỗi cùng {remedy} ạ. {Title} thấy như vậy đã ổn chưa ạ?",
        "Dạ thưa {title} {short}, em rất tiếc vì chuyện này đã làm ảnh hưởng tới {title}. Bên em đã {action}, "
        "và xin {remedy}. Em sẽ gọi lại hỏi thăm {title} vào ngày mai ạ.",
    ),
    "note": (
        "Đã gọi cho khách, khách còn khá bực. Hẹn cập nhật trước {time}.",
        "Khách quen, đã đến {hotel} nhiều lần. Cần xử lý khéo.",
        "Đã báo trưởng bộ phận, đang chờ xác nhận phương án.",
        "Đã kiểm tra nhật ký ca: đúng là có sự cố như khách nói.",
        "Khách báo: {subject}. Đang {action}.",
        "Nguyên nhân sơ bộ: {cause}.",
    ),
    "call_note": (
        "Đã gọi điện cho khách, xin lỗi và giải thích nguyên nhân ({cause}). Khách đồng ý {remedy}.",
        "Gọi lại cho khách lúc {time}, khách đã nhận được phương án xử lý và không có ý kiến thêm.",
    ),
    "escalation": (
        "Khách yêu cầu gặp quản lý.", "Khách nói sẽ đăng review 1 sao lên Google và TripAdvisor.",
        "Vượt quá thẩm quyền đền bù của lễ tân, cần quản lý duyệt.", "Lỗi lặp lại lần hai với cùng khách.",
    ),
    "resolution": (
        "Đã {action}. Nguyên nhân: {cause}. Đền bù: {remedy}. Khách xác nhận hài lòng.",
        "Đã {action}, {remedy}. Đã gọi lại hỏi thăm, khách ổn.",
        "Đã {action}. Phòng ngừa: {prevent}. Khách không phản hồi thêm.",
    ),
    "reopen": (
        "Khách phản hồi vấn đề chưa được xử lý triệt để.", "Khách chưa nhận được tiền hoàn, mở lại để theo dõi.",
    ),
}

REMEDIES: dict[str, str] = {
    "refund": "hoàn lại {amount}",
    "waive": "miễn khoản {amount} trên hóa đơn",
    "dinner": "tặng một bữa tối cho hai người tại nhà hàng",
    "breakfast": "^tặng bữa sáng miễn phí cho cả phòng trong thời gian lưu trú",
    "upgrade": "^nâng hạng phòng miễn phí cho các đêm còn lại",
    "late_checkout": "^miễn phí trả phòng muộn tới 16h",
    "spa": "^tặng voucher spa 60 phút",
    "discount": "giảm 30% hóa đơn lần này",
    "dessert": "~tặng món tráng miệng và đồ uống cho cả bàn",
    "next_visit": "tặng voucher giảm 20% cho lần ghé sau",
}

# How staff start the description when they log a call or a walk-in in the guest's words.
LOGGED: dict[str, tuple[str, ...]] = {
    "phone": ("Khách gọi điện phản ánh: ", "Khách gọi hotline: "),
    "in_person": ("Khách ra quầy phản ánh trực tiếp: ", "Khách gặp nhân viên và phản ánh: "),
}
