"""Tenant-independent catalogues: POS permissions, POS/BO templates, BO tokens.

Labels and grouping follow what every Back Office tenant shows; descriptions are
our own short wording.
"""

from __future__ import annotations

from .store import BoTemplate, PosPermission, PosTemplate

# (id, label, group) in page order; permission 1 is also the "Action Approval Authority".
_POS_PERMISSIONS: list[tuple[int, str, str]] = [
    (1, "Manager Approval", "General"),
    (22, "Time Clock", "General"),
    (23, "Reports", "General"),
    (24, "Back Office Internet", "General"),
    (34, "SPS Admin", "General"),
    (2, "Return Transaction", "Transaction"),
    (5, "Open Cash Drawer", "Transaction"),
    (6, "Tax Exempt", "Transaction"),
    (7, "Price Change", "Transaction"),
    (8, "Comp Sale", "Transaction"),
    (9, "Prompt For Price", "Transaction"),
    (28, "Rewash Transaction", "Transaction"),
    (29, "Rewash Transaction With Code", "Transaction"),
    (3, "Paid In", "Paid In & Paid Out"),
    (4, "Paid Out", "Paid In & Paid Out"),
    (10, "Customer Add", "Customer"),
    (11, "Customer Edit", "Customer"),
    (12, "Vehicle Add", "Vehicle"),
    (13, "Vehicle Edit", "Vehicle"),
    (14, "Item Add", "Item"),
    (15, "Item Edit", "Item"),
    (16, "Gift Card Add", "Gift Card"),
    (17, "Gift Card Edit", "Gift Card"),
    (18, "House Account Add", "House Account"),
    (19, "House Account Edit", "House Account"),
    (20, "Wash Book Add", "Wash Book"),
    (21, "Wash Book Edit", "Wash Book"),
    (25, "Login", "Pos"),
    (26, "Cash Drop", "Pos"),
    (27, "Panel External", "Pos"),
    (33, "Open Refund", "Pos"),
    (30, "Dollar Discount", "Discount"),
    (31, "Percent discount", "Discount"),
    (32, "Instant Promotion", "Discount"),
]

ACTION_APPROVAL_ID = 1
ACTION_APPROVAL_LABEL = "Action Approval Authority"
ACTION_APPROVAL_DESCRIPTION = (
    "When granted, this user can use every POS feature and approve actions of users who "
    "require approval."
)


def pos_permissions() -> list[PosPermission]:
    return [
        PosPermission(pid, label, f"Allows the {label.lower()} feature on the POS.", group)
        for pid, label, group in _POS_PERMISSIONS
    ]


def _ids(text: str) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out.update(range(int(lo), int(hi) + 1))
        elif part:
            out.add(int(part))
    return frozenset(out)


def pos_templates() -> dict[int, PosTemplate]:
    templates = [
        PosTemplate(
            1, "Manager", "The manager set of permissions", _ids("1-34"), frozenset(), True
        ),
        PosTemplate(
            2, "Cashier", "The cashier set of permissions", _ids("2-34"),
            _ids("2,3,4,6,7,8,9,24,28-34"), True,
        ),
        PosTemplate(
            3, "General User", "The general user set of permissions", _ids("22"), frozenset(), True
        ),
        PosTemplate(4, "General Manager", "General Managers of stores", _ids("1-34"), frozenset()),
        PosTemplate(
            5, "Assistant Manager", "General Manager permissions with some Approval Required",
            _ids("1-27,30-34"), _ids("7,8,26"),
        ),
        PosTemplate(
            6, "Shift Leader", "Shift leaders", _ids("2,4,5,10-13,16-18,20,21,23,25,27,30-34"),
            _ids("18,33"),
        ),
        PosTemplate(
            8, "CSA", "Customer service associates",
            _ids("2,4,9-13,16-18,20,21,25,27,30-34"), _ids("4,17,18,30,31,33"),
        ),
    ]  # fmt: skip
    return {t.id: t for t in templates}


_BO_TOKEN_GROUPS: dict[str, list[str]] = {
    "category": ["list", "write"],
    "commission": ["list", "write"],
    "customer": ["list", "write"],
    "dashboard": ["all"],
    "department": ["list", "write"],
    "district": ["list", "write"],
    "ecommManage": ["all"],
    "employee": ["list", "create", "write", "timesheet", "uac", "wage.all"],
    "fuelPump": ["all"],
    "giftCard": ["list", "write"],
    "globalSettings": ["all"],
    "houseAccount": ["list", "write"],
    "incident": ["list", "write"],
    "item": [
        "addOn.list", "addOn.write", "detail.list", "detail.write", "merchandise.list",
        "merchandise.write", "service.list", "service.write", "wash.list", "wash.write",
    ],
    "loyalty": ["list", "write"],
    "part": ["alert", "list", "write"],
    "posConfig": ["buttons.all", "receipt.all"],
    "posTemplate": ["list", "write"],
    "boTemplate": ["list", "write"],
    "prepaid": ["list", "write"],
    "promotion": ["list", "write"],
    "quivio": [
        "gamification.rewardCatalog.read", "gamification.rewardCatalog.write",
        "gamification.rewardPoints.list", "gamification.rewardPoints.write",
        "presentation.list", "presentation.read", "presentation.write",
        "voiceRecording.siteSettings.read", "voiceRecording.siteSettings.write",
    ],
    "reconciliation": ["daily.audit", "daily.reconcile", "session.all"],
    "region": ["list", "write"],
    "report": [
        "all", "currentMembershipValue", "dailyComparison", "employeeCommissions",
        "employeeTimesheets", "generalLedger", "generalLedgerV2",
        "grossDailyDepartmentLaborCosts", "grossDailyLaborCosts", "grossHourlyLaborCosts",
        "hourlyComparison", "lineItemSales", "monthlyComparison", "netDailyDepartmentLaborCosts",
        "netDailyLaborCosts", "netHourlyLaborCosts", "overviewComparison",
        "recurringProfitability", "salesDetail", "salesOverview", "salesOverviewV2",
    ],
    "site": ["list", "write"],
    "siteConfig": ["all", "emailReport.all"],
    "smart_stop": ["event.list", "event.read", "event.write"],
    "sms": ["marketing.list", "marketing.write"],
    "timeclock": ["list", "write"],
    "tunnel": ["admin.complete"],
    "user": ["all", "export"],
    "vehicle": ["list", "write"],
}  # fmt: skip


def bo_tokens() -> list[str]:
    return [f"{group}.{leaf}" for group, leaves in _BO_TOKEN_GROUPS.items() for leaf in leaves]


def bo_token_group(token: str) -> str:
    head = token.split(".", 1)[0]
    return head[:1].upper() + head[1:]


def bo_token_label(token: str) -> str:
    words = token.replace("_", ".").split(".")
    return " ".join(w[:1].upper() + w[1:] for w in words)


def bo_templates(tokens: list[str]) -> dict[int, BoTemplate]:
    every = frozenset(tokens)
    lists = frozenset(t for t in tokens if t.endswith(".list") or t.endswith(".read"))
    manager = frozenset(
        t
        for t in tokens
        if not t.startswith(("globalSettings", "region", "district", "boTemplate"))
    )
    templates = [
        BoTemplate(1, "admin", "Administrator ", every, True),
        BoTemplate(2, "manager", "Manager ", manager, True),
        BoTemplate(3, "user", "General User ", lists, True),
        BoTemplate(
            42, "General Manager", "General Managers of stores ",
            frozenset(t for t in manager if not t.startswith("report.")) | {"report.all"},
        ),
        BoTemplate(
            43, "Shift Leader", "Shift leaders ",
            frozenset({"reconciliation.daily.audit", "reconciliation.session.all",
                       "reconciliation.daily.reconcile"}),
        ),
    ]  # fmt: skip
    return {t.id: t for t in templates}
