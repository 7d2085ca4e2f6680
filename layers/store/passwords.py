"""Database passwords: in the system keyring when there is one, otherwise nowhere.

A password is never written into a project URL, the recent-projects list or any
settings file. When the ``keyring`` package finds a real backend (GNOME Keyring,
KWallet, macOS Keychain, Windows Credential Locker) the planner may keep it there;
on a machine without one (a headless server) the password is asked for each time.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

#: The keyring's service name for every database password of the app.
SERVICE = "facility-mapper"


def without_password(url: str) -> str:
    """Return a libpq URL with any password taken out of it.

    Parameters
    ----------
    url : str
        ``postgresql://user:secret@host/db?…``.

    Returns
    -------
    str
        ``postgresql://user@host/db?…``; ``password=`` query parameters are dropped too.
    """
    from urllib.parse import parse_qsl, urlencode

    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = userinfo.split(":", 1)[0] + "@" + host
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k != "password"]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="/")))


def password_in(url: str) -> str | None:
    """Return the password written into a URL, if somebody typed one there.

    Parameters
    ----------
    url : str
        A libpq URL.

    Returns
    -------
    str or None
        The password, or None.
    """
    from urllib.parse import parse_qsl, unquote

    parts = urlsplit(url)
    if parts.password:
        return unquote(parts.password)
    return next((v for k, v in parse_qsl(parts.query) if k == "password"), None)


def _account(url: str) -> str:
    """Return the keyring's user name for a database: the URL without password, schema."""
    from layers.store.postgis import split_url

    return without_password(split_url(url)[0])


def keyring_usable() -> bool:
    """Tell whether a system keyring can keep passwords safely.

    Returns
    -------
    bool
        False without the ``keyring`` package, or when it finds only its fail or
        plain-file backends.
    """
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration: treat as none
        return False
    if isinstance(backend, fail.Keyring):
        return False
    # plain-text and null backends from keyrings.alt are not a safe place
    name = f"{type(backend).__module__}.{type(backend).__name__}".lower()
    return not any(word in name for word in ("plaintext", "null", "fail"))


def stored_password(url: str) -> str | None:
    """Return the password kept in the system keyring for a database.

    Parameters
    ----------
    url : str
        The project URL.

    Returns
    -------
    str or None
        None when there is no keyring or nothing kept.
    """
    if not keyring_usable():
        return None
    import keyring

    try:
        return keyring.get_password(SERVICE, _account(url))
    except Exception:  # a locked or failing keyring is no password
        return None


def remember_password(url: str, password: str) -> bool:
    """Keep a database password in the system keyring.

    Parameters
    ----------
    url : str
        The project URL.
    password : str
        The password.

    Returns
    -------
    bool
        True when kept; False without a usable keyring (then nothing is stored).
    """
    if not keyring_usable():
        return False
    import keyring

    try:
        keyring.set_password(SERVICE, _account(url), password)
    except Exception:  # refused by the keyring: nothing stored
        return False
    return True


def forget_password(url: str) -> None:
    """Remove a database password from the system keyring, if it is there.

    Parameters
    ----------
    url : str
        The project URL.
    """
    if not keyring_usable():
        return
    import keyring

    try:
        keyring.delete_password(SERVICE, _account(url))
    except Exception:  # nothing kept, or a locked keyring
        return
