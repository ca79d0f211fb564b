"""Entry points that are not HTTP: CLI commands, queue consumers and scheduled jobs.

- CLI: click (``@click.command``, ``@group.command``, options and
  arguments), Typer (``@app.command`` on ``typer.Typer()``, parameters from
  the signature) and argparse (sub-parsers with ``set_defaults(func=...)``,
  or a parser with its arguments in the function that builds it).
- Queues: Celery ``@app.task`` / ``@shared_task``, Dramatiq ``@actor``, Bull
  and BullMQ ``queue.process(fn)`` / ``new Worker(name, fn)``.
- Schedules: Celery ``beat_schedule``, APScheduler ``add_job`` /
  ``@scheduled_job``, ``schedule.every(...).do(fn)``, node-cron ``cron.schedule``.
"""

from __future__ import annotations

from bastion.audit.model import EntryPoint, Param
from bastion.audit.names import const_str, render, walk_statements
from bastion.audit.project import FunctionRef, Project
from bastion.audit.routes import entry_point
from bastion.audit.sources import SourceModule
from bastion.sast import ir

_TASK_DECORATORS = {"task": "celery", "shared_task": "celery", "actor": "dramatiq", "job": "rq"}
_CLICK_PARAM = {"option": "option", "argument": "argument"}
_CLICK_TYPES = {"int": "int", "INT": "int", "float": "float", "FLOAT": "float", "bool": "bool", "BOOL": "bool", "Path": "path", "File": "file",
                "Choice": "choice", "UUID": "uuid", "DateTime": "datetime", "IntRange": "int", "FloatRange": "float", "str": None, "STRING": None}


def find(project: Project) -> list[EntryPoint]:
    out: list[EntryPoint] = []
    for source in project.modules:
        if source.python:
            out.extend(_python(project, source))
        else:
            out.extend(_javascript(project, source))
    return out



def _lookup(project: Project, source: SourceModule, expr: ir.Expr | None, functions: dict[str, ir.FunctionDef]) -> FunctionRef | None:
    if isinstance(expr, ir.Name) and expr.id in functions:
        return project.ref_of(source, functions[expr.id])
    qual = (project.scope(source).qual(expr) or "").replace("()", "") if expr is not None else ""
    return project.functions.get(qual)


# -------------------------------------------------------------------- Python


def _python(project: Project, source: SourceModule) -> list[EntryPoint]:
    scope = project.scope(source)
    roots = {q.split(".")[0] for q in scope.names.values()}
    functions = {s.name: s for s in walk_statements(source.module.body) if isinstance(s, ir.FunctionDef)}
    out = []
    typer_apps = {name for name, qual in scope.names.items() if qual == "typer.Typer()"}
    for fn in functions.values():
        for decorator in fn.decorators:
            target = decorator.func if isinstance(decorator, ir.Call) else decorator
            name = target.name if isinstance(target, ir.Attr) else target.id if isinstance(target, ir.Name) else ""
            owner = render(target.obj) if isinstance(target, ir.Attr) else ""
            if name == "command" and "click" in roots and owner not in typer_apps:
                out.append(_click(project, source, fn, decorator))
            elif name in ("command", "callback") and owner in typer_apps:
                out.append(_typer(project, source, fn, decorator))
            elif name in _TASK_DECORATORS and (roots & {"celery", "dramatiq", "rq"}) and name != "job" or name == "job" and "rq" in roots:
                arguments = fn.params[1:] if isinstance(decorator, ir.Call) and _bound(decorator) else fn.params  # bind=True: the first is the task
                params = [Param(p.name, "message", _annotation(p), p.default is None) for p in arguments if p.kind in ("normal", "kwonly")]
                task_name = const_str(decorator.keyword("name")) if isinstance(decorator, ir.Call) else None
                out.append(entry_point(project, project.ref_of(source, fn), kind="queue", framework=_TASK_DECORATORS[name],
                                       methods=(), path=task_name or f"{source.module.name}.{fn.name}", params=params))
            elif name in ("periodic_task", "scheduled_job"):
                out.append(entry_point(project, project.ref_of(source, fn), kind="schedule", framework="celery" if name == "periodic_task" else "apscheduler",
                                       methods=(), path=_schedule_text(decorator) or fn.name))
    out.extend(_argparse(project, source, functions))
    out.extend(_python_schedules(project, source, functions))
    return out


def _bound(decorator: ir.Call) -> bool:
    value = decorator.keyword("bind")
    return isinstance(value, ir.Const) and value.value is True


def _annotation(param: ir.Param) -> str | None:
    return render(param.annotation) if param.annotation is not None else None


def _click(project: Project, source: SourceModule, fn: ir.FunctionDef, decorator: ir.Expr) -> EntryPoint:
    name = (const_str(decorator.args[0]) if isinstance(decorator, ir.Call) and decorator.args else None) or fn.name.replace("_", "-")
    params = []
    for other in fn.decorators:
        if not isinstance(other, ir.Call) or not isinstance(other.func, ir.Attr) or other.func.name not in _CLICK_PARAM:
            continue
        declared = [a.value for a in other.args if isinstance(a, ir.Const) and isinstance(a.value, str)]
        if not declared:
            continue
        label = next((d for d in declared if d.startswith("--")), declared[0])
        type_expr = other.keyword("type")
        type_name = _CLICK_TYPES.get(render(type_expr.func if isinstance(type_expr, ir.Call) else type_expr).rsplit(".", 1)[-1], render(type_expr)) if type_expr is not None else None
        flag = other.keyword("is_flag")
        if isinstance(flag, ir.Const) and flag.value is True:
            type_name = "bool"
        required_expr = other.keyword("required")
        required = other.func.name == "argument" if required_expr is None else isinstance(required_expr, ir.Const) and required_expr.value is True
        params.append(Param(label, _CLICK_PARAM[other.func.name], type_name, required))
    return entry_point(project, project.ref_of(source, fn), kind="cli", framework="click", methods=(), path=name, params=params)


def _typer(project: Project, source: SourceModule, fn: ir.FunctionDef, decorator: ir.Expr) -> EntryPoint:
    name = (const_str(decorator.args[0]) if isinstance(decorator, ir.Call) and decorator.args else None) or fn.name.replace("_", "-")
    params = []
    for param in fn.params:
        default = param.default
        marker = render(default.func).rsplit(".", 1)[-1] if isinstance(default, ir.Call) else None
        is_option = marker == "Option" or (marker is None and default is not None)
        label = f"--{param.name.replace('_', '-')}" if is_option else param.name
        required = default is None or (isinstance(default, ir.Call) and default.args and isinstance(default.args[0], ir.Const) and default.args[0].value is Ellipsis)
        params.append(Param(label, "option" if is_option else "argument", _annotation(param), bool(required)))
    return entry_point(project, project.ref_of(source, fn), kind="cli", framework="typer", methods=(), path=name, params=params)


def _argparse(project: Project, source: SourceModule, functions: dict[str, ir.FunctionDef]) -> list[EntryPoint]:
    """Sub-commands (``add_parser`` + ``set_defaults(func=...)``), or the whole program when the parser has none."""
    scope = project.scope(source)
    if not any(q.startswith("argparse") for q in scope.names.values()):
        return []
    parsers: dict[str, tuple[str, list[Param], FunctionRef | None]] = {}
    owner_fn: dict[str, ir.FunctionDef | None] = {}
    blocks: list[tuple[ir.FunctionDef | None, tuple[ir.Stmt, ...]]] = [(None, source.module.body)] + [(f, f.body) for f in functions.values()]
    for fn, body in blocks:
        for stmt in body:
            value = stmt.value if isinstance(stmt, ir.Assign) else stmt.expr if isinstance(stmt, ir.ExprStmt) else None
            target = stmt.targets[0].id if isinstance(stmt, ir.Assign) and stmt.targets and isinstance(stmt.targets[0], ir.Name) else None
            if not isinstance(value, ir.Call) or not isinstance(value.func, (ir.Attr, ir.Name)):
                continue
            method = value.func.name if isinstance(value.func, ir.Attr) else value.func.id
            receiver = render(value.func.obj) if isinstance(value.func, ir.Attr) else ""
            if method == "ArgumentParser" and target:
                parsers[target] = (const_str(value.keyword("prog")) or source.path.rsplit("/", 1)[-1].rsplit(".", 1)[0], [], None)
                owner_fn[target] = fn
            elif method == "add_parser" and target and value.args:
                parsers[target] = (const_str(value.args[0]) or target, [], None)
                owner_fn[target] = fn
            elif method == "add_argument" and receiver in parsers and value.args:
                parsers[receiver][1].append(_argparse_param(value))
            elif method == "set_defaults" and receiver in parsers:
                handler = _lookup(project, source, value.keyword("func") or value.keyword("handler"), functions)
                name, params, _ = parsers[receiver]
                parsers[receiver] = (name, params, handler)
    out = []
    with_handlers = {k: v for k, v in parsers.items() if v[2] is not None}
    chosen = with_handlers or {k: v for k, v in parsers.items() if owner_fn.get(k) is not None and v[1]}
    for key, (name, params, handler) in chosen.items():
        ref = handler or project.ref_of(source, owner_fn[key])  # type: ignore[arg-type]
        out.append(entry_point(project, ref, kind="cli", framework="argparse", methods=(), path=name, params=params))
    return out


def _argparse_param(call: ir.Call) -> Param:
    names = [a.value for a in call.args if isinstance(a, ir.Const) and isinstance(a.value, str)]
    label = next((n for n in names if n.startswith("--")), names[0] if names else "?")
    positional = not label.startswith("-")
    type_expr = call.keyword("type")
    action = const_str(call.keyword("action"))
    type_name = render(type_expr) if type_expr is not None else ("bool" if action in ("store_true", "store_false") else None)
    required_expr = call.keyword("required")
    required = positional and const_str(call.keyword("nargs")) not in ("?", "*") or isinstance(required_expr, ir.Const) and required_expr.value is True
    return Param(label, "argument" if positional else "option", type_name, bool(required))


def _schedule_text(decorator: ir.Expr) -> str | None:
    if isinstance(decorator, ir.Call) and decorator.args:
        parts = [render(a) if not isinstance(a, ir.Const) else str(a.value) for a in decorator.args]
        parts += [f"{kw.name}={render(kw.value) if not isinstance(kw.value, ir.Const) else kw.value.value}" for kw in decorator.keywords if kw.name]
        return " ".join(parts)
    return None


def _python_schedules(project: Project, source: SourceModule, functions: dict[str, ir.FunctionDef]) -> list[EntryPoint]:
    out = []
    for stmt in walk_statements(source.module.body):
        value = stmt.value if isinstance(stmt, ir.Assign) else stmt.expr if isinstance(stmt, ir.ExprStmt) else None
        if isinstance(stmt, ir.Assign) and stmt.targets and render(stmt.targets[0]).endswith("beat_schedule") and isinstance(value, ir.Dict):
            out.extend(_beat(project, value))
            continue
        if not isinstance(value, ir.Call) or not isinstance(value.func, ir.Attr):
            continue
        if value.func.name == "add_job" and value.args:  # APScheduler
            ref = _lookup(project, source, value.args[0], functions)
            trigger = " ".join(str(a.value) for a in value.args[1:] if isinstance(a, ir.Const)) or "job"
            if ref is not None:
                out.append(entry_point(project, ref, kind="schedule", framework="apscheduler", methods=(), path=f"{trigger} {ref.node.name}"))
        elif value.func.name == "do" and value.args and render(value.func.obj).startswith("schedule.every"):  # schedule.every(10).minutes.do(job)
            ref = _lookup(project, source, value.args[0], functions)
            if ref is not None:
                out.append(entry_point(project, ref, kind="schedule", framework="schedule", methods=(), path=_every_text(value.func.obj)))
    return out


def _every_text(expr: ir.Expr) -> str:
    parts = []
    node = expr
    while isinstance(node, (ir.Attr, ir.Call)):
        if isinstance(node, ir.Call):
            parts.extend(str(a.value) for a in reversed(node.args) if isinstance(a, ir.Const))
            node = node.func
        else:
            parts.append(node.name)
            node = node.obj
    return " ".join(reversed(parts))


def _beat(project: Project, schedule: ir.Dict) -> list[EntryPoint]:
    """``beat_schedule = {"name": {"task": "app.tasks.cleanup", "schedule": ...}}``: the task, run on a timer."""
    out = []
    for key, value in zip(schedule.keys, schedule.values):
        if not isinstance(value, ir.Dict):
            continue
        task = next((const_str(v) for k, v in zip(value.keys, value.values) if const_str(k) == "task"), None)
        ref = project.functions.get(task or "")
        if ref is None and task:
            ref = next((r for q, r in project.functions.items() if q.endswith("." + task.rsplit(".", 1)[-1]) and r.source.python), None)
        if ref is not None:
            out.append(entry_point(project, ref, kind="schedule", framework="celery", methods=(), path=const_str(key) or task or ref.node.name))
    return out


# ---------------------------------------------------------------- JavaScript


def _javascript(project: Project, source: SourceModule) -> list[EntryPoint]:
    scope = project.scope(source)
    functions = {s.name: s for s in walk_statements(source.module.body) if isinstance(s, ir.FunctionDef)}
    out = []
    for stmt in walk_statements(source.module.body):
        value = stmt.value if isinstance(stmt, ir.Assign) else stmt.expr if isinstance(stmt, ir.ExprStmt) else None
        if not isinstance(value, ir.Call):
            continue
        qual = scope.qual(value.func) or ""
        if qual in ("node-cron.schedule", "cron.schedule") and len(value.args) >= 2:
            ref = _lookup(project, source, value.args[1], functions)
            if ref is not None:
                out.append(entry_point(project, ref, kind="schedule", framework="node-cron", methods=(), path=const_str(value.args[0]) or "cron"))
        elif qual in ("bullmq.Worker", "cron.CronJob") and len(value.args) >= 2:
            ref = _lookup(project, source, value.args[1], functions)
            if ref is not None:
                kind = "queue" if qual == "bullmq.Worker" else "schedule"
                out.append(entry_point(project, ref, kind=kind, framework=qual.split(".")[0], methods=(), path=const_str(value.args[0]) or "job",
                                       params=[Param("job.data", "message")] if kind == "queue" else []))
        elif isinstance(value.func, ir.Attr) and value.func.name == "process" and value.args and _is_bull_queue(scope, value.func.obj):
            ref = _lookup(project, source, value.args[-1], functions)
            name = const_str(value.args[0]) if len(value.args) > 1 else None
            if ref is not None:
                out.append(entry_point(project, ref, kind="queue", framework="bull", methods=(), path=name or render(value.func.obj),
                                       params=[Param("job.data", "message")]))
    return out


def _is_bull_queue(scope, expr: ir.Expr) -> bool:
    qual = scope.qual(expr) or ""
    return qual.startswith(("bull()", "bull.Queue()", "bullmq.Queue()")) or qual in ("bull()",)
