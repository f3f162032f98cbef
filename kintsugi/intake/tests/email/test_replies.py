"""Folding a reply: only the customer's new words stay; the quoted history and signature go; nothing else does."""

from __future__ import annotations

import pytest

from kintsugi.intake.channels.email.replies import fold

NEW = "The shower is still broken."
OURS = "> Dear guest,\n> we have opened case K-2026-000123."


@pytest.mark.parametrize("header", [
    "On Tue, 3 Mar 2026 at 08:12, Song Hong Hotel Care <care@hotel.example> wrote:",
    "On Tue, 3 Mar 2026 at 08:12, Song Hong Hotel Care <\ncare@hotel.example> wrote:",  # Gmail's wrapping
    "On 3 Mar 2026, at 08:12, Song Hong Hotel Care <care@hotel.example> wrote:",  # Apple Mail
    "-----Original Message-----\nFrom: Care\nSent: Tuesday, March 3, 2026 8:12 AM\nTo: John\nSubject: Re: x",
    "________________________________\nFrom: Care <care@hotel.example>\nSent: Tuesday\nTo: John\nSubject: x",
    "Vào Th 3, 3 thg 3, 2026 vào lúc 08:12 Khách sạn Sông Hồng <care@hotel.example> đã viết:",  # Gmail vi
    "Vào 08:12, ngày 3 thg 3, 2026, Khách sạn Sông Hồng <care@hotel.example> đã viết:",  # Apple Mail vi
    "Vào lúc 08:12 Thứ Ba, 3 tháng 3, 2026, Khách sạn <care@hotel.example> đã viết:",  # Yahoo vi
    "-----Thư gốc-----\nTừ: Khách sạn Sông Hồng\nGửi: Thứ Ba, 3 tháng 3, 2026 8:12 SA\nĐến: Lan\nChủ đề: x",
    "Từ: Khách sạn Sông Hồng <care@hotel.example>\nĐã gửi: Thứ Ba, 3 tháng 3\nĐến: Lan\nChủ đề: x",
    "เมื่อ อ. 3 มี.ค. 2026 เวลา 08:12 โรงแรมซองฮง <care@hotel.example> เขียนว่า:",  # Gmail th
    "จาก: โรงแรมซองฮง <care@hotel.example>\nส่ง: 3 มีนาคม 2569 8:12\nถึง: สมหญิง\nเรื่อง: x",  # Outlook th
    "2026年3月3日(火) 8:12 Song Hong Hotel <care@hotel.example>:",  # Japanese Gmail
])
def test_the_quoted_history_under_each_clients_header_is_folded(header: str) -> None:
    assert fold(f"{NEW}\n\n{header}\n\n{OURS}\nOld words of ours.") == NEW


@pytest.mark.parametrize(("text", "new"), [
    (f"{NEW}\n\n-- \nJohn Smith\nContoso", NEW),
    (f"{NEW}\n\n--\nJohn Smith", NEW),
    (f"{NEW}\n\nBest regards,\nJohn Smith\nSenior Engineer\n+44 20 7946 0958", NEW),
    (f"{NEW}\n\nTrân trọng,\nNguyễn Thị Lan\n0901 234 567", NEW),
    (f"{NEW}\n\nขอแสดงความนับถือ\nสมหญิง", NEW),
    (f"{NEW}\n\nSent from my iPhone", NEW),
    (f"{NEW}\n\nGet Outlook for Android", NEW),
    (f"{NEW}\n\nĐược gửi từ iPhone của tôi", NEW),
])
def test_a_signature_is_folded(text: str, new: str) -> None:
    assert fold(text) == new


@pytest.mark.parametrize("text", [
    "Thanks, please call me back at 0901 234 567 before noon.\nLan",
    "Room 204:\n- the towels are stained\n- the air conditioner is loud\n- no hot water",
    "Best regards to the night manager, he was kind.\nBut the room was dirty.",
    "Tôi cảm ơn, nhưng tôi vẫn chờ được hoàn tiền.",
])
def test_the_customers_own_words_are_never_taken_for_a_signature(text: str) -> None:
    assert fold(text) == text


def test_a_closing_followed_by_more_than_a_few_lines_is_the_customers_text() -> None:
    text = "Regards,\n" + "\n".join(f"line {n} of what happened" for n in range(1, 8))
    text = "The room was dirty.\n\n" + text
    assert fold(text) == text


def test_a_forwarded_mail_is_content_not_history() -> None:
    text = ("See the bank's message below.\n\n---------- Forwarded message ---------\nFrom: Bank <a@bank.example>\n"
            "Date: Thu, 5 Mar 2026\nSubject: Payment\nTo: <lan@example.vn>\n\nAmount: 2.450.000 VND")
    assert fold(text) == text


def test_an_answer_below_the_quote_is_kept_without_the_quote() -> None:
    text = f"On Tue, 3 Mar 2026, Care <care@hotel.example> wrote:\n{OURS}\n\n{NEW}\n\n> more of ours\n\nAnd more."
    assert fold(text) == f"{NEW}\n\nAnd more."


def test_a_mail_that_is_all_quote_keeps_everything() -> None:
    text = f"On Tue, 3 Mar 2026, Care <care@hotel.example> wrote:\n{OURS}"
    assert fold(text) == text


def test_the_indentation_of_the_new_part_is_kept() -> None:
    bill = "Bill:\n    room      2.000.000\n    minibar     150.000"
    text = f"{bill}\n\nOn Tue, 3 Mar 2026, Care <c@h.example> wrote:\n{OURS}"
    assert fold(text) == bill


def test_nothing_to_fold_is_the_text_itself() -> None:
    assert fold("  \n ") == ""
    assert fold(NEW) == NEW
