"""The Departments tab: each department with its active head count; choosing one
shows its employees."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sonnys_tui.display import safe_text
from sonnys_tui.tenant import EmployeeChanged, ListsReplaced, TenantChange
from sonnys_tui.tui.panes.base import TenantPane


class DepartmentList(OptionList):
    # OptionList's own Enter, shown: choosing a department filters the Employees tab.
    BINDINGS = [Binding("enter", "select", "Show its employees")]


class DepartmentsPane(TenantPane):
    MAIN = "#department-list"

    @dataclass
    class DepartmentChosen(Message):
        """Show this department's employees."""

        name: str

    def compose(self) -> ComposeResult:
        yield DepartmentList(id="department-list")

    def show_known(self) -> None:
        if self.tenant.knows("departments"):
            self._fill()

    def tenant_changed(self, change: TenantChange) -> None:
        replaced = isinstance(change, ListsReplaced) and change.lists & {"departments", "employees"}
        if replaced or isinstance(change, EmployeeChanged):
            self._fill()  # the list, or a head count, moved

    def _fill(self) -> None:
        known = self.tenant.knows("employees")
        counts = self.tenant.active_counts("department") if known else None
        options = self.query_one("#department-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for index, department in enumerate(self.tenant.departments):
            label = safe_text(department.name)
            if counts is not None:
                label.append(f"  ({counts[department.name]} active)", style="dim")
            options.add_option(Option(label, id=str(index)))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        elif options.option_count:
            options.highlighted = 0  # Enter chooses at once: never "nothing highlighted"

    @on(OptionList.OptionSelected, "#department-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or -1)
        departments = self.tenant.departments
        if 0 <= index < len(departments):
            self.post_message(self.DepartmentChosen(departments[index].name))
