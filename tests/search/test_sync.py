"""The index follows committed changes, and only committed ones."""

from __future__ import annotations

from marketplace import search
from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.factories import grant_right, make_producer, make_product, make_protection


def found(query: str) -> set[int]:
    return set(search.search(query).ids)


def test_a_created_product_is_found_once_committed(search_backend) -> None:
    product = make_product(name="Bánh cáy Thái Bình")
    assert found("banh cay") == set()  # flushed, not committed
    db.session.commit()
    assert found("banh cay") == {product.id}


def test_a_rolled_back_product_never_reaches_the_index(search_backend) -> None:
    make_product(name="Bánh cáy Thái Bình")
    db.session.rollback()
    make_product(name="Kẹo lạc")
    db.session.commit()
    assert found("banh cay") == set()
    assert len(found("keo lac")) == 1


def test_an_edited_name_replaces_the_old_one(search_backend) -> None:
    product = make_product(name="Bánh cáy")
    db.session.commit()
    product.name = "Bánh gai Ninh Giang"
    db.session.commit()
    assert found("banh cay") == set()
    assert found("banh gai") == {product.id}


def test_a_rolled_back_edit_leaves_the_index_as_it_was(search_backend) -> None:
    product = make_product(name="Bánh cáy")
    db.session.commit()
    product.name = "Bánh gai"
    db.session.flush()
    db.session.rollback()
    assert found("banh cay") == {product.id}
    assert found("banh gai") == set()


def test_a_deleted_product_leaves_the_index(search_backend) -> None:
    product = make_product(name="Bánh cáy")
    db.session.commit()
    db.session.delete(db.session.get(Product, product.id))
    db.session.commit()
    assert found("banh cay") == set()


def test_renaming_or_moving_the_producer_reindexes_its_products(search_backend) -> None:
    producer = make_producer(name="HTX Cũ", province_code="thai-nguyen")
    product = make_product(producer, name="Miến")
    db.session.commit()
    producer.name = "HTX Làng nghề Cự Đà"
    producer.province_code = "ca-mau"
    db.session.commit()
    assert found("cu da") == {product.id}
    assert found("bac lieu") == {product.id}  # a former province of Cà Mau
    assert found("thai nguyen") == set()


def test_a_verified_right_to_a_gi_makes_the_gi_name_searchable(search_backend) -> None:
    product = make_product(name="Chè búp")
    gi = make_protection(name="Tân Cương")
    right = grant_right(product, gi, status="pending")
    db.session.commit()
    assert found("tan cuong") == set()
    right.status = "verified"
    db.session.commit()
    assert found("tan cuong") == {product.id}
    right.status = "revoked"
    db.session.commit()
    assert found("tan cuong") == set()


def shown_in_results(query: str) -> int:
    """How many products the search page shows, as a new request would see it."""
    from flask import g

    from marketplace.catalog import services

    g.pop("catalog_version", None)
    return services.catalog_page(services.CatalogFilters(q=query)).total


def test_publishing_and_unpublishing_show_and_hide_a_product_in_results(search_backend) -> None:
    product = make_product(name="Bánh cáy", status="draft")
    db.session.commit()
    assert shown_in_results("banh cay") == 0
    product.status = "published"
    db.session.commit()
    assert shown_in_results("banh cay") == 1
    product.status = "archived"
    db.session.commit()
    assert shown_in_results("banh cay") == 0
