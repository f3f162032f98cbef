"""The built-in recovery playbooks (seed 001): LATTE (Starbucks), LEARN (Marriott) and HEART (The Broadmoor), as
plain data. Each step says what to do (guidance) and what to say (example phrases) in English, Vietnamese and
Thai; these are data, not interface strings, since an organisation edits its own copies.

`completes_on` names what completes a step (see recovery/rules.py): a reply to the customer, an apology, a
remedy, the thank-and-explain message, a happy follow-up answer, or a tick by hand ("manual").
"""

from __future__ import annotations

from typing import Any, Final

Text = dict[str, str]
Phrases = dict[str, list[str]]

# One entry per kind of step; the playbooks below list them in their order with their targets.
STEPS: Final[dict[str, dict[str, Any]]] = {
    "listen": {
        "name": {"en": "Listen", "vi": "Lắng nghe", "th": "รับฟัง"},
        "guidance": {
            "en": "Let the customer tell the whole story without interrupting. Note the facts and how it affected "
                  "them; repeat the key points back so they know you heard.",
            "vi": "Để khách hàng kể hết câu chuyện, không ngắt lời. Ghi lại sự việc và ảnh hưởng đến khách; "
                  "nhắc lại những ý chính để khách biết bạn đã hiểu.",
            "th": "ปล่อยให้ลูกค้าเล่าเรื่องทั้งหมดโดยไม่ขัดจังหวะ จดข้อเท็จจริงและผลกระทบที่ลูกค้าได้รับ "
                  "แล้วทวนประเด็นสำคัญให้ลูกค้ารู้ว่าเราเข้าใจ",
        },
        "phrases": {
            "en": ["Please tell me what happened; I'm listening.",
                   "So, if I have understood you correctly, …"],
            "vi": ["Quý khách vui lòng kể cho tôi nghe chuyện gì đã xảy ra, tôi đang lắng nghe ạ.",
                   "Để tôi nhắc lại cho chắc là tôi đã hiểu đúng ý Quý khách: …"],
            "th": ["รบกวนเล่าให้ฟังหน่อยนะคะว่าเกิดอะไรขึ้น ดิฉันกำลังฟังอยู่ค่ะ",
                   "ขออนุญาตทวนนะคะ เพื่อให้แน่ใจว่าเข้าใจถูกต้อง …"],
        },
        "completes_on": "manual",
    },
    "hear": {
        "name": {"en": "Hear", "vi": "Lắng nghe", "th": "รับฟัง"},
        "guidance": {
            "en": "Give the customer your full attention: stop what you are doing, face them, and let them finish. "
                  "Ask open questions until you know what they need.",
            "vi": "Dành trọn sự chú ý cho khách: dừng việc đang làm, hướng về phía khách và để khách nói hết. "
                  "Đặt câu hỏi mở cho đến khi bạn biết khách cần gì.",
            "th": "ให้ความสนใจลูกค้าอย่างเต็มที่ หยุดสิ่งที่ทำอยู่ หันมาหาลูกค้า และให้ลูกค้าพูดจนจบ "
                  "ถามคำถามปลายเปิดจนกว่าจะรู้ว่าลูกค้าต้องการอะไร",
        },
        "phrases": {
            "en": ["I'm here to help. Could you walk me through what happened?",
                   "What would put this right for you?"],
            "vi": ["Tôi ở đây để hỗ trợ Quý khách. Quý khách có thể kể lại giúp tôi sự việc không ạ?",
                   "Quý khách mong muốn chúng tôi giải quyết như thế nào ạ?"],
            "th": ["ดิฉันยินดีช่วยเหลือค่ะ รบกวนเล่าให้ฟังตั้งแต่ต้นได้ไหมคะ",
                   "คุณลูกค้าอยากให้เราแก้ไขอย่างไรบ้างคะ"],
        },
        "completes_on": "manual",
    },
    "acknowledge": {
        "name": {"en": "Acknowledge", "vi": "Thừa nhận vấn đề", "th": "ยอมรับปัญหา"},
        "guidance": {
            "en": "Reply to the customer: say what went wrong in their words, that it should not have happened, "
                  "and when they will hear from you next.",
            "vi": "Trả lời khách: nói lại sự cố theo lời của khách, thừa nhận lẽ ra điều đó không được xảy ra, "
                  "và cho khách biết khi nào sẽ có tin tiếp theo.",
            "th": "ตอบกลับลูกค้า บอกปัญหาตามที่ลูกค้าเล่า ยอมรับว่าไม่ควรเกิดขึ้น "
                  "และแจ้งว่าจะติดต่อกลับเมื่อไร",
        },
        "phrases": {
            "en": ["You are right: your room should have been ready, and it was not.",
                   "I will come back to you by 3 pm today with what we are doing about it."],
            "vi": ["Quý khách nói đúng ạ: lẽ ra phòng phải được chuẩn bị sẵn sàng nhưng chúng tôi đã không làm được.",
                   "Tôi sẽ báo lại cho Quý khách trước 15 giờ hôm nay về cách chúng tôi xử lý ạ."],
            "th": ["คุณลูกค้าพูดถูกค่ะ ห้องควรจะพร้อมแล้ว แต่เรายังทำไม่เรียบร้อย",
                   "ดิฉันจะแจ้งความคืบหน้าให้ทราบภายในบ่ายสามโมงวันนี้ค่ะ"],
        },
        "completes_on": "reply",
    },
    "empathize": {
        "name": {"en": "Empathize", "vi": "Đồng cảm", "th": "เห็นอกเห็นใจ"},
        "guidance": {
            "en": "Show that you understand how it felt for them, in your own words. Do not argue about the facts "
                  "yet, and do not explain the company's side.",
            "vi": "Cho khách thấy bạn hiểu cảm giác của họ, bằng lời của chính bạn. Chưa tranh luận về sự việc, "
                  "cũng chưa giải thích phía công ty.",
            "th": "แสดงให้ลูกค้าเห็นว่าเราเข้าใจความรู้สึกของเขาด้วยคำพูดของเราเอง "
                  "ยังไม่ต้องโต้แย้งข้อเท็จจริงหรืออธิบายฝั่งบริษัท",
        },
        "phrases": {
            "en": ["I can imagine how tiring that was after a long journey.",
                   "I understand why you are upset; I would be too."],
            "vi": ["Tôi hiểu Quý khách đã mệt mỏi thế nào sau một chuyến đi dài.",
                   "Tôi hiểu vì sao Quý khách không hài lòng; nếu là tôi, tôi cũng sẽ cảm thấy như vậy."],
            "th": ["ดิฉันเข้าใจค่ะว่าหลังเดินทางมาไกลคงเหนื่อยมาก",
                   "ดิฉันเข้าใจว่าทำไมคุณลูกค้าถึงไม่พอใจ ถ้าเป็นดิฉันก็คงรู้สึกแบบเดียวกันค่ะ"],
        },
        "completes_on": "manual",
    },
    "apologize": {
        "name": {"en": "Apologize", "vi": "Xin lỗi", "th": "ขอโทษ"},
        "guidance": {
            "en": "Apologise sincerely and take responsibility: no excuses, no blaming anyone, no “if” or “but”.",
            "vi": "Xin lỗi chân thành và nhận trách nhiệm: không viện cớ, không đổ lỗi, không “nếu” và không “nhưng”.",
            "th": "ขอโทษอย่างจริงใจและรับผิดชอบ ไม่แก้ตัว ไม่โทษใคร ไม่มีคำว่า “ถ้า” หรือ “แต่”",
        },
        "phrases": {
            "en": ["I am sorry. This was our mistake, and we will put it right.",
                   "I apologise for the trouble this has caused you."],
            "vi": ["Chúng tôi thành thật xin lỗi Quý khách. Đây là lỗi của chúng tôi và chúng tôi sẽ khắc phục ngay.",
                   "Tôi xin lỗi vì những phiền toái mà sự việc này đã gây ra cho Quý khách."],
            "th": ["ต้องขออภัยเป็นอย่างสูงค่ะ เป็นความผิดพลาดของเราเอง และเราจะแก้ไขให้เรียบร้อยค่ะ",
                   "ขออภัยในความไม่สะดวกที่เกิดขึ้นกับคุณลูกค้านะคะ"],
        },
        "completes_on": "apology",
    },
    "respond": {
        "name": {"en": "Respond", "vi": "Phản hồi", "th": "ตอบสนอง"},
        "guidance": {
            "en": "Answer the customer with what you will do to solve the problem, and by when. Offer a choice "
                  "when you can.",
            "vi": "Trả lời khách về việc bạn sẽ làm để giải quyết vấn đề và thời hạn. Khi có thể, hãy đưa ra "
                  "lựa chọn cho khách.",
            "th": "ตอบลูกค้าว่าเราจะทำอะไรเพื่อแก้ปัญหาและเสร็จเมื่อไร ถ้าทำได้ให้ลูกค้าเลือกทางแก้",
        },
        "phrases": {
            "en": ["Here is what I will do right now: …",
                   "Would you prefer a new room straight away, or that we fix this one by 6 pm?"],
            "vi": ["Đây là những gì tôi sẽ làm ngay bây giờ: …",
                   "Quý khách muốn chuyển sang phòng khác ngay, hay để chúng tôi sửa phòng này xong trước 18 giờ ạ?"],
            "th": ["สิ่งที่ดิฉันจะดำเนินการทันทีคือ …",
                   "คุณลูกค้าสะดวกย้ายห้องใหม่ทันที หรือให้เราซ่อมห้องนี้ให้เสร็จภายในหกโมงเย็นคะ"],
        },
        "completes_on": "reply",
    },
    "take_action": {
        "name": {"en": "Take action", "vi": "Hành động", "th": "ลงมือแก้ไข"},
        "guidance": {
            "en": "Solve the problem and make up for it within your authority: re-perform the service, replace, "
                  "refund or offer a gesture. Record the remedy on the case.",
            "vi": "Giải quyết vấn đề và bù đắp trong phạm vi quyền hạn của bạn: làm lại dịch vụ, đổi, hoàn tiền "
                  "hoặc tặng quà. Ghi nhận phương án bù đắp vào hồ sơ.",
            "th": "แก้ปัญหาและชดเชยภายในอำนาจของเรา เช่น ให้บริการใหม่ เปลี่ยนสินค้า คืนเงิน หรือมอบน้ำใจเล็ก ๆ "
                  "แล้วบันทึกการชดเชยไว้ในเคส",
        },
        "phrases": {
            "en": ["I have moved you to a quiet room on the 8th floor, and tonight's dinner is on us.",
                   "I have refunded the charge; you will see it on your card within 3 days."],
            "vi": ["Tôi đã chuyển Quý khách sang một phòng yên tĩnh ở tầng 8, và bữa tối nay xin được mời Quý khách.",
                   "Tôi đã hoàn lại khoản phí; Quý khách sẽ nhận lại trên thẻ trong vòng 3 ngày ạ."],
            "th": ["ดิฉันย้ายคุณลูกค้าไปห้องที่เงียบกว่าบนชั้น 8 แล้ว และอาหารค่ำคืนนี้ทางเราขอเป็นผู้ดูแลค่ะ",
                   "ดิฉันคืนเงินให้เรียบร้อยแล้วค่ะ ยอดจะเข้าบัตรภายใน 3 วัน"],
        },
        "completes_on": "remedy",
    },
    "thank": {
        "name": {"en": "Thank", "vi": "Cảm ơn", "th": "ขอบคุณ"},
        "guidance": {
            "en": "Thank the customer for telling you: their complaint helps you do better.",
            "vi": "Cảm ơn khách đã lên tiếng: góp ý của khách giúp chúng ta làm tốt hơn.",
            "th": "ขอบคุณลูกค้าที่แจ้งให้ทราบ คำติชมของลูกค้าช่วยให้เราบริการได้ดีขึ้น",
        },
        "phrases": {
            "en": ["Thank you for letting us know; it helps us get better.",
                   "Thank you for your patience while we put this right."],
            "vi": ["Cảm ơn Quý khách đã cho chúng tôi biết; điều này giúp chúng tôi phục vụ tốt hơn.",
                   "Cảm ơn Quý khách đã kiên nhẫn trong lúc chúng tôi khắc phục sự cố."],
            "th": ["ขอบคุณที่แจ้งให้เราทราบนะคะ ช่วยให้เราปรับปรุงบริการได้ดีขึ้นค่ะ",
                   "ขอบคุณที่รอระหว่างที่เราแก้ไขปัญหานะคะ"],
        },
        "completes_on": "thanks",
    },
    "explain": {
        "name": {"en": "Explain", "vi": "Giải thích", "th": "อธิบาย"},
        "guidance": {
            "en": "Tell the customer what you did, why it happened, and what changes so it does not happen again.",
            "vi": "Cho khách biết bạn đã làm gì, vì sao sự cố xảy ra và điều gì sẽ thay đổi để không tái diễn.",
            "th": "บอกลูกค้าว่าเราทำอะไรไปแล้ว ปัญหาเกิดจากอะไร และจะเปลี่ยนอะไรเพื่อไม่ให้เกิดซ้ำ",
        },
        "phrases": {
            "en": ["The room was missed because of a mix-up in the cleaning list; we now check every room "
                   "before check-in.",
                   "Here is what we did: …"],
            "vi": ["Phòng bị bỏ sót do nhầm lẫn trong danh sách dọn phòng; từ nay chúng tôi kiểm tra từng phòng "
                   "trước khi khách nhận phòng.",
                   "Chúng tôi đã thực hiện những việc sau: …"],
            "th": ["ห้องตกหล่นเพราะรายการทำความสะอาดผิดพลาด ตอนนี้เราตรวจทุกห้องก่อนลูกค้าเช็กอินแล้วค่ะ",
                   "สิ่งที่เราได้ดำเนินการไปแล้วคือ …"],
        },
        "completes_on": "thanks",
    },
    "notify": {
        "name": {"en": "Notify", "vi": "Thông báo", "th": "แจ้งให้ทราบ"},
        "guidance": {
            "en": "Tell the customer it is done and what was done, and make sure your colleagues know too, so the "
                  "next shift does not repeat the failure.",
            "vi": "Báo cho khách biết việc đã xong và đã làm gì, đồng thời báo cho đồng nghiệp để ca sau không "
                  "lặp lại sai sót.",
            "th": "แจ้งลูกค้าว่าแก้ไขเสร็จแล้วและทำอะไรไปบ้าง และแจ้งเพื่อนร่วมงาน "
                  "เพื่อไม่ให้กะถัดไปทำผิดซ้ำ",
        },
        "phrases": {
            "en": ["Everything is now sorted: …. Thank you again for telling us.",
                   "I have briefed the evening team so this does not happen again."],
            "vi": ["Mọi việc đã được giải quyết xong: …. Một lần nữa cảm ơn Quý khách đã báo cho chúng tôi.",
                   "Tôi đã thông báo cho ca tối để việc này không lặp lại ạ."],
            "th": ["ตอนนี้เรียบร้อยแล้วค่ะ: …. ขอบคุณอีกครั้งที่แจ้งให้เราทราบนะคะ",
                   "ดิฉันแจ้งทีมกะเย็นแล้ว เพื่อไม่ให้เกิดเรื่องนี้ซ้ำค่ะ"],
        },
        "completes_on": "thanks",
    },
    "follow_up": {
        "name": {"en": "Follow up", "vi": "Theo dõi sau xử lý", "th": "ติดตามผล"},
        "guidance": {
            "en": "After the case is resolved Kintsugi asks the customer whether they are happy now. A “yes” "
                  "completes this step; a “no” reopens the case.",
            "vi": "Sau khi hồ sơ được giải quyết, Kintsugi hỏi khách xem họ đã hài lòng chưa. Khách trả lời "
                  "“có” thì bước này hoàn tất; “không” thì hồ sơ được mở lại.",
            "th": "หลังปิดเรื่องแล้ว Kintsugi จะถามลูกค้าว่าพอใจหรือยัง ถ้าตอบ “พอใจ” ขั้นตอนนี้จะเสร็จ "
                  "ถ้าตอบ “ไม่” เคสจะถูกเปิดใหม่",
        },
        "phrases": {
            "en": ["We wanted to check: is everything all right now?"],
            "vi": ["Chúng tôi muốn hỏi thăm: mọi việc bây giờ đã ổn chưa ạ?"],
            "th": ["ขออนุญาตสอบถามค่ะ ตอนนี้ทุกอย่างเรียบร้อยดีไหมคะ"],
        },
        "completes_on": "follow_up",
    },
}

# (step, target minutes from case open, required)
PLAYBOOKS: Final[dict[str, dict[str, Any]]] = {
    "latte": {
        "name": "LATTE",
        "description": "Listen, Acknowledge, Take action, Thank, Explain (Starbucks).",
        "steps": [("listen", 30, True), ("acknowledge", 60, True), ("take_action", 240, True),
                  ("thank", 480, True), ("explain", 480, True)],
    },
    "learn": {
        "name": "LEARN",
        "description": "Listen, Empathize, Apologize, Respond, Notify (Marriott).",
        "steps": [("listen", 30, True), ("empathize", 30, True), ("apologize", 60, True),
                  ("respond", 120, True), ("notify", 480, True)],
    },
    "heart": {
        "name": "HEART",
        "description": "Hear, Empathize, Apologize, Respond, Take action, Follow up (The Broadmoor).",
        "steps": [("hear", 30, True), ("empathize", 30, True), ("apologize", 60, True),
                  ("respond", 120, True), ("take_action", 240, True), ("follow_up", 7 * 24 * 60, True)],
    },
}
DEFAULT_PLAYBOOK: Final = "latte"
DEFAULT_FOLLOW_UP_DAYS: Final = 3


def steps_of(code: str) -> list[dict[str, Any]]:
    """The built-in playbook's steps as field values (position, code, names, guidance, phrases, target...)."""
    rows = []
    for position, (step, minutes, required) in enumerate(PLAYBOOKS[code]["steps"], start=1):
        spec = STEPS[step]
        rows.append({
            "position": position, "code": step, "target_minutes": minutes, "is_required": required,
            "completes_on": spec["completes_on"],
            "name": spec["name"]["en"], "name_vi": spec["name"]["vi"], "name_th": spec["name"]["th"],
            "guidance": spec["guidance"]["en"], "guidance_vi": spec["guidance"]["vi"],
            "guidance_th": spec["guidance"]["th"],
            "phrases": "\n".join(spec["phrases"]["en"]), "phrases_vi": "\n".join(spec["phrases"]["vi"]),
            "phrases_th": "\n".join(spec["phrases"]["th"]),
        })
    return rows


def first_due_minutes(code: str) -> int | None:
    """Minutes from case open to the earliest required step of a built-in playbook (follow-ups excluded)."""
    minutes = [m for step, m, required in PLAYBOOKS[code]["steps"] if required and STEPS[step]["completes_on"]
               != "follow_up"]
    return min(minutes) if minutes else None
