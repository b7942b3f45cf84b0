"""Mongolia's aimags and the districts of Ulaanbaatar, with names in both languages."""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    code: str
    mn: str
    en: str

    def name(self, locale: str) -> str:
        return self.mn if locale == "mn" else self.en


REGIONS: tuple[Region, ...] = (
    Region("ub-baganuur", "Улаанбаатар, Багануур дүүрэг", "Ulaanbaatar, Baganuur district"),
    Region("ub-bagakhangai", "Улаанбаатар, Багахангай дүүрэг", "Ulaanbaatar, Bagakhangai district"),
    Region("ub-bayangol", "Улаанбаатар, Баянгол дүүрэг", "Ulaanbaatar, Bayangol district"),
    Region("ub-bayanzurkh", "Улаанбаатар, Баянзүрх дүүрэг", "Ulaanbaatar, Bayanzürkh district"),
    Region("ub-nalaikh", "Улаанбаатар, Налайх дүүрэг", "Ulaanbaatar, Nalaikh district"),
    Region(
        "ub-songinokhairkhan",
        "Улаанбаатар, Сонгинохайрхан дүүрэг",
        "Ulaanbaatar, Songinokhairkhan district",
    ),
    Region("ub-sukhbaatar", "Улаанбаатар, Сүхбаатар дүүрэг", "Ulaanbaatar, Sükhbaatar district"),
    Region("ub-khan-uul", "Улаанбаатар, Хан-Уул дүүрэг", "Ulaanbaatar, Khan-Uul district"),
    Region("ub-chingeltei", "Улаанбаатар, Чингэлтэй дүүрэг", "Ulaanbaatar, Chingeltei district"),
    Region("arkhangai", "Архангай аймаг", "Arkhangai province"),
    Region("bayan-olgii", "Баян-Өлгий аймаг", "Bayan-Ölgii province"),
    Region("bayankhongor", "Баянхонгор аймаг", "Bayankhongor province"),
    Region("bulgan", "Булган аймаг", "Bulgan province"),
    Region("govi-altai", "Говь-Алтай аймаг", "Govi-Altai province"),
    Region("govisumber", "Говьсүмбэр аймаг", "Govisümber province"),
    Region("darkhan-uul", "Дархан-Уул аймаг", "Darkhan-Uul province"),
    Region("dornogovi", "Дорноговь аймаг", "Dornogovi province"),
    Region("dornod", "Дорнод аймаг", "Dornod province"),
    Region("dundgovi", "Дундговь аймаг", "Dundgovi province"),
    Region("zavkhan", "Завхан аймаг", "Zavkhan province"),
    Region("orkhon", "Орхон аймаг", "Orkhon province"),
    Region("ovorkhangai", "Өвөрхангай аймаг", "Övörkhangai province"),
    Region("omnogovi", "Өмнөговь аймаг", "Ömnögovi province"),
    Region("sukhbaatar", "Сүхбаатар аймаг", "Sükhbaatar province"),
    Region("selenge", "Сэлэнгэ аймаг", "Selenge province"),
    Region("tov", "Төв аймаг", "Töv province"),
    Region("uvs", "Увс аймаг", "Uvs province"),
    Region("khovd", "Ховд аймаг", "Khovd province"),
    Region("khovsgol", "Хөвсгөл аймаг", "Khövsgöl province"),
    Region("khentii", "Хэнтий аймаг", "Khentii province"),
)

BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}


def region_name(code: str, locale: str) -> str:
    """The region's display name, or the code itself when it is unknown (old data)."""
    region = BY_CODE.get(code)
    return region.name(locale) if region else code
