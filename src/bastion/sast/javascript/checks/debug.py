"""Development modes left on in code that runs in production: Express's development environment, the
errorhandler middleware, Electron's developer tools."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, on
from bastion.sast.javascript.semantics import in_test_file
from bastion.sast.taint import Analyzer, CallEvent, Value

#: Words of a file that decides by environment (``if (process.env.NODE_ENV === 'development')``,
#: ``if (!app.isPackaged)``): a development tool there is switched on for development only.
_ENVIRONMENT_CHECKS = ("NODE_ENV", "get('env')", 'get("env")', "isPackaged", "isDev", "IS_DEV", "electron-is-dev", "DEBUG")
_DEVELOPMENT_FILES = ("dev.", "development.", "local.", "debug.", "webpack", "vite.config", "/scripts/", "/dev/")


def _development_only(hooks: Any) -> bool:
    path = str(getattr(hooks.file, "path", "")).lower()
    return in_test_file(path) or any(word in path for word in _DEVELOPMENT_FILES) or any(word in hooks.file.text for word in _ENVIRONMENT_CHECKS)


@on("method:set")
def express_env(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``app.set('env', 'development')``: Express's default error handler then sends stack traces to clients."""
    if not (event.qual or "").startswith("express()") or len(event.node.args) != 2:
        return
    if const(event.node.args[0]) == "env" and const(event.node.args[1]) == "development" and not in_test_file(str(hooks.file.path)):
        analyzer.report("debug-mode-enabled", event.node.span, "Express forced into its development environment")


@on("store")
def node_env(hooks: Any, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    """``process.env.NODE_ENV = 'development'`` in application code switches every library to its debug behaviour."""
    if isinstance(target, ir.Attr) and target.name == "NODE_ENV" and base.qual == "process.env" and value.const == "development":
        path = str(getattr(hooks.file, "path", "")).lower()
        if not in_test_file(path) and not any(word in path for word in _DEVELOPMENT_FILES):
            analyzer.report("debug-mode-enabled", span, "NODE_ENV set to 'development' in code")


@on("call:errorhandler")
def error_handler(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """The errorhandler middleware sends stack traces and error objects to the client; it is for development only."""
    if not _development_only(hooks):
        analyzer.report("debug-mode-enabled", event.node.span, "errorhandler() is used without checking the environment")


@on("method:openDevTools")
def electron_devtools(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``win.webContents.openDevTools()`` in a packaged app hands every user a console into the app's process."""
    if "electron" in analyzer.imports and not _development_only(hooks):
        analyzer.report("debug-mode-enabled", event.node.span, "Electron developer tools opened without checking the environment")
