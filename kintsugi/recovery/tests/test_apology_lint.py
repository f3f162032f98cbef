"""The apology lint: excuses, blame, conditional and minimising phrases in Vietnamese, Thai and English, with
spans into the text as typed; and no warning at all on good apologies."""

from __future__ import annotations

import unicodedata

import pytest

from kintsugi.recovery.apology import PARTS, Kind, Phrase, lint, unedited_parts

GOOD_APOLOGIES = {
    "en": [
        "We have moved you to room 512, freshly cleaned, and refunded your first night. This was our mistake, "
        "and we take full responsibility for it. Our morning housekeeping shift marked your room as cleaned "
        "without checking it. From today the shift leader inspects every room before a guest receives the key. "
        "We are truly sorry that you lost your evening's rest after a long flight.",
        "We will deliver a replacement before 6 pm today, free of charge, and we have refunded the delivery fee. "
        "We got this wrong. We accepted your order without checking our stock. We now check stock before any "
        "order is confirmed. We are sorry for the disruption this caused to your shop on a busy weekend.",
        "Your table for six is booked for Saturday at 7 pm with dessert on us. We lost your booking, and that "
        "is on us. A new team member saved it in the wrong week. Bookings are now read back to the guest before "
        "the call ends. We know how much this birthday dinner meant to your family, and we are sorry we spoiled "
        "the evening. Not only did we fail you, we kept you waiting at the door.",
    ],
    "vi": [
        "Chúng tôi đã chuyển quý khách sang phòng 512 đã được dọn sạch và hoàn lại tiền đêm đầu tiên. Đây là "
        "lỗi của chúng tôi và chúng tôi hoàn toàn chịu trách nhiệm. Nhân viên buồng phòng ca sáng đã đánh dấu "
        "nhầm phòng của quý khách là đã dọn. Từ hôm nay, trưởng ca sẽ kiểm tra từng phòng trước khi giao cho "
        "khách. Chúng tôi rất tiếc vì quý khách đã mất buổi tối nghỉ ngơi sau chuyến bay dài.",
        "Chúng tôi sẽ giao lại đơn hàng mới cho quý khách trước 18 giờ hôm nay, miễn phí. Chúng tôi đã sai. "
        "Chúng tôi nhận đơn khi kho đã hết hàng mà không kiểm tra lại. Chúng tôi đã thêm bước kiểm tra tồn kho "
        "trước khi xác nhận mọi đơn hàng. Chúng tôi xin lỗi vì đã làm gián đoạn công việc kinh doanh của quý "
        "khách vào những ngày cuối tuần đông khách.",
        "Bàn sáu người của bạn đã được đặt lại vào tối thứ Bảy lúc 19 giờ, món tráng miệng do nhà hàng mời. "
        "Chúng tôi đã làm mất lịch đặt bàn của bạn và đó là trách nhiệm của chúng tôi. Một nhân viên mới đã ghi "
        "nhầm tuần. Từ nay mọi lịch đặt bàn đều được đọc lại cho khách trước khi kết thúc cuộc gọi. Chúng tôi "
        "thật sự xin lỗi vì đã làm hỏng buổi tối sinh nhật quan trọng của gia đình bạn.",
    ],
    "th": [
        "เราได้ย้ายคุณไปห้อง 512 ที่ทำความสะอาดเรียบร้อยแล้ว และคืนเงินค่าห้องคืนแรกให้คุณ "
        "นี่เป็นความผิดพลาดของเราเอง และเราขอรับผิดชอบทั้งหมด พนักงานแม่บ้านกะเช้าบันทึกผิดว่าห้องของคุณทำความสะอาดแล้ว "
        "ตั้งแต่วันนี้ หัวหน้ากะจะตรวจทุกห้องก่อนส่งมอบให้แขก "
        "เราเสียใจอย่างยิ่งที่ทำให้คุณไม่ได้พักผ่อนหลังการเดินทางอันยาวนาน",
        "เราจะจัดส่งสินค้าชิ้นใหม่ให้คุณภายใน 18.00 น. วันนี้ โดยไม่มีค่าใช้จ่าย ความผิดพลาดครั้งนี้เป็นของเรา "
        "เรารับคำสั่งซื้อของคุณโดยไม่ได้ตรวจสอบว่าสินค้าในคลังหมดแล้ว "
        "เราได้เพิ่มการตรวจสอบสต็อกก่อนยืนยันคำสั่งซื้อแต่ละรายการ เราขออภัยที่ทำให้ธุรกิจของคุณต้องหยุดชะงัก",
        "โต๊ะหกที่ของคุณจองไว้แล้วในวันเสาร์เวลา 19.00 น. พร้อมของหวานที่ทางร้านขอเลี้ยง "
        "เราทำรายการจองของคุณหาย และเป็นความรับผิดชอบของเรา พนักงานใหม่บันทึกการจองผิดสัปดาห์ "
        "จากนี้ไปเราจะทวนรายละเอียดการจองกับลูกค้าทุกครั้งก่อนวางสาย "
        "เราขอโทษจริง ๆ ที่ทำให้งานวันเกิดของครอบครัวคุณต้องเสียบรรยากาศ",
    ],
}


@pytest.mark.parametrize(("language", "text"), [
    (language, text) for language, texts in GOOD_APOLOGIES.items() for text in texts
])
def test_good_apology_gets_no_warning(language: str, text: str) -> None:
    assert lint(text, language) == []


@pytest.mark.parametrize("language", ["vi", "th", "en"])
def test_the_examples_shown_beside_each_part_get_no_warning(language: str) -> None:
    for part in PARTS:
        for example in part.examples[language]:
            assert lint(example, language) == [], (part.key, example)


BAD = [
    ("en", "The delay was due to our supplier.", "due to our supplier", Kind.BLAME),
    ("en", "Unfortunately the system lost your booking.", "the system", Kind.BLAME),
    ("en", "Our policy does not allow refunds here.", "policy does not allow", Kind.EXCUSE),
    ("en", "If you were inconvenienced, we apologise.", "If you were inconvenienced", Kind.CONDITIONAL),
    ("en", "We are sorry, BUT the room was ready.", "BUT", Kind.EXCUSE),
    ("en", "You should have told reception.", "You should have", Kind.BLAME),
    ("en", "It was only a few minutes late.", "only a few minutes", Kind.MINIMISING),
    ("vi", "Sự chậm trễ là do nhà cung cấp của chúng tôi.", "do nhà cung cấp", Kind.BLAME),
    ("vi", "Do hệ thống bị lỗi nên đơn bị huỷ.", "hệ thống bị lỗi", Kind.BLAME),
    ("vi", "Rất tiếc, chính sách không cho phép hoàn tiền.", "chính sách không cho phép", Kind.EXCUSE),
    ("vi", "Chúng tôi xin lỗi nếu quý khách cảm thấy phiền.", "nếu quý khách cảm thấy", Kind.CONDITIONAL),
    ("vi", "Chúng tôi xin lỗi, nhưng phòng đã sẵn sàng.", "nhưng", Kind.EXCUSE),
    ("vi", "Lẽ ra quý khách phải báo lễ tân.", "Lẽ ra quý khách", Kind.BLAME),
    ("vi", "Đó chỉ là sự cố nhỏ.", "chỉ là", Kind.MINIMISING),
    ("th", "ความล่าช้าเกิดขึ้นเนื่องจากซัพพลายเออร์ของเรา", "เนื่องจากซัพพลายเออร์", Kind.BLAME),
    ("th", "ระบบขัดข้องจึงทำให้การจองหาย", "ระบบขัดข้อง", Kind.BLAME),
    ("th", "นโยบายไม่อนุญาตให้คืนเงินค่ะ", "นโยบายไม่อนุญาต", Kind.EXCUSE),
    ("th", "ขออภัยหากทำให้คุณไม่สะดวก", "ขออภัยหาก", Kind.CONDITIONAL),
    ("th", "ขอโทษค่ะ แต่ว่าห้องพร้อมแล้ว", "แต่ว่า", Kind.EXCUSE),
    ("th", "คุณไม่ได้แจ้งพนักงานล่วงหน้า", "คุณไม่ได้แจ้ง", Kind.BLAME),
    ("th", "รอแค่ไม่กี่นาทีเองค่ะ", "แค่", Kind.MINIMISING),
    # Blaming another customer, a supplier, the weather or "the system" (issue 18).
    ("vi", "Phòng có mùi do khách trước hút thuốc.", "do khách trước", Kind.BLAME),
    ("vi", "Tiếng ồn là do khách khác trên tầng.", "do khách khác", Kind.BLAME),
    ("vi", "Chuyến bay bị huỷ do thời tiết.", "do thời tiết", Kind.BLAME),
    ("vi", "Đó là lỗi hệ thống.", "lỗi hệ thống", Kind.BLAME),
    ("en", "The room smelt because the previous guest smoked.", "the previous guest", Kind.BLAME),
    ("en", "Another guest took your table.", "Another guest", Kind.BLAME),
    ("en", "The tour was cancelled because of the weather.", "the weather", Kind.BLAME),
    ("en", "Our supplier sent the wrong part.", "Our supplier", Kind.BLAME),
    ("th", "ห้องมีกลิ่นเพราะแขกคนก่อนสูบบุหรี่", "แขกคนก่อน", Kind.BLAME),
    ("th", "ลูกค้าคนอื่นจองโต๊ะไปแล้ว", "ลูกค้าคนอื่น", Kind.BLAME),
    ("th", "ทัวร์ถูกยกเลิกเพราะสภาพอากาศ", "สภาพอากาศ", Kind.BLAME),
    ("th", "ซัพพลายเออร์ส่งของผิด", "ซัพพลายเออร์", Kind.BLAME),
]


@pytest.mark.parametrize(("language", "text", "phrase", "kind"), BAD)
def test_excuse_blame_conditional_and_minimising_phrases_are_found_with_their_span(
    language: str, text: str, phrase: str, kind: str
) -> None:
    warnings = lint(text, language)
    first = warnings[0]
    start = text.index(phrase)
    assert (first.start, first.end, first.phrase, first.kind) == (start, start + len(phrase), phrase, kind)
    assert first.suggestion


def test_the_longest_overlapping_phrase_wins() -> None:
    assert [w.phrase for w in lint("It was due to our supplier.", "en")] == ["due to our supplier"]
    assert [w.phrase for w in lint("We apologise if you were inconvenienced, but", "en")] == [
        "if you were inconvenienced", "but"]


def test_vietnamese_tone_marks_matter_so_nhung_plural_is_not_but() -> None:
    assert lint("Những ngày qua chúng tôi đã làm việc với những người liên quan.", "vi") == []
    assert [w.phrase for w in lint("Nhưng chúng tôi đã cố gắng.", "vi")] == ["Nhưng"]


def test_vietnamese_typed_with_combining_accents_matches_and_spans_point_into_the_text_as_typed() -> None:
    text = unicodedata.normalize("NFD", "Xin lỗi, do hệ thống nên chậm.")
    warnings = lint(text, "vi")
    assert len(warnings) == 1
    assert unicodedata.normalize("NFC", text[warnings[0].start:warnings[0].end]) == "do hệ thống"
    assert warnings[0].phrase == text[warnings[0].start:warnings[0].end]


def test_words_that_look_like_excuses_in_a_good_sentence_are_not_flagged() -> None:
    assert lint("Chúng tôi đã ghi sai số điện thoại do quý khách cung cấp.", "vi") == []
    assert lint("เราเข้าใจดีว่าคุณผิดหวังแค่ไหน", "th") == []
    assert [w.phrase for w in lint("Đó là do quý khách đến muộn.", "vi")] == ["do quý khách"]


def test_english_matches_whole_words_only() -> None:
    assert lint("The butler brought a rebuttal; not only that, but also flowers.", "en") == []


def test_thai_but_inside_longer_words_is_not_an_excuse() -> None:
    assert lint("ตั้งแต่วันนี้เราจะตรวจแต่ละห้องก่อนส่งมอบ", "th") == []


def test_organisation_phrases_extend_the_list_for_their_language() -> None:
    extra = [Phrase("busy night", Kind.EXCUSE)]
    assert [(w.phrase, w.kind) for w in lint("It was a Busy  night.", "en", extra)] == [
        ("Busy  night", Kind.EXCUSE)
    ]
    assert lint("It was a busy night.", "en") == []


def test_suggestion_is_in_the_active_language() -> None:
    from django.utils import translation

    with translation.override("vi"):
        vi = lint("company policy", "en")[0].suggestion
    assert vi == "Bỏ lời bào chữa: nói rõ điều gì đã sai là lỗi của chính chúng ta và chúng ta đã thay đổi gì."


def test_a_delivery_before_a_time_is_no_blame_on_the_previous_guest() -> None:
    assert lint("Chúng tôi sẽ giao cho quý khách trước 18 giờ hôm nay.", "vi") == []


@pytest.mark.parametrize("language", ["vi", "th", "en"])
def test_a_required_part_left_as_its_example_is_not_written(language: str) -> None:
    restore = PARTS[0].examples[language][0]
    parts = {"restore": "  " + restore.upper().replace(" ", "   ") + " ", "responsibility": "Our fault, truly.",
             "explanation": PARTS[2].examples["en"][1], "prevention": "We changed the rota.",
             "regret": "We are sorry you lost your evening."}
    assert unedited_parts(parts) == ["restore", "explanation"]
    assert unedited_parts({**parts, "restore": restore + " Room 204 too.",
                           "explanation": "The night shift missed it."}) == []
    assert unedited_parts({"forgiveness": PARTS[5].examples[language][0]}) == []
