"""Changing an existing employee's fields: :meth:`EmployeeUpdate.plan_update_employee`
(a plan to review) and :meth:`EmployeeUpdate.update_employee` (one call).

The write is a full-form round trip: the edit page is re-read (the conflict check), the
form is posted back whole with the planned fields changed (a field the update does not
touch is posted as the fresh page shows it), and the record is read back and compared
field by field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Unpack, cast

from sonnys_tui.backoffice import fields, formcheck, names, pages, validation
from sonnys_tui.backoffice.caches import Linkable, Roster
from sonnys_tui.backoffice.core import (
    Progress,
    check_write,
    logger,
    no_progress,
    tenant_state,
    write_attempt,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.employee_read import Change, Target
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeServerError,
    DuplicateError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData
from sonnys_tui.backoffice.models import (
    Department,
    EmployeeChangePlan,
    EmployeeRecord,
    EmployeeUpdated,
    FieldChange,
    FieldValue,
    PlannedRequest,
    Secret,
    Site,
    UpdateRequest,
)
from sonnys_tui.backoffice.plan_checks import (
    conflict,
    new_values,
    us_date,
)

# The record's fields an update may change, in review order (the field registry's),
# and what the edit page holds besides (every field is compared when read back).
UPDATE_FIELDS = tuple(f.name for f in fields.settable("edit"))
_RECORD_FIELDS = (*UPDATE_FIELDS, "active")
# Posted as the registry's edit-page key; sites and departments are posted as the form
# encodes them (the tree, a multiple select).
_LISTS = ("available_sites", "departments")


def _snapshot(record: EmployeeRecord) -> dict[str, object]:
    """The record's fields as comparable values (ids for sites and departments)."""
    values: dict[str, object] = {
        name: getattr(record, name, None) for name in UPDATE_FIELDS if name not in _LISTS
    }
    values["available_sites"] = frozenset(record.site_ids)
    values["departments"] = frozenset(record.department_ids)
    values["active"] = record.active
    return values


def _update_arguments(changes: Mapping[str, object]) -> dict[str, object]:
    """The given fields, checked by the registry's rules (no request): ``None`` leaves a
    field as it is, ``""`` clears a clearable one."""
    out: dict[str, object] = {}
    for key, value in changes.items():
        name = "pos_user_id" if key == "new_pos_user_id" else key
        field = fields.find(name)
        if field is None or field.name != name or not field.edit or key == "pos_user_id":
            raise TypeError(f"update_employee() got an unexpected keyword argument {key!r}")
        if value is None:
            continue
        if key == "new_pos_user_id":  # named as the caller gave it
            out[name] = validation.pos_user_id(value, field=key)
            continue
        clean = field.validate(value)
        if name == "pos_pin":
            clean = Secret(str(clean))
        out[name] = tuple(clean) if isinstance(clean, list) else clean
    if not out:
        raise ValidationError(
            "nothing to change: give at least one field (None leaves a field as it is)",
            field="fields",
        )
    return out


@dataclass(frozen=True)
class _UpdateDraft:
    """An update computed on one read of the record (no request)."""

    changes: tuple[FieldChange, ...]
    before: dict[str, object]
    after: dict[str, object]
    sites: frozenset[int] | None  # the new site set (None: unchanged)
    all_sites: bool  # the new site set was asked as "all"
    departments: tuple[Department, ...] | None  # None: unchanged
    site_list: tuple[Site, ...]  # the tenant's sites (empty when not needed)
    department_names: dict[int, str]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)

    def shown(self, name: str, value: object) -> FieldValue:
        """A comparable value as the review shows it (names for sites, departments)."""
        if name == "available_sites":
            ids = cast("frozenset[int]", value)
            site_names = {s.id: s.name for s in self.site_list}
            order = [s.id for s in self.site_list] + sorted(ids - site_names.keys())
            return tuple(site_names.get(i, f"site {i}") for i in order if i in ids)
        if name == "departments":
            ids = cast("frozenset[int]", value)
            labels = [self.department_names.get(i, str(i)) for i in ids]
            return tuple(sorted(labels, key=str.casefold))
        return cast("FieldValue", value)


@dataclass(eq=False)
class EmployeeUpdate(Change[EmployeeUpdated, pages.EmployeeEditPage]):
    """Changing the fields of an existing employee."""

    reads: Discovery
    operation = "update"
    refused = "the employee was not updated"

    # ------------------------------------------------------------ update

    def plan_update_employee(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        current: EmployeeRecord | None = None,
        **changes: Unpack[UpdateRequest],
    ) -> EmployeeChangePlan[EmployeeUpdated]:
        """The update :meth:`update_employee` would make, computed without writing.

        Takes the same arguments (the changes as keywords, or one
        :class:`~sonnys_tui.backoffice.models.UpdateRequest` unpacked), plus
        ``current``: a record already read (from :meth:`get_employee`) to plan on
        without any request. Otherwise reads the edit
        page (1 request; a ``pos_user_id`` the roster cache does not know costs one
        search more). The arguments, the names and the availability of a new e-mail,
        phone or POS User ID (in the client's caches) are checked here, so a plan that
        is made can be applied unless the record moves. Apply it with
        :meth:`apply_change`.
        """
        target = Target(employee_id, pos_user_id, current)
        return self._planned(target, lambda: _update_arguments(changes))[0]

    def update_employee(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        **changes: Unpack[UpdateRequest],
    ) -> EmployeeUpdated:
        """Change the given fields of one employee; everything else is posted back as the
        edit page shows it (a full-form round trip: the update replaces the whole record).

        Exactly one lookup key, ``employee_id`` or ``pos_user_id``. ``pos_user_id`` only
        FINDS the employee: the POS User ID changes only through ``new_pos_user_id``,
        which must be free (the cached index, then one exact search on the server, then
        the server's own check). ``None`` leaves a field as it is; ``""`` clears
        ``email``, ``emergency_contact_name``/``_phone`` and ``adp_employee_id``.
        ``available_sites`` takes long names or short codes, or ``"all"``; it and
        ``departments`` are resolved against the cached site and department lists
        (:class:`UnknownNameError` naming the field, before any request once the lists
        are cached). A new e-mail or phone must be free (:meth:`is_email_available`,
        :meth:`is_phone_available`). The status is never changed here (see
        :meth:`disable_employee`); ``pos_pin`` sets a new 5-digit PIN.

        Requests: the edit form, the update, a verifying read = 3 (4 with
        ``new_pos_user_id``); 1 when nothing differs (nothing is written). The read-back
        is compared field by field: a field that did not take, or one that moved
        without being asked, raises :class:`BackofficeServerError` saying so.
        """
        target = Target(employee_id, pos_user_id)
        return self._apply(*self._planned(target, lambda: _update_arguments(changes)))

    # ------------------------------------------------------------ update, private

    def _plan(
        self, target: Target, args: Mapping[str, object]
    ) -> tuple[EmployeeChangePlan[EmployeeUpdated], pages.EmployeeEditPage | None]:
        with tenant_state(f"{NOTHING_WRITTEN}: {self.refused}"):
            if "available_sites" in args or "departments" in args:
                self._draft_names(args)  # unknown names fail before any request (warm caches)
            edit: pages.EmployeeEditPage | None = None
            if (current := target.checked_current()) is not None:
                record = current
            else:
                edit = self.employees._lookup_edit(
                    target.employee_id, target.pos_user_id, step="read employee"
                )
                record = edit.record
            draft = self._draft_update(record, args, edit.page.tree.site_ids if edit else None)
            self._check_free(record, draft, exact=False)
        employee = record.employee_id
        edit_path = f"/employee/edit/{employee}"
        requests = [
            PlannedRequest("GET", edit_path, "re-read: the conflict check, the form to post back")
        ]
        if "pos_user_id" in draft.fields:
            new_id = draft.after["pos_user_id"]
            requests.append(
                PlannedRequest("GET", "/employee", f"exact search: is POS User ID {new_id} free")
            )
        if draft.changes:
            requests += [
                PlannedRequest(
                    "POST",
                    "/employee/update",
                    f"the whole edit form, {len(draft.changes)} field(s) changed",
                ),
                PlannedRequest("GET", edit_path, "read back: verify every field"),
            ]
        expected = tuple((name, draft.before[name]) for name in draft.fields)
        return self._plan_of(record, draft.changes, requests, expected, args), edit

    def _draft_names(
        self, args: Mapping[str, object]
    ) -> tuple[pages.EmployeeFormPage, list[Site] | None, list[Department] | None]:
        """The create page (cached) and the sites/departments the arguments name
        (None: not asked; sites None also when "all")."""
        form = self.reads._load_create_page()
        sites: list[Site] | None = None
        departments: list[Department] | None = None
        if "available_sites" in args:
            wanted = args["available_sites"]
            choice = "all" if wanted == "all" else list(cast("Sequence[str]", wanted))
            sites = names.resolve_sites(choice, form.sites, field="available_sites")
        if "departments" in args:
            departments = names.resolve_departments(
                list(cast("Sequence[str]", args["departments"])), form.departments
            )
        return form, sites, departments

    def _draft_update(
        self,
        record: EmployeeRecord,
        args: Mapping[str, object],
        tree_ids: frozenset[int] | None = None,
    ) -> _UpdateDraft:
        """The update ``args`` make of ``record`` ("all" sites: ``tree_ids``, the sites
        of the edit form the update will post, else the cached site list)."""
        before = _snapshot(record)
        after = dict(before)
        department_names = dict(zip(record.department_ids, record.departments, strict=False))
        site_list: tuple[Site, ...] = ()
        new_sites: frozenset[int] | None = None
        all_sites = False
        new_departments: tuple[Department, ...] | None = None
        if "available_sites" in args or "departments" in args:
            form, sites, departments = self._draft_names(args)
            site_list = form.sites
            department_names |= {d.id: d.name for d in form.departments}
            if "available_sites" in args:
                all_sites = sites is None
                every = tree_ids or frozenset(s.id for s in form.sites)
                new_sites = every if sites is None else frozenset(s.id for s in sites)
                after["available_sites"] = new_sites
            if departments is not None:
                new_departments = tuple(departments)
                after["departments"] = frozenset(d.id for d in departments)
        for name in UPDATE_FIELDS:
            if name in args and name not in ("available_sites", "departments"):
                after[name] = args[name]
        draft = _UpdateDraft(
            changes=(),
            before=before,
            after=after,
            sites=new_sites,
            all_sites=all_sites,
            departments=new_departments,
            site_list=site_list,
            department_names=department_names,
        )
        asked = {name: after[name] for name in UPDATE_FIELDS}
        return dataclasses.replace(draft, changes=fields.diff(before, asked, shown=draft.shown))

    def _check_free(self, record: EmployeeRecord, draft: _UpdateDraft, *, exact: bool) -> None:
        """A new e-mail, phone or POS User ID must be free: in the cached indexes, and
        with ``exact`` a new POS User ID in one exact search on the server too."""
        after = draft.after
        if "email" in draft.fields:
            email = cast("str", after["email"])
            moved = email.casefold() != record.email.casefold()
            if email and moved and not self.reads.is_email_available(email):
                raise DuplicateError(f"e-mail {email} is already in use", field="email")
        if "phone" in draft.fields:
            phone = cast("str", after["phone"])
            moved = validation.phone_digits(phone) != validation.phone_digits(record.phone)
            if moved and not self.reads.is_phone_available(phone):
                raise DuplicateError(f"phone {phone} is already in use", field="phone")
        if "pos_user_id" in draft.fields:
            pos_id = cast("int", after["pos_user_id"])
            taken = not self.reads.is_pos_user_id_available(pos_id)
            if not taken and exact:
                found = self.reads.search_employees(pos_user_id=pos_id)
                taken = any(row.employee_id != record.employee_id for row in found)
            if taken:
                raise DuplicateError(
                    f"POS User ID {pos_id} is already in use (a POS User ID stays reserved "
                    "after its employee is disabled)",
                    field="new_pos_user_id",
                )

    def _write(
        self,
        plan: EmployeeChangePlan[EmployeeUpdated],
        edit: pages.EmployeeEditPage | None,
        report: Progress,
    ) -> EmployeeUpdated:
        employee_id = plan.employee_id
        args = dict(plan.arguments)
        with tenant_state(f"{NOTHING_WRITTEN}: employee {employee_id} was not updated"):
            fresh = edit is None
            if edit is None:
                report(f"Reading employee {employee_id} (has it changed since the plan?)")
                edit = self.reads._edit_page(employee_id, step="read employee")
            record = edit.record
            draft = self._draft_update(record, args, edit.page.tree.site_ids)
            if fresh:
                _check_unmoved(plan, draft)
            if not draft.changes:
                return EmployeeUpdated(
                    employee_id, (), self.employees._with_codes(record, ()), False
                )
            self._check_free(record, draft, exact=True)
            formcheck.require(
                edit.page.form, formcheck.EMPLOYEE_EDIT, step="update employee", tree=edit.page.tree
            )
            data = self._update_post(edit, draft)
        verified = self._post_update(employee_id, data, draft, report)
        result = EmployeeUpdated(
            employee_id=employee_id,
            changes=draft.changes,
            record=self.employees._with_codes(verified, draft.site_list),
        )
        self._remember_update(result)
        return result

    def _update_post(self, edit: pages.EmployeeEditPage, draft: _UpdateDraft) -> FormData:
        """The edit form as the server rendered it, with the draft's fields changed."""
        data = edit.page.serialize(edit=True)
        after = draft.after
        keys = fields.form_keys("employee_edit")
        for name in draft.fields:
            if name not in _LISTS:
                data.set(keys[name].key, _posted(after[name]))
        if draft.sites is not None:
            unknown = draft.sites - edit.page.tree.site_ids
            if unknown:
                raise UnknownNameError(
                    f"site id(s) {sorted(unknown)} are not on employee "
                    f"{edit.record.employee_id}'s edit form (the cached site list may be "
                    "stale: refresh it)",
                    field="available_sites",
                )
            edit.page.tree.encode(data, None if draft.all_sites else draft.sites, insert=False)
        if draft.departments is not None:
            offered = {d.id for d in edit.page.departments}
            if missing := [d.name for d in draft.departments if d.id not in offered]:
                raise UnknownNameError(
                    f"department(s) {', '.join(missing)} are not offered on the edit form",
                    field="departments",
                )
            key = keys["departments"].key
            data.set_all(key, [str(d.id) for d in draft.departments])
        return data

    def _post_update(
        self,
        employee_id: int,
        data: FormData,
        draft: _UpdateDraft,
        report: Progress = no_progress,
    ) -> EmployeeRecord:
        """POST the update and read it back (or reconcile an unknown outcome)."""
        step = "update employee"
        not_updated = f"{NOTHING_WRITTEN}: employee {employee_id} was not updated"
        report(f"Saving {', '.join(draft.fields)}")
        with write_attempt(not_updated) as attempt:
            answer = self._session.post("/employee/update", data, step=step, follow=False)
            check_write(answer, expect_path="/employee", step=step, what="employee update")
        if (unknown := attempt.unknown) is not None:
            with tenant_state(
                f"whether employee {employee_id} was updated is unknown: read it "
                "(get_employee) before trying again"
            ):
                record = self.reads._edit_page(employee_id, step=step).record
            if _snapshot(record) == draft.before:
                unknown.state = not_updated
                raise unknown
            if wrong := _differences(record, draft.after):
                raise _not_as_planned(employee_id, wrong, step) from None
            logger.debug("update outcome reconciled: it took effect")
            return record
        with tenant_state(
            f"employee {employee_id} was updated (the server accepted it) but reading it "
            "back failed"
        ):
            report("Reading it back to verify")
            record = self.reads._edit_page(employee_id, step="verify update").record
        if _snapshot(record) == draft.before:
            raise BackofficeServerError(
                f"employee {employee_id}: the server accepted the update but stored none of "
                f"it ({', '.join(draft.fields)} unchanged; the form may have changed)",
                step=step,
                state=not_updated,
            )
        if wrong := _differences(record, draft.after):
            raise _not_as_planned(employee_id, wrong, step)
        return record

    def _remember_update(self, result: EmployeeUpdated) -> None:
        """The new row in the roster cache and the active list (no re-download); the
        e-mail index learnt the new e-mail from the read-back."""
        record = result.record

        def in_roster(rows: Roster) -> Roster:
            row = rows.get(record.employee_id)
            return rows if row is None else {**rows, record.employee_id: result.as_row(row)}

        def in_linkable(employees: Linkable) -> Linkable:
            others = tuple(e for e in employees if e.employee_id != record.employee_id)
            if not record.active:  # /user/create lists active employees only
                return others
            mine = pages.LinkableEmployee(
                record.employee_id, record.email, record.first_name, record.last_name
            )
            return (*others, mine)

        self._caches.roster.change(in_roster)
        self._caches.linkable.change(in_linkable)


def _posted(value: object) -> str:
    """A typed field's value as the edit form posts it (dates as the Back Office shows
    them, a PIN revealed only here)."""
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, date):
        return us_date(value)
    return str(value)


def _check_unmoved(plan: EmployeeChangePlan[EmployeeUpdated], draft: _UpdateDraft) -> None:
    """Refuse when a field the plan changes is not what it was when planned, or when the
    change computed now differs from the reviewed one (e.g. "all" sites grew)."""
    planned_old = {c.field: c.old for c in plan.changes}
    moved = [
        (name, planned_old.get(name), draft.shown(name, draft.before[name]))
        for name, value in plan.expected
        if draft.before.get(name) != value
    ]
    if moved:
        raise conflict(plan.employee_id, moved, "moved")
    if new_values(draft.changes) != new_values(plan.changes):
        planned_new = dict(new_values(plan.changes))
        now_new = dict(new_values(draft.changes))
        differ = [n for n in UPDATE_FIELDS if planned_new.get(n) != now_new.get(n)]
        changed = [(n, planned_new.get(n), now_new.get(n)) for n in differ]
        raise conflict(plan.employee_id, changed, "would now change differently")


def _differences(record: EmployeeRecord, after: Mapping[str, object]) -> list[str]:
    """The fields of ``record`` that are not what the write should have left."""
    found = _snapshot(record)
    return [name for name in _RECORD_FIELDS if found[name] != after[name]]


def _not_as_planned(employee_id: int, wrong: Sequence[str], step: str) -> BackofficeServerError:
    fields = ", ".join(wrong)
    return BackofficeServerError(
        f"employee {employee_id} was updated, but not as planned: {fields} differ from the "
        "plan on the read-back",
        step=step,
        state=f"employee {employee_id} was updated, but not as planned ({fields}): read it "
        "(get_employee) and check",
    )
