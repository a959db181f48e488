"""The portal's forms. Field rules live in `portal.validation` (shared with the CSV import); the
forms only call them and put each message next to its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from marketplace.catalog.supply import ALL_YEAR, MONTHS, months_of
from marketplace.formatting import UNIT_LABELS
from marketplace.portal import validation as rules
from marketplace.portal.models import STOCK_REASONS
from marketplace.reference import PRODUCT_GROUPS, UNITS
from marketplace.text import SafeText

TIER_ROWS = 4
STOCK_REASON_LABELS = {
    "received": _l("Received (add to stock)"),
    "damaged": _l("Damaged or lost (take from stock)"),
    "counted": _l("Counted (set the stock to this number)"),
}


def _rule(clean, **kwargs):
    """A WTForms validator from a `portal.validation` rule; the clean value lands in `field.clean`."""

    def validator(form, field) -> None:
        try:
            field.clean = clean(field.data, **kwargs)
        except rules.FieldError as error:
            raise ValidationError(str(error.message)) from error

    return validator


def group_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a group"))] + [SelectChoice(g.code, g.label) for g in PRODUCT_GROUPS]


def subgroup_choices() -> list[SelectChoice]:
    choices = [SelectChoice("", _l("Choose a sub-group"))]
    for group in PRODUCT_GROUPS:
        choices += [
            SelectChoice(code, label, render_kw={"data-group": group.code}) for code, label in group.subgroups
        ]
    return choices


def unit_choices() -> list[SelectChoice]:
    return [SelectChoice(unit, UNIT_LABELS.get(unit, unit)) for unit in UNITS]


def month_choices() -> list[SelectChoice]:
    return [SelectChoice(str(month), _l("Month %(n)d", n=month)) for month in MONTHS]


class CheckboxesField(SelectMultipleField):
    """Several choices ticked at once, as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class TierForm(Form):
    min_quantity = StringField(_l("From (units)"), render_kw={"inputmode": "numeric"})
    unit_price = StringField(_l("Price per unit (₫)"), render_kw={"inputmode": "numeric"})


class ListingForm(FlaskForm):
    sku = StringField(_l("Product code (SKU)"), validators=[_rule(rules.clean_sku)])
    name = StringField(_l("Name"), validators=[_rule(rules.clean_name)])
    group = SelectField(_l("OCOP product group"), choices=group_choices, validate_choice=False)
    subgroup = SelectField(_l("Sub-group"), choices=subgroup_choices, validate_choice=False)
    description = TextAreaField(
        _l("Description"), validators=[_rule(rules.clean_description)], render_kw={"rows": 10}
    )
    name_en = StringField(_l("Name in English (optional)"), validators=[_rule(rules.clean_optional_name)])
    description_en = TextAreaField(
        _l("Description in English (optional)"),
        validators=[_rule(rules.clean_description)],
        render_kw={"rows": 5},
    )
    unit = SelectField(
        _l("Sold by"), choices=unit_choices, validate_choice=False, validators=[_rule(rules.clean_unit)]
    )
    net_weight = StringField(
        _l("Net weight (grams)"),
        validators=[_rule(rules.clean_optional_net_weight)],
        render_kw={"inputmode": "numeric"},
    )
    price = StringField(
        _l("Retail price (₫)"), validators=[_rule(rules.clean_price)], render_kw={"inputmode": "numeric"}
    )
    stock = StringField(
        _l("Opening stock (units)"),
        validators=[_rule(rules.clean_count, minimum=0)],
        render_kw={"inputmode": "numeric"},
    )
    min_order_qty = StringField(
        _l("Minimum wholesale order (units)"),
        validators=[_rule(rules.clean_count, minimum=1)],
        render_kw={"inputmode": "numeric"},
    )
    case_pack = StringField(
        _l("Case pack (units per case)"),
        validators=[_rule(rules.clean_count, minimum=1)],
        render_kw={"inputmode": "numeric"},
    )
    low_stock_threshold = StringField(
        _l("Warn me when stock falls to"),
        validators=[_rule(rules.clean_count, minimum=0)],
        render_kw={"inputmode": "numeric"},
    )
    tiers = FieldList(FormField(TierForm), min_entries=TIER_ROWS, max_entries=rules.MAX_TIERS)
    gtin = StringField(
        _l("GTIN (barcode number, optional)"),
        validators=[_rule(rules.clean_gtin)],
        render_kw={"inputmode": "numeric"},
    )
    monthly_capacity = StringField(
        _l("Supply capacity per month (units, optional)"),
        validators=[_rule(rules.clean_optional_capacity)],
        render_kw={"inputmode": "numeric"},
    )
    season = CheckboxesField(
        _l("Available in"),
        choices=month_choices,
        validate_choice=False,
        validators=[_rule(rules.clean_season)],
    )

    def __init__(self, *args, with_stock: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_stock:
            del self.stock
        self.tier_errors: list[str] = []

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        try:
            rules.clean_group(self.group.data, self.subgroup.data)
        except rules.GroupError as error:
            getattr(self, error.field).errors.append(str(error.message))
            valid = False
        try:
            self.tiers.clean = rules.clean_tiers(
                [(row.min_quantity.data, row.unit_price.data) for row in self.tiers],
                getattr(self.price, "clean", None),
            )
        except rules.FieldError as error:
            self.tier_errors.append(str(error.message))
            valid = False
        return valid

    def listing_data(self) -> rules.ListingData:
        return rules.ListingData(
            sku=self.sku.clean,
            name=self.name.clean,
            group_code=self.group.data,
            subgroup_code=self.subgroup.data,
            description=self.description.clean,
            unit=self.unit.clean,
            net_weight_g=self.net_weight.clean,
            price_vnd=self.price.clean,
            min_order_qty=self.min_order_qty.clean,
            case_pack=self.case_pack.clean,
            low_stock_threshold=self.low_stock_threshold.clean,
            tiers=tuple(self.tiers.clean),
            supply=rules.SupplyFacts(
                gtin=self.gtin.clean,
                monthly_capacity=self.monthly_capacity.clean,
                season_months=self.season.clean,
            ),
            name_en=self.name_en.clean,
            description_en=self.description_en.clean,
        )

    def fill_new(self) -> None:
        """A new listing's defaults: available all year."""
        self.season.data = [str(month) for month in months_of(ALL_YEAR)]

    def fill_from(self, product, tiers: list[tuple[int, int]]) -> None:
        self.sku.data = product.sku
        self.name.data = product.name
        self.group.data = product.group_code
        self.subgroup.data = product.subgroup_code
        self.description.data = product.description
        self.name_en.data = product.name_en or ""
        self.description_en.data = product.description_en
        self.unit.data = product.unit
        self.net_weight.data = "" if product.net_weight_g is None else str(product.net_weight_g)
        self.price.data = str(product.price_vnd)
        self.min_order_qty.data = str(product.min_order_qty)
        self.case_pack.data = str(product.case_pack)
        self.low_stock_threshold.data = str(product.low_stock_threshold)
        self.gtin.data = product.gtin or ""
        self.monthly_capacity.data = "" if product.monthly_capacity is None else str(product.monthly_capacity)
        self.season.data = [str(month) for month in months_of(product.season_months)]
        while len(self.tiers) < max(TIER_ROWS, len(tiers)):
            self.tiers.append_entry()
        for row, (quantity, price) in zip(self.tiers, tiers, strict=False):
            row.min_quantity.data = str(quantity)
            row.unit_price.data = str(price)


class PictureForm(FlaskForm):
    picture = FileField(
        _l("Picture (JPEG, PNG or WebP, up to 8 MB)"), render_kw={"accept": "image/jpeg,image/png,image/webp"}
    )
    alt = StringField(
        _l("Describe the picture (for people who cannot see it)"),
        validators=[Optional(), SafeText(), Length(max=200)],
    )


class AltForm(FlaskForm):
    alt = StringField(_l("Picture description"), validators=[Optional(), SafeText(), Length(max=200)])


class MoveForm(FlaskForm):
    direction = SelectField(choices=[SelectChoice("up", "up"), SelectChoice("down", "down")])


class StockForm(FlaskForm):
    reason = SelectField(
        _l("Reason"), choices=[SelectChoice(r, STOCK_REASON_LABELS[r]) for r in STOCK_REASONS]
    )
    quantity = StringField(
        _l("Quantity (units)"),
        validators=[_rule(rules.clean_count, minimum=0)],
        render_kw={"inputmode": "numeric"},
    )
    note = StringField(_l("Note (optional)"), validators=[Optional(), SafeText(), Length(max=300)])


class TaxCodeForm(FlaskForm):
    tax_code = StringField(
        _l("Tax code"),
        validators=[InputRequired(), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), render_kw={"accept": ".csv,text/csv"})


class FormerProvinceForm(FlaskForm):
    former_province = SelectField(_l("Province before July 2025"), choices=[])
