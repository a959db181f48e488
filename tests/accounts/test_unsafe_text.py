"""Control and bidirectional characters never enter a display name or a producer's name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.text import UnsafeText
from tests.factories import make_user

REFUSED = "invisible control characters"


@pytest.mark.parametrize("char", ["\x00", "\u202e"], ids=["NUL", "RLO"])
def test_sign_up_and_the_profile_refuse_a_display_name_with_a_control_character(web, char) -> None:
    web.client.set_cookie("lang", "en")
    response = web.post(
        "/account/signup",
        {
            "display_name": f"Lan{char}",
            "email": "lan@example.vn",
            "password": "nuoc-mam-phu-quoc",
            "password_again": "nuoc-mam-phu-quoc",
            "account_kind": "consumer",
        },
    )
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert db.session.scalar(select(User.id)) is None
    user = make_user("minh@example.vn", display_name="Minh")
    db.session.commit()
    web.sign_in(user)
    response = web.post("/account/profile", {"display_name": f"Minh{char}"})
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Minh"


def test_the_account_services_refuse_control_characters_too(app) -> None:
    with pytest.raises(UnsafeText):
        accounts.create_user("lan@example.vn", "nuoc-mam-phu-quoc", "Lan\x00")
    user = make_user("minh@example.vn", display_name="Minh")
    with pytest.raises(UnsafeText):
        accounts.update_profile(user, "Minh\u202e")


def test_producer_registration_refuses_a_name_with_a_control_character(web) -> None:
    from marketplace.producers.models import Producer

    web.sign_in(make_user("minh@example.vn"))
    db.session.commit()
    web.client.set_cookie("lang", "en")
    response = web.post(
        "/account/register/producer",
        {
            "name": "HTX\x1b[31m Nước mắm",
            "entity_type": "cooperative",
            "tax_code": "1700123456",
            "province_code": "an-giang",
            "commune": "Dương Đông",
            "contact_phone": "0297 384 0000",
            "contact_email": "htx@example.vn",
        },
    )
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert db.session.scalar(select(Producer.id)) is None
