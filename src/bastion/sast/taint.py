"""Language-neutral taint analysis over :mod:`bastion.sast.ir`.

An abstract interpreter walks each function once per round, statement by
statement (flow-sensitive), keeping for every variable a :class:`Value`: its
constant if known, the qualified name it denotes (``subprocess.run``,
``flask.Flask()`` for an instance), and the taint :class:`Label` set with the
trace each label travelled. Branches whose test is a constant are skipped;
paths that end (return, raise, a no-return call such as ``abort``) do not
flow on, which is what makes guards work: after ``if not ok(x): abort()``
only the refined, cleaned ``x`` survives.

Inter-procedural: every function gets a :class:`Summary` (parameter ->
return, parameter -> sink, constant return value), computed over all
functions of the module until a fixed point (bounded rounds, so recursion
terminates). Callers apply summaries instead of re-walking callees.

Language specifics (framework entry points, name-based sources, extra
checks) plug in through :class:`Hooks`; library knowledge comes from
:mod:`bastion.sast.models`. Checks subscribe to events (calls, comparisons,
stores, returns, assignments, functions) emitted during the single final walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Iterable, NamedTuple

from bastion.sast import containers, guards, ir, regex
from bastion.sast.language_facts import LanguageFacts
from bastion.sast.models import DEFAULT_SOURCES, GuardSpec, Models, SanitizerSpec, SinkSpec
from bastion.sast.project_facts import ProjectFacts


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
MAX_LABELS = 6
MAX_TRACE = 10
MAX_FLOW_TRACE = 16  # a flow through callees, possibly across files: caller's steps, then callee's
MAX_CONST = 20000
MAX_ITEMS = 32  # entries of a container display tracked apart (``{'a': x, 'b': y}``, ``['sh', '-c', cmd]``)
MAX_OUTSIDE_CALLS = 4000  # per file: the names a module summary lists as called (clears unknown callers elsewhere)
ALL = frozenset({"*"})
_CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}


@dataclass(slots=True, unsafe_hash=True)
class Step:
    span: ir.Span
    note: str
    path: str | None = None  # the file of the step when it lies in another module (a callee's steps)


@dataclass(slots=True, unsafe_hash=True)
class Label:
    """One piece of untrusted (or otherwise interesting) data and the way it came."""

    kind: str  # "remote", "local", "exception", "secret", ... or "param" while summarizing
    origin: str
    trace: tuple[Step, ...]
    cleared: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    param: int = -1

    def clears(self, rule: str) -> bool:
        return "*" in self.cleared or rule in self.cleared

    def step(self, span: ir.Span, note: str) -> "Label":
        if self.trace and self.trace[-1].span == span:
            return self
        trace = self.trace + (Step(span, note),)
        if len(trace) > MAX_TRACE:
            trace = trace[:3] + trace[-(MAX_TRACE - 3) :]
        return Label(self.kind, self.origin, trace, self.cleared, self.flags, self.param)

    def sort_key(self) -> tuple:
        """A total order (the kind, then the shortest trace, then the earliest steps): which of several labels a
        sink reports, or a cap keeps, must not depend on a set's iteration order (it varies with the hash seed)."""
        return (self.kind, len(self.trace), [_step_key(s) for s in self.trace], sorted(self.cleared), self.origin,
                sorted(self.flags), self.param)


def _step_key(step: Step) -> tuple:
    """A step's start and note, then its end and file: two steps at the same start differ by their end (``token``
    and ``token.value`` both hold a secret), the narrower first."""
    span = step.span
    return (span.line, span.column, step.note, span.end_line, span.end_column, step.path or "")


def _cap(labels: Iterable[Label]) -> frozenset[Label]:
    labels = frozenset(labels)
    if len(labels) <= MAX_LABELS:
        return labels
    return frozenset(sorted(labels, key=Label.sort_key)[:MAX_LABELS])


@dataclass(slots=True, unsafe_hash=True)
class Value:
    """What the analysis knows about a value."""

    const: Any = UNKNOWN
    qual: str | None = None
    labels: frozenset[Label] = frozenset()
    built: bool = False  # a string assembled from non-constant parts
    cleared: frozenset[str] = frozenset()  # rules for which the value is known harmless
    items: "tuple[tuple[Any, Value], ...] | None" = None  # a container's entries by constant key or index, when known

    def item(self, key: Any) -> "Value | None":
        """The entry at a constant key or index (``m['a']``, ``argv[2]``), None when not tracked."""
        if self.items is not None:
            for known, value in self.items:
                if type(known) is type(key) and known == key:
                    return value
        return None

    @property
    def is_const(self) -> bool:
        return self.const is not UNKNOWN

    def clears(self, rule: str) -> bool:
        return self.is_const or "*" in self.cleared or rule in self.cleared

    def real_labels(self) -> list[Label]:
        return sorted((l for l in self.labels if l.kind != "param"), key=Label.sort_key)


CLEAN = Value()


def join(a: Value, b: Value) -> Value:
    if a is b or a == b:
        return a
    same_const = a.is_const and b.is_const and type(a.const) is type(b.const) and a.const == b.const
    return Value(
        a.const if same_const else UNKNOWN,
        a.qual if a.qual == b.qual else None,
        _cap(a.labels | b.labels),
        a.built or b.built,
        _cleared_of((a, b)),
        _join_items(a.items, b.items),
    )


def _join_items(a: "tuple[tuple[Any, Value], ...] | None", b: "tuple[tuple[Any, Value], ...] | None") -> "tuple[tuple[Any, Value], ...] | None":
    """Entries of two containers met at a join: entry by entry when both hold the same keys, else not tracked."""
    if a is None or b is None:
        return None
    if a is b or a == b:
        return a
    if len(a) != len(b) or any(ka != kb or type(ka) is not type(kb) for (ka, _), (kb, _) in zip(a, b)):
        return None
    return tuple((ka, join(va, vb)) for (ka, va), (_, vb) in zip(a, b))


def _cleared_of(values: Iterable[Value]) -> frozenset[str]:
    """Rules for which every part is harmless: constants count as harmless for all."""
    result: frozenset[str] | None = None
    for v in values:
        c = ALL if v.is_const else v.cleared
        if "*" in c:
            continue
        result = c if result is None else result & c
    return ALL if result is None else result


def union(values: Iterable[Value]) -> frozenset[Label]:
    out: set[Label] = set()
    for v in values:
        out |= v.labels
    return _cap(out)


Env = dict[str, Value]


def join_env(a: Env | None, b: Env | None) -> Env | None:
    if a is None:
        return b
    if b is None or a is b:
        return a
    out: Env = dict(a)
    for key, vb in b.items():
        va = out.get(key)
        if va is None:
            out[key] = vb
        elif va is not vb:
            out[key] = join(va, vb)
    return out


# ------------------------------------------------------------------ results


class HitStep(NamedTuple):
    """One step of a hit's trace; ``path`` is None for the analysed file."""

    span: ir.Span
    note: str
    kind: str  # "source", "step" or "sink"
    path: str | None = None


def doubled_note(char: str) -> str:
    """The trace note of a value in which every ``char`` was doubled (``name.replace("'", "''")``)."""
    return f"every {char} doubled"


@dataclass
class Hit:
    """A finding in language-neutral form; the engine turns it into a :class:`~bastion.core.model.Finding`."""

    rule: str
    span: ir.Span
    message: str
    confidence: str | None = None  # None: the rule's default
    trace: tuple[HitStep, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    path: str | None = None  # the hit's file when it is another module's (a sink a flow of this file reaches)
    snippet: str | None = None  # that file's line, as its own analysis exported it


@dataclass(slots=True, unsafe_hash=True)
class SummarySink:
    """A sink parameter ``param`` reaches: in the analysed file, or in ``path`` (another module's file)."""

    param: int
    rule: str
    span: ir.Span
    note: str
    cleared: frozenset[str]
    sources: tuple[str, ...]
    path: str | None = None
    #: The steps from the parameter to the sink (each with its file when another module's), and the sink's line:
    #: what a caller's finding at the sink shows. Not part of the sink's identity: the first walk's trace is kept.
    trace: tuple[Step, ...] = field(default=(), compare=False)
    snippet: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        """A total order over the fields that make a sink's identity (the trace is not one of them)."""
        span = self.span
        return (self.param, self.rule, span.line, span.column, self.note, sorted(self.cleared), self.path or "",
                span.end_line, span.end_column, self.sources)


@dataclass(slots=True, unsafe_hash=True)
class SummaryCallback:
    """Parameter ``param`` is called with data of ``labels`` as argument ``arg`` (``handler(request.args["q"])``):
    a function a caller passes there receives that data."""

    param: int
    arg: int
    labels: frozenset[Label]

    def sort_key(self) -> tuple:
        return (self.param, self.arg, sorted(l.sort_key() for l in self.labels))


@dataclass(frozen=True)
class Summary:
    """What a function does with its parameters, independent of its callers."""

    returns: frozenset[tuple[int, frozenset[str], frozenset[str]]] = frozenset()  # (param, cleared, flags)
    sinks: tuple[SummarySink, ...] = ()
    value: Value = CLEAN  # the return value's parameter-independent part
    callbacks: tuple[SummaryCallback, ...] = ()  # parameters it calls with data of its own


@dataclass
class FunctionInfo:
    qual: str
    node: ir.FunctionDef
    cls: str | None
    scope: Env | None
    decorators: list[Value]
    summary: Summary = field(default_factory=Summary)
    origin: str | None = None  # another module's path: known only by its summary (cross-module post-pass)
    parent: "FunctionInfo | None" = None  # the function this one is nested in (a closure sees its parameters)
    getter: bool = False  # read as an attribute (a property): ``obj.name`` calls it with ``obj``

    @classmethod
    def external(cls, qual: str, params: list[tuple[str, str]], summary: "Summary", origin: str,
                 owner: str | None = None, getter: bool = False) -> "FunctionInfo":
        """A function (a method of class ``owner``) of another module of the project, described by its exported summary."""
        node = ir.FunctionDef(qual.rsplit(".", 1)[-1], tuple(ir.Param(name, kind=kind) for name, kind in params), ())
        return cls(qual, node, owner, None, [], summary, origin, getter=getter)

    @property
    def name(self) -> str:
        return self.node.name


@dataclass
class CallEvent:
    node: ir.Call
    qual: str | None
    method: str | None
    receiver: Value | None
    args: list[Value]
    kwargs: dict[str, Value]
    result: Value = CLEAN
    splats: list[Value] = field(default_factory=list)  # ``**mapping`` arguments
    key: Value | None = None  # ``table[name]()``: what picked the function called (the index), else None

    def arg(self, index: int, keyword: str | None = None) -> Value | None:
        if keyword is not None and keyword in self.kwargs:
            return self.kwargs[keyword]
        return self.args[index] if 0 <= index < len(self.args) else None


@dataclass
class StoreEvent:
    """``obj.name = value`` or ``obj[key] = value``, with what each part holds.

    ``key`` is the attribute name as a constant or the evaluated index (prototype
    pollution is about the key), ``outer_key`` the index one level up for
    ``obj[a][b] = v``, and ``expr`` the stored expression when the statement has
    one (an object literal stored is not a string).
    """

    target: ir.Expr
    base: Value
    key: Value
    value: Value
    span: ir.Span
    expr: ir.Expr | None = None
    outer_key: Value | None = None


class Hooks:
    """Language-specific extension points; the defaults do nothing.

    ``facts`` are the language's rules for constructs the core interprets itself (imports, path and text
    operators, truthiness, names of constants): :class:`~bastion.sast.language_facts.LanguageFacts`.
    """

    # Class-level, set by each language's subclass: ClassVar so that compiled code reads the subclass's value
    # (mypyc makes an annotated class attribute an instance slot holding the base's default).
    facts: ClassVar[LanguageFacts] = LanguageFacts()

    def resolve_import(self, module: str, level: int, current: str) -> str:
        return module

    def unbound_name(self, name: str) -> Value:
        return Value(qual=name)

    def canonical(self, qual: str) -> str:
        """The one name several spellings of the same object share (``flask.request`` -> a request type)."""
        return qual

    def read_name(self, analyzer: "Analyzer", name: str, value: Value, span: ir.Span) -> Value:
        return value

    def entry_seeds(self, analyzer: "Analyzer", fn: FunctionInfo) -> dict[str, Value] | None:
        return None

    def method_binding(self, fn: FunctionInfo) -> str:
        """How a method of a class receives its first parameter: "instance", "class" or "static"."""
        return "instance"

    def getter(self, node: ir.FunctionDef) -> bool:
        """Whether a method is read as an attribute (Python's ``@property``, a JavaScript ``get`` accessor)."""
        return False

    def type_checked(self, test: ir.Call, qual: str | None) -> ir.Expr | None:
        """The expression a true ``test`` (a call of ``qual``) proves to be a plain number or boolean (``isinstance(x, int)``)."""
        return None

    def vouching(self, fn: "FunctionInfo", test: ir.Call) -> tuple[ir.Expr, frozenset[str]] | None:
        """A project function ``fn`` whose true answer vouches for an argument (a URL allow-list check such as
        ``isUrlAllowed(url)``, whatever its body's length): that argument and the rules it clears; None otherwise."""
        return None

    def fold_call(self, qual: str, consts: list[Any]) -> Any:
        """The constant result of calling the language's function ``qual`` on constants (``len("abc")``), else UNKNOWN."""
        return UNKNOWN

    #: The type of a template string literal, when the language has one (Python's t-strings).
    template_type: ClassVar[str | None] = None

    def text_method(self, method: str) -> str | None:
        """What a method does with text: "built" (its result is text assembled from the receiver and the
        arguments), "join" (the receiver joins the items of argument 0: Python's ``sep.join``), else None."""
        return None

    def fold_method(self, method: str, receiver: Any, consts: list[Any]) -> Any:
        """The constant result of ``receiver.method(*consts)`` on constants, by the language's rules, else UNKNOWN."""
        return UNKNOWN

    def format_operator(self, op: str, template: Value, args: Value) -> Value | None:
        """``template op args`` where the template is text, when the operator formats text (Python's ``%``)."""
        return None

    def text_conversion(self, qual: str | None) -> bool:
        """Whether ``qual`` turns its argument into text (``str``): harmless parts stay harmless, built text stays built."""
        return False

    def unknown_callers(self, analyzer: "Analyzer", fn: FunctionInfo) -> bool:
        """Whether the parameters of ``fn``, when nothing in the file calls it, are input of unknown origin.

        A language says no for code whose callers are known to be harmless (its tests).
        """
        return True

    def on_call(self, analyzer: "Analyzer", event: CallEvent) -> None: ...

    def on_compare(self, analyzer: "Analyzer", node: ir.Compare, values: list[Value]) -> None: ...

    def on_store(self, analyzer: "Analyzer", event: StoreEvent) -> None: ...

    def on_assign(self, analyzer: "Analyzer", name: str, value: Value, span: ir.Span) -> None: ...

    def on_return(self, analyzer: "Analyzer", value: Value, span: ir.Span, expr: ir.Expr | None = None) -> None: ...

    def on_finish(self, analyzer: "Analyzer") -> None: ...

    def on_function(self, analyzer: "Analyzer", fn: FunctionInfo) -> None: ...

    def on_handler(self, analyzer: "Analyzer", handler: ir.Handler) -> None: ...

    def on_import(self, analyzer: "Analyzer", module: str, span: ir.Span) -> None: ...


class DispatchHooks(Hooks):
    """Hooks that hand each event to the check functions registered under its kind (``"compare"``, ``"store"``...).

    ``events`` maps a kind to handlers called as ``handler(hooks, analyzer, *event)``;
    a language's hooks set it on the instance and add the events only it has.
    """

    events: Mapping[str, Sequence[Callable[..., None]]] = {}

    def _dispatch(self, kind: str, analyzer: "Analyzer", *args: Any) -> None:
        for handler in self.events.get(kind, ()):
            handler(self, analyzer, *args)

    def on_compare(self, analyzer: "Analyzer", node: ir.Compare, values: list[Value]) -> None:
        self._dispatch("compare", analyzer, node, values)

    def on_store(self, analyzer: "Analyzer", event: StoreEvent) -> None:
        """Handlers of ``"store"`` take the short form (target, base, value, span), ``"stored"`` the whole event."""
        self._dispatch("store", analyzer, event.target, event.base, event.value, event.span)
        self._dispatch("stored", analyzer, event)

    def on_assign(self, analyzer: "Analyzer", name: str, value: Value, span: ir.Span) -> None:
        self._dispatch("assign", analyzer, name, value, span)

    def on_function(self, analyzer: "Analyzer", fn: FunctionInfo) -> None:
        self._dispatch("function", analyzer, fn)


#: The source kind of an uncalled function's parameters; the models' ``[[trust]]`` entry of this kind says at which sinks they are reported, with what confidence.
UNKNOWN_ORIGIN = "unknown"
#: Hit data naming a low-trust source kind (the environment, a file): the noise policy caps such findings.
SOURCE_TRUST = "source-trust"
_TRUST_ORDER = {None: 0, "high": 1, "medium": 2, "low": 3}
#: The flag the models' path joins add (``os.path.join``, ``path.join``, ``Path / name``) to the parts joined onto
#: the base (the receiver, else the first argument): like text built around it, such a parameter is "joined".
JOINED = "joined"
#: The flag of data that reached an unknown call's result only inside an object or array argument (an options bag:
#: ``api.getConfigs({user: req.user, path: req.path})``): the result is the API's own data, not that text.
IN_ARGUMENT_OBJECT = "in-argument-object"
#: What a URL proven to have no host (``not urlparse(u).netloc``) cannot do: send the browser to another site.
RELATIVE_URL_CLEARS = frozenset({"open-redirect"})
PATH_CLEARS = frozenset({"path-traversal"})


@dataclass(frozen=True)
class _ParamSink:
    """A parameter of ``fn`` reaches ``sink`` (through ``via``, a callee and the call, when the sink is in a callee)."""

    fn: FunctionInfo
    sink: SummarySink
    label: Label
    via: tuple[FunctionInfo, ir.Span] | None


@dataclass
class _Frame:
    fn: FunctionInfo | None
    summarizing: bool
    returns: list[Value] = field(default_factory=list)
    sinks: set[SummarySink] = field(default_factory=set)
    callbacks: set[SummaryCallback] = field(default_factory=set)
    handler_depth: int = 0
    origins: dict[str, ir.Call | None] = field(default_factory=dict)  # name -> the call it was last assigned from


class Analyzer:
    """Analyse one lowered module: summaries to a fixed point, then one reporting walk."""

    def __init__(
        self,
        module: ir.Module,
        models: Models,
        hooks: Hooks | None = None,
        max_rounds: int = 4,
        external: Mapping[str, FunctionInfo] | None = None,
        project: ProjectFacts | None = None,
    ):
        self.module = module
        # A Mapping, not a dict: the project pass gives a dict subclass that builds entries on demand (its own
        # ``get`` and ``__bool__``), which compiled code calls only through the generic protocol.
        self.external: Mapping[str, FunctionInfo] = external or {}
        self.project = project or ProjectFacts()  # other modules' objects and class bases
        self.models = models
        self.hooks = hooks or Hooks()
        self.max_rounds = max_rounds
        self.functions: dict[str, FunctionInfo] = {}
        self.classes: dict[str, list[str]] = {}  # class qual -> base quals
        self.class_attrs: dict[str, Env] = {}
        self.fields: dict[str, Env] = {}  # instance attributes assigned anywhere (real labels only)
        self.globals: Env = {}
        self.hits: list[Hit] = []
        self.events = False
        self.frame = _Frame(None, False)
        self._module_frame = self.frame
        self.scope_qual = module.name
        self._noreturn = False
        self.imports: set[str] = set()
        self._summarized: set[str] = set()
        # Dispatch by node type, built once per analyzer (a dict lookup instead of getattr per node).
        self._exec_table = {cls: getattr(self, "x_" + cls.__name__) for cls in _STMT_TYPES}
        self._eval_table = {cls: getattr(self, "e_" + cls.__name__) for cls in _EXPR_TYPES}
        self._declaring = False
        self._inlining = 0  # one-line predicates being read through (``_predicate``)
        self._dotted = False  # whether any attribute path was ever stored (skips a scan per assignment)
        self._active: set[str] = set()
        self._recursive: set[str] = set()
        self.called: set[str] = set()  # functions some code of this file calls
        self.unsettled: list[str] = []  # recursive functions whose summary max-rounds did not settle
        self.outside_calls: set[str] = set()  # names called that this file does not define (``pkg.mod.Cls.method``)
        self._entries: set[str] = set()  # functions a framework calls (their parameters are seeded)
        self._param_sinks: list[_ParamSink] = []  # sinks a parameter reaches, by function: unknown origin if uncalled
        self._sink_joined: dict[tuple[str, ir.Span, str | None], bool] = {}  # (rule, sink, file) -> a parameter reaches it joined
        self._callback_depth = 0  # callbacks run by callbacks (bounded)
        self._getters: set[str] = set()  # names of this file's methods read as attributes (properties)

    # ----------------------------------------------------------------- driver

    def run(self) -> list[Hit]:
        # A module-level if/try joins its branches into a new environment: the globals are the block's last one
        # (names imported after ``try: import x / except ImportError:`` are still the module's).
        self._declaring = True  # module globals are incomplete: no summaries yet
        self.globals = self._module_globals()
        self._declaring = False
        self.events = True
        self.globals = self._module_globals()
        while True:  # nested functions appear while their parents are walked
            pending = [fn for q, fn in self.functions.items() if q not in self._summarized]
            if not pending:
                break
            for fn in pending:
                self._complete(fn)
        self._report_unknown_callers()
        self.hooks.on_finish(self)
        return _dedupe(self.hits)

    def _module_globals(self) -> Env:
        env: Env = {}
        return self.exec_block(self.module.body, env) or env

    def _complete(self, fn: FunctionInfo) -> None:
        """Walk ``fn`` once, reporting and summarizing together, callees first (on demand).

        A function met again while it is being walked is recursive: its
        walk repeats until the summary stops changing (bounded rounds).
        """
        if fn.qual in self._summarized:
            return
        if fn.qual in self._active:
            self._recursive.add(fn.qual)
            return
        self._active.add(fn.qual)
        self.hooks.on_function(self, fn)
        seeds = self.hooks.entry_seeds(self, fn)
        if seeds is not None:
            self._entries.add(fn.qual)
        try:
            for _ in range(self.max_rounds):
                summary = self._summarize(fn, seeds)
                changed = summary != fn.summary
                fn.summary = summary
                if not changed or fn.qual not in self._recursive:
                    break
            else:
                self.unsettled.append(fn.name)  # the budget stopped a recursion before its summary was stable
        finally:
            self._active.discard(fn.qual)
        self._summarized.add(fn.qual)

    def summaries(self) -> dict[str, Summary]:
        return {q: fn.summary for q, fn in sorted(self.functions.items())}

    def _summarize(self, fn: FunctionInfo, seeds: dict[str, Value] | None) -> Summary:
        frame = self._run_function(fn, seeds)
        returns: set[tuple[int, frozenset[str], frozenset[str]]] = set()
        value: Value | None = None
        for v in frame.returns:
            for label in v.labels:
                if label.kind == "param":
                    returns.add((label.param, label.cleared, label.flags))
            rest = replace(v, labels=frozenset(l for l in v.labels if l.kind != "param"))
            value = rest if value is None else join(value, rest)
        sinks = tuple(sorted(frame.sinks, key=SummarySink.sort_key))
        callbacks = tuple(sorted(frame.callbacks, key=SummaryCallback.sort_key))
        return Summary(frozenset(returns), sinks, value or Value(const=None), callbacks)

    def _run_function(self, fn: FunctionInfo, seeds: dict[str, Value] | None) -> _Frame:
        outer_frame, outer_scope = self.frame, self.scope_qual
        self.frame = _Frame(fn, True)
        self.scope_qual = fn.qual
        env: Env = dict(fn.scope) if fn.scope is not None else {}
        for index, param in enumerate(fn.node.params):
            binding = self.hooks.method_binding(fn) if index == 0 and fn.cls is not None else "static"
            if binding != "static" and fn.cls is not None:
                env[param.name] = Value(qual=fn.cls + ("" if binding == "class" else "()"))
            elif seeds is not None and param.name in seeds:
                env[param.name] = seeds[param.name]
            else:
                label = Label("param", param.name, (Step(param.span, f"parameter '{param.name}'"),), param=index)
                env[param.name] = Value(labels=frozenset({label}))
        try:
            result = self.exec_block(fn.node.body, env)
            if result is not None:
                self.frame.returns.append(Value(const=None))
            return self.frame
        finally:
            self.frame, self.scope_qual = outer_frame, outer_scope

    # -------------------------------------------------------------- reporting

    def report(
        self,
        rule: str,
        span: ir.Span,
        message: str,
        label: Label | None = None,
        confidence: str | None = None,
        sink_note: str = "",
        data: dict[str, Any] | None = None,
        at: SummarySink | None = None,
    ) -> None:
        """Record a hit at ``span``, or at ``at``: a sink of another module a flow of this file reaches (its file,
        its line as that module exported it)."""
        if not self.events:
            return
        path = at.path if at is not None else None
        trace: tuple[HitStep, ...] = ()
        if label is not None and self.models.confidence_of(label.kind) == "low":  # in this file or through a callee
            data = {**(data or {}), SOURCE_TRUST: label.kind}
        if label is not None:
            steps = [HitStep(s.span, s.note, "step", s.path) for s in label.trace]
            if steps:
                steps[0] = steps[0]._replace(kind="source")
            steps.append(HitStep(span, sink_note or message, "sink", path))
            trace = tuple(steps)
        self.hits.append(Hit(rule, span, message, confidence, trace, data or {}, path, at.snippet if at is not None else None))

    @property
    def current_function(self) -> FunctionInfo | None:
        return self.frame.fn

    @property
    def in_handler(self) -> bool:
        return self.frame.handler_depth > 0

    # -------------------------------------------------------------- statements

    def exec_block(self, stmts: Iterable[ir.Stmt], env: Env | None) -> Env | None:
        for stmt in stmts:
            if env is None:
                return None
            env = self.exec_stmt(stmt, env)
        return env

    def exec_stmt(self, stmt: ir.Stmt, env: Env) -> Env | None:
        return self._exec_table[type(stmt)](stmt, env)

    def x_Assign(self, stmt: ir.Assign, env: Env) -> Env | None:
        value = self.eval(stmt.value, env)
        if stmt.op is not None and stmt.targets:
            value = self._binop(stmt.op, self.eval(stmt.targets[0], env), value, stmt.span)
        for target in stmt.targets:
            self.assign(target, value, env, stmt.span, stmt.value if stmt.op is None else None)
        return env

    def x_ExprStmt(self, stmt: ir.ExprStmt, env: Env) -> Env | None:
        self._noreturn = False
        self.eval(stmt.expr, env)
        if self._noreturn:
            self._noreturn = False
            return None
        return env

    def x_Return(self, stmt: ir.Return, env: Env) -> Env | None:
        value = self.eval(stmt.value, env) if stmt.value is not None else Value(const=None)
        self.frame.returns.append(value)
        if self.events:
            self.hooks.on_return(self, value, stmt.span, stmt.value)
        return None

    def x_Raise(self, stmt: ir.Raise, env: Env) -> Env | None:
        if stmt.exc is not None:
            self.eval(stmt.exc, env)
        return None

    def x_Jump(self, stmt: ir.Jump, env: Env) -> Env | None:
        return None

    def x_If(self, stmt: ir.If, env: Env) -> Env | None:
        test = self.eval(stmt.test, env)
        if test.is_const:
            truth = self.hooks.facts.truth(test.const)
            if truth is not None:
                return self.exec_block(stmt.body if truth else stmt.orelse, env)
        then = self.exec_block(stmt.body, self.refine(dict(env), stmt.test, True))
        other = self.exec_block(stmt.orelse, self.refine(dict(env), stmt.test, False))
        return join_env(then, other)

    def x_Loop(self, stmt: ir.Loop, env: Env) -> Env | None:
        iterable = self.eval(stmt.iter, env)
        if stmt.target is None and iterable.is_const and self.hooks.facts.truth(iterable.const) is False:
            return self.exec_block(stmt.orelse, env)
        state: Env | None = env
        for _ in range(2):
            body_env = dict(state) if state is not None else dict(env)
            if stmt.target is not None:
                self.assign(stmt.target, _element(iterable), body_env, stmt.span)
            state = join_env(state, self.exec_block(stmt.body, body_env))
        return self.exec_block(stmt.orelse, state) if state is not None else None

    def x_Try(self, stmt: ir.Try, env: Env) -> Env | None:
        after_body = self.exec_block(stmt.body, dict(env))
        entry = join_env(env, after_body) or env
        handled: Env | None = None
        for handler in stmt.handlers:
            henv = dict(entry)
            if handler.type is not None:
                self.eval(handler.type, henv)
            if handler.name:
                label = Label("exception", "exception", (Step(handler.span, f"exception bound to '{handler.name}'"),))
                henv[handler.name] = Value(qual="exception", labels=frozenset({label}))
            if self.events:
                self.hooks.on_handler(self, handler)
            self.frame.handler_depth += 1
            try:
                handled = join_env(handled, self.exec_block(handler.body, henv))
            finally:
                self.frame.handler_depth -= 1
        if after_body is not None and stmt.handlers and handled is None:
            after_body = self._validated(stmt.body, after_body)  # every failure leaves: what the body converted is valid
        outcome = join_env(self.exec_block(stmt.orelse, after_body) if after_body is not None else None, handled)
        if stmt.final:
            base = outcome if outcome is not None else dict(entry)
            finished = self.exec_block(stmt.final, base)
            return finished if outcome is not None else None
        return outcome

    def _validated(self, body: Sequence[ir.Stmt], env: Env) -> Env:
        """``try: uuid.UUID(x) except ValueError: abort(400)``: ``x`` passed a conversion that fails on anything else.

        A call of a model sanitizer that clears every rule (``int``, ``uuid.UUID``,
        ``ipaddress.ip_address``) raises on malformed input; when every handler
        leaves the function, the converted variable is as safe as the result.
        """
        for stmt in body:
            call = stmt.expr if isinstance(stmt, ir.ExprStmt) else stmt.value if isinstance(stmt, ir.Assign) else None
            if not isinstance(call, ir.Call) or not call.args:
                continue
            func = call.func
            qual = self.peek(func, env).qual
            method = func.name if isinstance(func, ir.Attr) else None
            sanitizer = self.models.sanitizer_for(qual, method)
            if sanitizer is not None and "*" in sanitizer.clears:
                self._clean(env, call.args[0], ALL, None)
        return env

    def x_With(self, stmt: ir.With, env: Env) -> Env | None:
        for expr, target in stmt.items:
            value = self.eval(expr, env)
            if target is not None:
                self.assign(target, value, env, stmt.span)
        return self.exec_block(stmt.body, env)

    def x_FunctionDef(self, stmt: ir.FunctionDef, env: Env) -> Env | None:
        decorators = [self.eval(d, env) for d in stmt.decorators]
        for p in stmt.params:
            if p.default is not None:
                self.eval(p.default, env)
        qual = f"{self.scope_qual}.{stmt.name}"
        cls = self.scope_qual if self.scope_qual in self.classes else None
        scope = None if self.frame.fn is None and cls is None else dict(env)
        if cls is not None:
            scope = None
        existing = self.functions.get(qual)
        if existing is not None:
            existing.node, existing.scope, existing.decorators = stmt, scope, decorators
        else:
            getter = cls is not None and self.hooks.getter(stmt)
            if getter:
                self._getters.add(stmt.name)
            self.functions[qual] = FunctionInfo(qual, stmt, cls, scope, decorators, parent=self.frame.fn, getter=getter)
        env[stmt.name] = Value(qual=qual)
        return env

    def x_ClassDef(self, stmt: ir.ClassDef, env: Env) -> Env | None:
        qual = f"{self.scope_qual}.{stmt.name}"
        bases = [self.eval(b, env) for b in stmt.bases]
        for d in stmt.decorators:
            self.eval(d, env)
        self.classes[qual] = [b.qual for b in bases if b.qual]
        outer = self.scope_qual
        self.scope_qual = qual
        try:
            class_env = self.exec_block(stmt.body, dict(env)) or {}
        finally:
            self.scope_qual = outer
        self.class_attrs[qual] = {k: v for k, v in class_env.items() if env.get(k) is not v}
        env[stmt.name] = Value(qual=qual)
        return env

    def x_Import(self, stmt: ir.Import, env: Env) -> Env | None:
        self.imports.add(stmt.module)
        if self.events:
            self.hooks.on_import(self, stmt.module, stmt.span)
        if stmt.asname:
            env[stmt.asname] = Value(qual=self.project.object_of(stmt.module) or stmt.module)  # a module that is an object
        elif self.hooks.facts.import_binds_package:
            top = stmt.module.split(".")[0]
            env[top] = Value(qual=top)
        return env

    def x_ImportFrom(self, stmt: ir.ImportFrom, env: Env) -> Env | None:
        base = self.hooks.resolve_import(stmt.module, stmt.level, self.module.name)
        self.imports.add(base)
        for name, asname in stmt.names:
            if name == "*":
                continue
            qual = self.hooks.canonical(f"{base}.{name}" if base else name)
            if self.events:
                self.hooks.on_import(self, qual, stmt.span)
            qual = self.project.object_of(qual) or qual  # another module's singleton: an instance of its class
            env[asname or name] = self._source(Value(qual=qual), qual, stmt.span)
        return env

    # ------------------------------------------------------------- assignment

    def assign(self, target: ir.Expr, value: Value, env: Env, span: ir.Span, expr: ir.Expr | None = None) -> None:
        if isinstance(target, ir.Name):
            if value.labels:
                value = replace(value, labels=_cap(l.step(span, f"assigned to '{target.id}'") for l in value.labels))
            env[target.id] = value
            self.frame.origins[target.id] = expr if isinstance(expr, ir.Call) else None
            if self._dotted:
                prefix = target.id + "."
                for stale in [k for k in env if k.startswith(prefix)]:
                    del env[stale]
            if self.events:
                self.hooks.on_assign(self, target.id, value, span)
        elif isinstance(target, ir.Attr):
            base = self.eval(target.obj, env)
            path = _path(target)
            if path is not None:
                env[path] = value
                self._dotted = True
            self._remember_field(base, target.name, value)
            if self.events:
                self.hooks.on_store(self, StoreEvent(target, base, Value(const=target.name), value, span, expr))
        elif isinstance(target, ir.Index):
            base = self.eval(target.obj, env)
            key = self.eval(target.index, env)
            if value.qual and not value.is_const and not value.labels:
                self._note_callback(value.qual)  # a function put in a table (a template global, a handler map) is called from it
            path = _path(target.obj)
            if path is not None:
                old = env.get(path, base)
                env[path] = replace(old, labels=_cap(old.labels | value.labels), const=UNKNOWN,
                                    items=_store_item(old.items, key, value))
            elif isinstance(target.obj, ir.Index) and (outer_path := _path(target.obj.obj)) is not None:
                old = env.get(outer_path, self.peek(target.obj.obj, env))  # m['a']['b'] = v: entry b of m's entry a
                env[outer_path] = containers.store_nested(old, self.peek(target.obj.index, env), key, value)
            if self.events:
                outer = self.peek(target.obj.index, env) if isinstance(target.obj, ir.Index) else None
                self.hooks.on_store(self, StoreEvent(target, base, key, value, span, expr, outer))
        elif isinstance(target, ir.Seq):
            items = value.const if value.is_const and isinstance(value.const, (tuple, list)) else None
            entries = [value.item(i) for i in range(len(target.items))] if value.items is not None and len(value.items) == len(target.items) else None
            for i, item in enumerate(target.items):
                if items is not None and len(items) == len(target.items):
                    self.assign(item, Value(const=items[i]), env, span)
                elif entries is not None and entries[i] is not None:
                    self.assign(item, entries[i], env, span)  # type: ignore[arg-type]
                else:
                    self.assign(item, replace(value, const=UNKNOWN, qual=None, items=None), env, span)
        elif isinstance(target, ir.Starred):
            self.assign(target.value, replace(value, const=UNKNOWN), env, span)

    def _remember_field(self, base: Value, name: str, value: Value) -> None:
        """An instance attribute stored anywhere is seen by every method reading it (real labels only)."""
        if base.qual and base.qual.endswith("()"):
            real = frozenset(l for l in value.labels if l.kind != "param")
            fields = self.fields.setdefault(base.qual, {})
            old = fields.get(name)
            new = replace(value, labels=real)
            fields[name] = new if old is None else join(old, new)

    def _constant_name(self, expr: ir.Expr) -> bool:
        """``ALLOWED`` or ``settings.ALLOWED_HOSTS``: a name the language's convention marks as a program constant."""
        name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else ""
        return bool(name) and self.hooks.facts.constant_name(name)

    # ------------------------------------------------------------ refinement

    def refine(self, env: Env, test: ir.Expr, truth: bool) -> Env:
        """Apply what holds on the branch where ``test`` evaluated to ``truth``."""
        if isinstance(test, ir.UnaryOp) and test.op == "not":
            return self.refine(env, test.operand, not truth)
        if isinstance(test, ir.BoolOp):
            if (test.op == "and") == truth:
                for value in test.values:
                    env = self.refine(env, value, truth)
            return env
        tested = guards.truth_test(test, truth, self.hooks.facts.nothing_names)
        if tested is not None:
            return self.refine(env, *tested)
        predicate = self._predicate(test, env)
        if predicate is not None:
            self._inlining += 1  # a predicate calling itself stops after a few levels
            try:
                return self.refine(env, predicate, truth)
            finally:
                self._inlining -= 1
        if isinstance(test, ir.Call):
            if truth:
                self._refine_call(env, test)
            else:
                self._refine_failed_search(env, test)
        elif isinstance(test, ir.Attr) and not truth and test.name in self.models.host_parts:
            for subject in guards.vouched(test, self.origin, self.models.url_parts)[1:]:
                self._clean(env, subject, RELATIVE_URL_CLEARS, None)  # no host: a path of this site
        elif isinstance(test, ir.Compare) and len(test.ops) == 1:
            op, subject, other = test.ops[0], test.left, test.comparators[0]
            if op in ("==", "!=") and truth == (op == "=="):
                self._refine_equal_call(env, subject, other)
                for operand, clears in guards.type_tests(subject, other, self.models.type_tests, self.peek, env):
                    self._clean(env, operand, clears, None)
            if op in ("in", "not in") or (op == "has-key" and truth):  # has-key: JavaScript's `k in obj`, keys only
                self._refine_membership(env, subject, other, truth == (op != "not in"))
            elif (op == "==" and truth) or (op == "!=" and not truth):
                for a, b in ((subject, other), (other, subject)):
                    known = self.peek(b, env)
                    key = _path(a)
                    if known.is_const and key is not None:
                        env[key] = Value(const=known.const)
        return env

    def _predicate(self, test: ir.Expr, env: Env) -> ir.Expr | None:
        """``isValidFileId(id)`` where the file defines ``isValidFileId(x) { return ID_RE.test(x) }``: the check it
        makes, on the caller's arguments (a guard wrapped in a named predicate is still a guard)."""
        if not isinstance(test, ir.Call) or test.keywords or self._inlining > 3:
            return None
        fn = self._resolve_function(self.peek(test.func, env).qual)
        if fn is None or fn.origin is not None or fn.cls is not None:
            return None
        return guards.predicate_body(fn.node, test.args, self.hooks.facts.receiver_names)

    def _refine_membership(self, env: Env, item: ir.Expr, container: ir.Expr, holds: bool) -> None:
        """``item in container`` is ``holds``: an allow-list vouches for the item; a text found absent clears what its absence defends.

        Membership in a constant (or an upper-case name: ``ALLOWED_HOSTS``) makes the
        item one of the program's own values, safe for every sink. ``".." not in name``
        defends only the sink classes the models' ``absent`` table names (paths), never
        a query or a command.
        """
        if holds and isinstance(container, ir.Attr) and container.name in self.models.ancestors:
            self._clean(env, container.obj, PATH_CLEARS, "normalized")  # BASE in target.parents
            return
        if holds:
            if self.peek(container, env).is_const or self._constant_name(container):
                for subject in guards.vouched(item, self.origin, self.models.url_parts):
                    self._clean(env, subject, ALL, None)
            return
        text = self.peek(item, env).const
        clears = self.models.absent.get(text) if isinstance(text, str) else None
        if clears:
            self._clean(env, container, clears, None)

    def _refine_call(self, env: Env, test: ir.Call) -> None:
        func = test.func
        callee = self.peek(func, env)
        method = func.name if isinstance(func, ir.Attr) else None
        checked = self.hooks.type_checked(test, callee.qual)
        if checked is not None:
            self._clean(env, checked, ALL, None)
            return
        own = self._resolve_function(callee.qual)
        if own is not None:
            vouched = self.hooks.vouching(own, test)
            if vouched is not None:
                self._clean(env, vouched[0], vouched[1], None)
        if method is not None and own is not None:
            method = None  # the file's own method, not the library one the models name
        for spec in self.models.guards_for(callee.qual, method):
            if spec.holds and not spec.raises:
                self._apply_guard(env, test, spec)
        macs = self.models.macs.get(callee.qual or "")
        if macs:
            qual_of = lambda e: self.peek(e, env).qual  # noqa: E731 - read-only lookups for the walk below
            for message in guards.authenticated(test.args, macs, self.origin, qual_of):
                self._clean(env, message, ALL, None)  # signed with the program's own key: its own data

    def _refine_failed_search(self, env: Env, test: ir.Call) -> None:
        """``if re.search(r"[;&|`$\\n]", cmd): abort(400)``: on the branch that goes on, no character of the class is in ``cmd``."""
        func = test.func
        callee = self.peek(func, env)
        method = func.name if isinstance(func, ir.Attr) else None
        if method is not None and self._resolve_function(callee.qual) is not None:
            return
        relative = self._relative_origin(test, env)
        if relative is not None:
            self._clean(env, relative, PATH_CLEARS, None)  # both functions resolve their arguments first
        for spec in self.models.guards_for(callee.qual, method):
            if not spec.holds and not spec.raises:
                self._apply_guard(env, test, spec)
            if spec.pattern is None or not spec.search:
                continue
            subject = self._guard_subject(test, spec)
            pattern = self.peek(self._pattern_expr(test, spec.pattern), env)
            clears = guards.clears_when_absent(guards.absent_chars(pattern.const), self.models)
            if subject is not None and clears:
                self._clean(env, subject, clears, None)

    def _relative_origin(self, test: ir.Call, env: Env) -> ir.Expr | None:
        """``rel.startsWith('..')`` with ``rel = path.relative(root, p)``: ``p``, which the failed test puts under ``root``."""
        func = test.func
        if not (isinstance(func, ir.Attr) and isinstance(func.obj, ir.Name) and len(test.args) == 1):
            return None
        prefix = self.peek(test.args[0], env).const
        built = self.origin(func.obj.id)
        if not isinstance(prefix, str) or prefix.rstrip("/\\") != ".." or built is None:
            return None
        spec = self.models.relative.get(self.peek(built.func, env).qual or "")
        if spec is None or spec.method != func.name or spec.arg >= len(built.args):
            return None
        return built.args[spec.arg]

    def _refine_equal_call(self, env: Env, left: ir.Expr, right: ir.Expr) -> None:
        """``os.path.commonpath([BASE, path]) == BASE`` held: a guard with ``equals`` vouches for the paths it was given."""
        for call in (left, right):
            if not isinstance(call, ir.Call):
                continue
            func = call.func
            for spec in self.models.guards_for(self.peek(func, env).qual, None):
                subject = self._guard_subject(call, spec) if spec.equals else None
                for item in subject.items if isinstance(subject, ir.Seq) else (subject,) if subject is not None else ():
                    self._clean(env, item, spec.clears, spec.requires)

    def origin(self, name: str) -> ir.Call | None:
        """The call a local (else module-level) name was last assigned from: ``parsed = urlparse(url)``."""
        origins = self.frame.origins if name in self.frame.origins else self._module_frame.origins
        return origins.get(name)

    def _guard_subject(self, test: ir.Call, spec: GuardSpec) -> ir.Expr | None:
        if spec.arg is None:
            return test.func.obj if isinstance(test.func, ir.Attr) else None
        return test.args[spec.arg] if spec.arg < len(test.args) else None

    def _pattern_expr(self, test: ir.Call, where: int | str) -> ir.Expr:
        """The expression holding a guard's regex: an argument, or what the receiver was built from (``/re/.test(x)``, ``SAFE.fullmatch(x)``)."""
        if where == "receiver":
            built = test.func.obj if isinstance(test.func, ir.Attr) else None
        else:
            built = test.args[where] if isinstance(where, int) and where < len(test.args) else None
        if isinstance(built, ir.Name) and self.origin(built.id) is not None:
            built = self.origin(built.id)  # SAFE = re.compile(r"...") earlier
        if isinstance(built, ir.Call):
            built = built.args[0] if built.args else None  # re.compile(p), a JavaScript regex literal
        return built if built is not None else ir.Const(None, test.span)

    def _apply_guard(self, env: Env, test: ir.Call, spec: GuardSpec) -> None:
        if spec.equals:
            return
        subject = self._guard_subject(test, spec)
        if spec.text is not None and not (test.args and self.peek(test.args[0], env).const == spec.text):
            return
        if spec.adds and subject is not None:
            self._flag(env, subject, spec.adds)
        clears = spec.clears
        if spec.pattern is not None:
            pattern = self.peek(self._pattern_expr(test, spec.pattern), env)
            if not isinstance(pattern.const, str):
                return
            if spec.search and not pattern.const.startswith(("^", "\\A")):
                return
            anchored = spec.anchored or pattern.const.endswith(("$", "\\Z", "\\z"))
            proven = guards.clears_of_match(pattern.const, anchored, self.models)
            if not proven:
                return
            clears = clears | proven
        if subject is not None:
            self._clean(env, subject, clears, spec.requires)

    def _flag(self, env: Env, subject: ir.Expr, flags: frozenset[str]) -> None:
        """Give the subject's labels flags a later guard may require (``startsWith('/')``: rooted at this site)."""
        found = self._refined(env, subject)
        if found is not None:
            key, current = found
            env[key] = replace(current, labels=frozenset(replace(l, flags=l.flags | flags) for l in current.labels))

    def _clean(self, env: Env, subject: ir.Expr, clears: frozenset[str], requires: str | None) -> None:
        found = self._refined(env, subject)
        if found is None:
            return
        key, current = found
        labels = frozenset(l if requires and requires not in l.flags else replace(l, cleared=l.cleared | clears) for l in current.labels)
        cleared = current.cleared | clears if not requires or all(requires in l.flags for l in current.labels) else current.cleared
        env[key] = replace(current, labels=labels, cleared=cleared if current.labels else current.cleared | clears, items=None)

    def _refined(self, env: Env, subject: ir.Expr) -> tuple[str, Value] | None:
        """The env key a check can refine (a variable or attribute path) and its value now; None for other expressions."""
        if isinstance(subject, ir.Call) and len(subject.args) == 1 and self.hooks.text_conversion(self.peek(subject.func, env).qual):
            subject = subject.args[0]  # str(target).startswith(...) checks target
        key = _path(subject)
        if key is None:
            return None
        current = env.get(key)
        return key, current if current is not None else self.peek(subject, env)

    def peek(self, expr: ir.Expr, env: Env) -> Value:
        """Evaluate without emitting events or findings (guards are evaluated for real once already)."""
        events = self.events
        self.events = False
        try:
            return self.eval(expr, env)
        finally:
            self.events = events

    # ------------------------------------------------------------- expressions

    def eval(self, expr: ir.Expr | None, env: Env) -> Value:
        if expr is None:
            return CLEAN
        return self._eval_table[type(expr)](expr, env)

    def e_Const(self, expr: ir.Const, env: Env) -> Value:
        return Value(const=expr.value)

    def e_Name(self, expr: ir.Name, env: Env) -> Value:
        value = env.get(expr.id)
        if value is None:
            value = self.globals.get(expr.id)
        if value is None:
            value = self._source(self.hooks.unbound_name(expr.id), expr.id, expr.span)
        return self.hooks.read_name(self, expr.id, value, expr.span)

    def _note_reference(self, qual: str | None) -> None:
        """A function of this file named as a value (a callback handed to a driver, a handler put in a table) is
        called by code that was given it: its callers are not unknown, so its parameters are not reported as
        input of unknown origin. Its own recursive calls do not count."""
        if qual is None or qual not in self.functions:
            return
        current = self.frame.fn if getattr(self, "frame", None) is not None else None
        if current is None or current.qual != qual:
            self.called.add(qual)

    def e_Attr(self, expr: ir.Attr, env: Env) -> Value:
        path = _path(expr)
        if path is not None and path in env:
            return env[path]
        base = self.eval(expr.obj, env)
        found = base.item(expr.name) if base.items is not None else None  # an object literal's field
        return found if found is not None else self.attribute(base, expr.name, expr.span)

    def attribute(self, base: Value, name: str, span: ir.Span) -> Value:
        qual = self.hooks.canonical(f"{base.qual}.{name}") if base.qual else None
        if qual is not None and self.project:
            qual = self.project.object_of(qual) or self._inherited_object(base.qual, name) or qual
        if base.qual and (name in self._getters or name in self.project.getters) and base.qual.endswith("()"):
            getter = self._resolve_function(f"{base.qual}.{name}")
            if getter is not None and getter.getter:
                return self._read_property(getter, base, span)
        value = Value(qual=qual, labels=base.labels)
        if base.qual:
            cls = base.qual[:-2] if base.qual.endswith("()") else base.qual
            found = self._class_attr(cls, name)
            if found is not None and not (found.qual and found.qual in self.functions):
                if "*" in found.cleared and not found.labels and not found.is_const:
                    value = Value(qual=qual, cleared=found.cleared)  # a field declared with a harmless type
                else:
                    value = join(value, found) if value.labels else found
            field_value = self.fields.get(base.qual, {}).get(name)
            if field_value is not None:
                if field_value.qual and found is None:  # self.request = request: the field is what was stored
                    qual = field_value.qual
                value = replace(value, qual=qual, labels=_cap(value.labels | field_value.labels))
        if qual is not None:
            value = self._source(value, qual, span)
        return self.hooks.read_name(self, name, value, span)

    def _read_property(self, fn: FunctionInfo, base: Value, span: ir.Span) -> Value:
        """``obj.name`` where ``name`` is a getter: its summary applied to ``obj``."""
        if not self._declaring and fn.origin is None:
            self._complete(fn)
        self.called.add(fn.qual)
        if fn.origin is not None:
            self._call_outside(fn.qual)
        return self._apply_summary(fn, [base], {}, span)

    def _inherited_object(self, base: str | None, name: str) -> str | None:
        """An object another module's class holds as a class attribute or field, read through an instance or a
        subclass of this file (``self.database`` in ``class Repo(Services)``)."""
        if not base:
            return None
        instance = base.endswith("()")
        cls = base[:-2] if instance else base
        if cls not in self.classes and cls not in self.project.bases:
            return None  # no class of this file, nor one with bases elsewhere: object_of already looked
        for ancestor in self.lineage(cls):
            found = (self.project.object_of(f"{ancestor}().{name}") if instance else None) or self.project.object_of(f"{ancestor}.{name}")
            if found:
                return found
        return None

    def lineage(self, cls: str) -> list[str]:
        """``cls``, its bases in this file, then their bases in other modules: nearest first, each once."""
        order: list[str] = []
        queue = [cls]
        while queue and len(order) < 16:
            current = queue.pop(0)
            if current in order:
                continue
            order.append(current)
            queue.extend(self.classes.get(current, ()))
            queue.extend(self.project.ancestors(current))
        return order

    def _class_attr(self, cls: str, name: str, depth: int = 0) -> Value | None:
        attrs = self.class_attrs.get(cls)
        if attrs is not None and name in attrs:
            return attrs[name]
        if depth < 5:
            for base in self.classes.get(cls, ()):
                found = self._class_attr(base, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _source(self, value: Value, qual: str, span: ir.Span) -> Value:
        spec = self.models.sources.get(qual)
        if spec is None:
            return value
        if spec.kind in DEFAULT_SOURCES:
            what = f"untrusted data from {spec.note}"
        elif spec.kind in self.models.trust:
            what = f"input from {spec.note}"
        else:
            what = f"{spec.kind} value from {spec.note}"
        label = Label(spec.kind, spec.note, (Step(span, what),))
        return replace(value, labels=_cap(value.labels | {label}))

    def e_Index(self, expr: ir.Index, env: Env) -> Value:
        base = self.eval(expr.obj, env)
        index = self.eval(expr.index, env)
        const = UNKNOWN
        if base.is_const and index.is_const and isinstance(base.const, (str, tuple, list, dict, bytes)):
            try:
                const = base.const[index.const]
            except (KeyError, IndexError, TypeError, ValueError):
                const = UNKNOWN
        if const is UNKNOWN and index.is_const and _is_key(index.const):
            found = _entry(base, index.const)
            if found is not None:
                return found
        qual = f"{base.qual}[]" if base.qual else None
        value = Value(const, qual, self._cut_piece(expr, index, base), base.built, base.cleared)
        return self._source(value, qual, expr.span) if qual else value

    def _cut_piece(self, expr: ir.Index, index: Value, base: Value) -> frozenset[Label]:
        """``name.rsplit(".", 1)[-1]``: a piece that holds no separator (the models' ``cut`` table) is clean for
        what the separator's absence clears; otherwise the labels of the text cut."""
        call = expr.obj
        if not base.labels or not isinstance(call, ir.Call) or not isinstance(call.func, ir.Attr) or not isinstance(index.const, int):
            return base.labels
        spec = self.models.cuts.get(call.func.name)
        if spec is None or spec.sep >= len(call.args):
            return base.labels
        sep = self.peek(call.args[spec.sep], {}).const
        if not isinstance(sep, str) or len(sep) != 1:
            return base.labels
        limited = spec.limit < 0 or spec.limit < len(call.args) or bool(call.keywords)
        if limited and index.const not in spec.pieces:
            return base.labels
        clears = guards.clears_without(sep, self.models)
        return _cap(replace(l, cleared=l.cleared | clears).step(expr.span, f"cut at '{sep}' (holds none)") for l in base.labels) if clears else base.labels

    def e_Starred(self, expr: ir.Starred, env: Env) -> Value:
        return replace(self.eval(expr.value, env), const=UNKNOWN)

    def e_Concat(self, expr: ir.Concat, env: Env) -> Value:
        parts = [self.eval(p, env) for p in expr.parts]
        if expr.template:
            return Value(qual=self.hooks.template_type, labels=union(parts), cleared=ALL)
        return _concat(parts)

    def e_BinOp(self, expr: ir.BinOp, env: Env) -> Value:
        return self._binop(expr.op, self.eval(expr.left, env), self.eval(expr.right, env), expr.span)

    def _binop(self, op: str, left: Value, right: Value, span: ir.Span) -> Value:
        if op == "+" and (isinstance(left.const, str) or isinstance(right.const, str) or left.built or right.built):
            return _concat([left, right])
        if isinstance(left.const, str) or left.built:
            formatted = self.hooks.format_operator(op, left, right)
            if formatted is not None:
                return formatted
        if left.is_const and right.is_const:
            folded = _fold(op, left.const, right.const, op == self.hooks.facts.text_repeat_operator)
            if folded is not UNKNOWN:
                return Value(const=folded)
        labels = _cap(left.labels | right.labels)
        if op in ("+", "/", "|", "*"):
            joins = op == self.hooks.facts.path_join_operator
            qual = left.qual if joins else None  # base / name stays a path object
            if joins and qual is not None:  # Path(base) / name: the name is joined onto a base
                labels = _cap(left.labels | {replace(l, flags=l.flags | {JOINED}) for l in right.labels})
            return Value(qual=qual, labels=labels, built=left.built or right.built, cleared=_cleared_of([left, right]))
        return Value(labels=labels, cleared=ALL)

    def e_UnaryOp(self, expr: ir.UnaryOp, env: Env) -> Value:
        value = self.eval(expr.operand, env)
        if expr.op == "not":
            return Value(const=not value.const) if value.is_const else Value(cleared=ALL)
        if value.is_const and isinstance(value.const, (int, float)) and not isinstance(value.const, bool):
            return Value(const=-value.const if expr.op == "-" else value.const)
        return Value(labels=value.labels, cleared=ALL)

    def e_BoolOp(self, expr: ir.BoolOp, env: Env) -> Value:
        result: Value | None = None
        for part in expr.values:
            value = self.eval(part, env)
            truth = self.hooks.facts.truth(value.const) if value.is_const and result is None else None
            if truth is not None:
                if (expr.op == "or") == truth:
                    return value
                continue
            result = value if result is None else join(result, value)
        return result or Value(const=expr.op == "and")

    def e_Compare(self, expr: ir.Compare, env: Env) -> Value:
        values = [self.eval(expr.left, env)] + [self.eval(c, env) for c in expr.comparators]
        if self.events:
            self.hooks.on_compare(self, expr, values)
        if all(v.is_const for v in values):
            folded = _fold_compare(expr.ops, [v.const for v in values])
            if folded is not UNKNOWN:
                return Value(const=folded)
        return Value(cleared=ALL)

    def e_Cond(self, expr: ir.Cond, env: Env) -> Value:
        test = self.eval(expr.test, env)
        truth = self.hooks.facts.truth(test.const) if test.is_const else None
        if truth is not None:
            return self.eval(expr.body if truth else expr.orelse, env)
        return join(self.eval(expr.body, self.refine(dict(env), expr.test, True)), self.eval(expr.orelse, self.refine(dict(env), expr.test, False)))

    def e_Seq(self, expr: ir.Seq, env: Env) -> Value:
        items = [self.eval(i, env) for i in expr.items]
        const: Any = UNKNOWN
        if all(i.is_const for i in items) and len(items) <= 1000:
            consts = [i.const for i in items]
            try:
                const = tuple(consts) if expr.kind == "tuple" else frozenset(consts) if expr.kind == "set" else consts
            except TypeError:
                const = UNKNOWN
        tracked = None
        if expr.kind in ("list", "tuple") and len(items) <= MAX_ITEMS and not any(isinstance(i, ir.Starred) for i in expr.items):
            tracked = tuple(enumerate(items))
        return Value(const, None, union(items), any(i.built for i in items), _cleared_of(items), tracked)

    def e_Dict(self, expr: ir.Dict, env: Env) -> Value:
        keys = [self.eval(k, env) if k is not None else None for k in expr.keys]
        values = [self.eval(v, env) for v in expr.values]
        const: Any = UNKNOWN
        if all(k is not None and k.is_const for k in keys) and all(v.is_const for v in values) and len(keys) <= 1000:
            try:
                const = {k.const: v.const for k, v in zip(keys, values)}  # type: ignore[union-attr]
            except TypeError:
                const = UNKNOWN
        if const is not UNKNOWN or all(k is not None for k in keys):
            tracked = None
            if len(keys) <= MAX_ITEMS and all(k is not None and _is_key(k.const) for k in keys):
                tracked = tuple((k.const, v) for k, v in zip(keys, values))  # type: ignore[union-attr]
            return Value(const, None, union(values), False, _cleared_of(values), tracked)
        return containers.merge(containers.entry(k, v) if k is not None else v for k, v in zip(keys, values))  # spreads

    def e_Comp(self, expr: ir.Comp, env: Env) -> Value:
        inner = dict(env)
        for gen in expr.generators:
            self.assign(gen.target, _element(self.eval(gen.iter, inner)), inner, expr.span)
            for cond in gen.conds:
                self.eval(cond, inner)
                inner = self.refine(inner, cond, True)
        elt = self.eval(expr.elt, inner)
        return Value(labels=elt.labels, built=elt.built, cleared=elt.cleared)

    def e_Lambda(self, expr: ir.Lambda, env: Env) -> Value:
        return CLEAN

    def e_Opaque(self, expr: ir.Opaque, env: Env) -> Value:
        children = [self.eval(c, env) for c in expr.children]
        return Value(labels=union(children), built=any(c.built for c in children), cleared=_cleared_of(children) if children else frozenset())

    # ------------------------------------------------------------------- calls

    def e_Call(self, expr: ir.Call, env: Env) -> Value:
        func = expr.func
        receiver: Value | None = None
        method: str | None = None
        if isinstance(func, ir.Attr):
            method = func.name
            path = _path(func)
            if path is not None and path in env:
                callee = env[path]
            else:
                receiver = self.eval(func.obj, env)
                callee = self.attribute(receiver, func.name, func.span)
        else:
            callee = self.eval(func, env)
        args = [self.eval(a, env) for a in expr.args]
        kwargs: dict[str, Value] = {}
        splats: list[Value] = []
        for kw in expr.keywords:
            value = self.eval(kw.value, env)
            if kw.name is None:
                splats.append(value)
            else:
                kwargs[kw.name] = value
        for value in (*args, *kwargs.values()):
            self._note_callback(value.qual)
        qual = callee.qual
        if qual in self.models.noreturn:
            self._noreturn = True
        key = self.peek(func.index, env) if isinstance(func, ir.Index) else None
        event = CallEvent(expr, qual, method, receiver, args, kwargs, splats=splats, key=key)
        own = method is not None and self._resolve_function(qual) is not None
        specs = self.models.sinks_for(qual, None if own else method)
        if specs:
            self._check_sinks(specs, event)
        result = self._call_result(event, callee, splats)
        event.result = result
        for guard in self.models.guards_for(qual, None if own else method):
            if guard.raises:
                self._apply_guard(env, expr, guard)  # it returned: what it checks holds
        mutator = self.models.mutator_for(qual, None if own else method)
        if mutator is not None:
            container = self._mutate(mutator, expr, event, env)
            if mutator.merge and mutator.into is not None and container is not None:
                result = event.result = container  # Object.assign returns its target
        if self.events:
            self.hooks.on_call(self, event)
        return result

    def _note_callback(self, qual: str | None) -> None:
        """A function of this file handed to a call (a callback, ``set_defaults(handler=run)``) is called by the
        code it was given to: its callers are not unknown, so its parameters are not input of unknown origin.
        Exports (``module.exports = {f}``) are not calls and keep a library function's callers unknown.
        Another module's function handed over (``Thread(target=jobs.run)``) is listed with the names this
        file calls: the project pass clears its "caller unknown" findings the same way."""
        if qual is None:
            return
        if qual in self.functions:
            self.called.add(qual)
        elif "." in qual and not qual.endswith("()"):
            self._call_outside(qual)

    def _mutate(self, spec: Any, expr: ir.Call, event: CallEvent, env: Env) -> Value | None:
        """``items.append(x)``, ``m.set('a', x)``, ``Object.assign(target, src)``: the container now also holds what was stored.

        Returns the container as it is now (the result of ``Object.assign``), None when nothing was stored.
        """
        target = expr.func.obj if spec.into is None and isinstance(expr.func, ir.Attr) else (
            expr.args[spec.into] if spec.into is not None and spec.into < len(expr.args) else None)
        stored = [event.args[i] for i in spec.args if i < len(event.args)]
        path = _path(target) if target is not None else None
        if not stored or (path is None and not spec.merge):
            return None
        old = env.get(path) if path is not None else None
        if old is None:
            old = (event.receiver if spec.into is None else event.args[spec.into] if spec.into < len(event.args) else None) or CLEAN
        if spec.merge:
            new = containers.merge(stored, old)
        elif spec.key is not None and max(spec.key) < len(event.args) and len(stored) == 1:
            new = containers.store(old, _entry_key(event, spec.key), stored[0])
        else:
            new = Value(UNKNOWN, old.qual, _cap(old.labels | union(stored)), old.built or any(v.built for v in stored),
                        _cleared_of([old, *stored]) if old.labels or not old.is_const else _cleared_of(stored))
        if path is None:
            return new
        env[path] = new
        self._dotted = self._dotted or "." in path
        if isinstance(target, ir.Attr):
            self._remember_field(self.peek(target.obj, env), target.name, env[path])
        return None

    def _call_result(self, event: CallEvent, callee: Value, splats: list[Value]) -> Value:
        qual, method, receiver = event.qual, event.method, event.receiver
        fn = self._resolve_function(qual)
        if fn is not None:
            if not self._declaring and fn.origin is None:
                self._complete(fn)
            self.called.add(fn.qual)
            if fn.origin is not None:
                self._call_outside(fn.qual)
            bound = receiver is not None and qual is not None and fn.cls is not None and not qual.startswith(fn.cls + ".")
            args = ([receiver] if bound and receiver is not None else []) + event.args
            result = self._apply_summary(fn, args, event.kwargs, event.node.span)
            trusted = self.models.own_sanitizer_for(fn.name)
            return _sanitized(result, trusted, event.node.span) if trusted is not None else result
        if qual is not None and qual in self.classes:
            return Value(qual=qual + "()")
        if qual is not None:
            self._call_outside(qual)
        if self.frame.summarizing and callee.labels:
            self._note_parameter_called(callee, event)
        everything = event.args + list(event.kwargs.values()) + splats
        folded = UNKNOWN
        if method is not None and receiver is not None and receiver.is_const and all(a.is_const for a in event.args):
            folded = self.hooks.fold_method(method, receiver.const, [a.const for a in event.args])
        if folded is UNKNOWN and qual is not None and event.args and all(a.is_const for a in event.args):
            folded = self.hooks.fold_call(qual, [a.const for a in event.args])
        if folded is not UNKNOWN:
            return Value(const=folded)
        substitute = self.models.substitute_for(qual, method)
        replaced = self._substituted(substitute, event) if substitute is not None else None
        if replaced is not None:
            return replaced
        sanitizer = self.models.sanitizer_for(qual, method)
        if sanitizer is not None:
            inputs = everything + ([receiver] if receiver is not None else [])
            if sanitizer.inputs is not None:
                inputs = [v for i, v in ((-1, receiver), *enumerate(event.args)) if i in sanitizer.inputs and v is not None]
            base = receiver if receiver is not None else (event.args[0] if event.args else None)
            base_labels = base.labels if base is not None and JOINED in sanitizer.adds else frozenset()
            labels = _through_sanitizer(union(inputs), sanitizer, event.node.span, base_labels)
            cleared = (frozenset() if sanitizer.restores and labels else _cleared_of(inputs)) | sanitizer.clears
            if qual is not None and qual in self.models.sources:  # fs.readFileSync: harmless name, yet a file's contents
                return self._source(Value(qual=f"{qual}()", labels=labels), qual, event.node.func.span)
            return Value(qual=f"{qual}()" if qual else None, labels=labels, cleared=cleared)
        lookup = self.models.lookup_for(qual, method) if receiver is not None and event.args else None
        if lookup is not None and max(lookup.key) < len(event.args):
            found = _lookup(receiver, _entry_key(event, lookup.key))  # type: ignore[arg-type]
            if found is not None:
                default = event.arg(lookup.default, lookup.default_keyword)
                return join(found, default) if default is not None else found
        own = event.node.func.span
        callee_labels = frozenset(l for l in callee.labels if not ("by-name" in l.flags and l.trace and l.trace[0].span == own))
        labels = _cap(callee_labels | _through_unknown_call(everything))
        built = False
        cleared = frozenset()
        text = self.hooks.text_method(method) if method is not None and receiver is not None else None
        if text is not None and receiver is not None:
            parts = [receiver, *event.args]
            built = any(not p.is_const for p in parts) or any(p.built for p in parts)
            cleared = _cleared_of(parts) if text != "join" else _cleared_of([receiver] + [_element(a) for a in event.args])
            if text == "join" and event.args and not event.args[0].is_const and not event.args[0].labels and not event.args[0].built:
                cleared = cleared | event.args[0].cleared
        elif self.hooks.text_conversion(qual):
            cleared = _cleared_of(event.args)
            built = any(a.built for a in event.args)
        return Value(qual=f"{qual}()" if qual else None, labels=labels, built=built, cleared=cleared)

    def _substituted(self, spec: Any, event: CallEvent) -> Value | None:
        """``re.sub(r"[^\\w.-]", "_", name)``: the text with every character of the class replaced; None when nothing is proven."""
        node = event.node
        subject = event.receiver if spec.subject is None else event.args[spec.subject] if spec.subject < len(event.args) else None
        if subject is None or spec.pattern >= len(node.args) or spec.replacement >= len(node.args):
            return None
        built = node.args[spec.pattern]
        if spec.flag is not None:
            flags = self.peek(built.args[1], {}).const if isinstance(built, ir.Call) and len(built.args) > 1 else None
            if not isinstance(flags, str) or spec.flag not in flags:
                return None
        pattern = self.peek(self._pattern_expr(node, spec.pattern), {}).const
        replacement = event.args[spec.replacement].const
        if not isinstance(replacement, str):
            return None
        if spec.literal:  # str.replace(old, new): every occurrence of the text, unless a count limits it
            if not isinstance(pattern, str) or len(node.args) != 2:
                return None
            if len(pattern) == 1 and replacement == pattern * 2:  # an escape by doubling (SQL's ''): the engine judges it
                labels = _cap(l.step(node.span, doubled_note(pattern)) for l in subject.labels)
                return Value(qual=f"{event.qual}()" if event.qual else None, labels=labels, built=subject.built, cleared=subject.cleared)
            pattern = regex.literal(pattern)
        clears = guards.clears_when_absent(guards.absent_chars(pattern) & ~guards.text_chars(replacement), self.models)
        if not clears:
            return None
        labels = _cap(replace(l, cleared=l.cleared | clears).step(node.span, "characters replaced") for l in subject.labels)
        return Value(qual=f"{event.qual}()" if event.qual else None, labels=labels, built=subject.built, cleared=subject.cleared | clears)

    def _note_parameter_called(self, callee: Value, event: CallEvent) -> None:
        """A parameter of the function being walked is called with data of its own: ``handler(request.args["q"])``."""
        called = {l.param for l in callee.labels if l.kind == "param" and len(l.trace) == 1}  # the parameter itself
        for param in called:
            for index, arg in enumerate(event.args):
                real = [l.step(event.node.span, "passed to a callback") for l in arg.labels if l.kind != "param"]
                if real:
                    self.frame.callbacks.add(SummaryCallback(param, index, _cap(real)))

    def _pass_to_callbacks(self, fn: FunctionInfo, bound: dict[int, Value], span: ir.Span) -> None:
        """``with_query(search)`` where ``with_query`` calls its parameter with request data: ``search`` receives it."""
        if self._callback_depth > 3:
            return
        for callback in fn.summary.callbacks:
            target = bound.get(callback.param)
            receiver = self._resolve_function(target.qual) if target is not None else None
            if receiver is None:
                continue
            if not self._declaring and receiver.origin is None:
                self._complete(receiver)
            self.called.add(receiver.qual)
            labels = _cap(l.step(span, f"passed to {receiver.name}() by {fn.name}()") for l in callback.labels)
            self._callback_depth += 1
            try:
                self._apply_summary(receiver, [CLEAN] * callback.arg + [Value(labels=labels)], {}, span)
            finally:
                self._callback_depth -= 1

    def _call_outside(self, qual: str) -> None:
        """Remember a call of something this file does not define (another module of the project may)."""
        if len(self.outside_calls) < MAX_OUTSIDE_CALLS:
            self.outside_calls.add(qual.replace("().", "."))

    def _resolve_function(self, qual: str | None) -> FunctionInfo | None:
        if not qual:
            return None
        fn = self.functions.get(qual)
        if fn is not None:
            return fn
        if "()." in qual:
            cls, _, name = qual.rpartition("().")
            return self._method(cls, name) or self._other_module_method(cls, name)  # an instance of another module's class
        cls, _, name = qual.rpartition(".")
        if cls in self.classes:
            return self._method(cls, name)
        return self.external.get(qual) or (self._other_module_method(cls, name) if self.project.bases else None)

    def project_function(self, qual: str | None) -> FunctionInfo | None:
        """The function of this file, or of another module of the project, that a call of ``qual`` runs.

        Checks keyed by a library's method name (``raw``, ``find``) leave such calls alone: local code wins.
        """
        return self._resolve_function(qual)

    def _other_module_method(self, cls: str, name: str) -> FunctionInfo | None:
        """A method of another module's class, or inherited from one of its bases (in any module)."""
        if not self.external:
            return None
        fn = self.external.get(f"{cls}.{name}")
        if fn is not None or (cls not in self.classes and cls not in self.project.bases):
            return fn  # no bases to look through (a library's object): the common case, without building a lineage
        for ancestor in self.lineage(cls):
            fn = self.external.get(f"{ancestor}.{name}")
            if fn is not None:
                return fn
        return None

    def _method(self, cls: str, name: str, depth: int = 0) -> FunctionInfo | None:
        fn = self.functions.get(f"{cls}.{name}")
        if fn is not None or depth > 5:
            return fn
        for base in self.classes.get(cls, ()):
            found = self._method(base, name, depth + 1)
            if found is None and base not in self.classes:
                found = self._other_module_method(base, name)  # a base class of another module
            if found is not None:
                return found
        return None

    def _apply_summary(self, fn: FunctionInfo, args: list[Value], kwargs: dict[str, Value], span: ir.Span) -> Value:
        summary = fn.summary
        bound: dict[int, Value] = {}
        params = fn.node.params
        for i, value in enumerate(args):
            if i < len(params) and params[i].kind in ("normal", "kwonly"):
                bound[i] = value
            elif i >= len(params) or params[i].kind == "star":
                star = next((j for j, p in enumerate(params) if p.kind == "star"), None)
                if star is not None:
                    bound[star] = join(bound[star], value) if star in bound else value
                break
        names = {p.name: i for i, p in enumerate(params)}
        kwstar = next((j for j, p in enumerate(params) if p.kind == "kwstar"), None)
        for name, value in kwargs.items():
            index = names.get(name, kwstar)
            if index is not None:
                bound[index] = join(bound[index], value) if index in bound else value
        if summary.callbacks:
            self._pass_to_callbacks(fn, bound, span)
        labels: set[Label] = {l.step(span, f"returned by {fn.name}()") for l in summary.value.labels}
        for param, cleared, flags in summary.returns:
            arg = bound.get(param)
            if arg is None:
                continue
            for label in arg.labels:
                labels.add(replace(label, cleared=label.cleared | cleared, flags=label.flags | flags).step(span, f"passed through {fn.name}()"))
        for sink in summary.sinks:
            arg = bound.get(sink.param)
            if arg is None:
                continue
            rule = sink.rule
            for label in sorted(arg.labels, key=Label.sort_key):
                if label.clears(rule) or rule in sink.cleared or "*" in sink.cleared:
                    continue
                passed = label.step(span, f"passed to {fn.name}()")
                if label.kind == "param":
                    if self.frame.summarizing:
                        self.frame.sinks.add(replace(sink, param=label.param, cleared=label.cleared | sink.cleared,
                                                     trace=through(passed.trace, sink.trace)))
                        joined = self._sink_joined.get((rule, sink.span, sink.path), False)  # unknown for another module's sink
                        self._note_param_sink(sink, passed, (fn, span), joined)
                elif self.events and self.models.reaches(label.kind, rule, sink.sources):
                    self._report_flow(sink, label.origin, passed, self.models.confidence_of(label.kind), fn, span)
                    break
        value = summary.value
        returns_param = bool(summary.returns)
        cleared = value.cleared if not returns_param else frozenset()
        if returns_param and all("*" in c for _, c, _ in summary.returns):
            cleared = value.cleared
        return Value(value.const if not returns_param else UNKNOWN, value.qual, _cap(labels), value.built or returns_param and any(
            bound.get(p, CLEAN).built for p, _, _ in summary.returns
        ), cleared)

    def _report_flow(self, sink: SummarySink, origin: str, label: Label, confidence: str | None, fn: FunctionInfo,
                     call: ir.Span, data: dict[str, Any] | None = None) -> None:
        """Data from ``origin`` reaches ``sink`` through a call of ``fn``: one finding at the sink, whatever its
        file, with the whole trace: this file's steps to the call, then the callee's (and its callees') to the sink."""
        label = replace(label, trace=through(label.trace, sink.trace))
        self.report(sink.rule, sink.span, f"{sink.note} with {origin}, passed in by {fn.name}()", label, confidence,
                    sink_note=sink.note, data=data, at=sink if sink.path is not None else None)

    def _check_sinks(self, specs: list[SinkSpec], event: CallEvent) -> None:
        for spec in specs:
            if spec.receivers and not _receiver_matches(event, spec.receivers):
                continue
            if spec.when is not None:
                flag = event.kwargs.get(spec.when)
                if flag is None or (flag.is_const and self.hooks.facts.truth(flag.const) is False):
                    continue
            values = [event.args[i] for i in spec.args if i < len(event.args)]
            values += [event.kwargs[k] for k in spec.keywords if k in event.kwargs]
            if spec.receiver and event.receiver is not None:
                values.append(event.receiver)
            if spec.argv:
                values = [command for command in (_shell_command(event, v, self.models) for v in values) if command is not None]
            for value in values:
                self._check_value(spec, value, event.node.span)

    def sink(self, rule: str, value: Value, span: ir.Span, note: str, sources: tuple[str, ...] = DEFAULT_SOURCES) -> bool:
        """``value`` reaches a sink of ``rule``: report data of a ``sources`` kind, record a parameter's in the summary.

        The models' sinks come through here, and so do sinks a language implements in
        code because their danger depends on argument shapes (a response body is XSS
        only as a string): recorded in the function's summary, a parameter reaching
        one makes every caller that passes untrusted data a finding. True when reported.
        """
        reported = False
        for label in sorted(value.labels, key=self._report_order):
            if label.clears(rule):
                continue
            if label.kind == "param":
                if self.frame.summarizing:
                    found = SummarySink(label.param, rule, span, note, label.cleared, tuple(sources), trace=label.trace)
                    if _owns(self.frame.fn, label):
                        self.frame.sinks.add(found)  # a parameter captured from an enclosing function is not this one's
                    self._note_param_sink(found, label, None, value.built or JOINED in label.flags)
            elif not reported and self.models.reaches(label.kind, rule, sources):
                self.report(rule, span, f"{note} with {label.origin}", label, self.models.confidence_of(label.kind), sink_note=note)
                reported = True
        return reported

    def _report_order(self, label: Label) -> tuple:
        """Labels in the order a sink reports the first of: the most trusted kind first (request data before the
        environment), so a value holding both is reported as request data."""
        return (_TRUST_ORDER.get(self.models.confidence_of(label.kind), 0), label.sort_key())

    def _note_param_sink(self, sink: SummarySink, label: Label, via: tuple[FunctionInfo, ir.Span] | None, joined: bool) -> None:
        """Remember that a parameter of the function being walked reaches a sink of untrusted data.

        ``joined``: the parameter arrives joined with other text (``os.path.join(BASE, name)``,
        an f-string URL), which is what some rules need to hold for a caller's value.
        """
        fn = self.frame.fn
        while fn is not None and fn.parent is not None and not _owns(fn, label):
            fn = fn.parent  # a closure's sink on a parameter of the function it is nested in
        key = (sink.rule, sink.span, sink.path)
        self._sink_joined[key] = joined or self._sink_joined.get(key, False)
        if not self.events or fn is None or not self.models.reaches(UNKNOWN_ORIGIN, sink.rule, ()):
            return
        if joined or not self.models.needs_joining(UNKNOWN_ORIGIN, sink.rule):
            self._param_sinks.append(_ParamSink(fn, sink, label, via))

    def _report_unknown_callers(self) -> None:
        """Parameters of functions nothing in the file calls are input of unknown origin: report their sinks.

        Medium confidence: the flow is real, whether the data is hostile depends
        on a caller the scan cannot see (a library user, another service, a
        snippet pasted on its own). A function called here is judged at its
        calls instead, so callers that pass constants or checked values clear it.
        """
        for found in self._param_sinks:
            fn = found.fn
            if fn.qual in self.called or fn.qual in self._entries or not self.hooks.unknown_callers(self, fn):
                continue
            param = fn.node.params[found.label.param].name if 0 <= found.label.param < len(fn.node.params) else "?"
            origin = f"parameter '{param}' of {fn.name}() (caller unknown)"
            first = Step(found.label.trace[0].span, f"parameter '{param}' of {fn.name}(): no caller in the scanned code, input of unknown origin") if found.label.trace else None
            label = replace(found.label, kind=UNKNOWN_ORIGIN, origin=origin, trace=((first,) + found.label.trace[1:]) if first else ())
            data = {"caller-unknown": fn.qual}
            confidence = self.models.confidence_of(UNKNOWN_ORIGIN)
            if found.via is not None:
                self._report_flow(found.sink, origin, label, confidence, found.via[0], found.via[1], data)
            else:
                self.report(found.sink.rule, found.sink.span, f"{found.sink.note} with {origin}", label, confidence,
                            sink_note=found.sink.note, data=data)

    def _check_value(self, spec: SinkSpec, value: Value, span: ir.Span) -> None:
        reported = self.sink(spec.rule, value, span, spec.note, spec.sources)
        if reported or not spec.dynamic or value.clears(spec.rule) or not self.events:
            return
        if spec.dynamic == "any" and not any(label.kind == "param" for label in value.labels):
            # A parameter's value is judged at the calls, or as input of unknown origin when there are none.
            what = "a string built from non-constant parts" if value.built else "a non-constant value"
            self.report(spec.rule, span, f"{spec.note} with {what}", confidence="medium", data={"dynamic": True})


# ------------------------------------------------------------------ helpers

_STMT_TYPES = (ir.Assign, ir.ExprStmt, ir.Return, ir.Raise, ir.Jump, ir.If, ir.Loop, ir.Try, ir.With, ir.FunctionDef, ir.ClassDef, ir.Import, ir.ImportFrom)
_EXPR_TYPES = (ir.Const, ir.Name, ir.Attr, ir.Index, ir.Starred, ir.Call, ir.Concat, ir.BinOp, ir.UnaryOp, ir.BoolOp, ir.Compare, ir.Cond, ir.Seq, ir.Dict, ir.Comp, ir.Lambda, ir.Opaque)


def _shell_command(event: CallEvent, argv: Value, models: Models) -> Value | None:
    """The command string an argument vector hands a shell: ``['sh', '-c', cmd]``, or ``spawn('bash', ['-c', cmd])``."""
    program, rest = argv.item(0), 1
    if argv is not (event.args[0] if event.args else None) and event.args and event.args[0].is_const:
        program, rest = event.args[0], 0  # spawn(program, args): the vector follows the program
    if program is None or not isinstance(program.const, str) or program.const.rsplit("/", 1)[-1].lower() not in models.shells:
        return None
    flag = argv.item(rest)
    if flag is None or not isinstance(flag.const, str) or flag.const.lower() not in models.shell_flags:
        return None
    return argv.item(rest + 1)


def _through_sanitizer(labels: Iterable[Label], spec: SanitizerSpec, span: ir.Span,
                       base_labels: frozenset[Label] = frozenset()) -> frozenset[Label]:
    """The labels of a sanitizer's result: ``spec.clears`` cleared (the rest forgotten when it ``restores``), its
    flags added (``joined`` only to the labels of ``base_labels``, the text the others were joined onto)."""
    return _cap(
        replace(l, cleared=(frozenset() if spec.restores else l.cleared) | spec.clears,
                flags=l.flags | (spec.adds - {JOINED} if l in base_labels else spec.adds)).step(span, spec.note)
        for l in labels
    )


def _sanitized(value: Value, spec: SanitizerSpec, span: ir.Span) -> Value:
    """A project function's result trusted by its name (a dialect's ``quote_identifier``): harmless for ``spec.clears``."""
    return replace(value, labels=_through_sanitizer(value.labels, spec, span), cleared=value.cleared | spec.clears)


def _through_unknown_call(arguments: list[Value]) -> frozenset[Label]:
    """The labels an unknown call's result takes from its arguments: all of them, those that came only inside an
    object or array argument flagged :data:`IN_ARGUMENT_OBJECT` (a sink that needs the text itself can skip them)."""
    direct = union(a for a in arguments if a.items is None)
    nested = frozenset(l if l in direct or IN_ARGUMENT_OBJECT in l.flags else replace(l, flags=l.flags | {IN_ARGUMENT_OBJECT})
                       for a in arguments if a.items is not None for l in a.labels)
    return direct | nested


def _lookup(container: Value, key: Value) -> Value | None:
    """``m.get(key)``: the entry at a constant key, or for a constant mapping any of its values (an allow-list by another name)."""
    if key.is_const and _is_key(key.const):
        found = _entry(container, key.const)
        if found is not None:
            return found
    if isinstance(container.const, dict):
        return Value(cleared=ALL)
    return None


def _entry(container: Value, key: Any) -> Value | None:
    """The entry at a constant key; for a container whose every key is known (``m = {}; m['a'] = x``), a named key
    it does not hold is absent (nothing is read, ``m['b']`` is clean); None when the entry is not tracked."""
    found = container.item(key)
    if found is None and isinstance(key, tuple) and len(key) == 2 and (outer := container.item(key[0])) is not None:
        found = _entry(outer, key[1])  # cfg.get('a', 'x') after cfg['a'] = {'x': ...}
    if found is None:
        found = containers.section(container, key)  # cfg['a'] after cfg.set('a', 'x', ...)
    if found is None and not isinstance(key, int) and containers.fully_known(container):
        return Value(cleared=ALL)  # nothing, or the program's own default
    return found


def _entry_key(event: CallEvent, indexes: tuple[int, ...]) -> Value:
    """The key the arguments at ``indexes`` name: one argument's value, or for several (a configparser option's
    section and name) the tuple of their constants, unknown unless all are constant keys."""
    if len(indexes) == 1:
        return event.args[indexes[0]]
    parts = [event.args[i].const for i in indexes]
    return Value(const=tuple(parts)) if all(_is_key(p) for p in parts) else CLEAN


def _owns(fn: FunctionInfo | None, label: Label) -> bool:
    """Whether a ``param`` label is a parameter of ``fn`` itself (not one a closure captured from its parent)."""
    if fn is None or not label.trace or fn.origin is not None:
        return True
    params = fn.node.params
    return 0 <= label.param < len(params) and params[label.param].span == label.trace[0].span


def _is_key(const: Any) -> bool:
    """Constants that name a container entry: strings and integers (not booleans), and tuples of them (a composite key)."""
    if isinstance(const, tuple):
        return bool(const) and all(_is_key(part) for part in const)
    return isinstance(const, (str, int)) and not isinstance(const, bool)


def _store_item(items: "tuple[tuple[Any, Value], ...] | None", key: Value, value: Value) -> "tuple[tuple[Any, Value], ...] | None":
    """The tracked entries after ``container[key] = value``: replaced or added for a constant key, forgotten otherwise."""
    if items is None or not key.is_const or not _is_key(key.const):
        return None
    kept = tuple((k, v) for k, v in items if not (type(k) is type(key.const) and k == key.const) and not containers.under(k, key.const))
    if len(kept) == len(items) and isinstance(key.const, int):
        return None  # an index past the tracked ones: a list grew in a way not followed
    updated = kept + ((key.const, value),)
    return updated if len(updated) <= MAX_ITEMS else None


def _receiver_matches(event: CallEvent, names: tuple[str, ...]) -> bool:
    """The receiver's own name (``logger`` in ``self.logger.info``) or type contains one of ``names``."""
    func = event.node.func
    if not isinstance(func, ir.Attr):
        return False
    obj = func.obj
    text = obj.id if isinstance(obj, ir.Name) else obj.name if isinstance(obj, ir.Attr) else ""
    text = (text + " " + (event.receiver.qual or "" if event.receiver is not None else "")).lower()
    return any(name in text for name in names)


def through(outer: tuple[Step, ...], inner: tuple[Step, ...]) -> tuple[Step, ...]:
    """A caller's steps up to a call, then the callee's steps to its sink (capped: the two ends are kept)."""
    trace = outer + inner
    if len(trace) > MAX_FLOW_TRACE:
        trace = trace[:4] + trace[-(MAX_FLOW_TRACE - 4):]
    return trace


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and place: the most confident, then the one with the shortest trace."""
    best: dict[tuple, Hit] = {}
    for hit in hits:
        key = (hit.rule, hit.path, hit.span.line, hit.span.column)
        old = best.get(key)
        if old is None or _hit_rank(hit) > _hit_rank(old):
            best[key] = hit
    return sorted(best.values(), key=lambda h: (h.path or "", h.span.line, h.span.column, h.rule, h.message))


def _hit_rank(hit: Hit) -> tuple:
    """The most confident hit wins; among equals a traced flow beats a traceless one, then the shorter flow."""
    return (_CONFIDENCE_RANK.get(hit.confidence or "high", 2), bool(hit.trace), -len(hit.trace), hit.message)


def _path(expr: ir.Expr) -> str | None:
    """``a`` or ``a.b.c``: the env key of a variable or an attribute path, else None."""
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        base = _path(expr.obj)
        return f"{base}.{expr.name}" if base is not None else None
    return None


def _element(value: Value) -> Value:
    return Value(labels=value.labels, built=value.built, cleared=value.cleared if not value.is_const else ALL)


def _as_str(value: Value) -> str | None:
    if isinstance(value.const, str):
        return value.const
    if value.is_const and isinstance(value.const, (int, float)) and not isinstance(value.const, bool):
        return str(value.const)
    return None


def _concat(parts: list[Value]) -> Value:
    texts = [_as_str(p) for p in parts]
    if all(t is not None for t in texts):
        text = "".join(texts)  # type: ignore[arg-type]
        if len(text) <= MAX_CONST:
            return Value(const=text)
        return Value(cleared=ALL)
    return Value(labels=union(parts), built=True, cleared=_cleared_of(parts))


def _fold(op: str, left: Any, right: Any, repeats_text: bool = False) -> Any:
    """``left op right`` on constants where every language agrees (``repeats_text``: the operator repeats text)."""
    numeric = (int, float)
    if isinstance(left, bool) or isinstance(right, bool):
        return UNKNOWN
    if isinstance(left, numeric) and isinstance(right, numeric):
        try:
            if op == "+":
                return left + right
            if op == "-":
                return left - right
            if op == "*" and abs(left) < 1e9 and abs(right) < 1e9:
                return left * right
            if op == "|" and isinstance(left, int) and isinstance(right, int):
                return left | right
            if op == "&" and isinstance(left, int) and isinstance(right, int):
                return left & right
            if op == "<<" and isinstance(left, int) and isinstance(right, int) and 0 <= left and 0 <= right < 31 and left << right < 2**31:
                return left << right  # within 32 bits, where fixed-width shifts agree
            if op == "**" and abs(left) < 1e6 and isinstance(right, int) and 0 <= right < 16:
                return left**right
        except (OverflowError, ArithmeticError):
            return UNKNOWN
    if repeats_text and isinstance(left, (str, bytes)) and isinstance(right, int) and len(left) * max(right, 0) <= MAX_CONST:
        return left * right
    return UNKNOWN


_COMPARE_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
    "is": lambda a, b: a is b if a is None or b is None or isinstance(a, bool) else a == b,
    "is not": lambda a, b: not (a is b if a is None or b is None or isinstance(a, bool) else a == b),
}
_COMPARABLE = (str, bytes, int, float, bool, type(None), tuple, list, frozenset, dict)


def _fold_compare(ops: Sequence[str], consts: list[Any]) -> Any:
    """A comparison chain of constants (``3 > 2``, ``"a" in "abc"``, ``MODE == "dev"``); UNKNOWN when it cannot be decided.

    Only plain data is compared (never a foreign object whose ``__eq__`` could do
    anything) and nothing is allocated, so folding stays cheap on any input.
    """
    if not all(isinstance(c, _COMPARABLE) for c in consts):
        return UNKNOWN
    try:
        for op, left, right in zip(ops, consts, consts[1:]):
            compare = _COMPARE_OPS.get(op)
            if compare is None:
                return UNKNOWN
            if not compare(left, right):
                return False
        return True
    except (TypeError, ValueError, RecursionError):  # "a" < 1, unhashable members
        return UNKNOWN
