"""Change a Back Office login's template and accessible sites: the form is prefilled
with what the user has now (read in a worker), Ctrl+S shows the change old → new, and
only a yes to that review writes it (through the tenant, verified by the client).

Only what changed is sent: an untouched template or site list is left as it is (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Select, SelectionList, Static

from sonnys_tui.backoffice.models import (
    BackofficeAccess,
    BackofficePermissionsSet,
    BackofficeUser,
    BackofficeUserRow,
    Permission,
)
from sonnys_tui.display import terminal_safe
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs.confirmed_write import ConfirmedWriteScreen
from sonnys_tui.tui.errors import describe_error
from sonnys_tui.tui.keys import CANCEL, REVIEW
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.form_field import FormField
from sonnys_tui.tui.widgets.site_picker import ALL_SITES, SitePicker
from sonnys_tui.tui.widgets.site_picker import HINT as SITES_HINT
from sonnys_tui.tui.workers import answer_in_place

KEEP = "\x00keep"  # the current template when it is none of the tenant's (Custom, None)
SiteChoice = list[str] | Literal["all"]


def template_name(templates: Sequence[Permission], access: BackofficeAccess) -> str:
    """The user's template as the Back Office shows it ("Manager"), not its key."""
    return access.template_description.strip() or display_name(templates, access.template)


def display_name(templates: Sequence[Permission], key: str) -> str:
    """A template's name as the Back Office's lists show it (its description), from
    the key the form posts ("manager"); the key itself when the tenant has no such."""
    found = next((t for t in templates if t.name == key), None)
    return (found.description.strip() or found.name) if found is not None else key


def _sites_words(sites: SiteChoice | Sequence[str]) -> str:
    if sites == "all":
        return "all sites (and any added later)"
    return ", ".join(sites) or "(none)"


class BackofficePermissionsScreen(ModalScreen[bool]):
    """Dismissed with True when the change was written."""

    BINDINGS = [
        REVIEW,
        CANCEL,
    ]

    def __init__(self, tenant: Tenant, user: BackofficeUserRow) -> None:
        super().__init__()
        self.tenant = tenant
        self.user = user
        self.templates = list(tenant.templates("backoffice"))
        self.current: BackofficeAccess | None = None  # once read

    def compose(self) -> ComposeResult:
        name = terminal_safe(f"{self.user.username} ({self.user.email})")
        with Vertical(id="perm-dialog", classes="dialog"):
            yield Static(Text(f"Template and sites of {name}", style="bold"))
            yield Static(Text("Reading what they have now…"), id="perm-current")
            select: Select[str] = Select(
                self._options(), allow_blank=True, id="perm-template", compact=True
            )
            yield FormField("Template", select, name="template")
            picker = SitePicker(self.tenant.sites, id="perm-sites")
            yield FormField("Sites", picker, name="sites", hint=SITES_HINT)
            # Compact: the form and its buttons fit an 80x24 screen.
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Review", id="review", variant="primary", disabled=True, compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#perm-template").focus()
        answer_in_place(
            self,
            "bo-user",
            lambda: self.tenant.read_backoffice_user(self.user.user_id),
            self._prefill,
            self._unreadable,
        )

    def _prefill(self, record: BackofficeUser) -> None:
        access = self.current = record.access
        select: Select[str] = self.query_one("#perm-template", Select)
        names = [t.name for t in self.templates]
        if access.template in names:
            select.value = access.template
        else:  # Custom or None: offered as "keep", never silently replaced
            label = f"{access.template} (keep as it is)"
            select.set_options([(label, KEEP), *self._options()])
            select.value = KEEP
        picker = self.query_one("#perm-sites", SitePicker)
        picker.choose([ALL_SITES] if access.all_sites else access.sites)
        self.query_one("#perm-current", Static).update(
            Text(
                f"Now: {terminal_safe(template_name(self.templates, access))}"
                f", {terminal_safe(_sites_words(access.sites if not access.all_sites else 'all'))}"
            )
        )
        self.query_one("#review", Button).disabled = False

    @on(SelectionList.SelectedChanged, "#perm-sites")
    @on(SitePicker.Chosen, "#perm-sites")
    def _show_sites(self) -> None:
        """The line under the sites says what is ticked (filled in, or changed)."""
        picker = self.query_one("#perm-sites", SitePicker)
        summary = picker.summary()
        if summary and not picker.all_sites:
            summary += ": " + ", ".join(s.code or s.name for s in picker.chosen_sites())
        self.query_one("#field-sites", FormField).set_message(summary or SITES_HINT, error=False)

    def _options(self) -> list[tuple[str, str]]:
        return [(terminal_safe(t.description.strip() or t.name), t.name) for t in self.templates]

    def _unreadable(self, error: BaseException) -> None:
        # Without what they have now there is no old → new to review: nothing offered.
        self.query_one("#perm-current", Static).update(
            Text(f"Could not read the user: {describe_error(error)}")
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "review":
            self.action_review()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_review(self) -> None:
        access = self.current
        if access is None:
            return  # not read yet (or unreadable): nothing to compare with
        sites_field = self.query_one("#field-sites", FormField)
        template_field = self.query_one("#field-template", FormField)
        sites_field.set_message("")
        template_field.set_message("")
        value = self.query_one("#perm-template", Select).value
        if not isinstance(value, str):
            template_field.set_message("Template: choose one")
            return
        choice = self.query_one("#perm-sites", SitePicker).choice()
        if choice is None:
            sites_field.set_message("Sites: tick All sites or at least one site")
            return
        template = None if value in (KEEP, access.template) else value
        old_sites: SiteChoice = "all" if access.all_sites else list(access.sites)
        same_sites = choice == old_sites or (
            choice != "all" and old_sites != "all" and set(choice) == set(old_sites)
        )
        sites = None if same_sites else choice
        if template is None and sites is None:
            template_field.set_message("Nothing to change: this is what they have now", error=False)
            return

        def reviewed(written: bool | None) -> None:
            if written:
                self.dismiss(True)  # else the form stays, as typed

        self.app.push_screen(
            PermissionsReviewScreen(
                self.tenant, self.user, access, template=template, sites=sites, old=old_sites
            ),
            reviewed,
        )


class PermissionsReviewScreen(ConfirmedWriteScreen):
    """The change old → new; yes writes it."""

    yes_label = "Yes, change"
    yes_variant = "warning"
    working_text = "Saving the permissions…"

    def __init__(
        self,
        tenant: Tenant,
        user: BackofficeUserRow,
        access: BackofficeAccess,
        *,
        template: str | None,
        sites: SiteChoice | None,
        old: SiteChoice,
    ) -> None:
        super().__init__()
        self.tenant = tenant
        self.user = user
        self.access = access
        self.template = template
        self.sites = sites
        self.old = old

    def question(self) -> Text:
        # Who, in one line: the change itself must be in view at 80x24 with its buttons.
        user = self.user
        who = ", ".join(v for v in (f"{user.first_name} {user.last_name}".strip(), user.email) if v)
        state = "active" if user.active else "inactive"
        text = Text("Change this Back Office login's access?\n", style="bold")
        text.append(terminal_safe(f"{user.username}: {who} ({state})") + "\n\n")
        if self.template is not None:
            templates = self.tenant.templates("backoffice")
            old = template_name(templates, self.access)
            text.append(f"  Template  {terminal_safe(old)} → ")
            text.append(f"{terminal_safe(display_name(templates, self.template))}\n", style="bold")
        if self.sites is not None:
            text.append(f"  Sites     {terminal_safe(_sites_words(self.old))} → ")
            text.append(f"{terminal_safe(_sites_words(self.sites))}\n", style="bold")
            if self.sites != "all" and self.old != "all":
                gone = [s for s in self.old if s not in self.sites]
                if gone:
                    text.append(f"  no longer: {terminal_safe(', '.join(gone))}\n")
        return text

    def write(self) -> BackofficePermissionsSet:
        return self.tenant.set_backoffice_permissions(
            self.user, template=self.template, sites=self.sites
        )

    def outcome(self, result: object) -> Text:
        assert isinstance(result, BackofficePermissionsSet)
        if result.already:
            return Text("✓ They had exactly this already: nothing written.")
        name = display_name(self.tenant.templates("backoffice"), result.template)
        return Text(
            f"✓ Saved and read back: template {terminal_safe(name)}, "
            f"{terminal_safe(_sites_words(result.available_sites))}."
        )
