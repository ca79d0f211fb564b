"""Protections switched off in code: helmet's headers, Electron's renderer isolation, express-jwt's secret."""

from __future__ import annotations

from typing import Any

from bastion.sast.javascript.checks import get, has_spread, is_false, is_true, on, options
from bastion.sast.javascript.checks.web import _literal_secret
from bastion.sast.taint import Analyzer, CallEvent

#: helmet's protections that matter most when switched off, and what each one sends.
_HELMET_PROTECTIONS = {
    "contentSecurityPolicy": "Content-Security-Policy", "frameguard": "X-Frame-Options", "hsts": "Strict-Transport-Security",
    "strictTransportSecurity": "Strict-Transport-Security", "noSniff": "X-Content-Type-Options",
    "xContentTypeOptions": "X-Content-Type-Options", "xFrameOptions": "X-Frame-Options",
}
#: Electron webPreferences that make an XSS in the window a code execution on the user's machine.
_ELECTRON_UNSAFE = (("nodeIntegration", True), ("nodeIntegrationInWorker", True), ("nodeIntegrationInSubFrames", True),
                    ("contextIsolation", False), ("webSecurity", False), ("sandbox", False),
                    ("allowRunningInsecureContent", True), ("experimentalFeatures", True))


@on("call:helmet")
def helmet_switched_off(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is None:
        return
    off = sorted({header for key, header in _HELMET_PROTECTIONS.items() if is_false(get(opts, key))})
    if off:
        analyzer.report("security-middleware-missing", event.node.span, f"helmet() with {', '.join(off)} switched off")


@on("call:electron.BrowserWindow", "call:electron.BrowserView", "call:electron.WebContentsView")
def electron_preferences(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    prefs = options(hooks, get(opts, "webPreferences")) if opts is not None else None
    if prefs is None or has_spread(prefs):
        return
    unsafe = [f"{key}: {str(value).lower()}" for key, value in _ELECTRON_UNSAFE
              if (is_true(get(prefs, key)) if value else is_false(get(prefs, key)))]
    if unsafe:
        analyzer.report("electron-insecure-preferences", event.node.span, f"window created with {', '.join(unsafe)}")


@on("call:express-jwt", "call:express-jwt.expressjwt", "call:express-jwt.expressJwt")
def express_jwt_secret(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if opts is not None and _literal_secret(get(opts, "secret")):
        analyzer.report("hardcoded-framework-secret", event.node.span, "express-jwt secret written in the source")
