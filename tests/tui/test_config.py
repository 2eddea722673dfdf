"""Profiles on disk: round trip, private file mode, clear errors, never a password."""

from __future__ import annotations

import stat
import sys
import types
from pathlib import Path

import pytest

from sonnys_tui import config
from sonnys_tui.config import ConfigError, Profile


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SONNYS_TUI_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.delenv("SONNYS_PASSWORD", raising=False)
    return tmp_path / "cfg"


def test_config_path_honours_env_override(config_dir: Path) -> None:
    assert config.config_path() == config_dir / "profiles.toml"


def test_missing_file_means_no_profiles() -> None:
    assert config.load_profiles() == {}


def test_save_and_load_round_trip_with_private_mode() -> None:
    work = Profile(name="work", subdomain="acme", username="bot", timeout=12.5)
    demo = Profile(
        name="demo", subdomain="demo", username="d", base_url="http://127.0.0.1:9", use_cache=False
    )
    config.save_profile(work)
    config.save_profile(demo)
    assert config.load_profiles() == {"work": work, "demo": demo}
    mode = stat.S_IMODE(config.config_path().stat().st_mode)
    assert mode == 0o600
    # no leftover temp files from the atomic write
    assert [p.name for p in config.config_path().parent.iterdir()] == ["profiles.toml"]


def test_save_replaces_profile_of_same_name() -> None:
    config.save_profile(Profile(name="p", subdomain="a", username="u"))
    config.save_profile(Profile(name="p", subdomain="b", username="u", remember_password=True))
    loaded = config.load_profiles()
    assert list(loaded) == ["p"]
    assert loaded["p"].subdomain == "b"
    assert loaded["p"].remember_password is True


def test_delete_profile() -> None:
    config.save_profile(Profile(name="a", subdomain="a", username="u"))
    config.save_profile(Profile(name="b", subdomain="b", username="u"))
    assert config.delete_profile("a") is True
    assert config.delete_profile("a") is False
    assert list(config.load_profiles()) == ["b"]


def test_file_never_contains_a_password_field() -> None:
    config.save_profile(Profile(name="p", subdomain="a", username="u", remember_password=True))
    text = config.config_path().read_text()
    keys = [line.split("=")[0].strip() for line in text.splitlines() if "=" in line]
    assert "password" not in keys
    assert "remember_password = true" in text


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("this is = = not toml", "not valid TOML"),
        ("profiles = 3", "must be a table"),
        ('[profiles.x]\nsubdomain = "a"\n', "username"),
        ('[profiles.x]\nsubdomain = "a"\nusername = "u"\ntimeout = -1\n', "timeout"),
        ('[profiles.x]\nsubdomain = "a"\nusername = "u"\npassword = "p"\n', "unknown keys"),
        ('[profiles.x]\nsubdomain = "a"\nusername = "u"\nuse_cache = "yes"\n', "use_cache"),
    ],
)
def test_corrupt_file_raises_config_error(content: str, fragment: str) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(ConfigError, match=fragment):
        config.load_profiles()


def test_password_from_env_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONNYS_PASSWORD", "from-env")
    assert config.resolve_password(Profile(name="p", subdomain="a", username="u")) == "from-env"


def test_no_keyring_means_no_password_and_remember_is_noop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    profile = Profile(name="p", subdomain="a", username="u", remember_password=True)
    assert config.resolve_password(profile) is None
    assert config.remember_password(profile, "pw") is False
    assert config.keyring_available() is False


def test_keyring_used_only_when_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    store: dict[tuple[str, str], str] = {}
    fake = types.SimpleNamespace(
        get_password=lambda service, account: store.get((service, account)),
        set_password=lambda service, account, pw: store.__setitem__((service, account), pw),
    )
    monkeypatch.setitem(sys.modules, "keyring", fake)
    remembered = Profile(name="p", subdomain="a", username="u", remember_password=True)
    assert config.remember_password(remembered, "s3cret") is True
    assert config.resolve_password(remembered) == "s3cret"
    forgotten = Profile(name="p", subdomain="a", username="u", remember_password=False)
    assert config.resolve_password(forgotten) is None
