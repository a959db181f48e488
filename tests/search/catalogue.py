"""A small, realistic OCOP catalogue for search tests: real specialities, producers, provinces
(with the names of the units they absorbed in 2025), GIs and marks."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.timeutil import add_months, today_in_vietnam
from tests.factories import grant_right, make_certificate, make_producer, make_product, make_protection

# slug: (name, producer, province code, group, subgroup, protection (kind, name) or None, stars, description)
PRODUCTS: dict[str, tuple] = {
    "che-tan-cuong": (
        "Chè Tân Cương đặc biệt",
        "HTX Chè Hoàng Bình",
        "thai-nguyen",
        "food",
        "tea",
        ("gi", "Tân Cương"),
        4,
        "Búp chè xanh hái tay, sao sấy thủ công.",
    ),
    "tra-xanh-tui-loc": (
        "Trà xanh túi lọc",
        "Công ty CP Trà Thái Nguyên",
        "thai-nguyen",
        "food",
        "tea",
        None,
        3,
        "Trà xanh tiện dụng cho văn phòng.",
    ),
    "nuoc-mam-phu-quoc": (
        "Nước mắm Phú Quốc 40 độ đạm",
        "Công ty Nước mắm Khải Hoàn",
        "an-giang",
        "food",
        "condiments",
        ("gi", "Phú Quốc"),
        5,
        "Ủ chượp cá cơm trong thùng gỗ 12 tháng.",
    ),
    "nuoc-mam-phan-thiet": (
        "Nước mắm cá cơm Phan Thiết",
        "HTX Nước mắm Mũi Né",
        "lam-dong",
        "food",
        "condiments",
        None,
        4,
        "Nước mắm truyền thống làng chài.",
    ),
    "ca-phe-buon-ma-thuot": (
        "Cà phê Buôn Ma Thuột rang xay",
        "HTX Cà phê Ea Tu",
        "dak-lak",
        "food",
        "coffee_cocoa",
        ("gi", "Buôn Ma Thuột"),
        4,
        "Robusta rang mộc.",
    ),
    "ca-phe-arabica-son-la": (
        "Cà phê Arabica Sơn La",
        "HTX Cà phê Chiềng Ban",
        "son-la",
        "food",
        "coffee_cocoa",
        ("gi", "Sơn La"),
        3,
        "Arabica trồng trên cao nguyên.",
    ),
    "che-shan-tuyet": (
        "Chè Shan Tuyết Hoàng Su Phì",
        "HTX Chè Phìn Hồ",
        "tuyen-quang",
        "food",
        "tea",
        ("certification_mark", "Chè Shan Tuyết Hoàng Su Phì"),
        4,
        "Chè cổ thụ vùng cao.",
    ),
    "mat-ong-meo-vac": (
        "Mật ong bạc hà Mèo Vạc",
        "HTX Mật ong Mèo Vạc",
        "tuyen-quang",
        "food",
        "processed",
        None,
        4,
        "Mật ong từ hoa bạc hà cao nguyên đá.",
    ),
    "gao-st25": (
        "Gạo ST25 Sóc Trăng",
        "HTX Gạo Hồ Quang",
        "can-tho",
        "food",
        "raw",
        None,
        5,
        "Gạo thơm đạt giải gạo ngon nhất thế giới.",
    ),
    "banh-pia": (
        "Bánh pía sầu riêng",
        "Cơ sở Bánh pía Tân Huê Viên",
        "can-tho",
        "food",
        "processed",
        None,
        4,
        "Bánh pía nhân đậu xanh sầu riêng trứng muối, đặc sản Sóc Trăng.",
    ),
    "buoi-nam-roi": (
        "Bưởi Năm Roi Bình Minh",
        "HTX Bưởi Mỹ Hòa",
        "vinh-long",
        "food",
        "fresh",
        ("gi", "Bình Minh"),
        4,
        "Bưởi ngọt thanh, không hạt.",
    ),
    "vai-thieu": (
        "Vải thiều Lục Ngạn",
        "HTX Vải thiều Hồng Giang",
        "bac-ninh",
        "food",
        "fresh",
        ("gi", "Lục Ngạn"),
        4,
        "Vải chín cây, cùi dày.",
    ),
    "mam-tom": (
        "Mắm tôm Hậu Lộc",
        "HTX Mắm tôm Hòa Lộc",
        "thanh-hoa",
        "food",
        "condiments",
        None,
        3,
        "Mắm tôm làm từ moi biển.",
    ),
    "ruou-bau-da": (
        "Rượu Bàu Đá",
        "Cơ sở Rượu Bàu Đá Cát Hanh",
        "gia-lai",
        "beverages",
        "alcoholic",
        None,
        4,
        "Rượu gạo nấu bằng nước giếng Bàu Đá.",
    ),
    "ruou-san-lung": (
        "Rượu Sán Lùng",
        "HTX Rượu Sán Lùng Bát Xát",
        "lao-cai",
        "beverages",
        "alcoholic",
        None,
        3,
        "Rượu ngô men lá của người Dao đỏ.",
    ),
    "sam-ngoc-linh": (
        "Sâm Ngọc Linh tươi",
        "Công ty Sâm Ngọc Linh Tu Mơ Rông",
        "quang-ngai",
        "herbal",
        "herbs",
        ("gi", "Ngọc Linh"),
        5,
        "Sâm trồng dưới tán rừng nguyên sinh.",
    ),
    "tinh-dau-que": (
        "Tinh dầu quế Văn Yên",
        "HTX Quế Văn Yên",
        "lao-cai",
        "herbal",
        "cosmetics",
        None,
        3,
        "Chưng cất từ vỏ và lá quế.",
    ),
    "gom-bat-trang": (
        "Gốm Bát Tràng men lam",
        "Xưởng gốm Bát Tràng",
        "ha-noi",
        "handicrafts",
        "crafts",
        None,
        5,
        "Bình hoa vẽ tay.",
    ),
    "lua-van-phuc": (
        "Lụa Vạn Phúc tơ tằm",
        "HTX Lụa Vạn Phúc",
        "ha-noi",
        "handicrafts",
        "textiles",
        None,
        4,
        "Khăn lụa dệt tay.",
    ),
    "non-la-hue": (
        "Nón lá Huế",
        "Tổ hợp tác Nón lá Tây Hồ",
        "hue",
        "handicrafts",
        "household",
        None,
        3,
        "Nón bài thơ.",
    ),
    "keo-dua": (
        "Kẹo dừa Bến Tre",
        "Cơ sở Kẹo dừa Thanh Long",
        "vinh-long",
        "food",
        "processed",
        None,
        4,
        "Kẹo dừa sữa truyền thống.",
    ),
    "ho-tieu": (
        "Hồ tiêu Chư Sê",
        "HTX Tiêu Chư Sê",
        "gia-lai",
        "food",
        "raw",
        ("gi", "Chư Sê"),
        4,
        "Hạt tiêu đen phơi nắng.",
    ),
    "thanh-long": (
        "Thanh long ruột đỏ Bình Thuận",
        "HTX Thanh long Hàm Thuận",
        "lam-dong",
        "food",
        "fresh",
        ("gi", "Bình Thuận"),
        3,
        "Trái to, ngọt.",
    ),
    "hat-dieu": (
        "Hạt điều rang muối Bình Phước",
        "Công ty Điều Bù Đăng",
        "dong-nai",
        "food",
        "processed",
        None,
        4,
        "Hạt điều còn vỏ lụa.",
    ),
    "dong-trung": (
        "Đông trùng hạ thảo sấy thăng hoa",
        "Công ty Nấm Đà Lạt",
        "lam-dong",
        "herbal",
        "herbal_food",
        None,
        3,
        "Nuôi cấy tại Đà Lạt.",
    ),
    "mien-dong": (
        "Miến dong Bình Liêu",
        "HTX Miến dong Bình Liêu",
        "quang-ninh",
        "food",
        "processed",
        None,
        4,
        "Sợi miến dai, trong.",
    ),
    "cha-muc": (
        "Chả mực giã tay Hạ Long",
        "Công ty Chả mực Hạ Long",
        "quang-ninh",
        "food",
        "processed",
        ("gi", "Hạ Long"),
        5,
        "Mực tươi giã tay.",
    ),
    "kho-ca-loc": (
        "Khô cá lóc U Minh",
        "HTX Khô cá U Minh Hạ",
        "ca-mau",
        "food",
        "processed",
        None,
        3,
        "Cá lóc đồng phơi một nắng.",
    ),
    "du-lich-mai-chau": (
        "Du lịch cộng đồng bản Lác Mai Châu",
        "HTX Du lịch Bản Lác",
        "phu-tho",
        "tourism",
        "community",
        None,
        3,
        "Nhà sàn, múa xòe và ẩm thực Thái.",
    ),
    "lan-ho-diep": (
        "Lan hồ điệp Mê Linh",
        "HTX Hoa Mê Linh",
        "ha-noi",
        "ornamental",
        "flowers",
        None,
        3,
        "Chậu lan năm cành.",
    ),
    "ca-phe-muoi": (
        "Cà phê muối Huế",
        "Cơ sở Cà phê Muối",
        "hue",
        "food",
        "coffee_cocoa",
        None,
        3,
        "Cà phê phin với kem muối.",
    ),
    "tra-mam-gao-lut": (
        "Trà mầm gạo lứt",
        "HTX Nông sản sạch Hưng Yên",
        "hung-yen",
        "food",
        "tea",
        None,
        3,
        "Gạo lứt nảy mầm rang thơm.",
    ),
    "che-lam": (
        "Chè lam Thạch Xá",
        "Cơ sở Chè lam Thạch Xá",
        "ha-noi",
        "food",
        "processed",
        None,
        3,
        "Bánh chè lam gừng, mạch nha.",
    ),
    "ca-phe-dakmark": (
        "Cà phê rang xay DAKMARK",
        "Công ty TNHH Cà phê DAKMARK",
        "quang-ngai",
        "food",
        "coffee_cocoa",
        None,
        4,
        "Robusta Đăk Hà và Arabica Măng Đen.",
    ),
    "cam-sanh-ham-yen": (
        "Cam sành Hàm Yên",
        "HTX Cam sành Hàm Yên",
        "tuyen-quang",
        "food",
        "fresh",
        None,
        3,
        "Cam chín cây, vỏ sần, mọng nước.",
    ),
    "tra-o-long": (
        "Trà ô long hữu cơ",
        "HTX Chè Long Phú",
        "phu-tho",
        "food",
        "tea",
        None,
        3,
        "Trà ô long lên men nhẹ.",
    ),
}
# The province before July 2025 that producers record where theirs was merged with others.
FORMER_PROVINCES = {
    "HTX Chè Phìn Hồ": "ha-giang",
    "HTX Mật ong Mèo Vạc": "ha-giang",
    "HTX Cam sành Hàm Yên": "tuyen-quang",
    "Công ty Sâm Ngọc Linh Tu Mơ Rông": "kon-tum",
    "Công ty TNHH Cà phê DAKMARK": "kon-tum",
    "HTX Du lịch Bản Lác": "hoa-binh",
    "HTX Chè Long Phú": "phu-tho",
}
# Not visible: a draft of a tea, and a product of an unverified producer.
HIDDEN = {
    "che-tan-cuong-nhap": ("Chè Tân Cương hàng nháp", "draft"),
    "nuoc-mam-chua-duyet": ("Nước mắm Phú Quốc chưa duyệt", "unverified"),
}
EXPIRED = "mam-tom"  # its only certificate has expired: no stars, still listed


def build_catalogue() -> dict[str, int]:
    """Create the catalogue and commit it; returns slug -> product id."""
    today = today_in_vietnam()
    ids: dict[str, int] = {}
    producers: dict[str, object] = {}
    protections: dict[tuple[str, str], object] = {}
    for slug, (
        name,
        producer_name,
        province,
        group,
        subgroup,
        protection,
        stars,
        description,
    ) in PRODUCTS.items():
        producer = producers.get(producer_name) or make_producer(
            name=producer_name,
            slug=f"p-{len(producers)}",
            province_code=province,
            former_province_code=FORMER_PROVINCES.get(producer_name),
        )
        producers[producer_name] = producer
        product = make_product(
            producer,
            slug=slug,
            name=name,
            group_code=group,
            subgroup_code=subgroup,
            description=description,
            price_vnd=50_000 + 10_000 * len(ids),
        )
        if slug == EXPIRED:
            issued = add_months(today, -40)
            make_certificate(product, stars, issued_on=issued, expires_on=add_months(issued, 36))
        else:
            make_certificate(product, stars)
        if protection:
            if protection not in protections:
                protections[protection] = make_protection(kind=protection[0], name=protection[1])
            grant_right(product, protections[protection])
        ids[slug] = product.id
    draft = make_product(
        producers["HTX Chè Hoàng Bình"],
        slug="che-tan-cuong-nhap",
        name=HIDDEN["che-tan-cuong-nhap"][0],
        status="draft",
    )
    unverified = make_producer(
        name="Cơ sở chưa duyệt", slug="p-unverified", province_code="an-giang", verification_status="pending"
    )
    hidden = make_product(
        unverified,
        slug="nuoc-mam-chua-duyet",
        name=HIDDEN["nuoc-mam-chua-duyet"][0],
        subgroup_code="condiments",
    )
    ids[draft.slug] = draft.id
    ids[hidden.slug] = hidden.id
    db.session.commit()
    return ids
