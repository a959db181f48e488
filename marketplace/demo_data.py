"""The hand-written demo catalogue (data only; `marketplace.demo` loads it) and the word lists the
product generator composes names from.

Everything here is plain, frozen data so that it can be validated and read without a database.
The producers are invented (no tax code or telephone number; e-mail on the reserved ".example"
domain), as are certificate and decision numbers; the specialities, places and protections are
real. Dates are fixed (never "today") so that the demo is the same on every
machine: most certificates were issued 2024–2026 and are in force until 2027–2029, the expired ones
were issued 2021–2022.

Certificate issuing levels are not written here: `marketplace.demo` derives them from the star
class and the issue date (before July 2025: district 3★, province 4★, centre 5★; since then:
province 3★ and 4★, centre 5★), and the issuing province from the producer's former province.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ProtectionSpec:
    """A registered name: GI (chỉ dẫn địa lý), certification mark or collective mark."""

    key: str
    kind: str  # gi, certification_mark, collective_mark
    name: str
    registration_number: str
    holder: str
    province_code: str
    registered_on: date | None
    description: str


@dataclass(frozen=True)
class CertificateSpec:
    """One OCOP certificate of a product; level and issuing province are derived when loading."""

    stars: int
    score: int
    issued_on: date
    decision_no: int  # number of the decision recognising the product
    status: str = "verified"
    status_reason: str | None = None
    decided_on: date | None = None  # when the platform's administrator decided (default: +12 days)


@dataclass(frozen=True)
class RightSpec:
    """A producer's right to use a protection on one product."""

    protection: str  # ProtectionSpec.key
    decision_number: str
    status: str = "verified"


@dataclass(frozen=True)
class ProductSpec:
    name: str
    group: str
    subgroup: str
    description: str  # Markdown, Vietnamese
    unit: str
    price_vnd: int
    stock: int
    net_weight_g: int | None = None
    status: str = "published"
    min_order_qty: int = 1
    case_pack: int = 1
    price_tiers: tuple[tuple[int, int], ...] = ()  # (from quantity, unit price), prices falling
    certificates: tuple[CertificateSpec, ...] = ()
    rights: tuple[RightSpec, ...] = ()
    images: int = 1


@dataclass(frozen=True)
class ProducerSpec:
    name: str
    entity_type: str
    province_code: str  # a current (2025) province code
    commune: str  # a post-2025 commune, ward or special zone
    story: str
    products: tuple[ProductSpec, ...]
    former_province: str | None = None  # the pre-July-2025 province, where it had another name
    former_district: str | None = None  # the district-level unit that issued 3★ before July 2025
    craft_village: str | None = None
    environment_plan: str = ""
    circular_practices: str = ""
    green_verified: bool = False
    verification_status: str = "verified"
    verified_on: date | None = None  # default: spread over 2024–2025 by position


def _d(iso: str) -> date:
    return date.fromisoformat(iso)


def cert(stars: int, score: int, issued: str, decision_no: int, status: str = "verified",
         reason: str | None = None, decided: str | None = None) -> CertificateSpec:
    return CertificateSpec(stars, score, _d(issued), decision_no, status, reason,
                           _d(decided) if decided else None)


def right(protection: str, decision_number: str, status: str = "verified") -> RightSpec:
    return RightSpec(protection, decision_number, status)


# ---------------------------------------------------------------------------------------------
# Protections. GI numbers are those of Vietnam's IP office (Cục Sở hữu trí tuệ): Mộc Châu 00002,
# Buôn Ma Thuột 00004, Văn Yên 00018, Ngọc Linh 00049, Hưng Yên 00055 and Huế 00096 (with their
# dates) were checked against published decisions; Phú Quốc 00001, Tân Cương 00013, Sơn La 00056
# and Lục Ngạn 00024 follow the project brief. Registration dates left None were not checked.
# The registration numbers of the certification and collective marks are placeholders.

PROTECTIONS: tuple[ProtectionSpec, ...] = (
    ProtectionSpec(
        "phu-quoc", "gi", "Phú Quốc", "00001", "UBND tỉnh An Giang (trước 7/2025: tỉnh Kiên Giang)",
        "an-giang", None,
        "Nước mắm cá cơm ủ chượp trong thùng gỗ tại đảo Phú Quốc — chỉ dẫn địa lý đầu tiên của "
        "Việt Nam, được bảo hộ cả tại Liên minh châu Âu.",
    ),
    ProtectionSpec(
        "moc-chau", "gi", "Mộc Châu", "00002", "UBND tỉnh Sơn La", "son-la", _d("2010-08-09"),
        "Chè Shan tuyết trồng trên cao nguyên Mộc Châu ở độ cao 900–1.050 m: chè xanh sao suốt, "
        "chè xanh Bao Chủng và chè đen.",
    ),
    ProtectionSpec(
        "buon-ma-thuot", "gi", "Buôn Ma Thuột", "00004", "UBND tỉnh Đắk Lắk", "dak-lak",
        _d("2005-10-14"),
        "Cà phê Robusta trồng trên đất đỏ bazan cao nguyên Buôn Ma Thuột; vị đắng dịu, ít chua, "
        "hương thơm đặc trưng khi rang.",
    ),
    ProtectionSpec(
        "tan-cuong", "gi", "Tân Cương", "00013", "UBND tỉnh Thái Nguyên", "thai-nguyen", None,
        "Chè xanh vùng Tân Cương: búp nhỏ, xoăn chặt, nước xanh vàng sánh, vị chát dịu và hậu ngọt.",
    ),
    ProtectionSpec(
        "van-yen", "gi", "Văn Yên", "00018", "UBND tỉnh Lào Cai (trước 7/2025: huyện Văn Yên, tỉnh Yên Bái)",
        "lao-cai", _d("2010-01-07"),
        "Vỏ quế của người Dao vùng Văn Yên: hàm lượng tinh dầu 4–6%, giàu aldehyd cinnamic.",
    ),
    ProtectionSpec(
        "luc-ngan", "gi", "Lục Ngạn", "00024", "UBND tỉnh Bắc Ninh (trước 7/2025: tỉnh Bắc Giang)",
        "bac-ninh", None,
        "Vải thiều quả tươi vùng Lục Ngạn: cùi dày, trắng trong, ráo nước, vị ngọt đậm.",
    ),
    ProtectionSpec(
        "ngoc-linh", "gi", "Ngọc Linh", "00049",
        "UBND tỉnh Quảng Ngãi và UBND thành phố Đà Nẵng (trước 7/2025: Kon Tum, Quảng Nam)",
        "quang-ngai", _d("2016-06-18"),
        "Sâm củ Panax vietnamensis mọc dưới tán rừng núi Ngọc Linh, độ cao trên 1.500 m.",
    ),
    ProtectionSpec(
        "hung-yen", "gi", "Hưng Yên", "00055", "Sở Khoa học và Công nghệ tỉnh Hưng Yên", "hung-yen",
        _d("2017-01-23"),
        "Nhãn lồng quả tươi: vỏ nâu sẫm, cùi dày, giòn, trắng trong, vị ngọt đậm — xưa là nhãn tiến vua.",
    ),
    ProtectionSpec(
        "son-la", "gi", "Sơn La", "00056", "UBND tỉnh Sơn La", "son-la", None,
        "Cà phê chè (Arabica) trồng trên các cao nguyên Sơn La: hương thơm, vị chua thanh, hậu ngọt.",
    ),
    ProtectionSpec(
        "hue-tram", "gi", "Huế", "00096", "Hội sản xuất và kinh doanh dầu tràm Huế", "hue",
        _d("2020-12-03"),
        "Tinh dầu tràm chưng cất từ cành lá tràm gió vùng cát ven biển Huế.",
    ),
    ProtectionSpec(
        "shan-tuyet-hsp", "certification_mark", "Chè Shan Tuyết Hoàng Su Phì", "281355",
        "UBND tỉnh Tuyên Quang (trước 7/2025: huyện Hoàng Su Phì, tỉnh Hà Giang)", "tuyen-quang", None,
        "Nhãn hiệu chứng nhận cho chè Shan tuyết từ cây chè cổ thụ vùng Hoàng Su Phì "
        "đạt tiêu chí chất lượng của tổ chức chứng nhận.",
    ),
    ProtectionSpec(
        "nang-nhen", "certification_mark", "Gạo Nàng Nhen Thơm Bảy Núi", "264719",
        "Sở Khoa học và Công nghệ tỉnh An Giang", "an-giang", None,
        "Nhãn hiệu chứng nhận cho gạo Nàng Nhen trồng một vụ mỗi năm trên ruộng "
        "vùng Bảy Núi.",
    ),
    ProtectionSpec(
        "gom-bat-trang", "collective_mark", "Gốm sứ Bát Tràng", "107986", "Hiệp hội Gốm sứ Bát Tràng",
        "ha-noi", None,
        "Nhãn hiệu tập thể của các cơ sở gốm trong làng nghề Bát Tràng.",
    ),
    ProtectionSpec(
        "lua-van-phuc", "collective_mark", "Lụa Vạn Phúc", "139842", "Hiệp hội Làng nghề dệt lụa Vạn Phúc",
        "ha-noi", None,
        "Nhãn hiệu tập thể cho lụa tơ tằm dệt tại làng Vạn Phúc.",
    ),
    ProtectionSpec(
        "cha-muc-ha-long", "collective_mark", "Chả mực Hạ Long", "198301", "Hội Chế biến chả mực Hạ Long",
        "quang-ninh", None,
        "Nhãn hiệu tập thể cho chả mực giã tay từ mực tươi đánh bắt ở vịnh Bắc Bộ.",
    ),
)


# ---------------------------------------------------------------------------------------------
# Producers and their products

_REVOKED_REASON = (
    "Kiểm tra sau chứng nhận tháng 3/2026: độ đạm thực tế 38 g/l, thấp hơn mức 43 g/l công bố trên "
    "nhãn. Thu hồi theo Quyết định số 215/QĐ-UBND của UBND tỉnh An Giang."
)

PRODUCERS: tuple[ProducerSpec, ...] = (
    ProducerSpec(
        name="HTX Chè Shan Tuyết Phìn Hồ",
        entity_type="cooperative",
        province_code="tuyen-quang",
        commune="Xã Hoàng Su Phì",
        former_province="Hà Giang",
        former_district="huyện Hoàng Su Phì",
        story=(
            "Hợp tác xã của 46 hộ người Dao đỏ chăm sóc hơn 60 ha chè Shan tuyết cổ thụ, nhiều cây trên "
            "trăm năm tuổi. Búp chè được hái một tôm hai lá vào sáng sớm, khi sương còn đọng trên núi. "
            "Từ tháng 7/2025 xã thuộc tỉnh Tuyên Quang; các giấy chứng nhận cũ vẫn ghi tỉnh Hà Giang."
        ),
        environment_plan="Chè không phun thuốc trừ cỏ; bã chè và cành tỉa được ủ làm phân hữu cơ.",
        circular_practices="Thu lại túi giấy kraft đã dùng từ các đại lý để tái sử dụng làm bao ngoài.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Trà Shan Tuyết cổ thụ Hoàng Su Phì",
                group="food", subgroup="tea", unit="pack", net_weight_g=200, price_vnd=320_000, stock=140,
                description=(
                    "Chè xanh sao suốt từ búp **chè Shan tuyết cổ thụ** trên độ cao 1.200 m. Cánh chè "
                    "phủ lớp lông tơ trắng như tuyết, nước vàng xanh, vị chát nhẹ và ngọt hậu sâu.\n\n"
                    "- Pha 5 g chè với 150 ml nước 85–90 °C\n- Hãm 2–3 phút, pha được 4–5 nước"
                ),
                min_order_qty=10, case_pack=10, price_tiers=((20, 300_000), (100, 285_000)),
                certificates=(cert(4, 78, "2024-05-20", 1187),),
                rights=(right("shan-tuyet-hsp", "Quyết định số 52/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Hồng trà Shan Tuyết Hoàng Su Phì",
                group="food", subgroup="tea", unit="pack", net_weight_g=100, price_vnd=185_000, stock=90,
                description=(
                    "Hồng trà lên men hoàn toàn từ búp Shan tuyết, sấy bằng củi trong lò truyền thống. "
                    "Nước đỏ hổ phách, hương mật ong và quả chín, hợp pha với sữa hoặc uống nóng."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((20, 174_000), (100, 165_000)),
                certificates=(cert(3, 64, "2025-09-10", 2456),),
                rights=(right("shan-tuyet-hsp", "Quyết định số 118/QĐ-SKHCN"),),
            ),
            ProductSpec(
                name="Bạch trà búp bạc Shan Tuyết",
                group="food", subgroup="tea", unit="box", net_weight_g=100, price_vnd=450_000, stock=25,
                description=(
                    "Chỉ hái búp non chưa nở, làm héo tự nhiên và phơi trong bóng râm. Sản lượng mỗi "
                    "năm rất ít; nước trà vàng nhạt, thanh và ngọt."
                ),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Chè Tân Cương Xanh",
        entity_type="cooperative",
        province_code="thai-nguyen",
        commune="Xã Tân Cương",
        former_district="thành phố Thái Nguyên",
        craft_village="Làng nghề chè Tân Cương",
        story=(
            "Ba thế hệ làm chè dưới chân núi Guộc, nơi sương mù và đất feralit tạo nên vị chè Tân Cương. "
            "Hợp tác xã sao chè bằng tôn quay thủ công, mỗi mẻ chỉ vài cân búp. Sản phẩm được cấp quyền "
            "sử dụng chỉ dẫn địa lý Tân Cương."
        ),
        environment_plan=(
            "Thu gom bao bì thuốc bảo vệ thực vật theo quy định; nước rửa chè lắng lọc trước khi xả."
        ),
        products=(
            ProductSpec(
                name="Chè đinh Tân Cương thượng hạng",
                group="food", subgroup="tea", unit="box", net_weight_g=100, price_vnd=420_000, stock=40,
                description=(
                    "Chè đinh làm từ **một tôm non** duy nhất của búp, cánh nhỏ như chiếc đinh. Nước "
                    "xanh trong, hương cốm non, vị ngọt đọng lâu — loại chè dùng để biếu."
                ),
                certificates=(cert(4, 82, "2024-11-12", 3315),),
                rights=(right("tan-cuong", "Quyết định số 31/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Chè nõn tôm Tân Cương",
                group="food", subgroup="tea", unit="pack", net_weight_g=200, price_vnd=260_000, stock=160,
                description=(
                    "Búp một tôm một lá non, sao hai lửa cho cánh xoăn đều và thơm cốm. Loại chè quen "
                    "thuộc của người Hà Nội, hợp uống hằng ngày."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((20, 245_000), (100, 230_000)),
                certificates=(
                    cert(3, 66, "2021-10-05", 2874, status="superseded", decided="2021-10-20"),
                    cert(4, 76, "2024-11-12", 3315),
                ),
                rights=(right("tan-cuong", "Quyết định số 31/QĐ-SKHCN"),),
            ),
            ProductSpec(
                name="Chè móc câu Tân Cương",
                group="food", subgroup="tea", unit="pack", net_weight_g=500, price_vnd=380_000, stock=120,
                description=(
                    "Cánh chè cong như lưỡi câu, nước vàng sánh, vị đậm. Túi 500 g hút chân không, "
                    "phù hợp cho gia đình, văn phòng và quán trà."
                ),
                min_order_qty=5, case_pack=5, price_tiers=((10, 360_000), (50, 345_000)),
                certificates=(cert(3, 62, "2025-02-18", 412),),
                rights=(right("tan-cuong", "Quyết định số 31/QĐ-SKHCN"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Miến dong Côn Minh",
        entity_type="cooperative",
        province_code="thai-nguyen",
        commune="Xã Côn Minh",
        former_province="Bắc Kạn",
        former_district="huyện Na Rì",
        story=(
            "Người Tày ở Côn Minh làm miến từ củ dong riềng trồng trên nương, phơi nắng trên giàn tre. "
            "Hợp tác xã thu mua dong của hơn 200 hộ, giữ cách làm thủ công không chất tẩy trắng."
        ),
        environment_plan=(
            "Nước thải lọc tinh bột qua hệ thống bể lắng ba ngăn; bã dong dùng làm thức ăn chăn nuôi."
        ),
        products=(
            ProductSpec(
                name="Miến dong Côn Minh",
                group="food", subgroup="processed", unit="bag", net_weight_g=500, price_vnd=75_000, stock=400,
                description=(
                    "Sợi miến màu nâu trong tự nhiên, dai và không nát khi nấu. Làm từ 100% tinh bột "
                    "dong riềng, không phẩm màu, không chất bảo quản."
                ),
                min_order_qty=20, case_pack=20, price_tiers=((60, 69_000), (200, 64_000)),
                certificates=(cert(3, 63, "2024-04-09", 658),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Cà phê Arabica Chiềng Mai",
        entity_type="cooperative",
        province_code="son-la",
        commune="Xã Chiềng Mai",
        former_district="huyện Mai Sơn",
        story=(
            "Các hộ người Thái trồng cà phê Arabica trên sườn đồi 700–900 m, xen cây mắc ca che bóng. "
            "Hợp tác xã chỉ hái quả chín đỏ và tự sơ chế, rang tại xưởng của mình."
        ),
        environment_plan="Nước thải sơ chế ướt xử lý bằng bể biogas; không đốt vỏ cà phê.",
        circular_practices="Vỏ quả làm trà cascara và phân compost bón lại cho vườn.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Cà phê Arabica Sơn La rang mộc",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=500, price_vnd=220_000,
                stock=200,
                description=(
                    "Arabica Catimor chế biến ướt, rang mộc mức vừa (medium). Vị chua thanh của trái "
                    "cây, hậu ngọt caramel; hợp pha phin, pour-over hoặc espresso."
                ),
                min_order_qty=5, case_pack=5, price_tiers=((10, 205_000), (50, 195_000)),
                certificates=(cert(4, 74, "2025-10-20", 1876),),
                rights=(right("son-la", "Quyết định số 77/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Cà phê hạt Arabica Sơn La sơ chế mật ong",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=250, price_vnd=165_000,
                stock=150,
                description=(
                    "Hạt được phơi cùng lớp nhớt (honey process) trên giàn cao 18 ngày. Thể chất dày, "
                    "hương mật ong và mận chín."
                ),
                certificates=(cert(3, 61, "2024-08-01", 905),),
                rights=(right("son-la", "Quyết định số 77/QĐ-SKHCN"),),
            ),
            ProductSpec(
                name="Cà phê phin giấy Arabica Chiềng Mai",
                group="food", subgroup="coffee_cocoa", unit="box", net_weight_g=120, price_vnd=95_000,
                stock=300,
                description=(
                    "Hộp 10 gói phin giấy, mỗi gói 12 g cà phê xay sẵn — tiện mang đi làm, đi du lịch."
                ),
                rights=(right("son-la", "Đơn đề nghị ngày 02/10/2026", status="pending"),),
            ),
            ProductSpec(
                name="Trà cascara vỏ cà phê Sơn La",
                group="food", subgroup="coffee_cocoa", unit="pack", net_weight_g=200, price_vnd=90_000,
                stock=80, status="draft",
                description=(
                    "Vỏ quả cà phê chín phơi khô, hãm như trà: vị chua ngọt của mận và hibiscus, "
                    "lượng caffeine thấp."
                ),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Chè Cao Nguyên Mộc Châu",
        entity_type="enterprise",
        province_code="son-la",
        commune="Phường Mộc Châu",
        former_district="huyện Mộc Châu",
        story=(
            "Doanh nghiệp thu mua búp chè Shan tuyết của các hộ trên cao nguyên Mộc Châu và chế biến "
            "theo quy trình sao suốt truyền thống. Nhà máy có chứng nhận HACCP từ năm 2022."
        ),
        environment_plan="Lò sấy chuyển từ than sang sinh khối viên nén; tro được trả lại vườn chè.",
        products=(
            ProductSpec(
                name="Chè Shan tuyết Mộc Châu sao suốt",
                group="food", subgroup="tea", unit="pack", net_weight_g=200, price_vnd=260_000, stock=180,
                description=(
                    "Chè xanh sao suốt mang chỉ dẫn địa lý **Mộc Châu**: màu xanh bạc, nước xanh vàng "
                    "sáng, vị chát dịu và hậu ngọt rõ."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((30, 245_000), (120, 232_000)),
                certificates=(cert(4, 72, "2024-07-05", 1520),),
                rights=(right("moc-chau", "Quyết định số 64/QĐ-SKHCN"),),
            ),
            ProductSpec(
                name="Trà ô long Mộc Châu",
                group="food", subgroup="tea", unit="pack", net_weight_g=200, price_vnd=280_000, stock=60,
                description=(
                    "Ô long vo viên từ giống Kim Tuyên trồng trên cao nguyên. Hương hoa lan, vị béo "
                    "nhẹ, pha được nhiều nước."
                ),
                certificates=(cert(3, 58, "2021-09-14", 1290, decided="2021-09-30"),),
            ),
            ProductSpec(
                name="Mận hậu sấy dẻo Mộc Châu",
                group="food", subgroup="processed", unit="bag", net_weight_g=250, price_vnd=85_000, stock=220,
                description=(
                    "Mận hậu chín hái vào tháng 6, sấy lạnh giữ màu đỏ tím và vị chua ngọt tự nhiên. "
                    "Không thêm phẩm màu."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((30, 79_000), (120, 74_000)),
                certificates=(cert(3, 60, "2025-03-11", 377),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Nông nghiệp Tôm - Lúa Tài Văn",
        entity_type="cooperative",
        province_code="can-tho",
        commune="Xã Tài Văn",
        former_province="Sóc Trăng",
        former_district="huyện Trần Đề",
        story=(
            "Xã viên canh tác lúa ST25 luân canh với nuôi tôm trên cùng ruộng: mùa khô nuôi tôm, mùa "
            "mưa trồng lúa, không cần phân bón hóa học. Giống ST25 từng đoạt giải gạo ngon nhất thế giới "
            "năm 2019. Từ tháng 7/2025 vùng Sóc Trăng cũ thuộc thành phố Cần Thơ."
        ),
        environment_plan="Không đốt rơm rạ; nước ao tôm được xử lý sinh học trước khi đưa vào ruộng lúa.",
        circular_practices="Rơm ủ trồng nấm rơm, bã nấm bón lại ruộng; trấu làm chất đốt cho lò sấy.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Gạo ST25 Sóc Trăng",
                group="food", subgroup="raw", unit="bag", net_weight_g=5000, price_vnd=185_000, stock=600,
                description=(
                    "Hạt gạo dài, trắng trong, cơm dẻo và thơm mùi lá dứa, để nguội vẫn mềm. Túi 5 kg "
                    "hút chân không.\n\n- Vụ Đông Xuân\n- Xay xát trong 15 ngày trước khi đóng gói"
                ),
                min_order_qty=4, case_pack=4, price_tiers=((20, 176_000), (100, 168_000)),
                certificates=(cert(4, 80, "2024-09-25", 2210),),
                images=2,
            ),
            ProductSpec(
                name="Gạo ST25 lúa - tôm hữu cơ",
                group="food", subgroup="raw", unit="bag", net_weight_g=2000, price_vnd=120_000, stock=300,
                description=(
                    "Gạo ST25 từ ruộng lúa - tôm được chứng nhận hữu cơ. Túi 2 kg vừa cho gia đình nhỏ."
                ),
                min_order_qty=5, case_pack=5, price_tiers=((20, 113_000), (100, 107_000)),
                certificates=(cert(3, 67, "2025-11-05", 4102),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Bánh pía Tư Hòa",
        entity_type="household",
        province_code="can-tho",
        commune="Phường Mỹ Xuyên",
        former_province="Sóc Trăng",
        former_district="huyện Mỹ Xuyên",
        craft_village="Làng nghề bánh pía Vũng Thơm",
        story=(
            "Lò bánh gia đình ba đời theo công thức của người Hoa Triều Châu. Vỏ bánh cán tay nhiều lớp, "
            "nhân sầu riêng và đậu xanh sên trên bếp củi."
        ),
        environment_plan="Dầu chiên đã qua sử dụng được thu gom bởi đơn vị có giấy phép.",
        products=(
            ProductSpec(
                name="Bánh pía sầu riêng trứng muối",
                group="food", subgroup="processed", unit="box", net_weight_g=500, price_vnd=95_000, stock=250,
                description=(
                    "Hộp 4 bánh, vỏ ngàn lớp mỏng, nhân đậu xanh sầu riêng Ri6 và lòng đỏ trứng muối. "
                    "Dùng trong 60 ngày."
                ),
                min_order_qty=12, case_pack=12, price_tiers=((24, 89_000), (96, 84_000)),
                certificates=(cert(3, 65, "2024-06-18", 733),),
            ),
            ProductSpec(
                name="Bánh pía kim sa môn",
                group="food", subgroup="processed", unit="box", net_weight_g=400, price_vnd=85_000, stock=0,
                status="archived",
                description=(
                    "Bánh pía nhân môn (khoai môn) và trứng muối chảy. Đã ngừng sản xuất từ năm 2026."
                ),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Lúa gạo Bảy Núi",
        entity_type="cooperative",
        province_code="an-giang",
        commune="Xã An Cư",
        former_district="thị xã Tịnh Biên",
        story=(
            "Gạo Nàng Nhen chỉ trồng một vụ mỗi năm trên ruộng chân núi vùng Bảy Núi, do đồng bào Khmer "
            "giữ giống từ lâu đời. Hợp tác xã bao tiêu cho 120 hộ."
        ),
        environment_plan="Giảm 30% phân bón hóa học theo mô hình 1 phải 5 giảm; thu gom vỏ bao bì.",
        products=(
            ProductSpec(
                name="Gạo Nàng Nhen thơm Bảy Núi",
                group="food", subgroup="raw", unit="bag", net_weight_g=2000, price_vnd=150_000, stock=200,
                description=(
                    "Hạt gạo nhỏ, hơi đục; cơm mềm dẻo, thơm như mùi hoa sữa. Đặc sản của đồng bào "
                    "Khmer vùng Tịnh Biên, Tri Tôn."
                ),
                min_order_qty=5, case_pack=5, price_tiers=((20, 141_000), (100, 134_000)),
                certificates=(cert(4, 75, "2025-04-10", 845),),
                rights=(right("nang-nhen", "Quyết định số 12/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Gạo Jasmine An Giang",
                group="food", subgroup="raw", unit="bag", net_weight_g=5000, price_vnd=130_000, stock=500,
                description=(
                    "Gạo Jasmine 85 hạt dài, cơm mềm, thơm nhẹ — loại gạo ăn hằng ngày của nhiều gia đình."
                ),
                min_order_qty=4, case_pack=4, price_tiers=((20, 122_000), (100, 115_000)),
                certificates=(cert(3, 59, "2024-10-02", 1764),),
            ),
        ),
    ),
    ProducerSpec(
        name="Tổ hợp tác Thốt nốt Tri Tôn",
        entity_type="cooperative_group",
        province_code="an-giang",
        commune="Xã Tri Tôn",
        former_district="huyện Tri Tôn",
        story=(
            "Mười hai hộ Khmer leo cây thốt nốt mỗi sáng để lấy nước hoa, nấu đường ngay trong ngày. "
            "Nghề leo thốt nốt đang được giữ lại nhờ giá bán ổn định qua tổ hợp tác."
        ),
        environment_plan="Nấu đường bằng lá và bẹ thốt nốt khô thay củi rừng.",
        circular_practices="Lá thốt nốt làm giỏ đựng đường; xơ bẹ làm chổi và dây buộc.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Đường thốt nốt nguyên chất Tri Tôn",
                group="food", subgroup="processed", unit="bag", net_weight_g=500, price_vnd=65_000, stock=350,
                description=(
                    "Đường cô đặc từ nước hoa thốt nốt, không pha đường cát. Màu vàng nâu, thơm mùi "
                    "khói bếp, ngọt thanh — dùng kho cá, nấu chè."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((40, 60_000), (200, 56_000)),
                certificates=(cert(3, 57, "2025-08-20", 2633),),
            ),
            ProductSpec(
                name="Rượu thốt nốt Bảy Núi",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=90_000, stock=120,
                description="Rượu chưng cất từ cơm thốt nốt lên men, 35% vol. Chai 500 ml.",
                min_order_qty=6, case_pack=6, price_tiers=((12, 84_000), (60, 79_000)),
                certificates=(cert(3, 55, "2024-12-12", 2020),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Nước mắm Biển Xanh Phú Quốc",
        entity_type="enterprise",
        province_code="an-giang",
        commune="Đặc khu Phú Quốc",
        former_province="Kiên Giang",
        former_district="thành phố Phú Quốc",
        story=(
            "Nhà thùng với 120 thùng gỗ bời lời, ủ cá cơm than tươi với muối theo tỷ lệ 3:1 trong 12–15 "
            "tháng. Sản phẩm được quyền dùng chỉ dẫn địa lý Phú Quốc. Từ tháng 7/2025 Phú Quốc là đặc "
            "khu thuộc tỉnh An Giang."
        ),
        environment_plan="Nước rửa thùng và bã chượp được thu gom, xử lý tại trạm của đặc khu.",
        products=(
            ProductSpec(
                name="Nước mắm Phú Quốc 40 độ đạm",
                group="food", subgroup="condiments", unit="bottle", price_vnd=145_000, stock=480,
                description=(
                    "Nước mắm nhĩ rút đầu từ thùng gỗ, **40 độ đạm**, màu cánh gián, vị mặn dịu và hậu "
                    "ngọt. Chai thủy tinh 500 ml."
                ),
                min_order_qty=12, case_pack=12, price_tiers=((24, 135_000), (120, 126_000)),
                certificates=(cert(4, 84, "2024-12-03", 2701),),
                rights=(right("phu-quoc", "Quyết định số 09/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Nước mắm Phú Quốc 35 độ đạm",
                group="food", subgroup="condiments", unit="bottle", price_vnd=98_000, stock=700,
                description="Nước mắm cá cơm 35 độ đạm cho bữa cơm hằng ngày: chấm, nêm và ướp. Chai 500 ml.",
                min_order_qty=12, case_pack=12, price_tiers=((24, 92_000), (120, 86_000)),
                certificates=(cert(3, 68, "2025-01-20", 96),),
                rights=(right("phu-quoc", "Quyết định số 09/QĐ-SKHCN"),),
            ),
            ProductSpec(
                name="Nước mắm nhĩ Phú Quốc 43 độ đạm",
                group="food", subgroup="condiments", unit="bottle", price_vnd=160_000, stock=90,
                description="Nước mắm nhĩ thượng hạng, chai 250 ml, sản lượng giới hạn mỗi mẻ.",
                certificates=(
                    cert(4, 71, "2024-03-08", 530, status="revoked", reason=_REVOKED_REASON,
                         decided="2026-04-15"),
                ),
                rights=(right("phu-quoc", "Quyết định số 09/QĐ-SKHCN"),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Rượu sim Hàm Ninh",
        entity_type="household",
        province_code="an-giang",
        commune="Đặc khu Phú Quốc",
        former_province="Kiên Giang",
        former_district="thành phố Phú Quốc",
        story=(
            "Gia đình ngâm rượu sim từ trái sim rừng hái trên núi Hàm Ninh mỗi mùa tháng 8–10. "
            "Rượu ủ trong chum sành ít nhất sáu tháng."
        ),
        products=(
            ProductSpec(
                name="Rượu sim rừng Phú Quốc",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=180_000, stock=150,
                description="Rượu vang sim màu đỏ tím, vị chát nhẹ, ngọt dịu, 14% vol. Chai 500 ml.",
                min_order_qty=6, case_pack=6, price_tiers=((12, 168_000), (60, 158_000)),
                certificates=(cert(3, 61, "2024-09-12", 1688),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Cà phê DAKMARK",
        entity_type="enterprise",
        province_code="quang-ngai",
        commune="Phường Đăk Cấm",
        former_province="Kon Tum",
        former_district="thành phố Kon Tum",
        story=(
            "Doanh nghiệp rang xay cà phê từ vùng nguyên liệu Đăk Hà và Măng Đen, liên kết với hơn 300 hộ "
            "đồng bào Xơ Đăng. Cà phê rang xay DAKMARK được công nhận OCOP 5 sao cấp quốc gia. Từ tháng "
            "7/2025 tỉnh Kon Tum nhập vào tỉnh Quảng Ngãi."
        ),
        environment_plan="Khí thải lò rang qua bộ lọc khói; vỏ lụa cà phê thu gom làm phân bón.",
        circular_practices="Bao đay đựng cà phê nhân được tái sử dụng ba lần rồi chuyển cho hộ trồng rau.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Cà phê rang xay DAKMARK",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=500, price_vnd=240_000,
                stock=260,
                description=(
                    "Phối trộn Robusta Đăk Hà và Arabica Măng Đen, rang mộc, không tẩm hương. Vị đậm, "
                    "đắng dịu, hương chocolate.\n\n- Xay vừa cho pha phin\n- Túi van một chiều giữ hương"
                ),
                min_order_qty=5, case_pack=5, price_tiers=((10, 228_000), (50, 215_000)),
                certificates=(cert(5, 92, "2024-12-05", 5186),),
                images=2,
            ),
            ProductSpec(
                name="Cà phê hạt Arabica Măng Đen DAKMARK",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=250, price_vnd=180_000,
                stock=140,
                description=(
                    "Arabica trồng ở độ cao 1.200 m tại Măng Đen, rang sáng, hương cam chanh và hoa trắng."
                ),
                min_order_qty=5, case_pack=5, price_tiers=((10, 170_000), (50, 160_000)),
                certificates=(cert(4, 77, "2025-10-28", 2488),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Dược liệu Sâm Ngọc Linh Măng Ri",
        entity_type="cooperative",
        province_code="quang-ngai",
        commune="Xã Măng Ri",
        former_province="Kon Tum",
        former_district="huyện Tu Mơ Rông",
        story=(
            "Xã viên người Xơ Đăng trồng sâm dưới tán rừng nguyên sinh núi Ngọc Linh, ở độ cao trên "
            "1.800 m. Mỗi củ sâm được gắn tem truy xuất và tem chỉ dẫn địa lý trước khi bán."
        ),
        environment_plan="Không chặt cây rừng; chỉ dọn thực bì dưới tán. Rác thải được mang xuống núi.",
        circular_practices="Lá và thân sâm sau thu hoạch làm trà túi lọc; vỏ hạt ủ làm giá thể ươm.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Sâm Ngọc Linh củ tươi 6 năm tuổi",
                group="herbal", subgroup="herbs", unit="box", net_weight_g=100, price_vnd=18_500_000,
                stock=12,
                description=(
                    "Củ sâm Ngọc Linh (*Panax vietnamensis*) 6 năm tuổi, khoảng 10 củ/kg. Hộp 100 g có "
                    "tem chỉ dẫn địa lý, bảo quản ngăn mát tủ lạnh trong 30 ngày."
                ),
                certificates=(cert(5, 93, "2025-11-18", 4127),),
                rights=(right("ngoc-linh", "Quyết định số 123/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Cao sâm Ngọc Linh",
                group="herbal", subgroup="herbal_food", unit="jar", net_weight_g=50, price_vnd=2_600_000,
                stock=30,
                description=(
                    "Cao cô đặc từ thân rễ và củ sâm, dùng pha với nước ấm hoặc mật ong. Lọ thủy tinh 50 g."
                ),
                certificates=(cert(4, 81, "2024-08-22", 1109),),
            ),
            ProductSpec(
                name="Trà lá sâm Ngọc Linh túi lọc",
                group="herbal", subgroup="herbal_food", unit="box", net_weight_g=40, price_vnd=350_000,
                stock=80,
                description="Hộp 20 túi lọc từ lá sâm Ngọc Linh sấy lạnh; vị đắng nhẹ rồi ngọt hậu.",
                certificates=(cert(3, 62, "2025-02-27", 188),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Vải thiều Lục Ngạn Xanh",
        entity_type="cooperative",
        province_code="bac-ninh",
        commune="Xã Lục Ngạn",
        former_province="Bắc Giang",
        former_district="huyện Lục Ngạn",
        story=(
            "Vùng vải VietGAP 85 ha, mã số vùng trồng xuất khẩu sang Nhật Bản. Vải được hái lúc sáng "
            "sớm và đóng hộp ngay tại vườn. Từ tháng 7/2025 Lục Ngạn thuộc tỉnh Bắc Ninh."
        ),
        environment_plan=(
            "Bao bì thuốc bảo vệ thực vật thu gom vào bể chứa; sấy vải bằng lò sấy khí nóng không khói."
        ),
        products=(
            ProductSpec(
                name="Vải thiều Lục Ngạn tươi",
                group="food", subgroup="fresh", unit="box", net_weight_g=2000, price_vnd=160_000, stock=0,
                description=(
                    "Hộp 2 kg vải thiều chín cây, cùi dày, hạt nhỏ, vị ngọt đậm. Chỉ bán trong mùa "
                    "(cuối tháng 5 đến tháng 7); hết mùa sẽ hiện hết hàng."
                ),
                certificates=(cert(4, 79, "2024-06-10", 1402),),
                rights=(right("luc-ngan", "Quyết định số 41/QĐ-UBND"),),
                images=2,
            ),
            ProductSpec(
                name="Vải thiều sấy khô Lục Ngạn",
                group="food", subgroup="processed", unit="bag", net_weight_g=500, price_vnd=140_000,
                stock=260,
                description="Vải sấy bằng lò than hoa truyền thống, cùi dẻo, vị ngọt đậm mùi khói nhẹ.",
                min_order_qty=10, case_pack=10, price_tiers=((30, 132_000), (100, 125_000)),
                certificates=(cert(3, 63, "2024-09-16", 3120),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Tranh Đông Hồ Mai Hương",
        entity_type="household",
        province_code="bac-ninh",
        commune="Phường Thuận Thành",
        former_district="thị xã Thuận Thành",
        craft_village="Làng tranh dân gian Đông Hồ",
        story=(
            "Gia đình giữ nghề in tranh khắc gỗ Đông Hồ trên giấy điệp, với màu lấy từ lá chàm, sỏi son, "
            "than lá tre. Mỗi bức in qua nhiều bản khắc, mỗi màu một bản."
        ),
        environment_plan="Màu vẽ hoàn toàn từ thiên nhiên; nước rửa bản khắc không chứa hóa chất.",
        products=(
            ProductSpec(
                name="Tranh Đông Hồ Đám cưới chuột khung gỗ",
                group="handicrafts", subgroup="crafts", unit="piece", price_vnd=650_000, stock=35,
                description=(
                    "Bức tranh dân gian nổi tiếng in trên giấy điệp, khung gỗ xoan 40 × 50 cm. Kèm "
                    "thiệp giới thiệu ý nghĩa tranh bằng tiếng Việt và tiếng Anh."
                ),
                certificates=(cert(4, 73, "2024-10-15", 2790),),
            ),
            ProductSpec(
                name="Bộ tranh Đông Hồ Tứ quý giấy điệp",
                group="handicrafts", subgroup="crafts", unit="set", price_vnd=420_000, stock=50,
                description="Bộ bốn tranh Tùng – Cúc – Trúc – Mai, khổ 25 × 35 cm, đóng trong ống giấy.",
                certificates=(cert(3, 66, "2025-05-06", 912),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Gốm men lam Kim Lan",
        entity_type="enterprise",
        province_code="ha-noi",
        commune="Xã Bát Tràng",
        former_district="huyện Gia Lâm",
        craft_village="Làng gốm Bát Tràng",
        story=(
            "Xưởng gốm của nghệ nhân họ Nguyễn, chuyên men lam vẽ tay và men rạn cổ. Mọi sản phẩm đều "
            "được vuốt, vẽ và nung tại Bát Tràng."
        ),
        environment_plan="Đã thay toàn bộ lò than bằng lò gas; bụi men được lọc trước khi thải.",
        circular_practices="Phế phẩm gốm nghiền làm vật liệu lát sân; thùng gỗ đóng hàng được nhận lại.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Bình hút lộc men lam vẽ tay",
                group="handicrafts", subgroup="crafts", unit="piece", net_weight_g=4200, price_vnd=1_250_000,
                stock=20,
                description=(
                    "Bình cao 35 cm, vẽ tay tích *Vinh hoa phú quý* bằng men lam. Mỗi chiếc một nét "
                    "vẽ riêng, có chữ ký nghệ nhân dưới đáy."
                ),
                certificates=(cert(5, 91, "2024-06-26", 2876),),
                rights=(right("gom-bat-trang", "Giấy chứng nhận số 18/HH-GBT"),),
                images=2,
            ),
            ProductSpec(
                name="Bộ ấm chén men rạn Bát Tràng",
                group="handicrafts", subgroup="household", unit="set", price_vnd=850_000, stock=45,
                description=(
                    "Một ấm, sáu chén và khay; men rạn cổ màu ngà, vẽ sen. Đóng hộp gỗ, phù hợp làm quà."
                ),
                min_order_qty=2, case_pack=2, price_tiers=((6, 790_000), (24, 740_000)),
                certificates=(cert(4, 76, "2025-10-03", 3051),),
                rights=(right("gom-bat-trang", "Giấy chứng nhận số 18/HH-GBT"),),
            ),
            ProductSpec(
                name="Đĩa sứ men lam họa tiết sen",
                group="handicrafts", subgroup="household", unit="piece", price_vnd=320_000, stock=120,
                description="Đĩa đường kính 27 cm, vẽ sen bằng men lam, dùng được trong máy rửa bát.",
                certificates=(cert(3, 58, "2024-05-14", 1163),),
                rights=(right("gom-bat-trang", "Giấy chứng nhận số 18/HH-GBT"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Lụa Vạn Phúc",
        entity_type="cooperative",
        province_code="ha-noi",
        commune="Phường Hà Đông",
        former_district="quận Hà Đông",
        craft_village="Làng lụa Vạn Phúc",
        story=(
            "Làng lụa nghìn năm bên sông Nhuệ, nổi tiếng với lụa vân dệt hoa chìm. Hợp tác xã có 30 khung "
            "dệt và nhận đặt dệt theo mẫu."
        ),
        environment_plan="Nước nhuộm được xử lý tại trạm của làng nghề trước khi ra sông Nhuệ.",
        products=(
            ProductSpec(
                name="Khăn lụa tơ tằm vân hoa Vạn Phúc",
                group="handicrafts", subgroup="textiles", unit="piece", price_vnd=450_000, stock=80,
                description="Khăn 180 × 55 cm, lụa vân hoa chìm dệt trên khung Jacquard, màu nhuộm bền.",
                certificates=(cert(4, 74, "2024-08-19", 2215),),
                rights=(right("lua-van-phuc", "Giấy chứng nhận số 07/HH-LVP"),),
            ),
            ProductSpec(
                name="Vải lụa vân Vạn Phúc cuộn 3 m",
                group="handicrafts", subgroup="textiles", unit="piece", price_vnd=1_350_000, stock=25,
                description="Cuộn 3 m, khổ 90 cm, đủ may một áo dài. Có 12 màu, hoa văn chữ Thọ và hoa sen.",
                certificates=(cert(3, 65, "2025-03-24", 640),),
                rights=(right("lua-van-phuc", "Giấy chứng nhận số 07/HH-LVP"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Hoa lan Mê Linh",
        entity_type="cooperative",
        province_code="ha-noi",
        commune="Xã Mê Linh",
        former_district="huyện Mê Linh",
        story=(
            "Vùng hoa Mê Linh cung cấp hoa cho Hà Nội hơn ba mươi năm; hợp tác xã có 4 ha nhà màng trồng lan."
        ),
        environment_plan="Tưới nhỏ giọt, thu hồi nước thừa; giá thể vỏ thông được tái sử dụng.",
        products=(
            ProductSpec(
                name="Chậu lan hồ điệp 5 cành",
                group="ornamental", subgroup="flowers", unit="piece", price_vnd=1_800_000, stock=40,
                description="Chậu sứ trắng với năm cành lan hồ điệp vàng, hoa bền 2–3 tháng trong nhà.",
                certificates=(cert(3, 64, "2026-09-15", 2901, status="pending"),),
            ),
            ProductSpec(
                name="Chậu lan đai châu rừng",
                group="ornamental", subgroup="plants", unit="piece", price_vnd=650_000, stock=25,
                description="Lan đai châu ghép gỗ lũa, nở chùm hoa trắng điểm tím vào dịp Tết.",
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Tơ lụa B'Lao",
        entity_type="enterprise",
        province_code="lam-dong",
        commune="Phường B'Lao",
        former_district="thành phố Bảo Lộc",
        story=(
            "Bảo Lộc là thủ phủ dâu tằm tơ của cả nước. Công ty ươm tơ từ kén của nông dân địa phương "
            "và dệt, nhuộm bằng vỏ cây, lá chàm."
        ),
        environment_plan="Nhuộm bằng màu thực vật; nước thải ươm tơ qua bể xử lý sinh học.",
        circular_practices="Nhộng tằm bán làm thực phẩm, vỏ kén làm mỹ phẩm, lá dâu già làm trà.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Khăn choàng lụa tơ tằm Bảo Lộc nhuộm tự nhiên",
                group="handicrafts", subgroup="textiles", unit="piece", price_vnd=690_000, stock=60,
                description="Khăn 190 × 70 cm, nhuộm vỏ điều và lá bàng, mỗi chiếc một sắc độ riêng.",
                certificates=(cert(4, 78, "2025-09-22", 2750),),
            ),
            ProductSpec(
                name="Vỏ gối lụa tơ tằm Bảo Lộc",
                group="handicrafts", subgroup="textiles", unit="piece", price_vnd=390_000, stock=90,
                description="Vỏ gối 50 × 70 cm, lụa 22 momme, khóa kéo giấu; giảm xơ tóc khi ngủ.",
                certificates=(cert(3, 60, "2024-04-23", 544),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Atiso Lang Biang",
        entity_type="cooperative",
        province_code="lam-dong",
        commune="Phường Lang Biang - Đà Lạt",
        former_district="thành phố Đà Lạt",
        story=(
            "Atiso trồng trên đất đỏ chân núi Lang Biang, thu hoạch cả bông, lá, thân và rễ. Hợp tác xã "
            "sấy lạnh để giữ hoạt chất cynarin."
        ),
        environment_plan="Thân lá atiso thừa ủ phân vi sinh; không dùng thuốc diệt cỏ.",
        products=(
            ProductSpec(
                name="Trà atiso Đà Lạt túi lọc",
                group="herbal", subgroup="herbal_food", unit="box", net_weight_g=200, price_vnd=120_000,
                stock=500,
                description="Hộp 100 túi lọc từ bông, lá và thân atiso. Vị ngọt mát, dùng nóng hoặc lạnh.",
                min_order_qty=10, case_pack=10, price_tiers=((20, 112_000), (100, 105_000)),
                certificates=(cert(4, 71, "2024-11-27", 3402),),
            ),
            ProductSpec(
                name="Cao atiso Đà Lạt",
                group="herbal", subgroup="herbal_food", unit="jar", net_weight_g=200, price_vnd=180_000,
                stock=150,
                description="Cao mềm cô đặc từ lá atiso tươi, pha một thìa với nước ấm. Lọ 200 g.",
                certificates=(cert(3, 63, "2024-03-19", 301),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Mắc ca Tuy Đức",
        entity_type="cooperative",
        province_code="lam-dong",
        commune="Xã Tuy Đức",
        former_province="Đắk Nông",
        former_district="huyện Tuy Đức",
        story="Mắc ca trồng xen cà phê trên cao nguyên M'Nông, sấy ba giai đoạn để hạt giòn và béo.",
        environment_plan="Vỏ xanh mắc ca ủ làm phân; không đốt vỏ cứng mà bán làm than hoạt tính.",
        products=(
            ProductSpec(
                name="Hạt mắc ca nứt vỏ sấy",
                group="food", subgroup="raw", unit="bag", net_weight_g=500, price_vnd=210_000, stock=240,
                description="Hạt loại 1 (22–24 mm), nứt vỏ sẵn kèm dụng cụ tách. Béo, giòn, vị sữa.",
                min_order_qty=10, case_pack=10, price_tiers=((30, 198_000), (100, 188_000)),
                certificates=(cert(3, 67, "2025-08-14", 2566),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Cà phê Hòa Phú",
        entity_type="enterprise",
        province_code="dak-lak",
        commune="Xã Hòa Phú",
        former_district="thành phố Buôn Ma Thuột",
        story=(
            "Vườn cà phê Robusta 40 năm tuổi trên đất đỏ bazan ven sông Sêrêpôk. Công ty chỉ thu hái quả "
            "chín trên 90% và được cấp quyền dùng chỉ dẫn địa lý Buôn Ma Thuột."
        ),
        environment_plan="Tưới tiết kiệm bằng béc phun; nước thải chế biến qua hồ sinh học.",
        products=(
            ProductSpec(
                name="Cà phê Robusta Buôn Ma Thuột rang xay",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=500, price_vnd=150_000,
                stock=450,
                description=(
                    "Robusta nguyên chất rang đậm, xay cho phin. Vị đắng đậm, hậu ngọt, nhiều bọt khi pha "
                    "máy."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((20, 140_000), (100, 132_000)),
                certificates=(cert(4, 75, "2024-07-30", 1795),),
                rights=(right("buon-ma-thuot", "Quyết định số 22/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Cà phê hạt Robusta chín đỏ Buôn Ma Thuột",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=1000, price_vnd=320_000,
                stock=200,
                description="Hạt rang nguyên, tuyển từ quả chín đỏ, sơ chế ướt. Túi 1 kg cho quán cà phê.",
                certificates=(cert(3, 64, "2025-05-21", 1010),),
                rights=(right("buon-ma-thuot", "Quyết định số 22/QĐ-SKHCN"),),
            ),
            ProductSpec(
                name="Cà phê Culi Robusta",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=250, price_vnd=95_000,
                stock=100,
                description="Hạt culi (một nhân) tuyển tay, rang vừa; vị đậm và thơm hơn hạt thường.",
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Mật ong Krông Pắc",
        entity_type="cooperative",
        province_code="dak-lak",
        commune="Xã Krông Pắc",
        former_district="huyện Krông Pắc",
        story="Đàn ong 1.500 thùng theo mùa hoa cà phê tháng 2–3 và hoa điều, hoa nhãn.",
        environment_plan="Không dùng kháng sinh cho ong; sáp thải làm nến và xà bông.",
        products=(
            ProductSpec(
                name="Mật ong hoa cà phê Đắk Lắk",
                group="food", subgroup="processed", unit="jar", net_weight_g=500, price_vnd=170_000,
                stock=300,
                description="Mật ong màu hổ phách sẫm, mùi hoa cà phê, độ ẩm dưới 20%. Hũ thủy tinh 500 g.",
                min_order_qty=6, case_pack=6, price_tiers=((12, 160_000), (60, 150_000)),
                certificates=(cert(3, 59, "2024-05-08", 869),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Bánh tráng Hòa Đa",
        entity_type="household",
        province_code="dak-lak",
        commune="Xã Tuy An Bắc",
        former_province="Phú Yên",
        former_district="huyện Tuy An",
        craft_village="Làng nghề bánh tráng Hòa Đa",
        story=(
            "Bánh tráng tráng tay, phơi trên giàn tre ngoài đồng. Từ tháng 7/2025 Phú Yên nhập vào Đắk Lắk."
        ),
        products=(
            ProductSpec(
                name="Bánh tráng nước dừa Hòa Đa",
                group="food", subgroup="processed", unit="pack", net_weight_g=500, price_vnd=45_000,
                stock=500,
                description="Bánh tráng gạo pha nước cốt dừa và mè đen, nướng giòn ăn kèm gỏi hoặc ăn không.",
                min_order_qty=20, case_pack=20, price_tiers=((60, 41_000), (200, 38_000)),
                certificates=(cert(3, 56, "2024-02-26", 211),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Chả mực Bãi Cháy",
        entity_type="enterprise",
        province_code="quang-ninh",
        commune="Phường Bãi Cháy",
        former_district="thành phố Hạ Long",
        story=(
            "Xưởng chả mực giã tay bằng cối đá, từ mực ống và mực lá đánh bắt trong ngày ở vịnh Bắc Bộ. "
            "Được quyền sử dụng nhãn hiệu tập thể Chả mực Hạ Long."
        ),
        environment_plan="Nước thải chế biến thủy sản qua trạm xử lý đạt QCVN 11-MT:2015.",
        products=(
            ProductSpec(
                name="Chả mực giã tay Hạ Long",
                group="food", subgroup="processed", unit="pack", net_weight_g=500, price_vnd=230_000,
                stock=180,
                description=(
                    "Chả sống cấp đông, giòn sần sật, thơm ngọt mực tươi. Rán vàng hai mặt trên lửa vừa.\n\n"
                    "- Bảo quản −18 °C\n- Giao lạnh trong nội thành"
                ),
                min_order_qty=4, case_pack=4, price_tiers=((8, 218_000), (40, 205_000)),
                certificates=(cert(4, 83, "2025-06-09", 1544),),
                rights=(right("cha-muc-ha-long", "Giấy chứng nhận số 26/HCB-CM"),),
                images=2,
            ),
            ProductSpec(
                name="Chả mực chiên sẵn Hạ Long",
                group="food", subgroup="processed", unit="pack", net_weight_g=300, price_vnd=165_000,
                stock=120,
                description="Chả mực đã rán, chỉ cần hâm nóng. Gói 300 g hút chân không.",
                min_order_qty=4, case_pack=4, price_tiers=((8, 156_000), (40, 148_000)),
                certificates=(cert(3, 62, "2025-10-16", 2804),),
                rights=(right("cha-muc-ha-long", "Giấy chứng nhận số 26/HCB-CM"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Hải sản Quan Lạn",
        entity_type="cooperative",
        province_code="quang-ninh",
        commune="Đặc khu Vân Đồn",
        former_district="huyện Vân Đồn",
        story=(
            "Ngư dân đảo Quan Lạn đào sá sùng trên bãi cát lúc triều rút, phơi và nướng than theo cách "
            "truyền thống."
        ),
        environment_plan="Khai thác sá sùng theo mùa, để bãi nghỉ ba tháng mỗi năm.",
        products=(
            ProductSpec(
                name="Sá sùng khô Vân Đồn loại 1",
                group="food", subgroup="raw", unit="bag", net_weight_g=100, price_vnd=520_000, stock=60,
                description=(
                    "Sá sùng phơi khô, làm sạch cát; dùng nấu nước dùng phở hoặc nướng chấm tương ớt."
                ),
                certificates=(cert(3, 68, "2024-09-03", 1472),),
            ),
            ProductSpec(
                name="Rượu ba kích tím Quảng Ninh",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=250_000, stock=90,
                description="Rượu gạo ngâm rễ ba kích tím rừng ít nhất một năm, 35% vol. Chai 500 ml.",
                min_order_qty=6, case_pack=6, price_tiers=((12, 235_000), (60, 222_000)),
                certificates=(cert(3, 57, "2025-07-21", 1833),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Nông nghiệp Hiệp Sơn",
        entity_type="cooperative",
        province_code="hai-phong",
        commune="Phường Kinh Môn",
        former_province="Hải Dương",
        former_district="thị xã Kinh Môn",
        story="Nếp cái hoa vàng cấy một vụ trên chân ruộng phù sa sông Kinh Thầy, xay vào tháng 10 cho Tết.",
        environment_plan="Rơm cuộn làm thức ăn cho bò, không đốt đồng.",
        products=(
            ProductSpec(
                name="Gạo nếp cái hoa vàng Kinh Môn",
                group="food", subgroup="raw", unit="bag", net_weight_g=2000, price_vnd=110_000, stock=400,
                description="Hạt tròn mẩy, đồ xôi dẻo thơm, gói bánh chưng và nấu rượu nếp đều ngon.",
                min_order_qty=5, case_pack=5, price_tiers=((20, 103_000), (100, 97_000)),
                certificates=(cert(3, 66, "2024-10-21", 2301),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Gốm Chu Đậu Thái Tân",
        entity_type="enterprise",
        province_code="hai-phong",
        commune="Xã Thái Tân",
        former_province="Hải Dương",
        former_district="huyện Nam Sách",
        craft_village="Làng gốm Chu Đậu",
        story=(
            "Khôi phục dòng gốm men lam thế kỷ XV từng xuất khẩu khắp châu Á; mỗi sản phẩm vẽ tay hoàn toàn."
        ),
        environment_plan="Lò nung gas có thu hồi nhiệt; đất thừa được tái chế.",
        products=(
            ProductSpec(
                name="Bình gốm Chu Đậu vẽ lam hoa cúc",
                group="handicrafts", subgroup="crafts", unit="piece", net_weight_g=3000, price_vnd=2_200_000,
                stock=15,
                description="Bình tỳ bà cao 30 cm, vẽ hoa cúc dây theo mẫu cổ, men trắng ngà.",
                certificates=(cert(4, 86, "2025-03-12", 495),),
            ),
            ProductSpec(
                name="Bộ bát đĩa gốm Chu Đậu 10 món",
                group="handicrafts", subgroup="household", unit="set", price_vnd=1_650_000, stock=30,
                description="Bộ bát đĩa men lam cho gia đình bốn người, an toàn thực phẩm, không chì.",
                certificates=(cert(3, 65, "2024-11-05", 2480),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Nước mắm Cát Hải",
        entity_type="cooperative",
        province_code="hai-phong",
        commune="Đặc khu Cát Hải",
        former_district="huyện Cát Hải",
        story="Nghề làm mắm trên đảo Cát Hải có từ thế kỷ XIX; chượp ủ trong bể xi măng phơi nắng.",
        environment_plan="Bã chượp bán làm thức ăn chăn nuôi; nước rửa bể được lắng trước khi xả.",
        products=(
            ProductSpec(
                name="Nước mắm cá cơm Cát Hải 30 độ đạm",
                group="food", subgroup="condiments", unit="bottle", price_vnd=75_000, stock=600,
                description="Nước mắm truyền thống màu nâu đỏ, mặn đậm vị biển. Chai 500 ml.",
                min_order_qty=12, case_pack=12, price_tiers=((24, 70_000), (120, 65_000)),
                certificates=(cert(3, 60, "2024-07-17", 1580),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Cơm cháy Hoa Lư",
        entity_type="cooperative",
        province_code="ninh-binh",
        commune="Phường Hoa Lư",
        former_district="thành phố Ninh Bình",
        story=(
            "Cơm cháy Ninh Bình làm từ gạo tám, sấy khô rồi chiên giòn, ăn kèm ruốc và sốt dê truyền thống."
        ),
        environment_plan="Dầu chiên thải thu gom bởi đơn vị có giấy phép; khói bếp qua hệ thống hút lọc.",
        products=(
            ProductSpec(
                name="Cơm cháy chà bông Ninh Bình",
                group="food", subgroup="processed", unit="pack", net_weight_g=200, price_vnd=45_000,
                stock=700,
                description="Miếng cơm cháy giòn phủ chà bông heo và mỡ hành. Túi zip 200 g.",
                min_order_qty=20, case_pack=20, price_tiers=((60, 42_000), (200, 39_000)),
                certificates=(cert(3, 59, "2024-12-17", 3470),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Rượu Kim Sơn Phát Diệm",
        entity_type="household",
        province_code="ninh-binh",
        commune="Xã Phát Diệm",
        former_district="huyện Kim Sơn",
        story=(
            "Rượu nếp nấu bằng nồi đồng, cất hai lần và hạ thổ trong chum sành — nghề của gia đình từ năm "
            "1960."
        ),
        products=(
            ProductSpec(
                name="Rượu Kim Sơn nếp cái 40 độ",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=90_000, stock=200,
                description="Rượu trong, thơm nếp, êm và không gắt. Chai 500 ml, 40% vol.",
                certificates=(cert(3, 61, "2021-11-30", 2645, decided="2021-12-15"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Thêu ren Văn Lâm",
        entity_type="cooperative",
        province_code="ninh-binh",
        commune="Phường Hoa Lư",
        former_district="huyện Hoa Lư",
        craft_village="Làng thêu ren Văn Lâm",
        story="Làng thêu bên dòng Ngô Đồng, gần Tam Cốc, giữ nghề thêu tay từ thời Trần.",
        products=(
            ProductSpec(
                name="Khăn trải bàn thêu ren Văn Lâm",
                group="handicrafts", subgroup="textiles", unit="piece", price_vnd=750_000, stock=30,
                description=(
                    "Khăn lanh 150 × 220 cm, thêu tay hoa sen và ren móc viền; mất khoảng 20 ngày công."
                ),
                certificates=(cert(3, 63, "2024-06-04", 1045),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Nhãn lồng Phố Hiến",
        entity_type="cooperative",
        province_code="hung-yen",
        commune="Phường Phố Hiến",
        former_district="thành phố Hưng Yên",
        story=(
            "Vườn nhãn ven sông Hồng, quanh cây nhãn tổ ở chùa Hiến. Nhãn được quyền dùng chỉ dẫn địa lý "
            "Hưng Yên."
        ),
        environment_plan="Bao bì phân bón, thuốc thu gom theo quy định; cành tỉa làm củi sấy long nhãn.",
        products=(
            ProductSpec(
                name="Nhãn lồng Hưng Yên",
                group="food", subgroup="fresh", unit="box", net_weight_g=2000, price_vnd=150_000, stock=140,
                description=(
                    "Hộp 2 kg nhãn lồng chín cây: cùi dày, giòn, ráo nước, vị ngọt sắc. Bán từ tháng 7 đến "
                    "tháng 8."
                ),
                certificates=(cert(4, 77, "2024-08-02", 1902),),
                rights=(right("hung-yen", "Quyết định số 58/QĐ-SKHCN"),),
                images=2,
            ),
            ProductSpec(
                name="Long nhãn Hưng Yên sấy khô",
                group="food", subgroup="processed", unit="bag", net_weight_g=500, price_vnd=230_000,
                stock=200,
                description="Cùi nhãn sấy, màu nâu vàng, dẻo và ngọt; dùng nấu chè hoặc ngâm rượu.",
                certificates=(cert(3, 64, "2025-04-01", 622),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Bánh cáy Làng Nguyễn",
        entity_type="household",
        province_code="hung-yen",
        commune="Xã Nguyên Xá",
        former_province="Thái Bình",
        former_district="huyện Đông Hưng",
        craft_village="Làng nghề bánh cáy Làng Nguyễn",
        story="Bánh cáy làm từ gạo nếp, mạch nha, gấc, vừng và mỡ phần — món quà quê Thái Bình xưa.",
        products=(
            ProductSpec(
                name="Bánh cáy Làng Nguyễn",
                group="food", subgroup="processed", unit="box", net_weight_g=400, price_vnd=60_000, stock=300,
                description="Hộp 400 g, bánh cắt thanh, giòn xốp, ngọt vị mạch nha. Ăn kèm trà xanh.",
                certificates=(cert(3, 57, "2022-04-20", 870, decided="2022-05-06"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Cam Vinh Quỳ Hợp",
        entity_type="cooperative",
        province_code="nghe-an",
        commune="Xã Quỳ Hợp",
        former_district="huyện Quỳ Hợp",
        story=(
            "Cam Xã Đoài trồng trên đất đồi bazan, giống cam được trồng ổn định ở Nghệ An từ cuối thế kỷ XIX."
        ),
        environment_plan="Tưới nhỏ giọt; bao bì thuốc bảo vệ thực vật thu gom theo quy định.",
        products=(
            ProductSpec(
                name="Cam Vinh Xã Đoài",
                group="food", subgroup="fresh", unit="box", net_weight_g=5000, price_vnd=190_000, stock=160,
                description=(
                    "Thùng 5 kg cam vỏ mỏng, nhiều nước, ngọt đậm, thơm tinh dầu. Mùa vụ tháng 10 đến Tết."
                ),
                min_order_qty=2, case_pack=2, price_tiers=((10, 178_000), (40, 168_000)),
                certificates=(cert(3, 67, "2024-11-08", 3377),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Tương Nam Đàn",
        entity_type="household",
        province_code="nghe-an",
        commune="Xã Nam Đàn",
        former_district="huyện Nam Đàn",
        story="Tương làm từ đậu nành rang, xôi nếp mốc và muối, phơi nắng trong chum sành ba tháng.",
        products=(
            ProductSpec(
                name="Tương Nam Đàn truyền thống",
                group="food", subgroup="condiments", unit="bottle", price_vnd=35_000, stock=400,
                description="Tương sánh, vàng nâu, thơm mùi đỗ rang; chấm rau muống luộc, thịt luộc, kho cá.",
                min_order_qty=12, case_pack=12, price_tiers=((24, 32_000), (120, 29_000)),
                certificates=(cert(3, 55, "2025-06-24", 1222),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Rượu Mẫu Sơn",
        entity_type="cooperative",
        province_code="lang-son",
        commune="Xã Mẫu Sơn",
        former_district="huyện Lộc Bình",
        story="Người Dao ở núi Mẫu Sơn nấu rượu từ gạo nếp nương và men lá rừng, nước suối đầu nguồn.",
        environment_plan="Bỗng rượu làm thức ăn chăn nuôi; nước làm mát được tuần hoàn.",
        products=(
            ProductSpec(
                name="Rượu Mẫu Sơn men lá 40 độ",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=120_000, stock=220,
                description="Rượu nếp men lá, ủ chum một năm; hương thảo mộc, vị êm. Chai 500 ml.",
                min_order_qty=6, case_pack=6, price_tiers=((12, 112_000), (60, 105_000)),
                certificates=(cert(3, 62, "2024-04-16", 712),),
            ),
            ProductSpec(
                name="Hoa hồi khô Lạng Sơn",
                group="food", subgroup="raw", unit="bag", net_weight_g=500, price_vnd=140_000, stock=180,
                description="Hoa hồi tám cánh, phơi khô tự nhiên, thơm nồng — gia vị cho phở và món hầm.",
                min_order_qty=5, case_pack=5, price_tiers=((20, 132_000), (100, 124_000)),
                certificates=(cert(3, 58, "2025-09-02", 1710),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Quế hữu cơ Đông Cuông",
        entity_type="cooperative",
        province_code="lao-cai",
        commune="Xã Đông Cuông",
        former_province="Yên Bái",
        former_district="huyện Văn Yên",
        story=(
            "Rừng quế hữu cơ của đồng bào Dao được chứng nhận theo tiêu chuẩn EU và Mỹ. Từ tháng 7/2025 "
            "Văn Yên thuộc tỉnh Lào Cai."
        ),
        environment_plan="Không dùng phân bón hóa học và thuốc trừ cỏ; khai thác theo lô, trồng lại ngay.",
        circular_practices="Cành lá chưng cất tinh dầu, bã lá làm chất đốt lò chưng; gỗ quế làm đồ gia dụng.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Quế ống Văn Yên hữu cơ",
                group="food", subgroup="raw", unit="bag", net_weight_g=200, price_vnd=75_000, stock=500,
                description=(
                    "Vỏ quế cuộn ống dài 8 cm, dày, nhiều dầu, vị cay ngọt. Dùng cho món hầm, đồ uống, làm "
                    "bánh."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((50, 69_000), (200, 64_000)),
                certificates=(cert(3, 65, "2024-10-09", 2176),),
                rights=(right("van-yen", "Quyết định số 14/QĐ-UBND"),),
            ),
            ProductSpec(
                name="Tinh dầu quế Văn Yên",
                group="herbal", subgroup="cosmetics", unit="bottle", price_vnd=120_000, stock=250,
                description=(
                    "Tinh dầu chưng cất từ lá và cành quế, lọ 30 ml. Xông phòng, đuổi muỗi; không bôi trực "
                    "tiếp lên da."
                ),
                certificates=(cert(4, 72, "2025-05-28", 1188),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Du lịch cộng đồng Tả Van",
        entity_type="cooperative",
        province_code="lao-cai",
        commune="Xã Tả Van",
        former_district="thị xã Sa Pa",
        story=(
            "Mười bốn gia đình người Giáy và H'Mông đón khách trong nhà truyền thống giữa thung lũng Mường "
            "Hoa. Khách cùng cấy lúa, nhuộm chàm và nấu cơm lam với chủ nhà."
        ),
        environment_plan="Phân loại rác tại nguồn; không dùng đồ nhựa dùng một lần trong homestay.",
        products=(
            ProductSpec(
                name="Homestay bản Giàng Tả Chải 2 ngày 1 đêm",
                group="tourism", subgroup="community", unit="tour", price_vnd=1_450_000, stock=20,
                description=(
                    "Giá cho một khách, gồm:\n\n- Một đêm nhà sàn, ba bữa ăn với gia đình\n"
                    "- Đi bộ ruộng bậc thang cùng người dẫn đường bản địa\n- Trải nghiệm nhuộm chàm"
                ),
                certificates=(cert(4, 74, "2024-09-20", 2033),),
                images=2,
            ),
            ProductSpec(
                name="Tour đi bộ ruộng bậc thang Mường Hoa",
                group="tourism", subgroup="eco", unit="tour", price_vnd=450_000, stock=40,
                description=(
                    "Một ngày đi bộ 12 km qua Lao Chải, Tả Van, Giàng Tả Chải; gồm bữa trưa và người dẫn "
                    "đường."
                ),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Du lịch cộng đồng Bản Lác",
        entity_type="cooperative",
        province_code="phu-tho",
        commune="Xã Mai Châu",
        former_province="Hòa Bình",
        former_district="huyện Mai Châu",
        story="Bản Lác của người Thái trắng đón khách từ những năm 1990, nổi tiếng với thổ cẩm và điệu xòe.",
        environment_plan="Nước thải homestay qua bể tự hoại ba ngăn; rác được thu gom hằng ngày.",
        products=(
            ProductSpec(
                name="Homestay nhà sàn Bản Lác và đêm xòe Thái",
                group="tourism", subgroup="community", unit="tour", price_vnd=950_000, stock=30,
                description=(
                    "Một đêm nhà sàn, bữa tối cơm lam – cá suối nướng và đêm văn nghệ xòe Thái. Giá cho một "
                    "khách."
                ),
                certificates=(cert(3, 68, "2025-08-05", 2107),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Kẹo dừa Mỏ Cày",
        entity_type="enterprise",
        province_code="vinh-long",
        commune="Xã Mỏ Cày",
        former_province="Bến Tre",
        former_district="huyện Mỏ Cày Nam",
        craft_village="Làng nghề kẹo dừa Mỏ Cày",
        story=(
            "Kẹo dừa nấu từ nước cốt dừa tươi và mạch nha, cắt và gói tay. Từ tháng 7/2025 Bến Tre nhập "
            "vào tỉnh Vĩnh Long."
        ),
        environment_plan="Nước thải nấu kẹo qua hệ thống xử lý; không dùng túi nilon cho bao gói ngoài.",
        circular_practices="Bã dừa làm thức ăn chăn nuôi, gáo dừa làm than, vỏ dừa làm xơ và giá thể.",
        green_verified=True,
        products=(
            ProductSpec(
                name="Kẹo dừa sầu riêng Bến Tre",
                group="food", subgroup="processed", unit="bag", net_weight_g=400, price_vnd=55_000, stock=800,
                description="Kẹo dừa dẻo vị sầu riêng, gói giấy gạo ăn được. Túi 400 g.",
                min_order_qty=20, case_pack=20, price_tiers=((60, 51_000), (200, 47_000)),
                certificates=(cert(4, 73, "2024-08-27", 1655),),
            ),
            ProductSpec(
                name="Kẹo dừa lá dứa ít đường",
                group="food", subgroup="processed", unit="bag", net_weight_g=300, price_vnd=45_000, stock=600,
                description="Giảm 30% đường, màu xanh tự nhiên từ lá dứa, thơm béo.",
                min_order_qty=20, case_pack=20, price_tiers=((60, 42_000), (200, 39_000)),
                certificates=(cert(3, 61, "2025-10-07", 2701),),
            ),
            ProductSpec(
                name="Dầu dừa nguyên chất ép lạnh",
                group="herbal", subgroup="cosmetics", unit="bottle", price_vnd=110_000, stock=300,
                description="Ép lạnh từ cơm dừa tươi, chai 250 ml; dưỡng da, dưỡng tóc và nấu ăn.",
                certificates=(cert(3, 58, "2024-12-09", 2930),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Dừa sáp Cầu Kè",
        entity_type="cooperative",
        province_code="vinh-long",
        commune="Xã Cầu Kè",
        former_province="Trà Vinh",
        former_district="huyện Cầu Kè",
        story="Dừa sáp là đột biến tự nhiên của cây dừa, chỉ khoảng một phần tư số trái trên cây có cơm sáp.",
        environment_plan="Vỏ dừa được bán cho cơ sở làm xơ, không đổ xuống kênh.",
        products=(
            ProductSpec(
                name="Dừa sáp Cầu Kè",
                group="food", subgroup="fresh", unit="piece", net_weight_g=1500, price_vnd=120_000, stock=150,
                description=(
                    "Trái dừa sáp đã kiểm tra, cơm dày, dẻo như sáp, nước sánh. Xay với sữa đặc và đá."
                ),
                certificates=(cert(4, 75, "2024-10-28", 2355),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Bánh tét Trà Cuôn",
        entity_type="household",
        province_code="vinh-long",
        commune="Xã Kim Hòa",
        former_province="Trà Vinh",
        former_district="huyện Cầu Ngang",
        story=(
            "Bánh tét Trà Cuôn gói bằng nếp ngâm lá, nhân đậu xanh, thịt mỡ và trứng muối. Hồ sơ đang chờ "
            "xác minh."
        ),
        verification_status="pending",
        products=(
            ProductSpec(
                name="Bánh tét Trà Cuôn nhân đậu thịt",
                group="food", subgroup="processed", unit="piece", net_weight_g=1000, price_vnd=110_000,
                stock=50,
                status="draft",
                description="Đòn bánh 1 kg, nếp dẻo, nhân đậu xanh, thịt ba chỉ và trứng muối.",
            ),
            ProductSpec(
                name="Bánh tét lá cẩm",
                group="food", subgroup="processed", unit="piece", net_weight_g=800, price_vnd=95_000,
                stock=40,
                status="draft",
                description="Nếp nhuộm lá cẩm màu tím, nhân chuối hoặc đậu xanh.",
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Tôm khô Rạch Gốc",
        entity_type="cooperative",
        province_code="ca-mau",
        commune="Xã Tân Ân",
        former_district="huyện Ngọc Hiển",
        story=(
            "Tôm đất nuôi quảng canh trong rừng đước, luộc và phơi ngay trong ngày theo cách của vùng Đất "
            "Mũi."
        ),
        environment_plan="Giữ 60% diện tích rừng ngập mặn trong ao nuôi; không dùng hóa chất.",
        products=(
            ProductSpec(
                name="Tôm khô Rạch Gốc loại 1",
                group="food", subgroup="raw", unit="bag", net_weight_g=500, price_vnd=650_000, stock=120,
                description=(
                    "Tôm đất khô đỏ tự nhiên, không phẩm màu, ngọt thịt. Ăn với củ kiệu hoặc nấu canh."
                ),
                min_order_qty=2, case_pack=2, price_tiers=((10, 620_000), (40, 595_000)),
                certificates=(cert(4, 80, "2024-12-20", 2988),),
                images=2,
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Ong mật U Minh Hạ",
        entity_type="cooperative",
        province_code="ca-mau",
        commune="Xã Khánh An",
        former_district="huyện U Minh",
        story="Nghề gác kèo ong truyền thống trong rừng tràm U Minh Hạ — ong rừng tự đến làm tổ trên kèo.",
        environment_plan="Chỉ cắt phần sáp mật, giữ lại phần ấu trùng để đàn ong tiếp tục phát triển.",
        products=(
            ProductSpec(
                name="Mật ong rừng tràm U Minh",
                group="food", subgroup="processed", unit="jar", net_weight_g=500, price_vnd=280_000, stock=90,
                description="Mật ong gác kèo màu vàng sậm, thơm hoa tràm, vị ngọt hơi chát.",
                certificates=(cert(3, 62, "2022-01-10", 41, decided="2022-01-25"),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Vườn nho Ba Mọi",
        entity_type="household",
        province_code="khanh-hoa",
        commune="Xã Ninh Phước",
        former_province="Ninh Thuận",
        former_district="huyện Ninh Phước",
        story=(
            "Vườn nho 2 ha trong nắng gió Phan Rang, thu hoạch ba vụ mỗi năm. Từ tháng 7/2025 Ninh Thuận "
            "thuộc Khánh Hòa."
        ),
        environment_plan="Tưới nhỏ giọt tiết kiệm nước; lá nho ủ phân.",
        products=(
            ProductSpec(
                name="Nho xanh Ninh Thuận",
                group="food", subgroup="fresh", unit="box", net_weight_g=2000, price_vnd=140_000, stock=200,
                description="Giống NH01-48, quả giòn, ngọt thanh, vỏ mỏng. Hộp 2 kg.",
                certificates=(cert(3, 60, "2024-05-29", 1011),),
            ),
            ProductSpec(
                name="Rượu vang nho Phan Rang",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=180_000, stock=150,
                description="Vang đỏ từ nho Cardinal, 12% vol, vị chua nhẹ, hợp món nướng. Chai 750 ml.",
                certificates=(cert(3, 63, "2025-09-30", 2299),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Tinh dầu tràm Phong Điền",
        entity_type="cooperative",
        province_code="hue",
        commune="Phường Phong Điền",
        former_province="Thừa Thiên Huế",
        former_district="thị xã Phong Điền",
        story="Chưng cất tinh dầu tràm gió trên vùng cát trắng ven phá Tam Giang; nghề của các bà mẹ Huế.",
        environment_plan="Bã lá sau chưng cất làm chất đốt; nước ngưng tụ được tuần hoàn.",
        products=(
            ProductSpec(
                name="Tinh dầu tràm Huế nguyên chất",
                group="herbal", subgroup="cosmetics", unit="bottle", price_vnd=120_000, stock=400,
                description=(
                    "Chai 100 ml, hàm lượng cineol cao. Xoa ấm cho trẻ nhỏ, xông giải cảm, đuổi côn trùng."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((30, 112_000), (100, 105_000)),
                certificates=(cert(3, 66, "2024-07-24", 1633),),
                rights=(right("hue-tram", "Quyết định số 05/QĐ-HTH"),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Nước mắm Nam Ô",
        entity_type="cooperative",
        province_code="da-nang",
        commune="Phường Hải Vân",
        former_district="quận Liên Chiểu",
        craft_village="Làng nghề nước mắm Nam Ô",
        story="Làng nghề hơn 300 năm dưới chân đèo Hải Vân; cá cơm than ủ chượp trong chum gỗ mít.",
        environment_plan="Khu ủ chượp tách khỏi khu dân cư; nước thải qua bể lắng.",
        products=(
            ProductSpec(
                name="Nước mắm nhĩ Nam Ô 35 độ đạm",
                group="food", subgroup="condiments", unit="bottle", price_vnd=120_000, stock=300,
                description="Nước mắm nhĩ màu hổ phách, thơm, hậu ngọt kéo dài. Chai 500 ml.",
                min_order_qty=12, case_pack=12, price_tiers=((24, 113_000), (120, 106_000)),
                certificates=(cert(3, 67, "2025-07-29", 1950),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Cá Koi Thủ Đức",
        entity_type="household",
        province_code="ho-chi-minh",
        commune="Phường Thủ Đức",
        former_district="thành phố Thủ Đức",
        story="Trại cá Koi gia đình nhân giống dòng Kohaku, Showa, Sanke từ cá bố mẹ nhập khẩu.",
        environment_plan="Hệ thống lọc tuần hoàn; bùn đáy hồ dùng bón cây.",
        products=(
            ProductSpec(
                name="Cá Koi Kohaku 25 cm",
                group="ornamental", subgroup="animals", unit="piece", price_vnd=1_500_000, stock=18,
                description=(
                    "Cá Koi Kohaku thuần chủng 25 cm, hoa văn đỏ trắng rõ nét. Giao kèm túi oxy trong nội "
                    "thành."
                ),
                certificates=(cert(3, 60, "2025-09-17", 3380),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Sơn mài Tương Bình Hiệp",
        entity_type="enterprise",
        province_code="ho-chi-minh",
        commune="Phường Thủ Dầu Một",
        former_province="Bình Dương",
        former_district="thành phố Thủ Dầu Một",
        craft_village="Làng sơn mài Tương Bình Hiệp",
        story=(
            "Xưởng sơn mài truyền thống dùng sơn ta, vỏ trứng và vàng bạc thếp; mỗi bức tranh cần hàng chục "
            "lớp sơn."
        ),
        environment_plan="Bụi mài được hút lọc; dung môi thải thu gom xử lý.",
        products=(
            ProductSpec(
                name="Tranh sơn mài phong cảnh làng quê",
                group="handicrafts", subgroup="crafts", unit="piece", price_vnd=3_500_000, stock=10,
                description="Tranh 60 × 90 cm, cẩn vỏ trứng và thếp bạc, cảnh lũy tre và mái đình.",
                certificates=(cert(4, 80, "2024-10-30", 2542),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Muối tôm Gò Dầu",
        entity_type="household",
        province_code="tay-ninh",
        commune="Xã Gò Dầu",
        former_district="huyện Gò Dầu",
        story="Muối tôm rang tay trên chảo gang với tôm khô, ớt và tỏi phi theo công thức gia đình.",
        products=(
            ProductSpec(
                name="Muối tôm Tây Ninh",
                group="food", subgroup="condiments", unit="jar", net_weight_g=200, price_vnd=35_000,
                stock=900,
                description="Muối tôm hạt to, cay vừa, chấm trái cây hoặc bánh tráng. Hũ 200 g.",
                min_order_qty=24, case_pack=24, price_tiers=((48, 32_000), (240, 29_000)),
                certificates=(cert(3, 57, "2024-03-27", 388),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Sen Tháp Mười",
        entity_type="cooperative",
        province_code="dong-thap",
        commune="Xã Tháp Mười",
        former_district="huyện Tháp Mười",
        story="Đầm sen 30 ha giữa Đồng Tháp Mười, kết hợp đón khách chèo xuồng ngắm sen.",
        environment_plan="Không dùng thuốc trừ sâu hóa học trong đầm sen.",
        products=(
            ProductSpec(
                name="Trà tim sen Tháp Mười",
                group="herbal", subgroup="herbal_food", unit="pack", net_weight_g=100, price_vnd=95_000,
                stock=300,
                description="Tim sen sao vàng, vị đắng nhẹ, giúp ngủ ngon. Túi 100 g.",
                min_order_qty=10, case_pack=10, price_tiers=((30, 89_000), (100, 84_000)),
                certificates=(cert(3, 62, "2024-09-09", 1930),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Điều Bù Đăng",
        entity_type="cooperative",
        province_code="dong-nai",
        commune="Xã Bù Đăng",
        former_province="Bình Phước",
        former_district="huyện Bù Đăng",
        story=(
            "Điều trồng trên đất đỏ Bình Phước cũ, rang củi giữ vỏ lụa. Từ tháng 7/2025 thuộc tỉnh Đồng Nai."
        ),
        environment_plan="Vỏ hạt điều ép dầu công nghiệp, không đốt lộ thiên.",
        products=(
            ProductSpec(
                name="Hạt điều rang muối vỏ lụa",
                group="food", subgroup="processed", unit="bag", net_weight_g=500, price_vnd=185_000,
                stock=400,
                description="Hạt điều W240 rang củi, muối vừa, còn vỏ lụa. Hũ 500 g.",
                min_order_qty=10, case_pack=10, price_tiers=((30, 175_000), (100, 168_000)),
                certificates=(cert(4, 76, "2025-01-15", 88),),
            ),
        ),
    ),
    ProducerSpec(
        name="HTX Hồ tiêu Vĩnh Linh",
        entity_type="cooperative",
        province_code="quang-tri",
        commune="Xã Vĩnh Linh",
        former_district="huyện Vĩnh Linh",
        story="Hồ tiêu trồng trên đất đỏ bazan Vĩnh Linh, nổi tiếng cay nồng từ thời chiến tranh.",
        environment_plan="Trụ tiêu sống thay trụ bê tông; tàn dư thực vật ủ phân.",
        products=(
            ProductSpec(
                name="Tiêu đen Vĩnh Linh",
                group="food", subgroup="raw", unit="bag", net_weight_g=200, price_vnd=60_000, stock=500,
                description="Hạt tiêu đen chắc, thơm nồng, cay sâu. Túi zip 200 g.",
                min_order_qty=10, case_pack=10, price_tiers=((50, 56_000), (200, 52_000)),
                certificates=(cert(3, 63, "2024-06-21", 1390),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Nem chua Hạc Thành",
        entity_type="enterprise",
        province_code="thanh-hoa",
        commune="Phường Hạc Thành",
        former_district="thành phố Thanh Hóa",
        story="Nem chua gói lá chuối, lên men tự nhiên 3 ngày theo công thức xứ Thanh.",
        environment_plan="Nước thải giết mổ được xử lý tại lò mổ tập trung; lá chuối gói là vật liệu tự hủy.",
        products=(
            ProductSpec(
                name="Nem chua Thanh Hóa",
                group="food", subgroup="processed", unit="pack", net_weight_g=500, price_vnd=70_000,
                stock=300,
                description=(
                    "Túi 20 chiếc nem gói lá chuối, chua dịu, thơm tỏi và lá đinh lăng. Bảo quản ngăn mát."
                ),
                min_order_qty=10, case_pack=10, price_tiers=((30, 66_000), (100, 62_000)),
                certificates=(cert(3, 60, "2025-05-13", 940),),
            ),
        ),
    ),
    ProducerSpec(
        name="Hộ kinh doanh Rượu Bàu Đá Nhơn Lộc",
        entity_type="household",
        province_code="gia-lai",
        commune="Phường An Nhơn",
        former_province="Bình Định",
        former_district="thị xã An Nhơn",
        story=(
            "Rượu Bàu Đá nấu từ gạo và men thuốc bắc, nước giếng làng Cù Lâm. Từ tháng 7/2025 Bình Định "
            "thuộc Gia Lai."
        ),
        products=(
            ProductSpec(
                name="Rượu Bàu Đá 45 độ",
                group="beverages", subgroup="alcoholic", unit="bottle", price_vnd=110_000, stock=250,
                description="Rượu trong, thơm gạo, cay nồng rồi êm. Chai 500 ml, 45% vol.",
                min_order_qty=6, case_pack=6, price_tiers=((12, 104_000), (60, 98_000)),
                certificates=(cert(3, 64, "2024-08-13", 1477),),
            ),
        ),
    ),
    ProducerSpec(
        name="Công ty TNHH Thương mại Nông sản Phố Núi",
        entity_type="enterprise",
        province_code="gia-lai",
        commune="Phường Pleiku",
        story="Hồ sơ đăng ký bị từ chối: không chứng minh được vùng nguyên liệu của sản phẩm.",
        verification_status="rejected",
        products=(
            ProductSpec(
                name="Cà phê chồn Gia Lai",
                group="food", subgroup="coffee_cocoa", unit="bag", net_weight_g=250, price_vnd=450_000,
                stock=10,
                status="draft",
                description="Sản phẩm chưa được duyệt.",
            ),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# Word lists for generated products (see `marketplace.demo.generate_products`)


@dataclass(frozen=True)
class SubgroupVocabulary:
    """What a generated product of one sub-group is called, sold in, and costs."""

    bases: tuple[str, ...]
    qualifiers: tuple[str, ...]
    unit: str
    weights_g: tuple[int | None, ...]
    price_range: tuple[int, int]  # VND for the smallest pack; bigger packs cost more
    blurb: str  # one Vietnamese sentence for the description


VOCABULARY: dict[tuple[str, str], SubgroupVocabulary] = {
    ("food", "fresh"): SubgroupVocabulary(
        ("Bưởi da xanh", "Cam sành", "Xoài cát", "Nhãn xuồng", "Vải thiều", "Chuối ngự", "Dứa Queen",
         "Măng cụt", "Thanh long ruột đỏ", "Ổi lê", "Chanh leo", "Hồng giòn", "Mận tam hoa"),
        ("loại 1", "VietGAP", "hữu cơ", "chín cây", "tuyển chọn", ""),
        "box", (1000, 2000, 3000, 5000), (35_000, 150_000),
        "Hái chín tại vườn, đóng hộp trong ngày và giao lạnh.",
    ),
    ("food", "raw"): SubgroupVocabulary(
        ("Gạo thơm", "Gạo nếp cái hoa vàng", "Gạo lứt đỏ", "Đậu xanh", "Lạc đỏ", "Hạt mắc ca", "Tiêu đen",
         "Quế ống", "Hoa hồi", "Nấm hương rừng", "Mộc nhĩ", "Măng khô", "Tôm khô", "Cá cơm khô"),
        ("đặc biệt", "hữu cơ", "loại 1", "truyền thống", "tuyển chọn", ""),
        "bag", (200, 500, 1000, 2000), (30_000, 200_000),
        "Sơ chế và đóng gói tại vùng nguyên liệu, không chất bảo quản.",
    ),
    ("food", "processed"): SubgroupVocabulary(
        ("Giò lụa", "Chả cá thác lác", "Nem chua", "Lạp xưởng", "Miến dong", "Bún khô", "Cơm cháy",
         "Bánh tráng", "Mứt gừng", "Bánh cốm", "Thịt trâu gác bếp", "Ruốc tôm", "Kẹo lạc",
         "Mật ong hoa nhãn", "Mật ong rừng", "Bánh đa vừng"),
        ("đặc biệt", "truyền thống", "gia truyền", "loại 1", "thượng hạng", ""),
        "pack", (200, 300, 500, 1000), (30_000, 160_000),
        "Chế biến thủ công theo công thức gia truyền, đạt chứng nhận an toàn thực phẩm.",
    ),
    ("food", "condiments"): SubgroupVocabulary(
        ("Nước mắm cá cơm", "Nước mắm nhĩ", "Tương bần", "Tương ớt", "Mắm tôm", "Mắm tép", "Muối tôm",
         "Muối ớt xanh", "Dầu lạc ép", "Giấm gạo", "Mắm ruốc"),
        ("truyền thống", "nguyên chất", "thượng hạng", "gia truyền", ""),
        "bottle", (None,), (25_000, 180_000),
        "Ủ và lên men tự nhiên, không chất điều vị.",
    ),
    ("food", "tea"): SubgroupVocabulary(
        ("Chè xanh", "Trà Shan tuyết", "Chè búp", "Hồng trà", "Trà ô long", "Trà sen", "Trà nhài",
         "Chè móc câu", "Chè nõn tôm"),
        ("đặc biệt", "thượng hạng", "hữu cơ", "cổ thụ", "sao tay", ""),
        "pack", (100, 200, 500), (70_000, 300_000),
        "Búp chè hái tay, sao trên chảo gang, đóng gói hút chân không.",
    ),
    ("food", "coffee_cocoa"): SubgroupVocabulary(
        ("Cà phê Robusta rang xay", "Cà phê Arabica rang mộc", "Cà phê hạt", "Cà phê phin giấy",
         "Bột cacao nguyên chất", "Sô-cô-la đen", "Hạt cacao lên men"),
        ("nguyên chất", "đặc biệt", "chín đỏ", "hữu cơ", ""),
        "bag", (250, 500, 1000), (60_000, 200_000),
        "Chỉ dùng quả chín, rang mộc không tẩm hương.",
    ),
    ("beverages", "alcoholic"): SubgroupVocabulary(
        ("Rượu nếp cái", "Rượu ngô men lá", "Rượu sim", "Rượu mơ", "Rượu chuối hột", "Rượu vang nho",
         "Rượu cần", "Rượu táo mèo", "Rượu mắc mật"),
        ("truyền thống", "hạ thổ", "40 độ", "thượng hạng", ""),
        "bottle", (None,), (70_000, 350_000),
        "Nấu thủ công, ủ chum sành, đã kiểm nghiệm methanol.",
    ),
    ("beverages", "non_alcoholic"): SubgroupVocabulary(
        ("Nước cốt gừng mật ong", "Nước ép chanh leo", "Nước yến", "Nước dừa đóng chai", "Si-rô dâu tằm",
         "Trà thảo mộc đóng chai", "Nước ép táo mèo", "Nước mía sạch", "Sữa hạt sen"),
        ("nguyên chất", "ít đường", "không đường", ""),
        "bottle", (None,), (15_000, 140_000),
        "Không chất bảo quản, dùng ngon hơn khi uống lạnh.",
    ),
    ("herbal", "herbs"): SubgroupVocabulary(
        ("Đinh lăng", "Cà gai leo", "Giảo cổ lam", "Ba kích tím", "Hà thủ ô đỏ", "Nấm linh chi đỏ",
         "Đẳng sâm", "Xạ đen", "Thìa canh", "Khôi nhung"),
        ("khô", "rừng", "hữu cơ", "loại 1", ""),
        "bag", (200, 500, 1000), (50_000, 350_000),
        "Dược liệu trồng theo hướng dẫn GACP, phơi sấy và đóng gói tại chỗ.",
    ),
    ("herbal", "herbal_food"): SubgroupVocabulary(
        ("Trà túi lọc đinh lăng", "Cao cà gai leo", "Tinh bột nghệ vàng", "Cao atiso", "Trà giảo cổ lam",
         "Viên tinh nghệ mật ong", "Trà dây thìa canh", "Bột ngũ cốc dược liệu"),
        ("nguyên chất", "hữu cơ", "đặc biệt", ""),
        "box", (100, 200, 500), (50_000, 300_000),
        "Sản xuất từ dược liệu vùng trồng đạt chuẩn, đã công bố chất lượng.",
    ),
    ("herbal", "cosmetics"): SubgroupVocabulary(
        ("Tinh dầu sả chanh", "Tinh dầu quế", "Tinh dầu tràm", "Xà bông thảo mộc", "Dầu gội bồ kết",
         "Dầu dừa ép lạnh", "Son dưỡng sáp ong", "Tinh dầu bưởi"),
        ("nguyên chất", "thiên nhiên", "hữu cơ", ""),
        "bottle", (None,), (45_000, 260_000),
        "Chưng cất hoặc ép lạnh từ nguyên liệu địa phương, không hương liệu tổng hợp.",
    ),
    ("handicrafts", "crafts"): SubgroupVocabulary(
        ("Tranh sơn mài", "Bình gốm men lam", "Tượng gỗ mỹ nghệ", "Tranh thêu tay", "Đèn lồng tre",
         "Tranh gạo", "Tranh khắc gỗ"),
        ("thủ công", "nghệ nhân", "cổ truyền", ""),
        "piece", (None,), (250_000, 4_500_000),
        "Làm hoàn toàn bằng tay bởi thợ của làng nghề.",
    ),
    ("handicrafts", "household"): SubgroupVocabulary(
        ("Giỏ mây đan", "Bộ bát đĩa gốm", "Khay tre ép", "Rổ cói", "Thảm cói", "Ấm chén men rạn",
         "Hộp tre đựng trà", "Đũa tre", "Thớt gỗ nghiến"),
        ("thủ công", "tự nhiên", "truyền thống", ""),
        "piece", (None,), (40_000, 650_000),
        "Nguyên liệu tự nhiên, xử lý chống mốc bằng phương pháp truyền thống.",
    ),
    ("handicrafts", "textiles"): SubgroupVocabulary(
        ("Khăn lụa tơ tằm", "Thổ cẩm dệt tay", "Túi thổ cẩm", "Khăn choàng lanh", "Vải lanh nhuộm chàm",
         "Áo lụa tơ tằm"),
        ("dệt tay", "nhuộm tự nhiên", "truyền thống", ""),
        "piece", (None,), (150_000, 1_800_000),
        "Dệt trên khung gỗ thủ công, nhuộm bằng màu thực vật.",
    ),
    ("ornamental", "flowers"): SubgroupVocabulary(
        ("Chậu lan hồ điệp", "Hoa cúc mâm xôi", "Hoa hồng cổ", "Đào thế", "Quất cảnh", "Lan kiếm",
         "Hoa giấy ghép"),
        ("3 cành", "5 cành", "Tết", "cao cấp", ""),
        "piece", (None,), (150_000, 3_500_000),
        "Chăm sóc trong nhà màng, giao kèm hướng dẫn chăm hoa.",
    ),
    ("ornamental", "plants"): SubgroupVocabulary(
        ("Cây sanh thế", "Cây tùng la hán", "Mai vàng bonsai", "Cây lưỡi hổ", "Cây kim tiền",
         "Cây trầu bà", "Cây vạn niên thanh"),
        ("mini", "để bàn", "dáng trực", ""),
        "piece", (None,), (90_000, 4_000_000),
        "Cây khỏe, đã thuần, kèm chậu gốm.",
    ),
    ("ornamental", "animals"): SubgroupVocabulary(
        ("Cá chép Koi", "Cá vàng Ranchu", "Cá La Hán", "Cá betta", "Cá chép hoa"),
        ("20 cm", "30 cm", "thuần chủng", ""),
        "piece", (None,), (80_000, 3_000_000),
        "Cá khỏe, đã cách ly, giao kèm túi oxy.",
    ),
    ("tourism", "community"): SubgroupVocabulary(
        ("Homestay nhà sàn", "Trải nghiệm làm gốm", "Tour làng nghề", "Trải nghiệm hái chè",
         "Homestay bản", "Trải nghiệm nấu ăn cùng gia đình"),
        ("2 ngày 1 đêm", "một ngày", "nửa ngày", ""),
        "tour", (None,), (250_000, 2_200_000),
        "Do người dân địa phương đón tiếp và hướng dẫn.",
    ),
    ("tourism", "eco"): SubgroupVocabulary(
        ("Tour sinh thái miệt vườn", "Tour trekking rừng", "Tour chèo thuyền", "Cắm trại đồi chè",
         "Tour ngắm chim", "Tour đạp xe đồng quê"),
        ("một ngày", "2 ngày 1 đêm", "nửa ngày", ""),
        "tour", (None,), (200_000, 2_500_000),
        "Hành trình nhỏ, có hướng dẫn viên bản địa và bảo hiểm du lịch.",
    ),
}

# Common Vietnamese place names (xã, thôn) used as the locality of generated producers and products.
PLACES: tuple[str, ...] = (
    "Tân Thành", "Phú Lộc", "An Phú", "Hòa Bình", "Tân Lập", "Đông Sơn", "Quảng Phú", "Xuân Lộc",
    "Thanh Sơn", "Phúc Thịnh", "Hưng Đạo", "Yên Thế", "Cẩm Lý", "Bình Minh", "Tiên Phong", "Vĩnh Hòa",
    "Long Phước", "Mỹ Hòa", "Thuận An", "Đức Hòa", "Hồng Phong", "Kim Sơn", "Lạc Hồng", "Bảo Ninh",
    "Trung Hòa", "Nghĩa Hưng", "Phước Long", "Tam Hiệp", "Cát Tiên", "Sơn Thủy", "Đại Đồng", "Minh Tân",
    "Hương Sơn", "Ngọc Lâm", "Thạch Bàn", "Vân Hồ", "Lộc An", "Phú Xuân", "Bình An", "Hải Ninh",
)

SURNAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Lò", "Hà", "Lường",
)
MIDDLE_NAMES: tuple[str, ...] = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu")
GIVEN_NAMES: tuple[str, ...] = (
    "Hùng", "Mai", "Lan", "Tuấn", "Hương", "Dũng", "Hoa", "Nam", "Thảo", "Sơn", "Phương", "Bình", "Hạnh",
)

# The word a generated producer's name uses for its trade, by product group.
GROUP_TRADES: dict[str, str] = {
    "food": "Nông sản",
    "beverages": "Đồ uống",
    "herbal": "Dược liệu",
    "handicrafts": "Thủ công mỹ nghệ",
    "ornamental": "Sinh vật cảnh",
    "tourism": "Du lịch cộng đồng",
}


@dataclass(frozen=True)
class ProtectedVocabulary:
    """A generated product that may carry a protection: it is made where the protection applies."""

    protection: str  # ProtectionSpec.key
    group: str
    subgroup: str
    bases: tuple[str, ...]
    unit: str
    weights_g: tuple[int | None, ...]
    price_range: tuple[int, int]
    qualifiers: tuple[str, ...] = field(default=("đặc biệt", "thượng hạng", "loại 1", ""))


PROTECTED_VOCABULARY: tuple[ProtectedVocabulary, ...] = (
    ProtectedVocabulary("phu-quoc", "food", "condiments",
                        ("Nước mắm Phú Quốc 35 độ đạm", "Nước mắm Phú Quốc 40 độ đạm"), "bottle", (None,),
                        (85_000, 160_000)),
    ProtectedVocabulary("moc-chau", "food", "tea", ("Chè Shan tuyết Mộc Châu",), "pack", (200, 500),
                        (180_000, 420_000)),
    ProtectedVocabulary("son-la", "food", "coffee_cocoa", ("Cà phê Arabica Sơn La",), "bag", (250, 500),
                        (120_000, 260_000)),
    ProtectedVocabulary("buon-ma-thuot", "food", "coffee_cocoa", ("Cà phê Robusta Buôn Ma Thuột",), "bag",
                        (500, 1000), (110_000, 320_000)),
    ProtectedVocabulary("tan-cuong", "food", "tea", ("Chè Tân Cương", "Chè nõn tôm Tân Cương"), "pack",
                        (200, 500), (180_000, 450_000)),
    ProtectedVocabulary("van-yen", "food", "raw", ("Quế Văn Yên",), "bag", (200, 500), (55_000, 160_000)),
    ProtectedVocabulary("luc-ngan", "food", "fresh", ("Vải thiều Lục Ngạn",), "box", (2000, 5000),
                        (120_000, 320_000)),
    ProtectedVocabulary("ngoc-linh", "herbal", "herbs", ("Sâm Ngọc Linh",), "box", (100,),
                        (9_000_000, 25_000_000)),
    ProtectedVocabulary("hung-yen", "food", "fresh", ("Nhãn lồng Hưng Yên",), "box", (2000, 5000),
                        (110_000, 300_000)),
    ProtectedVocabulary("hue-tram", "herbal", "cosmetics", ("Tinh dầu tràm Huế",), "bottle", (None,),
                        (60_000, 180_000)),
)
