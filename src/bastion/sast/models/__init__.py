r"""Taint knowledge as data: sources, sinks, sanitizers, guards and no-return calls.

One TOML file per library or framework, in a folder per language
(``models/python/flask.toml``); ``models/common`` holds what every language
shares (trust levels, what checks defend which sink class) and loads first. Users add folders of their own through the
``taint-models`` config key; their files use the same schema and extend the
built-in ones. The loader is language-neutral: names are the qualified names
the frontend's semantic model produces (``subprocess.run``,
``flask.request.args``, ``sqlite3.connect().cursor().execute``); a ``method``
entry matches a method of that name on any receiver whose type is unknown.

Schema (every table optional)::

    noreturn = ["flask.abort", "sys.exit"]
    shells = ["sh", "bash"]         # programs that run a command string (models/common: an OS fact)
    shell_flags = ["-c"]            # the flags that hand it to them: ['sh', '-c', cmd]

    [[source]]              # reading this name yields untrusted data
    name = "flask.request.args"
    kind = "remote"         # remote | local | exception | secret | weak-random ...

    [[sink]]                # passing tainted data here is the weakness `rule`
    call = "subprocess.run" # or: method = "execute"
    rule = "command-injection"
    args = [0]              # positional arguments checked
    keywords = ["args"]     # keyword arguments checked
    when = "shell"          # only when this keyword is not constant-false
    sources = ["remote", "local"]   # source kinds that matter (this is the default)
    dynamic = "built"       # also report non-constant values: "built" (assembled strings from parameters) | "any"
    receivers = ["log"]     # method sinks only: the receiver's name must contain one of these
    argv = true             # the argument is an argument vector: the sink is the command string of a shell
                            # it starts (['sh', '-c', cmd], or spawn('bash', ['-c', cmd]))

    [[sanitizer]]           # the result is clean for these rules ("*": all)
    call = "shlex.quote"
    clears = ["command-injection"]
    adds = ["normalized"]   # flags later guards may require
    restores = true         # a decoder (json.loads, base64 decoding): what encoders cleared is dangerous again
    from = "receiver"       # the result comes from these inputs alone ("receiver" or argument indexes):
                            # path.relative_to(base) holds none of base's text
    own = true              # method entries: applies also when the scanned code defines a function or
                            # method of that name (a dialect's own preparer.quote_identifier()): its result
                            # is trusted by the name, whatever the analysis of its body says

    [[guard]]               # a condition that, when true, cleans its subject
    method = "startswith"   # subject: the receiver (or argument `arg`); or call = "re.fullmatch", arg = 1
    clears = ["path-traversal"]
    requires = "normalized" # only labels carrying this flag are cleaned
    pattern = 0             # optional: argument holding a regex; clears what a match proves
                            # ("receiver": the regex the receiver was built from, ``/^[a-z]+$/.test(x)``)
    anchored = true         # with pattern: false when the call only matches a prefix (re.match)
    search = false          # with pattern: the call finds the regex anywhere (JS ``test``): needs ^ and $;
                            # when it finds nothing, the class it searched for is absent (``absent`` table)
    equals = false          # holds when the call's result equals another value: os.path.commonpath([base, p]) == base
    text = "//"             # optional: applies only when argument 0 is this constant
    holds = false           # optional: applies where the call returned false (default: true)
    adds = ["rooted"]       # optional: flags it gives the subject's labels, for later guards' `requires`
    raises = true           # optional: the call raises unless the guard holds (target.relative_to(BASE)):
                            # it holds after every call that returned

    [[trust]]               # how far data of a source kind is believed hostile
    kind = "local"          # a source kind; "unknown" is the parameter of a function nothing calls
    confidence = "medium"   # the confidence of findings its data reaches (default: the rule's)
    rules = ["sql-injection"]   # optional: also reported at these rules' sinks, whatever their `sources`
                            # (for "unknown": ONLY at these rules' sinks)
    joined = ["path-traversal"] # optional: at these rules' sinks only when joined with other text
                            # (a base folder, a host): a value passed whole is the caller's choice

    absent = [{ text = "..", clears = ["path-traversal"] }]
                            # a check that the value does not contain `text` clears these rules
    url-parts = ["netloc", "hostname"]
                            # an allow-list check on these attributes of a parsed URL (``parsed.netloc in HOSTS``
                            # after ``parsed = urlparse(url)``) vouches for the URL it was parsed from
    [[substitute]]          # re.sub(r"[^A-Za-z0-9_.-]", "_", name): the result holds none of the class's characters
    call = "re.sub"         # (but those of the replacement): what their absence clears (the absent table)
    pattern = 0
    replacement = 1
    subject = 2             # or "receiver" (default): name.replace(/[^\w.-]/g, '_')
    flag = "g"              # optional: the regex literal must carry this flag
    literal = true          # optional: the pattern is plain text replaced everywhere (``name.replace("/", "_")``;
                            # a count argument, which replaces only the first ones, proves nothing)

    [[cut]]                 # x.rsplit(".", 1)[-1]: a piece of text cut at a one-character separator holds
    method = "rsplit"       # none of it, so what its absence clears (the absent table: no "." means no "..")
    sep = 0                 # argument holding the separator
    limit = 1               # argument (or keyword "maxsplit") limiting the cuts; -1: the method always cuts once
    pieces = [-1]           # when limited, the indexes of the pieces that hold no separator (unlimited: every piece)

    [[authenticated]]       # hmac.compare_digest(sig, hmac.new(KEY, blob, sha256).hexdigest()) held:
    check = "hmac.compare_digest"   # blob carries this program's own MAC (argument `arg` of the `mac` call)
    mac = "hmac.new"
    arg = 1

    [[relative]]            # rel = path.relative(root, p); if (rel.startsWith('..')) return: p is under root
    call = "path.relative"  # (which resolves both paths itself)
    arg = 1
    method = "startsWith"

    type-test = [{ operator = "typeof", type = "string", clears = ["nosql-injection"] }]
                            # `typeof x === 'string'` held (or `!== 'string'` failed): x is a string

    ancestors = ["parents"] # BASE in target.parents held: a normalized target lies under BASE
    host-parts = ["netloc"]  # an empty one (``if parsed.netloc: target = "/"``) means a relative URL
    absent = [{ chars = [";", "&", "|", "`", "$", "\n"], clears = ["command-injection"] }]
                            # a failed search for a character class (`if re.search(r"[;&|`$\n]", x): abort()`)
                            # that rules out every one of `chars` clears these rules

    [[mutator]]             # a call that stores its arguments into a container
    method = "append"       # or: call = "Object.assign"
    args = [0]              # the arguments stored
    into = "receiver"       # where they go: "receiver" (default) or an argument index
    key = 0                 # optional: the argument holding the entry's key (Map.set): a constant key
                            # replaces that entry alone, so m.get('b') stays clean after m.set('a', x);
                            # a list of arguments makes one key of their constants: ConfigParser.set(section,
                            # option, value) is key = [0, 1]
    merge = true            # optional: the arguments are objects copied key by key, later ones winning
                            # (Object.assign(target, ...sources), dict.update); the call's result is the target

    [[lookup]]              # a method reading one entry of a container by key: m.get("a", default)
    method = "get"          # or: call = "configparser.ConfigParser().get"
    key = [0]               # optional: the arguments holding the key (default [0]; [0, 1]: section and option)
    default = 1             # optional: the argument holding the default (default 1; -1: none)
    default-keyword = "fallback"  # optional: the keyword holding the default

Several guards may share a call or method name (``startsWith`` clears path
traversal only on normalized paths but open redirects on any): each applies
with its own ``requires``. Method entries (sinks, sanitizers, guards) never
apply to a call that resolves to a function or class of the analysed file.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

DEFAULT_SOURCES = ("remote", "local")
_HERE = Path(__file__).parent


class ModelError(ValueError):
    """A model file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    note: str


@dataclass(frozen=True)
class SinkSpec:
    rule: str
    args: tuple[int, ...]
    keywords: tuple[str, ...]
    when: str | None
    sources: tuple[str, ...]
    dynamic: str | None
    note: str
    receiver: bool = False  # the receiver itself is the dangerous value (``tainted.format(...)``)
    receivers: tuple[str, ...] = ()  # method sinks: the receiver's name must contain one of these (``log`` for loggers)
    argv: bool = False  # the argument is an argv list: only the command string of a shell it starts is checked


@dataclass(frozen=True)
class SanitizerSpec:
    clears: frozenset[str]
    adds: frozenset[str]
    note: str
    restores: bool = False  # a decoder: the result loses what encoders (json.dumps, quote) made harmless
    inputs: tuple[int, ...] | None = None  # where the result comes from: argument indexes, -1 the receiver; None all
    own: bool = False  # a method entry that also holds for the scanned code's own function of that name


@dataclass(frozen=True)
class GuardSpec:
    arg: int | None  # None: the receiver of a method
    clears: frozenset[str]
    requires: str | None
    pattern: int | str | None = None  # argument holding a regex, or "receiver"; what it proves decides what is cleared
    anchored: bool = True  # the call matches the whole value (fullmatch), not a prefix
    search: bool = False  # the call finds the regex anywhere in the value: proves something only with ^...$
    equals: bool = False  # holds when the call's result is found equal to another value (``commonpath([base, p]) == base``)
    text: str | None = None  # only when the call's argument 0 is this constant (``next.startsWith('//')``)
    holds: bool = True  # applies where the call returned true (False: where it returned false)
    adds: frozenset[str] = frozenset()  # flags later guards may require (``startsWith('/')``: a path of this site)
    raises: bool = False  # the call raises unless the guard holds: it holds wherever the call returned (``relative_to``)


@dataclass(frozen=True)
class MutatorSpec:
    """A call that stores ``args`` into ``into`` (the receiver, or an argument by index): ``items.append(x)``."""

    args: tuple[int, ...]
    into: int | None  # None: the receiver
    key: tuple[int, ...] | None = None  # arguments holding the entry's key (``m.set(key, v)``): a constant key replaces one entry
    merge: bool = False  # the arguments are objects copied key by key, later ones winning (``Object.assign``)


@dataclass(frozen=True)
class LookupSpec:
    """A call reading one entry of a container by key: ``m.get("a", default)``, ``cfg.get("section", "option")``.

    ``key``: the arguments whose constants make the key (one, or several for a composite key such as a
    configparser option's (section, option)); ``default``: the argument (index, or -1 for none) or keyword
    holding the value returned when the entry is absent."""

    key: tuple[int, ...] = (0,)
    default: int = 1
    default_keyword: str | None = None


@dataclass(frozen=True)
class SubstituteSpec:
    """A call that replaces every match of a regex (``re.sub(p, r, s)``, ``s.replace(/p/g, r)``)."""

    pattern: int  # argument holding the regex
    replacement: int  # argument holding the replacement text
    subject: int | None  # argument holding the text (None: the receiver)
    flag: str | None = None  # the regex literal must carry this flag ("g": every match, not the first)
    literal: bool = False  # the pattern is plain text, not a regex (Python's ``str.replace(old, new)``)


@dataclass(frozen=True)
class CutSpec:
    """A method cutting text at a separator (``x.rsplit(".", 1)``): which pieces hold no separator."""

    sep: int  # argument holding the separator
    limit: int  # argument limiting the number of cuts (-1: the method always cuts once)
    pieces: tuple[int, ...]  # the pieces without a separator when the cuts are limited (unlimited: all)


@dataclass(frozen=True)
class RelativeSpec:
    """``rel = path.relative(root, p)``: when ``rel.<method>('..')`` is false, argument ``arg`` (``p``) lies under the root."""

    arg: int
    method: str


@dataclass(frozen=True)
class TrustSpec:
    """Belief in data of one source kind: the confidence its findings get and the sinks it is reported at."""

    kind: str
    confidence: str | None
    rules: frozenset[str]
    joined: frozenset[str] = frozenset()


@dataclass
class Models:
    """Every model of one language, indexed for lookup by qualified name and by method name."""

    sources: dict[str, SourceSpec] = field(default_factory=dict)
    sinks: dict[str, list[SinkSpec]] = field(default_factory=dict)
    method_sinks: dict[str, list[SinkSpec]] = field(default_factory=dict)
    sanitizers: dict[str, SanitizerSpec] = field(default_factory=dict)
    method_sanitizers: dict[str, SanitizerSpec] = field(default_factory=dict)
    guards: dict[str, list[GuardSpec]] = field(default_factory=dict)
    method_guards: dict[str, list[GuardSpec]] = field(default_factory=dict)
    noreturn: set[str] = field(default_factory=set)
    trust: dict[str, TrustSpec] = field(default_factory=dict)
    mutators: dict[str, MutatorSpec] = field(default_factory=dict)
    lookups: dict[str, LookupSpec] = field(default_factory=dict)  # calls reading an entry by key
    method_lookups: dict[str, LookupSpec] = field(default_factory=dict)
    method_mutators: dict[str, MutatorSpec] = field(default_factory=dict)
    absent: dict[str, frozenset[str]] = field(default_factory=dict)  # text -> rules its absence clears
    absent_chars: list[tuple[frozenset[str], frozenset[str]]] = field(default_factory=list)  # (characters, rules) all absent clear
    url_parts: frozenset[str] = frozenset()  # attributes of a parsed URL whose allow-list check vouches for the URL
    host_parts: frozenset[str] = frozenset()  # attributes of a parsed URL empty only for a relative URL
    relative: dict[str, RelativeSpec] = field(default_factory=dict)  # call -> what a failed ".." prefix test on its result proves
    type_tests: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # (operator, type name) -> rules cleared
    substitutes: dict[str, SubstituteSpec] = field(default_factory=dict)
    macs: dict[str, dict[str, int]] = field(default_factory=dict)  # equality check -> MAC call -> argument it authenticates
    ancestors: frozenset[str] = frozenset()  # attributes listing a path's ancestors: BASE in target.parents
    method_substitutes: dict[str, SubstituteSpec] = field(default_factory=dict)
    cuts: dict[str, CutSpec] = field(default_factory=dict)  # method -> which pieces of its cut hold no separator

    def substitute_for(self, qual: str | None, method: str | None) -> SubstituteSpec | None:
        if qual and qual in self.substitutes:
            return self.substitutes[qual]
        return self.method_substitutes.get(method) if method and _unknown_receiver(qual) else None
    shells: set[str] = field(default_factory=set)  # programs that run their -c argument as a command string
    shell_flags: set[str] = field(default_factory=set)  # the flags that hand them the command string
    digest: str = ""

    def reaches(self, kind: str, rule: str, sources: Iterable[str]) -> bool:
        """Whether data of source ``kind`` is reported at a sink of ``rule`` accepting ``sources``."""
        if kind in sources:
            return True
        trust = self.trust.get(kind)
        return trust is not None and rule in trust.rules

    def needs_joining(self, kind: str, rule: str) -> bool:
        """Whether data of ``kind`` counts at a sink of ``rule`` only when joined with other text."""
        trust = self.trust.get(kind)
        return trust is not None and rule in trust.joined

    def confidence_of(self, kind: str) -> str | None:
        trust = self.trust.get(kind)
        return trust.confidence if trust is not None else None

    def sinks_for(self, qual: str | None, method: str | None) -> list[SinkSpec]:
        """Sinks of a call (``method``: None when the call resolves to the file's own code)."""
        if qual and qual in self.sinks:
            return self.sinks[qual]
        if method and method in self.method_sinks and _unknown_receiver(qual):
            return self.method_sinks[method]
        return []

    def sanitizer_for(self, qual: str | None, method: str | None) -> SanitizerSpec | None:
        return _by_call_or_method(self.sanitizers, self.method_sanitizers, qual, method)

    def own_sanitizer_for(self, name: str) -> SanitizerSpec | None:
        """The method entry trusted even for the scanned code's own function called ``name`` (``own = true``)."""
        spec = self.method_sanitizers.get(name)
        return spec if spec is not None and spec.own else None

    def lookup_for(self, qual: str | None, method: str | None) -> LookupSpec | None:
        return _by_call_or_method(self.lookups, self.method_lookups, qual, method, any_receiver=True)

    def mutator_for(self, qual: str | None, method: str | None) -> MutatorSpec | None:
        return _by_call_or_method(self.mutators, self.method_mutators, qual, method)

    def guards_for(self, qual: str | None, method: str | None) -> list[GuardSpec]:
        if qual and qual in self.guards:
            return self.guards[qual]
        if method:
            return self.method_guards.get(method, [])
        return []


def _by_call_or_method(calls: dict[str, Any], methods: dict[str, Any], qual: str | None, method: str | None,
                       any_receiver: bool = False) -> Any:
    """A call's entry by its qualified name, else by its method name (on a receiver of unknown type, unless
    ``any_receiver``: ``m.get(k)`` reads an entry of whatever ``m`` is)."""
    if qual and qual in calls:
        return calls[qual]
    if method and (any_receiver or _unknown_receiver(qual)):
        return methods.get(method)
    return None


def _unknown_receiver(qual: str | None) -> bool:
    """Method entries match receivers of unknown or unmodelled type, never a module's own function (``re.search``)."""
    return qual is None or "()" in qual or "[]" in qual


def _strs(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, ())
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ModelError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(value)


def _target(entry: dict[str, Any], where: str) -> tuple[str, bool]:
    """The entry's name and whether it names a method (any receiver) rather than a qualified call."""
    if isinstance(entry.get("call"), str):
        return entry["call"], False
    if isinstance(entry.get("method"), str):
        return entry["method"], True
    raise ModelError(f"{where}: needs 'call' or 'method'")


_FIELDS = {
    "source": {"name", "kind", "note"},
    "sink": {"call", "method", "rule", "args", "keywords", "when", "sources", "dynamic", "note", "receiver", "receivers", "argv"},
    "sanitizer": {"call", "method", "clears", "adds", "note", "restores", "from", "own"},
    "guard": {"call", "method", "arg", "clears", "requires", "pattern", "anchored", "search", "equals", "text", "holds", "adds", "raises"},
    "trust": {"kind", "confidence", "rules", "joined"},
    "absent": {"text", "chars", "clears"},
    "mutator": {"call", "method", "args", "into", "key", "merge"},
    "lookup": {"call", "method", "key", "default", "default-keyword"},
    "relative": {"call", "arg", "method"},
    "type-test": {"operator", "type", "clears"},
    "substitute": {"call", "method", "pattern", "replacement", "subject", "flag", "literal"},
    "authenticated": {"check", "mac", "arg"},
    "cut": {"method", "sep", "limit", "pieces"},
}
_CONFIDENCES = ("high", "medium", "low")


def _is_index(value: Any) -> bool:
    """An argument index in a model file: an integer, and not a boolean (which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _key_indexes(value: Any, where: str) -> tuple[int, ...]:
    """The arguments holding an entry's key: one index, or a non-empty list of them (a composite key)."""
    indexes = value if isinstance(value, list) else [value]
    if not indexes or not all(_is_index(i) and i >= 0 for i in indexes):
        raise ModelError(f"{where}: 'key' must be an argument index or a list of them")
    return tuple(indexes)


def _add_file(models: Models, path: Path, data: dict[str, Any]) -> None:
    for key in data:
        if key not in ("noreturn", "shells", "shell_flags", "source", "sink", "sanitizer", "guard", "trust", "absent",
                       "mutator", "lookup", "url-parts", "host-parts", "relative", "type-test", "substitute",
                       "authenticated", "ancestors", "cut"):
            raise ModelError(f"{path.name}: unknown table '{key}'")
        if key not in ("noreturn", "shells", "shell_flags", "url-parts", "host-parts", "ancestors"):
            if not isinstance(data[key], list):
                raise ModelError(f"{path.name}: '{key}' must be an array of tables")
            for i, entry in enumerate(data[key]):
                unknown = set(entry) - _FIELDS[key] if isinstance(entry, dict) else {"<not a table>"}
                if unknown:
                    raise ModelError(f"{path.name} {key} #{i + 1}: unknown field(s) {', '.join(sorted(unknown))}")
    models.noreturn.update(_strs(data, "noreturn", path.name))
    models.shells.update(name.lower() for name in _strs(data, "shells", path.name))
    models.shell_flags.update(flag.lower() for flag in _strs(data, "shell_flags", path.name))
    for i, entry in enumerate(data.get("source", [])):
        where = f"{path.name} source #{i + 1}"
        if not isinstance(entry.get("name"), str) or not isinstance(entry.get("kind", "remote"), str):
            raise ModelError(f"{where}: needs a string 'name'")
        models.sources[entry["name"]] = SourceSpec(entry["name"], entry.get("kind", "remote"), entry.get("note", entry["name"]))
    for i, entry in enumerate(data.get("sink", [])):
        where = f"{path.name} sink #{i + 1}"
        name, is_method = _target(entry, where)
        if not isinstance(entry.get("rule"), str):
            raise ModelError(f"{where}: needs a string 'rule'")
        args = entry.get("args", [0] if "keywords" not in entry and not entry.get("receiver") else [])
        if not isinstance(args, list) or not all(_is_index(a) for a in args):
            raise ModelError(f"{where}: 'args' must be a list of integers")
        dynamic = entry.get("dynamic")
        if dynamic not in (None, "built", "any"):
            raise ModelError(f"{where}: 'dynamic' must be \"built\" or \"any\"")
        spec = SinkSpec(
            entry["rule"],
            tuple(args),
            _strs(entry, "keywords", where),
            entry.get("when"),
            _strs(entry, "sources", where) or DEFAULT_SOURCES,
            dynamic,
            entry.get("note", name),
            bool(entry.get("receiver", False)),
            tuple(r.lower() for r in _strs(entry, "receivers", where)),
            bool(entry.get("argv", False)),
        )
        (models.method_sinks if is_method else models.sinks).setdefault(name, []).append(spec)
    for i, entry in enumerate(data.get("mutator", [])):
        where = f"{path.name} mutator #{i + 1}"
        name, is_method = _target(entry, where)
        args, into = entry.get("args", [0]), entry.get("into", "receiver")
        if not isinstance(args, list) or not all(_is_index(a) for a in args):
            raise ModelError(f"{where}: 'args' must be a list of integers")
        if into != "receiver" and not _is_index(into):
            raise ModelError(f"{where}: 'into' must be \"receiver\" or an argument index")
        key = entry.get("key")
        if key is not None:
            key = _key_indexes(key, where)
        spec_m = MutatorSpec(tuple(args), None if into == "receiver" else into, key, bool(entry.get("merge", False)))
        (models.method_mutators if is_method else models.mutators)[name] = spec_m
    for i, entry in enumerate(data.get("authenticated", [])):
        where = f"{path.name} authenticated #{i + 1}"
        if not isinstance(entry.get("check"), str) or not isinstance(entry.get("mac"), str):
            raise ModelError(f"{where}: needs a string 'check' and a string 'mac'")
        if not _is_index(entry.get("arg")):
            raise ModelError(f"{where}: 'arg' must be an argument index")
        models.macs.setdefault(entry["check"], {})[entry["mac"]] = entry["arg"]
    for i, entry in enumerate(data.get("substitute", [])):
        where = f"{path.name} substitute #{i + 1}"
        name, is_method = _target(entry, where)
        subject = entry.get("subject", "receiver")
        indexes = [entry.get("pattern", 0), entry.get("replacement", 1)] + ([] if subject == "receiver" else [subject])
        if not all(_is_index(a) for a in indexes):
            raise ModelError(f"{where}: 'pattern', 'replacement' and 'subject' must be argument indexes (subject may be \"receiver\")")
        if not isinstance(entry.get("literal", False), bool):
            raise ModelError(f"{where}: 'literal' must be true or false")
        spec_r = SubstituteSpec(indexes[0], indexes[1], None if subject == "receiver" else subject, entry.get("flag"),
                                entry.get("literal", False))
        (models.method_substitutes if is_method else models.substitutes)[name] = spec_r
    for i, entry in enumerate(data.get("cut", [])):
        where = f"{path.name} cut #{i + 1}"
        pieces = entry.get("pieces")
        if not isinstance(entry.get("method"), str) or not all(_is_index(entry.get(k)) for k in ("sep", "limit")) \
                or not isinstance(pieces, list) or not pieces or not all(_is_index(p) for p in pieces):
            raise ModelError(f"{where}: needs a string 'method', argument indexes 'sep' and 'limit', a list of indexes 'pieces'")
        models.cuts[entry["method"]] = CutSpec(entry["sep"], entry["limit"], tuple(pieces))
    for i, entry in enumerate(data.get("type-test", [])):
        where = f"{path.name} type-test #{i + 1}"
        if not isinstance(entry.get("operator"), str) or not isinstance(entry.get("type"), str):
            raise ModelError(f"{where}: needs a string 'operator' and a string 'type'")
        models.type_tests[(entry["operator"], entry["type"])] = frozenset(_strs(entry, "clears", where))
    for i, entry in enumerate(data.get("relative", [])):
        where = f"{path.name} relative #{i + 1}"
        if not isinstance(entry.get("call"), str) or not isinstance(entry.get("method"), str):
            raise ModelError(f"{where}: needs a string 'call' and a string 'method'")
        if not _is_index(entry.get("arg")):
            raise ModelError(f"{where}: 'arg' must be an argument index")
        models.relative[entry["call"]] = RelativeSpec(entry["arg"], entry["method"])
    for i, entry in enumerate(data.get("lookup", [])):
        where = f"{path.name} lookup #{i + 1}"
        name, is_method = _target(entry, where)
        default, keyword = entry.get("default", 1), entry.get("default-keyword")
        if not (default == -1 or _is_index(default)) or not (keyword is None or isinstance(keyword, str)):
            raise ModelError(f"{where}: 'default' must be an argument index or -1, 'default-keyword' a string")
        spec_l = LookupSpec(_key_indexes(entry.get("key", [0]), where), default, keyword)
        (models.method_lookups if is_method else models.lookups)[name] = spec_l
    models.url_parts |= frozenset(_strs(data, "url-parts", f"{path.name} url-parts"))
    models.host_parts |= frozenset(_strs(data, "host-parts", f"{path.name} host-parts"))
    models.ancestors |= frozenset(_strs(data, "ancestors", f"{path.name} ancestors"))
    for i, entry in enumerate(data.get("absent", [])):
        where = f"{path.name} absent #{i + 1}"
        clears = frozenset(_strs(entry, "clears", where))
        if isinstance(entry.get("chars"), list) and entry["chars"]:
            chars = _strs(entry, "chars", where)
            if not all(len(c) == 1 for c in chars):
                raise ModelError(f"{where}: 'chars' must list single characters")
            models.absent_chars.append((frozenset(chars), clears))
            continue
        if not isinstance(entry.get("text"), str) or not entry["text"]:
            raise ModelError(f"{where}: needs a non-empty string 'text' or a list 'chars'")
        models.absent[entry["text"]] = models.absent.get(entry["text"], frozenset()) | clears
    for i, entry in enumerate(data.get("trust", [])):
        where = f"{path.name} trust #{i + 1}"
        if not isinstance(entry.get("kind"), str):
            raise ModelError(f"{where}: needs a string 'kind'")
        confidence = entry.get("confidence")
        if confidence is not None and confidence not in _CONFIDENCES:
            raise ModelError(f"{where}: 'confidence' must be one of {', '.join(_CONFIDENCES)}")
        models.trust[entry["kind"]] = TrustSpec(entry["kind"], confidence, frozenset(_strs(entry, "rules", where)),
                                                frozenset(_strs(entry, "joined", where)))
    for i, entry in enumerate(data.get("sanitizer", [])):
        where = f"{path.name} sanitizer #{i + 1}"
        name, is_method = _target(entry, where)
        origin = entry.get("from")
        if origin is not None and origin != "receiver" and not (isinstance(origin, list) and all(_is_index(a) for a in origin)):
            raise ModelError(f"{where}: 'from' must be \"receiver\" or a list of argument indexes")
        inputs = None if origin is None else (-1,) if origin == "receiver" else tuple(origin)
        if entry.get("own") and not is_method:
            raise ModelError(f"{where}: 'own' applies to method entries only")
        spec_s = SanitizerSpec(frozenset(_strs(entry, "clears", where)), frozenset(_strs(entry, "adds", where)), entry.get("note", name),
                               bool(entry.get("restores", False)), inputs, bool(entry.get("own", False)))
        (models.method_sanitizers if is_method else models.sanitizers)[name] = spec_s
    for i, entry in enumerate(data.get("guard", [])):
        where = f"{path.name} guard #{i + 1}"
        name, is_method = _target(entry, where)
        arg = entry.get("arg")
        if arg is not None and not _is_index(arg):
            raise ModelError(f"{where}: 'arg' must be an integer")
        pattern = entry.get("pattern")
        if pattern is not None and pattern != "receiver" and not _is_index(pattern):
            raise ModelError(f"{where}: 'pattern' must be an integer or \"receiver\"")
        spec_g = GuardSpec(
            arg if arg is not None else (None if is_method else 0),
            frozenset(_strs(entry, "clears", where)),
            entry.get("requires"),
            pattern,
            bool(entry.get("anchored", True)),
            bool(entry.get("search", False)),
            bool(entry.get("equals", False)),
            entry.get("text") if isinstance(entry.get("text"), str) else None,
            bool(entry.get("holds", True)),
            frozenset(_strs(entry, "adds", where)),
            bool(entry.get("raises", False)),
        )
        (models.method_guards if is_method else models.guards).setdefault(name, []).append(spec_g)


def load_models(language: str, extra_dirs: Iterable[str | Path] = ()) -> Models:
    """Load the built-in models of ``language`` and then every ``*.toml`` in ``extra_dirs``, in name order."""
    models = Models()
    digest = hashlib.sha256()
    folders = [_HERE / "common", _HERE / language, *(Path(d) for d in extra_dirs)]
    for folder in folders:
        if not folder.is_dir():
            raise ModelError(f"taint model folder {folder} does not exist")
        for path in sorted(folder.glob("*.toml")):
            raw = path.read_bytes()
            digest.update(path.name.encode() + b"\0" + raw)
            try:
                data = tomllib.loads(raw.decode("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ModelError(f"{path}: not valid TOML: {exc}") from None
            _add_file(models, path, data)
    models.digest = digest.hexdigest()[:16]
    return models
