"""What people read for each AccountError code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERROR_MESSAGES = {
    "email_taken": _l("An account with this e-mail address already exists."),
    "password_too_short": _l("Choose a password of at least 10 characters."),
    "password_too_common": _l("This password is too common. Choose one that is harder to guess."),
    "password_is_email": _l("Your password must not be your e-mail address."),
    "invalid_credentials": _l("Wrong e-mail address or password."),
    "wrong_current_password": _l("Your current password is not right."),
    "invalid_token": _l("This link is not valid."),
    "token_expired": _l("This link has expired. Ask for a new one."),
    "token_used": _l("This link has already been used. Ask for a new one."),
    "already_producer_member": _l("You already belong to a producer."),
    "already_buyer_member": _l("You already belong to a buyer organisation."),
    "already_member": _l("This person is already a member."),
    "tax_code_taken": _l("An organisation with this tax code is already registered."),
    "last_delivery_location": _l("An organisation keeps at least one delivery location."),
    "cannot_remove_self": _l("You cannot remove yourself."),
    "not_allowed": _l("You are not allowed to do this."),
    "invalid_role": _l("Choose a role."),
    "invitation_other_email": _l("This invitation was sent to another e-mail address."),
    "reason_required": _l("Give a reason for a rejection."),
    "invalid_outcome": _l("Choose approve or reject."),
}


def error_message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, code))
