"""A bilingual certificate as the web layer would hand it to the renderer."""

from __future__ import annotations

from dataclasses import replace

from lms.domain.certificates import CertificateLines, CertificateText

NUMBER = "JC-2026-00042-7"
VERIFY_URL = f"https://lms.example.mn/verify/{NUMBER}"
HOLDER_MN = "Өлзийсайхан Үүрцайх"
HOLDER_EN = "Ulziisaikhan Uurtsaikh"
COURSE_MN = "Ажлын дасгалжуулагчийн сургалт"
COURSE_EN = "Job coach training"

MONGOLIAN = CertificateLines(
    language="mn",
    heading="ГЭРЧИЛГЭЭ",
    credential_name="Ажлын дасгалжуулагч",
    holder_line="Энэхүү гэрчилгээгээр",
    holder_name=HOLDER_MN,
    course_line="дараах сургалтыг амжилттай дүүргэснийг гэрчилнэ",
    course_title=COURSE_MN,
    details=(
        ("Гэрчилгээний дугаар", NUMBER),
        ("Олгосон огноо", "2026 оны 3-р сарын 12"),
        ("Хүчинтэй хугацаа", "2029 оны 3-р сарын 12"),
        ("Сургалтын цаг", "120 цаг"),
        ("Тэтгэлэгт хамрагдах", "Тийм"),
        ("Олгосон сургагч багш", "Батбаяр Дорж"),
        ("Бүс нутаг, байгууллага", "Өвөрхангай аймаг, Хөдөлмөр, халамжийн үйлчилгээний газар"),
    ),
    verify_line="Гэрчилгээний хүчинтэй эсэхийг QR кодыг уншуулж эсвэл доорх хаягаар шалгана уу.",
)

ENGLISH = CertificateLines(
    language="en",
    heading="CERTIFICATE",
    credential_name="Job coach",
    holder_line="This certifies that",
    holder_name=HOLDER_EN,
    course_line="has successfully completed the course",
    course_title=COURSE_EN,
    details=(
        ("Certificate number", NUMBER),
        ("Issued", "12 March 2026"),
        ("Valid until", "12 March 2029"),
        ("Hours", "120"),
        ("Qualifies for the subsidy", "Yes"),
        ("Issuing trainer", "Batbayar Dorj"),
        ("Region and organisation", "Uvurkhangai province, Labour and Welfare Services Office"),
    ),
    verify_line=(
        "Check that this certificate is valid by scanning the QR code or at the address below."
    ),
)

BILINGUAL = CertificateText(blocks=(MONGOLIAN, ENGLISH), number=NUMBER, verify_url=VERIFY_URL)


def long_form() -> CertificateText:
    """Names, titles and details long enough that the two languages need a page each."""
    extra_mn = tuple((f"Нэмэлт мөр {n}", "Өргөн хүрээтэй нэмэлт тайлбар " * 2) for n in range(9))
    extra_en = tuple((f"Extra row {n}", "A rather long additional remark " * 2) for n in range(9))
    return CertificateText(
        blocks=(
            replace(
                MONGOLIAN,
                holder_name="Өлзийсайхан-Очирбатын Үүрцайхсүрэнгийн Энхтүвшинжаргал",
                course_title=COURSE_MN + ": дэмжлэгтэй хөдөлмөр эрхлэлтийн ахисан түвшний модуль",
                details=MONGOLIAN.details + extra_mn,
            ),
            replace(ENGLISH, details=ENGLISH.details + extra_en),
        ),
        number=NUMBER,
        verify_url=VERIFY_URL,
    )
