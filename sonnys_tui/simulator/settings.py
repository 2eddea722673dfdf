"""Switches for behaviours CONTRACT.md marks as unknown; tests flip them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Settings:
    # Logged-out request to a protected page: 302 /login, or the login page with 200.
    expired_session: Literal["redirect", "login200"] = "redirect"
    # Failed login: 302 /login with an alert, or the login page (200) with the alert.
    bad_login: Literal["redirect", "page200"] = "redirect"
    # Duplicate POS id / e-mail / username message: "… is already in use." or "… already exists."
    duplicate_wording: Literal["in use", "exists"] = "in use"
    # Extra inputs rendered in the employee edit form (name -> default value); the server
    # stores what is posted for them, so only a full-form round trip preserves them.
    extra_edit_fields: dict[str, str] = field(default_factory=dict)
    # A refused write: 302 back to the form with an alert (seen for BO users), or the form
    # page with the alert served directly (200) at the POST URL.
    rejection: Literal["redirect", "page200"] = "redirect"
    # A session logs itself out after this many requests (None: never).
    session_lifetime_requests: int | None = None
    # Insert refuses an employee without a department (the form says "at least one").
    require_department: bool = True
    # /user/update without ``user[changePassword]`` (the inverted box then reads "Change
    # Password: Yes"): "validate" wants a new password (at least 8, matching) and refuses
    # an empty one; "blank" stores whatever was posted, an empty password included.
    unchecked_change_password: Literal["validate", "blank"] = "validate"
    # /user/update of a user linked to an inactive employee: "reactivate" refuses a save
    # that leaves the user active (disabling it is accepted); "any" refuses every save of
    # that user; "never" accepts them all.
    inactive_employee_user_save: Literal["reactivate", "any", "never"] = "reactivate"
    # Where an accepted /user/update redirects: the user list or the user's edit page.
    user_update_redirect: Literal["list", "edit"] = "list"
    # Where /employee/compensation/update redirects (unknown; the same whether the wage
    # was stored or silently ignored): the employee list, or the employee's compensation
    # page with a success alert.
    wage_redirect: Literal["list", "page"] = "list"
