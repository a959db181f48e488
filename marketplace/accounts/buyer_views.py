"""Supermarket chains' pages (blueprint `buyers`, under /buyer): registration and delivery
locations. They live in accounts, next to the producer's registration, because they are about
an account's organisation and use its memberships and permissions; `marketplace.buyers` holds the
organisation models, below accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import services
from marketplace.accounts.buyer_forms import LOCATION_KIND_LABELS, BuyerRegistrationForm, DeliveryLocationForm
from marketplace.accounts.forms import EmptyForm
from marketplace.accounts.messages import error_message
from marketplace.accounts.permissions import (
    buyer_member_required,
    current_buyer_membership,
    get_scoped_or_404,
    login_required,
)
from marketplace.buyers.models import DeliveryLocation
from marketplace.extensions import db

bp = Blueprint("buyers", __name__, url_prefix="/buyer")

EDITORS = ("owner", "purchaser")


@bp.context_processor
def _labels() -> dict:
    return {"location_kind_labels": LOCATION_KIND_LABELS}


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register():
    if current_buyer_membership() is not None:
        flash(error_message("already_buyer_member"), "info")
        return redirect(url_for("accounts.organisation"))
    form = BuyerRegistrationForm()
    if not form.is_submitted():
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        fields = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        try:
            services.register_buyer(current_user, **fields)
        except services.AccountError as error:
            form.tax_code.errors.append(error_message(error.code))
        else:
            db.session.commit()
            flash(
                _(
                    "Your organisation is registered. An administrator will verify it; until then "
                    "wholesale prices and wholesale orders are not available."
                ),
                "success",
            )
            return redirect(url_for("accounts.organisation"))
    return render_template("buyers/register.html", form=form)


def _locations() -> list[DeliveryLocation]:
    from sqlalchemy import select

    return list(
        db.session.scalars(
            select(DeliveryLocation)
            .where(DeliveryLocation.buyer_organisation_id == current_buyer_membership().organisation_id)
            .order_by(DeliveryLocation.id)
        )
    )


@bp.get("/locations")
@buyer_member_required()
def locations():
    return render_template(
        "buyers/locations.html",
        locations=_locations(),
        form=DeliveryLocationForm(),
        empty_form=EmptyForm(),
        can_edit=current_buyer_membership().role in EDITORS,
    )


@bp.post("/locations")
@buyer_member_required(*EDITORS)
def add_location():
    form = DeliveryLocationForm()
    if form.validate_on_submit():
        services.add_delivery_location(
            current_buyer_membership().organisation_id,
            kind=form.kind.data,
            name=form.name.data,
            address=form.address.data,
            province_code=form.province_code.data,
        )
        db.session.commit()
        flash(_("The delivery location has been added."), "success")
        return redirect(url_for("buyers.locations"))
    return render_template(
        "buyers/locations.html", locations=_locations(), form=form, empty_form=EmptyForm(), can_edit=True
    )


@bp.route("/locations/<int:location_id>/edit", methods=["GET", "POST"])
@buyer_member_required(*EDITORS)
def edit_location(location_id: int):
    location = get_scoped_or_404(DeliveryLocation, location_id)
    form = DeliveryLocationForm(obj=location)
    if form.validate_on_submit():
        services.update_delivery_location(
            location,
            kind=form.kind.data,
            name=form.name.data,
            address=form.address.data,
            province_code=form.province_code.data,
        )
        db.session.commit()
        flash(_("The delivery location has been saved."), "success")
        return redirect(url_for("buyers.locations"))
    return render_template("buyers/location_edit.html", form=form, location=location)


@bp.post("/locations/<int:location_id>/remove")
@buyer_member_required(*EDITORS)
def remove_location(location_id: int):
    location = get_scoped_or_404(DeliveryLocation, location_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_delivery_location(location)
        except services.AccountError as error:
            flash(error_message(error.code), "error")
        else:
            db.session.commit()
            flash(_("The delivery location has been removed."), "success")
    return redirect(url_for("buyers.locations"))
