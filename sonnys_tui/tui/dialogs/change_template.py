"""Change template: give an employee exactly the permissions of one POS template (the
full matrix, as on hire), reviewed (current → new), applied, read back."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sonnys_tui.backoffice.models import EmployeeRecord, Permission, PosPermissionsSet
from sonnys_tui.display import safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs.plan_dialog import Plan, PlanDialog
from sonnys_tui.tui.widgets.form_field import FormField
from sonnys_tui.tui.widgets.pay_section import permissions_word


def template_option(template: Permission, *, current: bool) -> Option:
    label = safe_text(template.name)  # the server's name: shown, never sent raw
    if template.description and template.description != template.name:
        label.append_text(safe_text(f" · {template.description}"))
    if current:
        label.append(" (current)", style="bold")
    return Option(label)


class ChangeTemplateDialog(PlanDialog):
    HEADING = "Change POS template"
    DIALOG_ID = "template-dialog"
    FIRST = "#template"
    LABELS = {"template": "Template", "pos_template": "POS template", "pos_access": "Permissions"}

    def __init__(self, tenant: Tenant, record: EmployeeRecord) -> None:
        super().__init__(tenant, record)
        self.templates = list(tenant.templates("pos"))
        access = record.pos_access
        self.current = access.template if access is not None else None

    def _options(self) -> list[Option]:
        return [template_option(t, current=t.name == self.current) for t in self.templates]

    def _now(self) -> str:
        return f"now {permissions_word(self.record.pos_access)}"

    def compose_form(self) -> ComposeResult:
        yield FormField(
            "Template",
            OptionList(*self._options(), id="template", compact=True),
            name="template",
            hint=self._now(),
        )

    def record_changed(self) -> None:
        access = self.record.pos_access
        self.current = access.template if access is not None else None
        options = self.query_one("#template", OptionList)
        chosen = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = chosen
        field = self.query_one("#field-template", FormField)
        field.hint = self._now()
        field.set_message("")

    def on_mount(self) -> None:
        super().on_mount()
        names = [t.name for t in self.templates]
        if self.current in names:
            self.query_one("#template", OptionList).highlighted = names.index(self.current)

    @on(OptionList.OptionSelected, "#template")
    def _chosen(self) -> None:
        self.action_review()  # Enter on a template: review it

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        index = self.query_one("#template", OptionList).highlighted
        if index is None or not self.templates:
            return {}, {"template": "Choose a template"}
        return {"template": self.templates[index].name}, {}

    def done_text(self, result: object) -> str:
        assert isinstance(result, PosPermissionsSet)
        return (
            f"POS template {result.template} applied to {self.record.full_name},"
            " read back from their permissions."
        )

    def empty_text(self) -> str:
        return "They already have exactly this template's permissions: nothing to change."

    def make_plan(self, arguments: dict[str, Any]) -> Plan:
        # On the record already read: no request; the apply re-reads (the conflict check).
        return self.tenant.plan_set_pos_permissions(current=self.record, **arguments)
