# ruff: noqa: E501  (HTML fixtures read better unwrapped)
"""Small hand-written HTML snippets shaped like the Back Office pages (synthetic data)."""

from __future__ import annotations

# Region 1 → district 1 → sites 17, 18; region 2 → district 2 → sites 1, 2.
TREE = {1: (1, [17, 18]), 2: (2, [1, 2])}


def employee_tree(
    *, available: set[int], all_regions: bool = False, prefix: str = "employee"
) -> str:
    """The hierarchical tree as the server renders it (denied = checked box, hidden disabled)."""

    def n(key: str) -> str:
        head, _, rest = key.partition("[")
        return f"{prefix}[{head}]" + (f"[{rest}" if rest else "") if prefix else key

    out = [
        f'<input type="checkbox" class="boac-permission-type-region" id="boac-permission-type-region"'
        f' name="{n("isAllRegionsAllowed")}"{" checked" if all_regions else ""}>'
    ]
    for region, (district, sites) in TREE.items():
        region_denied = not (set(sites) & available)
        out.append(
            f'<label for="boac-permission-region-{region}">Region <strong>(Region {region})</strong>'
            f'</label><input type="checkbox" id="boac-permission-region-{region}"'
            f' class="boac-permission-region-option" data-region-id="{region}" value="{region}"'
            f' name="{n("disabledRegions[]")}"{" checked" if region_denied else ""}>'
            f'<input type="checkbox" class="boac-permission-type-district" data-region-id="{region}"'
            f' name="{n("isAllDistrictsAllowedByRegion[]")}" value="{region}">'
            f'<label for="boac-permission-district-{district}">District <strong>(D{district})'
            f'</strong></label><input type="checkbox" id="boac-permission-district-{district}"'
            f' class="boac-permission-district-option" data-region-id="{region}"'
            f' data-district-id="{district}" value="{district}" name="{n("disabledDistricts[]")}"'
            f"{' checked disabled' if region_denied else ''}>"
            f'<input type="checkbox" class="boac-permission-type-site" data-district-id="{district}"'
            f' name="{n(f"isAllSitesAllowedByDistrict[{district}]")}">'
        )
        for site in sites:
            denied = site not in available
            box_name = f' name="{n(f"sites[{site}][isAvailable]")}"' if prefix else ""
            hidden_name = n(f"sites[{site}][siteId]") if prefix else "siteIds[]"
            out.append(
                f'<label for="boac-permission-site-{site}">Site <strong>(Wash {site})</strong>'
                f'</label><input type="checkbox" id="boac-permission-site-{site}"'
                f' class="boac-permission-site-option boac-permission-site-option-hidden-input-{site}"'
                f' data-district-id="{district}" value="{site}"{box_name}'
                f"{' checked' if denied else ''}>"
                f'<input type="hidden" id="boac-permission-site-option-hidden-input-{site}"'
                f' class="boac-permission-site-option-hidden-input-for-district-{district}"'
                f' name="{hidden_name}" value="{site}"{" disabled" if denied else ""}>'
            )
    return "".join(out)


def flat_tree(*, available: set[int], sites: tuple[int, ...] = (3, 5, 6)) -> str:
    out = ['<input type="checkbox" name="employee[isAllSitesAllowed]" value="1">']
    for site in sites:
        out.append(
            f'<label for="boac-permission-site-{site}">Site <strong>(Flat {site})</strong></label>'
            f'<input type="checkbox" id="boac-permission-site-{site}"'
            f' class="boac-permission-site-option" value="{site}" name="employee[siteIds][]"'
            f"{'' if site in available else ' checked'}>"
        )
    return "".join(out)


def employee_form(tree: str, *, edit: bool = True, active: bool = True) -> str:
    status = (
        '<input type="hidden" name="employee[id]" value="77">'
        '<input type="hidden" name="posCredential[id]" value="55">'
        f'<input type="checkbox" name="employee[isActive]" value="1"{" checked" if active else ""}>'
        if edit
        else ""
    )
    action = "/employee/update" if edit else "/employee/insert"
    return (
        f'<html><body><form id="employee-create-edit-form" action="{action}" method="post">'
        f"{status}"
        '<input type="text" name="employee[firstName]" value="Testy">'
        '<input type="text" name="employee[lastName]" value="McFixture">'
        '<input type="tel" name="employee[phone]" value="(555) 010-0142">'
        '<input type="text" name="employee[email]" value="testy@example.com">'
        '<select name="employee[departments][]" multiple>'
        '<option value="1">Cashier</option><option value="3" selected>Greeter</option></select>'
        '<input type="text" name="employee[startDate]" data-value="04/13/2026">'
        f"{tree}"
        '<input type="number" name="posCredential[POSLoginID]" value="4242">'
        '<input type="number" name="posCredential[POSLoginPassword]" value="13579">'
        '<input type="text" name="employee[emergencyContactName]" value="">'
        '<input type="tel" name="employee[emergencyContactPhone]" value="">'
        '<input type="text" name="employee[adpEmployeeId]" value="">'
        '<input type="text" name="employee[nickname]" value="Ace">'
        '<select name="wage[siteId]" disabled><option value=""></option>'
        '<option value="17">LAKE</option><option value="18">HARB</option>'
        '<option value="1">FIE</option><option value="2">CENT</option></select>'
        "</form></body></html>"
    )
