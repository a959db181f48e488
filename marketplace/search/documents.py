"""What the search index knows about a product: the text of its searchable fields, read from the
database in a fixed number of statements whatever the number of products."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from marketplace.catalog.models import Product, Protection, ProtectionRight
from marketplace.producers.models import Producer
from marketplace.reference import PROVINCES_BY_CODE, former_province_name, sole_former_province_code
from marketplace.text import slugify

# Vietnamese and English words for the product groups and sub-groups, so that "thủ công", "đồ uống"
# or "handicraft" find them whatever language the interface shows. (Plain strings: the labels in
# `reference` are translated per request, and indexing runs outside requests.)
GROUP_WORDS: dict[str, str] = {
    "food": "thực phẩm food",
    "beverages": "đồ uống beverages drinks",
    "herbal": "thảo dược dược liệu medicinal herbs herbal",
    "handicrafts": "thủ công mỹ nghệ handicrafts crafts",
    "ornamental": "hoa cây cảnh sinh vật cảnh ornamental plants animals",
    "tourism": "du lịch cộng đồng sinh thái community eco tourism",
    "fresh": "nông sản tươi fresh produce",
    "raw": "sơ chế raw semi-processed",
    "processed": "chế biến processed food",
    "condiments": "gia vị nước chấm condiments sauces",
    "tea": "chè trà tea",
    "coffee_cocoa": "cà phê ca cao coffee cocoa",
    "alcoholic": "rượu alcoholic drinks",
    "non_alcoholic": "nước giải khát soft drinks",
    "herbs": "dược liệu medicinal herbs",
    "herbal_food": "thực phẩm chức năng herbal supplements",
    "cosmetics": "mỹ phẩm tinh dầu cosmetics essential oils",
    "crafts": "mỹ nghệ fine art decorative",
    "household": "đồ gia dụng household goods",
    "textiles": "dệt may thổ cẩm textiles garments",
    "flowers": "hoa flowers",
    "plants": "cây cảnh ornamental plants",
    "animals": "sinh vật cảnh ornamental animals",
    "community": "du lịch cộng đồng community tourism",
    "eco": "du lịch sinh thái eco-tourism",
}

BATCH = 500


@dataclass(frozen=True)
class SearchDocument:
    """The searchable text of one product, with diacritics (each backend folds it)."""

    product_id: int
    name: str
    producer: str
    province: str  # current name and the names of the former units it absorbed
    group: str
    protection: str  # names of the GIs and marks the producer holds a verified right to use
    description: str

    def fields(self) -> dict[str, str]:
        return {
            "name": self.name,
            "producer": self.producer,
            "province": self.province,
            "group": self.group,
            "protection": self.protection,
            "description": self.description,
        }


def _group_text(group_code: str, subgroup_code: str) -> str:
    return " ".join((GROUP_WORDS.get(group_code, group_code), GROUP_WORDS.get(subgroup_code, subgroup_code)))


def _province_text(code: str, former_code: str | None) -> str:
    """The province's name and the former unit(s) the producer may be in: the one it records (or
    the only one its province continues), else all of them. A query for a former province then
    finds its products by name, and the rest of the merged province through the current name
    (`query.PHRASES`), ranked after them."""
    province = PROVINCES_BY_CODE.get(code)
    if province is None:
        return code
    former_code = former_code or sole_former_province_code(code)
    formers = province.former
    if former_code and former_code in {slugify(name) for name in province.former}:
        formers = (former_province_name(former_code),)
    return " | ".join(dict.fromkeys((province.name, *formers)))


def load_documents(conn: Connection, product_ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Documents for `product_ids` (all products when None), in batches of `BATCH`. Ids of products
    that no longer exist are simply absent."""
    if product_ids is None:
        ids = list(conn.scalars(select(Product.id).order_by(Product.id)))
    else:
        ids = sorted(set(product_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        protections: dict[int, list[str]] = {}
        for product_id, name in conn.execute(
            select(ProtectionRight.product_id, Protection.name)
            .join(Protection, Protection.id == ProtectionRight.protection_id)
            .where(ProtectionRight.product_id.in_(batch), ProtectionRight.status == "verified")
        ):
            protections.setdefault(product_id, []).append(name)
        rows = conn.execute(
            select(
                Product.id,
                Product.name,
                Product.group_code,
                Product.subgroup_code,
                Product.description,
                Producer.name,
                Producer.province_code,
                Producer.former_province_code,
                Product.name_en,
                Product.description_en,
            )
            .join(Producer, Producer.id == Product.producer_id)
            .where(Product.id.in_(batch))
            .order_by(Product.id)
        )
        for (
            pid,
            name,
            group,
            subgroup,
            description,
            producer,
            province,
            former,
            name_en,
            description_en,
        ) in rows:
            yield SearchDocument(
                product_id=pid,
                # The English name and description, when given, are searched as the Vietnamese ones.
                name=f"{name} | {name_en}" if name_en else name,
                producer=producer,
                province=_province_text(province, former),
                group=_group_text(group, subgroup),
                protection=" | ".join(protections.get(pid, ())),
                description=" | ".join(t for t in (description, description_en) if t),
            )


def count_products(conn: Connection) -> int:
    from sqlalchemy import func

    return conn.scalar(select(func.count(Product.id))) or 0
