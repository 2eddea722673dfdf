"""Connection profiles, stored as TOML in the user's config dir.

A profile names a tenant and a login; it never holds a password. Passwords come
from ``SONNYS_PASSWORD`` or, when the user asked for it and ``keyring`` is
installed, from the system keyring. No Textual import here: the CLI uses this.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sonnys_tui.locations import atomic_write_private, config_dir

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

PASSWORD_ENV = "SONNYS_PASSWORD"
READ_ONLY_ENV = "SONNYS_TUI_READ_ONLY"  # set to 1: every profile read-only
KEYRING_SERVICE = "sonnys-tui"


class ConfigError(Exception):
    """The profiles file exists but cannot be read or is malformed."""


@dataclass
class Profile:
    name: str
    subdomain: str
    username: str
    base_url: str | None = None
    remember_password: bool = False
    timeout: float = 30.0
    use_cache: bool = True
    read_only: bool = False  # every write refused before any request

    @property
    def keyring_account(self) -> str:
        # One keyring entry per tenant login, independent of the profile's label.
        return f"{self.username}@{self.subdomain}"


def config_path() -> Path:
    return config_dir() / "profiles.toml"


def _profile_from_table(name: str, table: object, path: Path) -> Profile:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [profiles.{name}] must be a table")
    known = {f.name for f in fields(Profile)} - {"name"}
    unknown = set(table) - known
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ConfigError(f"{path}: [profiles.{name}] has unknown keys: {names}")
    for required in ("subdomain", "username"):
        if not isinstance(table.get(required), str) or not table[required]:
            raise ConfigError(f"{path}: [profiles.{name}] needs a non-empty {required!r}")
    base_url = table.get("base_url")
    if base_url is not None and not isinstance(base_url, str):
        raise ConfigError(f"{path}: [profiles.{name}] base_url must be a string")
    timeout = table.get("timeout", 30.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigError(f"{path}: [profiles.{name}] timeout must be a positive number")
    flags: dict[str, bool] = {}
    for flag, default in (
        ("remember_password", False),
        ("use_cache", True),
        ("read_only", False),
    ):
        value = table.get(flag, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: [profiles.{name}] {flag} must be true or false")
        flags[flag] = value
    return Profile(
        name=name,
        subdomain=table["subdomain"],
        username=table["username"],
        base_url=base_url,
        timeout=float(timeout),
        **flags,
    )


def load_profiles() -> dict[str, Profile]:
    """Every saved profile by name; {} when there is no file yet."""
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    import tomllib

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: 'profiles' must be a table")
    return {name: _profile_from_table(name, table, path) for name, table in profiles.items()}


def _profile_table(profile: Profile) -> dict[str, Any]:
    table = asdict(profile)
    del table["name"]
    if table["base_url"] is None:
        del table["base_url"]  # TOML has no null
    return table


def _write_profiles(profiles: dict[str, Profile]) -> None:
    document = {"profiles": {name: _profile_table(p) for name, p in sorted(profiles.items())}}
    import tomli_w  # deferred: not needed for a first frame

    text = tomli_w.dumps(document)
    atomic_write_private(config_path(), lambda out: print(text, end="", file=out))


def save_profile(profile: Profile) -> None:
    """Add or replace ``profile`` (by name) in the profiles file."""
    if not profile.name.strip():
        raise ConfigError("a profile needs a name")
    profiles = load_profiles()
    profiles[profile.name] = profile
    _write_profiles(profiles)


def delete_profile(name: str) -> bool:
    """Remove a profile; False if there was none by that name."""
    profiles = load_profiles()
    if profiles.pop(name, None) is None:
        return False
    _write_profiles(profiles)
    return True


def read_only_from_env() -> bool:
    """True when ``SONNYS_TUI_READ_ONLY`` asks for read-only mode (1, true, yes, on)."""
    return os.environ.get(READ_ONLY_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def open_client(
    profile: Profile, password: str, *, read_only: bool = False
) -> SonnysBackofficeClient:
    """A client for the profile's tenant (the app's and the shell commands' one way);
    read-only when asked, or when the profile or the environment says so."""
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

    return SonnysBackofficeClient(
        subdomain=profile.subdomain,
        username=profile.username,
        password=password,
        base_url=profile.base_url,
        timeout=profile.timeout,
        read_only=read_only or profile.read_only or read_only_from_env(),
    )


def _keyring() -> Any | None:
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def resolve_password(profile: Profile) -> str | None:
    """The password for ``profile``: ``SONNYS_PASSWORD``, else the keyring if remembered."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not profile.remember_password:
        return None
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, profile.keyring_account)
    except Exception:  # a broken keyring backend must not stop the app: ask instead
        return None
    return value if isinstance(value, str) and value else None


def keyring_available() -> bool:
    return _keyring() is not None


def remember_password(profile: Profile, password: str) -> bool:
    """Store ``password`` in the keyring; False when keyring is missing or refuses."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, profile.keyring_account, password)
    except Exception:
        return False
    return True
