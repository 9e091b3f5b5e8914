"""Tell which of the supported languages a question is written in."""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.normalize import CYRILLIC, fold
from knowledge.records import LANGUAGES

SUPPORTED = LANGUAGES  # one list: knowledge.records.LANGUAGES
# Letters only Vietnamese uses among our three languages (with their capitals).
_VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]",
    re.IGNORECASE,
)
_LATIN_LETTER = re.compile(r"[A-Za-z]")  # the ASCII letters
# Common Vietnamese words as typed without diacritics; two hits make a question Vietnamese.
_VIETNAMESE_WORDS = frozenset(
    """
    thuong mai kim ngach sinh vien dai su quan he hop tac chuyen tham nam nay bao nhieu
    khong nhung cac cua va voi giua nguoi lao dong hiep dinh co che uy ban nghi vien
    dia phuong cong dong quoc phong an ninh dau tu du lich the thao van hoa y te khoa hoc
    cong nghe hang hoa xuat khau nhap khau doi tac ngoai giao thiet lap ky ket gi nao ai
    o tai la toi ban hay cho biet ve hien thong tin chao xin
    thanh pho ho chi minh ha noi hai nuoc hoc bong hoc tap du hoc viec lam kieu bao doanh
    nghiep cong ty san pham tang truong giam thang ngay tuan gan day moi nhat bao lau tu den
    sang nhieu hon lon nho rat qua lam duoc chua roi dang se da cung van nua nhu sao vay thi
    nen vi neu khi luc truoc sau trong ngoai tren duoi chinh phu thu tuong chu tich tong bi thu
    bo truong hiep thoa thuan ky ket tri giao duc hang khong chuyen bay thi thuc mien nhan
    dip nhung lan dau tien tro thanh dien ra hoi dam gap go ket qua ngay cang tot dep
    co mua len lai ko dc ae mn ad vl oi nhe ne thoi luon
    """.split()
)


@lru_cache(maxsize=16)  # the reply's language and the matcher both ask it of one question
def detect_language(text: str) -> str | None:
    """``ru``, ``vi`` or ``en`` when the text shows it, else None (too short or no letters)."""
    cyrillic = len(CYRILLIC.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if cyrillic and cyrillic >= latin / 2:
        return "ru"
    if _VIETNAMESE_LETTERS.search(text):
        return "vi"
    words = fold(text).split()
    if not words:
        return None
    hits = sum(1 for w in words if w in _VIETNAMESE_WORDS)
    if hits >= 2 and hits >= len(words) / 2:
        return "vi"
    if latin:
        return "en"
    return None


def choose_language(text: str, preferred: str | None = None) -> str:
    """The question's own language when it can be told, else the user's, else English."""
    return detect_language(text) or (preferred if preferred in SUPPORTED else None) or "en"
