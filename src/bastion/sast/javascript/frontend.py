"""Lower a tree-sitter JavaScript / TypeScript / JSX tree to the shared IR (:mod:`bastion.sast.ir`).

The taint core knows Python-shaped statements; JavaScript maps onto them so:

- ``require('m')`` / ``import`` become :class:`ir.Import` / :class:`ir.ImportFrom`
  (``node:`` prefixes dropped, so ``node:child_process`` is ``child_process``;
  a project file is ``./<name>[]``, see :func:`project_module`);
  a ``require`` in any other position is the name ``require:m``, which the
  hooks resolve to the module (``:`` cannot occur in a JavaScript identifier).
- Arrow functions, function expressions and object methods are hoisted to
  named :class:`ir.FunctionDef` statements placed just before the statement
  that uses them, so callbacks (route handlers, ``.then``/``.catch``) are
  analysed as functions with the closure they see.
- Destructuring becomes one assignment per bound name from attribute/index
  reads of the value; parameters that destructure get a synthetic name.
- Template literals are :class:`ir.Concat`; ``a.includes(x)`` / ``a.has(x)``
  are membership tests (``x in a``) so allow-list guards refine like Python's.
- JSX elements are calls of ``jsx:<tag>`` with attributes as keywords.
- TypeScript annotations are kept on parameters (``number`` is not an
  injection vector); type-only declarations are dropped.

Anything unmodelled becomes :class:`ir.Opaque` over its sub-expressions, so
taint is never silently lost. ``JsInfo`` carries facts the IR has no field
for (parameter decorators of NestJS controllers).
"""

from __future__ import annotations

import itertools
import posixpath
from dataclasses import dataclass, field
from typing import Any

from bastion.sast import ir

_COMPARE = {"===": "==", "==": "==", "!==": "!=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "instanceof": "is"}
_BOOL = {"&&": "and", "||": "or", "??": "or"}
_SKIP = frozenset({
    "comment", "empty_statement", "debugger_statement", "interface_declaration", "type_alias_declaration",
    "ambient_declaration", "abstract_class_declaration_signature", "import_alias", "hash_bang_line",
    "function_signature", "enum_declaration", "module", "internal_module",
})  # fmt: skip
_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "generator_function"})
_MEMBERSHIP = frozenset({"includes", "has"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


#: Helpers compilers wrap ``require('m')`` in for a default or namespace import (TypeScript, Babel, esbuild).
_INTEROP_HELPERS = frozenset({"__importDefault", "__importStar", "_interopRequireDefault", "_interopRequireWildcard", "__toESM"})


@dataclass
class JsInfo:
    """Facts beside the IR: decorators of parameters, project modules imported, ESM ``export { a as b }``."""

    param_decorators: dict[ir.Span, str] = field(default_factory=dict)
    project_imports: set[str] = field(default_factory=set)  # names (see project_name) of the project files it imports
    export_names: dict[str, str] = field(default_factory=dict)  # exported name -> local name
    #: ``export * from './x'`` (namespace None) and ``export * as ns from './x'``: the module's qual and the namespace.
    star_exports: list[tuple[str, str | None]] = field(default_factory=list)


def span(node: Any) -> ir.Span:
    (l1, c1), (l2, c2) = node.start_point, node.end_point
    return ir.Span(l1 + 1, c1 + 1, l2 + 1, c2 + 1)


#: The decorator the frontend gives a ``get`` accessor (a name no program can spell): read as an attribute.
GETTER = "accessor:get"


def module_name(path: str) -> str:
    """``web/server.js`` -> ``web.server``: dotted like the Python engine's module names."""
    stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    parts = ["".join(ch if ch.isalnum() or ch == "_" else "_" for ch in part) for part in stem.split("/") if part not in ("", ".")]
    return ".".join(parts) or "module"


_EXTENSIONS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")


def project_name(path: str) -> str:
    """A project file's module name: its root-relative path without extension, a directory's ``index`` being the directory.

    ``src/db.js``, ``src/db.ts`` and ``src/db/index.ts`` are all ``src/db``:
    what ``./db``, ``./db.js`` and ``./db/index`` resolve to, without asking
    the file system which one exists.
    """
    stem = next((path[: -len(ext)] for ext in _EXTENSIONS if path.endswith(ext)), path)
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem if stem not in ("", ".") else "index"


def project_qual(name: str) -> str:
    """What the IR calls the project module ``name`` (its default export, and the prefix of its named ones)."""
    return f"./{name}[]"


def project_module(specifier: str, importer: str) -> str | None:
    """The project module a relative specifier names from the file ``importer``, None if not relative or outside the root."""
    if not (specifier in (".", "..") or specifier.startswith(("./", "../"))):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    if joined == ".." or joined.startswith(("../", "/")):
        return None
    return project_name(joined)


class Lowerer:
    """One file's lowering; ``pre`` collects hoisted statements for the statement being lowered."""

    def __init__(self, data: bytes, path: str = ""):
        self.data = data
        self.path = path
        self.pre: list[ir.Stmt] = []
        self.counter = itertools.count()
        self.info = JsInfo()
        self.problems: list[str] = []
        self.interop: set[str] = set()  # names bound to ``__importDefault(require('m'))``: ``name.default`` is m

    # ------------------------------------------------------------- helpers

    def text(self, node: Any) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def fresh(self, hint: str) -> str:
        return f"{hint}${next(self.counter)}"

    def named(self, node: Any) -> list[Any]:
        return [c for c in node.named_children if c.type != "comment"]

    def string_value(self, node: Any) -> str:
        out = []
        for child in node.named_children:
            if child.type == "string_fragment":
                out.append(self.text(child))
            elif child.type == "escape_sequence":
                raw = self.text(child)[1:]
                out.append(_ESCAPES.get(raw, raw if len(raw) == 1 else ""))
        return "".join(out)

    # ---------------------------------------------------------- statements

    def block(self, nodes: list[Any]) -> tuple[ir.Stmt, ...]:
        """Lower a statement list; function declarations first, as JavaScript hoists them."""
        nodes = [n for n in nodes if n.type in _DECLARATIONS] + [n for n in nodes if n.type not in _DECLARATIONS]
        out: list[ir.Stmt] = []
        for node in nodes:
            saved, self.pre = self.pre, []
            stmts = self.stmt(node)
            out.extend(self.pre)
            out.extend(stmts)
            self.pre = saved
        return tuple(out)

    def body_of(self, node: Any | None) -> tuple[ir.Stmt, ...]:
        if node is None:
            return ()
        if node.type == "statement_block":
            return self.block(self.named(node))
        return self.block([node])

    def stmt(self, node: Any) -> list[ir.Stmt]:
        t = node.type
        sp = span(node)
        if t in _SKIP:
            return []
        if t == "expression_statement":
            inner = self.named(node)
            return [s for e in inner for s in self.expr_stmt(e)]
        if t in ("lexical_declaration", "variable_declaration"):
            out: list[ir.Stmt] = []
            for decl in node.named_children:
                if decl.type == "variable_declarator":
                    out.extend(self.declarator(decl))
            return out
        if t == "statement_block":
            return list(self.block(self.named(node)))
        if t == "if_statement":
            alt = node.child_by_field_name("alternative")
            orelse = self.body_of(self.named(alt)[0]) if alt is not None and self.named(alt) else ()
            test = self.expr(node.child_by_field_name("condition"))
            return [ir.If(test, self.body_of(node.child_by_field_name("consequence")), orelse, sp)]
        if t in ("for_in_statement",):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            iterable = self.expr(right)
            target_name = self.fresh("item")
            body = self.bind(left, ir.Name(target_name, span(left)), sp) if left is not None else []
            return [ir.Loop(ir.Name(target_name, sp), iterable, tuple(body) + self.body_of(node.child_by_field_name("body")), (), sp)]
        if t == "for_statement":
            init = node.child_by_field_name("initializer")
            out = self.stmt(init) if init is not None and init.type != "expression_statement" else ([] if init is None else self.stmt(init))
            cond = node.child_by_field_name("condition")
            test = self.expr(self.named(cond)[0]) if cond is not None and cond.type == "expression_statement" and self.named(cond) else (self.expr(cond) if cond is not None and cond.type != ";" else ir.Const(True))
            incr = node.child_by_field_name("increment")
            tail = tuple(self.expr_stmt(incr)) if incr is not None else ()
            return out + [ir.Loop(None, test, self.body_of(node.child_by_field_name("body")) + tail, (), sp)]
        if t in ("while_statement", "do_statement"):
            return [ir.Loop(None, self.expr(node.child_by_field_name("condition")), self.body_of(node.child_by_field_name("body")), (), sp)]
        if t == "return_statement":
            inner = self.named(node)
            return [ir.Return(self.expr(inner[0]) if inner else None, sp)]
        if t == "throw_statement":
            inner = self.named(node)
            return [ir.Raise(self.expr(inner[0]) if inner else None, sp)]
        if t in ("break_statement", "continue_statement"):
            return [ir.Jump(t.split("_")[0], sp)]
        if t == "try_statement":
            return [self.try_stmt(node, sp)]
        if t == "switch_statement":
            return self.switch(node, sp)
        if t == "labeled_statement":  # (not ``body``: compiled code types that name by its first use, a list)
            labeled = node.child_by_field_name("body")
            return self.stmt(labeled) if labeled is not None else []
        if t in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            return [self.function(node, self.text(name) if name is not None else self.fresh("fn"))]
        if t in ("class_declaration", "abstract_class_declaration", "class"):
            return [self.class_def(node)]
        if t == "import_statement":
            return self.import_stmt(node)
        if t == "export_statement":
            return self.export_stmt(node)
        if t == "with_statement":
            return list(self.body_of(node.child_by_field_name("body")))
        return [ir.ExprStmt(self.expr(node), sp)]

    def expr_stmt(self, node: Any) -> list[ir.Stmt]:
        sp = span(node)
        if node.type == "assignment_expression":
            value = self.expr(node.child_by_field_name("right"))
            return self.bind(node.child_by_field_name("left"), value, sp)
        if node.type == "augmented_assignment_expression":
            op = self.text(node.child_by_field_name("operator"))[:-1]
            if op in ("&&", "||", "??"):
                target = self.target(node.child_by_field_name("left"))  # read and written: lowered once
                return [ir.Assign((target,), ir.BoolOp(_BOOL[op], (target, self.expr(node.child_by_field_name("right"))), sp), sp)]
            return [ir.Assign((self.target(node.child_by_field_name("left")),), self.expr(node.child_by_field_name("right")), sp, op=op)]
        if node.type == "sequence_expression":
            return [s for child in self.named(node) for s in self.expr_stmt(child)]
        return [ir.ExprStmt(self.expr(node), sp)]

    def declarator(self, node: Any) -> list[ir.Stmt]:
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        sp = span(node)
        if value is None:
            return [ir.Assign((ir.Name(self.text(name), sp),), ir.Const(None, sp), sp)] if name is not None and name.type == "identifier" else []
        module = self.require_of(value)
        if module is None and name is not None and name.type == "identifier":
            module = self._interop_require(value)
            if module is not None:
                self.interop.add(self.text(name))
        if module is not None and name is not None:
            if name.type == "identifier":
                return [ir.Import(module, self.text(name), sp)]
            if name.type == "object_pattern" and all(c.type in ("shorthand_property_identifier_pattern", "pair_pattern") for c in self.named(name)):
                names: list[tuple[str, str | None]] = []
                for c in self.named(name):
                    if c.type == "shorthand_property_identifier_pattern":
                        names.append((self.text(c), None))
                    else:
                        key, val = c.child_by_field_name("key"), c.child_by_field_name("value")
                        if val is None or val.type != "identifier":
                            break
                        names.append((self.key_text(key), self.text(val)))
                else:
                    return [ir.ImportFrom(module, tuple(names), 0, sp)]
        if name is not None and name.type == "identifier" and value.type in _FUNCTIONS:
            return [self.function(value, self.text(name))]
        if name is not None and name.type == "identifier" and value.type == "class":
            cls = self.class_def(value, self.text(name))
            return [cls]
        annotation = None
        type_node = node.child_by_field_name("type")
        if type_node is not None:
            annotation = self.type_expr(type_node)
        lowered = self.expr(value)
        if name is not None and name.type == "identifier":
            return [ir.Assign((ir.Name(self.text(name), span(name)),), lowered, sp, annotation=annotation)]
        return self.bind(name, lowered, sp)

    def require_of(self, node: Any) -> str | None:
        """The module of ``require('m')`` (also under ``await import('m')``), else None."""
        while node is not None and node.type in ("await_expression", "parenthesized_expression"):
            inner = self.named(node)
            node = inner[0] if inner else None
        if node is None or node.type != "call_expression":
            return None
        func, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if func is None or args is None or func.type not in ("identifier", "import") or (func.type == "identifier" and self.text(func) != "require"):
            return None
        items = self.named(args)
        if len(items) == 1 and items[0].type == "string":
            return self.module_ref(self.string_value(items[0]))
        return None

    def _interop_require(self, node: Any) -> str | None:
        """The module of ``__importDefault(require('m'))``, the wrapper TypeScript, Babel and esbuild emit for a
        default import compiled to CommonJS (``__importStar``, ``_interopRequireDefault``, ``__toESM``): else None."""
        if node.type != "call_expression":
            return None
        func, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        name = self.text(func).rsplit(".", 1)[-1] if func is not None and func.type in ("identifier", "member_expression") else ""
        items = self.named(args) if args is not None else []
        if name not in _INTEROP_HELPERS or len(items) != 1:
            return None
        return self.require_of(items[0])

    def module_ref(self, specifier: str) -> str:
        """The name a module's exports get: ``node:fs`` is ``fs``; the project file ``src/db`` is ``./src/db[]``.

        A project module is a value of unknown type (``[]``: method models such
        as Mongoose's ``findOne`` apply to it), and its exports are found under
        that name by the project pass (``./src/db[].findUser``). A relative
        specifier that leaves the scanned tree is just unknown (``../x()``).
        """
        project = project_module(specifier, self.path)
        if project is not None:
            self.info.project_imports.add(project)
            return project_qual(project)
        if specifier.startswith((".", "/")):
            return specifier + "()"
        return specifier[5:] if specifier.startswith("node:") else specifier

    def key_text(self, key: Any) -> str:
        if key.type == "string":
            return self.string_value(key)
        return self.text(key)

    def bind(self, pattern: Any, value: ir.Expr, sp: ir.Span) -> list[ir.Stmt]:
        """Assignments that destructure ``value`` into ``pattern``."""
        if pattern is None:
            return [ir.ExprStmt(value, sp)]
        t = pattern.type
        if t in ("identifier", "member_expression", "subscript_expression", "shorthand_property_identifier_pattern", "this"):
            return [ir.Assign((self.target(pattern),), value, sp)]
        if t in ("object_pattern", "array_pattern"):
            out: list[ir.Stmt] = []
            if not isinstance(value, ir.Name):
                tmp = self.fresh("tmp")
                out.append(ir.Assign((ir.Name(tmp, sp),), value, sp))
                value = ir.Name(tmp, sp)
            for index, child in enumerate(self.named(pattern)):
                if child.type == "shorthand_property_identifier_pattern":
                    out.append(ir.Assign((ir.Name(self.text(child), span(child)),), ir.Attr(value, self.text(child), span(child)), sp))
                elif child.type == "pair_pattern":
                    key = child.child_by_field_name("key")
                    part: ir.Expr = ir.Attr(value, self.key_text(key), span(key)) if key.type in ("property_identifier", "string") else ir.Index(value, self.expr(key), span(key))
                    out.extend(self.bind(child.child_by_field_name("value"), part, sp))
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    default = self.expr(child.child_by_field_name("right"))
                    out.extend(self.bind(left, ir.BoolOp("or", (ir.Attr(value, self.text(left), span(left)), default), sp), sp))
                elif child.type == "assignment_pattern":
                    left = child.child_by_field_name("left")
                    default = self.expr(child.child_by_field_name("right"))
                    out.extend(self.bind(left, ir.BoolOp("or", (ir.Index(value, ir.Const(index), sp), default), sp), sp))
                elif child.type == "rest_pattern":
                    out.extend(self.bind(self.named(child)[0] if self.named(child) else None, value, sp))
                else:
                    part = ir.Index(value, ir.Const(index), span(child)) if t == "array_pattern" else value
                    out.extend(self.bind(child, part, sp))
            return out
        if t == "assignment_pattern":
            return self.bind(pattern.child_by_field_name("left"), ir.BoolOp("or", (value, self.expr(pattern.child_by_field_name("right"))), sp), sp)
        if t in ("parenthesized_expression", "non_null_expression", "as_expression"):
            inner = self.named(pattern)
            return self.bind(inner[0] if inner else None, value, sp)
        return [ir.ExprStmt(ir.Opaque((value, self.expr(pattern)), sp), sp)]

    def target(self, node: Any) -> ir.Expr:
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            return ir.Name(self.text(node), span(node))
        return self.expr(node)

    def try_stmt(self, node: Any, sp: ir.Span) -> ir.Try:
        body = self.body_of(node.child_by_field_name("body"))
        handlers = []
        handler = node.child_by_field_name("handler")
        if handler is not None:
            param = handler.child_by_field_name("parameter")
            hbody = self.body_of(handler.child_by_field_name("body"))
            name = None
            if param is not None:
                if param.type == "identifier":
                    name = self.text(param)
                else:
                    name = self.fresh("err")
                    hbody = tuple(self.bind(param, ir.Name(name, span(param)), sp)) + hbody
            handlers.append(ir.Handler(None, name, hbody, span(handler)))
        final_node = node.child_by_field_name("finalizer")
        final = self.body_of(final_node.child_by_field_name("body")) if final_node is not None else ()
        return ir.Try(body, tuple(handlers), (), final, sp)

    def switch(self, node: Any, sp: ir.Span) -> list[ir.Stmt]:
        subject = self.expr(node.child_by_field_name("value"))
        cases = [c for c in self.named(node.child_by_field_name("body")) if c.type in ("switch_case", "switch_default")] if node.child_by_field_name("body") is not None else []
        chain: tuple[ir.Stmt, ...] = ()
        for case in cases[::-1]:  # not reversed(): mypyc 2.4 fails on reversed() of a list of Any
            body = tuple(s for s in self.block([c for c in case.children_by_field_name("body")]) if not isinstance(s, ir.Jump))
            value = case.child_by_field_name("value")
            if value is None:
                chain = body
            else:
                test = ir.Compare(subject, ("==",), (self.expr(value),), span(case))
                chain = (ir.If(test, body, chain, span(case)),)
        return list(chain)

    def import_stmt(self, node: Any) -> list[ir.Stmt]:
        source = node.child_by_field_name("source")
        if source is None:
            return []
        module = self.module_ref(self.string_value(source))
        sp = span(node)
        out: list[ir.Stmt] = []
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None:
            return [ir.Import(module, None, sp)]
        for child in clause.named_children:
            if child.type == "identifier":  # default import: a CommonJS module's exports
                out.append(ir.Import(module, self.text(child), sp))
            elif child.type == "namespace_import":
                ident = self.named(child)
                if ident:
                    out.append(ir.Import(module, self.text(ident[0]), sp))
            elif child.type == "named_imports":
                names = []
                for spec in child.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    names.append((self.key_text(name), self.text(alias) if alias is not None else None))
                if names:
                    out.append(ir.ImportFrom(module, tuple(names), 0, sp))
        return out

    def export_stmt(self, node: Any) -> list[ir.Stmt]:
        decl = node.child_by_field_name("declaration")
        if decl is not None:
            return self.stmt(decl)
        value = node.child_by_field_name("value")
        if value is not None:
            if value.type in _FUNCTIONS or value.type in ("function_declaration",):
                name = value.child_by_field_name("name")
                return [self.function(value, self.text(name) if name is not None else "default")]
            if value.type == "class":
                return [self.class_def(value, "default")]
            return [ir.Assign((ir.Name("default", span(value)),), self.expr(value), span(node))]
        source = node.child_by_field_name("source")
        if source is not None:
            module = self.module_ref(self.string_value(source))
            clause = next((c for c in node.named_children if c.type == "export_clause"), None)
            if clause is None:  # export * [as ns] from './x': every named export of that module, read by the summary
                star = next((c for c in node.named_children if c.type == "namespace_export"), None)
                alias = next((c for c in star.named_children if c.type in ("identifier", "string")), None) if star else None
                self.info.star_exports.append((module, self.key_text(alias) if alias is not None else None))
                return []
            names = []
            for spec in clause.named_children:
                name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                if name is not None:
                    names.append((self.key_text(name), self.text(alias) if alias is not None else None))
            for name, alias in names:  # a re-export: bound here by the import, exported under the same name
                self.info.export_names[alias or name] = alias or name
            return [ir.ImportFrom(module, tuple(names), 0, span(node))] if names else []
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        for spec in clause.named_children if clause is not None else ():
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                self.info.export_names[self.key_text(alias if alias is not None else name)] = self.key_text(name)
        return []

    # ----------------------------------------------------------- functions

    def params(self, node: Any) -> tuple[list[ir.Param], list[ir.Stmt]]:
        params: list[ir.Param] = []
        prelude: list[ir.Stmt] = []
        if node is None:
            return params, prelude
        items = [node] if node.type == "identifier" else self.named(node)
        for item in items:
            if item.type in ("comment", "this"):
                continue
            pattern, annotation, default, kind = item, None, None, "normal"
            if item.type in ("required_parameter", "optional_parameter"):
                pattern = item.child_by_field_name("pattern")
                type_node = item.child_by_field_name("type")
                annotation = self.type_expr(type_node) if type_node is not None else None
                value = item.child_by_field_name("value")
                default = self.expr(value) if value is not None else None
                decorators = [c for c in item.named_children if c.type == "decorator"]
                if decorators:
                    self.info.param_decorators[span(item)] = self.decorator_name(decorators[0])
            if pattern is None:
                continue
            if pattern.type == "assignment_pattern":
                default = self.expr(pattern.child_by_field_name("right"))
                pattern = pattern.child_by_field_name("left")
            if pattern.type == "rest_pattern":
                kind = "star"
                inner = self.named(pattern)
                pattern = inner[0] if inner else pattern
            if pattern.type == "identifier":
                name = self.text(pattern)
                if any(c.type in ("accessibility_modifier", "readonly") for c in item.children):
                    # TypeScript's ``constructor(private req: Request)`` stores the parameter: ``this.req = req``
                    prelude.append(ir.Assign((ir.Attr(ir.Name("this", span(item)), name, span(item)),), ir.Name(name, span(pattern)), span(item)))
            elif pattern.type == "this":
                continue
            else:
                name = self.fresh("arg")
                prelude.extend(self.bind(pattern, ir.Name(name, span(pattern)), span(pattern)))
            params.append(ir.Param(name, annotation, default, kind, span(item)))
        return params, prelude

    def decorator_name(self, node: Any) -> str:
        inner = self.named(node)
        target = inner[0] if inner else node
        if target.type == "call_expression":
            target = target.child_by_field_name("function") or target
        return self.text(target).rsplit(".", 1)[-1]

    def function(self, node: Any, name: str, is_method: bool = False, decorators: tuple[ir.Expr, ...] = ()) -> ir.FunctionDef:
        params_node = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        params, prelude = self.params(params_node)
        if is_method:
            params.insert(0, ir.Param("this", None, None, "normal", span(node)))
        body_node = node.child_by_field_name("body")
        saved, self.pre = self.pre, []
        try:
            if body_node is None:
                body: tuple[ir.Stmt, ...] = ()
            elif body_node.type == "statement_block":
                body = self.block(self.named(body_node))
            else:
                value = self.expr(body_node)
                body = tuple(self.pre) + (ir.Return(value, span(body_node)),)
        finally:
            self.pre = saved
        returns = node.child_by_field_name("return_type")
        is_async = any(c.type == "async" for c in node.children)
        return ir.FunctionDef(name, tuple(params), tuple(prelude) + body, decorators, self.type_expr(returns) if returns is not None else None, span(node), is_async)

    def hoist(self, node: Any, hint: str = "callback", is_method: bool = False) -> ir.Name:
        name_node = node.child_by_field_name("name")
        name = self.fresh(self.text(name_node) if name_node is not None else hint)
        self.pre.append(self.function(node, name, is_method))
        return ir.Name(name, span(node))

    def class_def(self, node: Any, name: str | None = None) -> ir.ClassDef:
        name_node = node.child_by_field_name("name")
        cname = name or (self.text(name_node) if name_node is not None else self.fresh("class"))
        bases: list[ir.Expr] = []
        for child in node.named_children:
            if child.type == "class_heritage":
                for clause in child.named_children:
                    if clause.type == "extends_clause":
                        value = clause.child_by_field_name("value")
                        if value is not None:
                            bases.append(self.expr(value))
                    elif clause.type not in ("implements_clause",):
                        bases.append(self.expr(clause))
        class_decorators = tuple(self.expr(self.named(c)[0]) for c in node.named_children if c.type == "decorator" and self.named(c))
        body: list[ir.Stmt] = []
        pending: list[ir.Expr] = []
        body_node = node.child_by_field_name("body")
        for member in (body_node.named_children if body_node is not None else []):
            if member.type == "decorator":
                if self.named(member):
                    pending.append(self.expr(self.named(member)[0]))
                continue
            if member.type == "method_definition":
                mname = member.child_by_field_name("name")
                decorators = tuple(pending)
                if any(c.type == "static" for c in member.children):
                    decorators += (ir.Name("staticmethod"),)
                if any(c.type == "get" for c in member.children):
                    decorators += (ir.Name(GETTER),)
                body.append(self.function(member, self.key_text(mname) if mname is not None else self.fresh("method"), True, decorators))
            elif member.type in ("field_definition", "public_field_definition"):
                prop = member.child_by_field_name("property") or member.child_by_field_name("name")
                value = member.child_by_field_name("value")
                if prop is not None and value is not None:
                    saved, self.pre = self.pre, []
                    lowered = self.hoist(value, self.key_text(prop), is_method=True) if value.type in _FUNCTIONS else self.expr(value)
                    body.extend(self.pre)
                    self.pre = saved
                    body.append(ir.Assign((ir.Name(self.key_text(prop), span(prop)),), lowered, span(member)))
            pending = []
        decorators = tuple(class_decorators)
        return ir.ClassDef(cname, tuple(bases), tuple(body), decorators, span(node))

    def type_expr(self, node: Any) -> ir.Expr | None:
        if node is None:
            return None
        if node.type == "type_annotation":
            inner = self.named(node)
            if not inner:
                return None
            node = inner[0]
        return ir.Name(self.text(node).strip(), span(node))

    # --------------------------------------------------------- expressions

    def exprs(self, nodes: list[Any]) -> tuple[ir.Expr, ...]:
        return tuple(self.expr(n) for n in nodes)

    def expr(self, node: Any | None) -> ir.Expr:
        if node is None:
            return ir.Const(None)
        t = node.type
        sp = span(node)
        if t == "identifier":
            name = self.text(node)
            return ir.Const(None, sp) if name == "undefined" else ir.Name(name, sp)
        if t in ("this", "super"):
            return ir.Name("this", sp)
        if t == "import":  # import(name): a dynamic import, a call of `import`
            return ir.Name("import", sp)
        if t == "string":
            return ir.Const(self.string_value(node), sp)
        if t == "number":
            return ir.Const(_number(self.text(node)), sp)
        if t in ("true", "false"):
            return ir.Const(t == "true", sp)
        if t in ("null", "undefined"):
            return ir.Const(None, sp)
        if t == "template_string":
            return self.template(node, sp)
        if t == "regex":
            pattern = node.child_by_field_name("pattern")
            flags = node.child_by_field_name("flags")
            return ir.Call(ir.Name("RegExp", sp), (ir.Const(self.text(pattern) if pattern is not None else "", sp), ir.Const(self.text(flags) if flags is not None else "", sp)), (), sp)
        if t == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is not None and obj.type == "identifier" and self.text(obj) in self.interop and prop is not None and self.text(prop) == "default":
                return self.expr(obj)  # the wrapper's default is the CommonJS module itself
            return ir.Attr(self.expr(obj), self.text(prop) if prop is not None else "", sp)
        if t == "subscript_expression":
            index = node.child_by_field_name("index")
            return ir.Index(self.expr(node.child_by_field_name("object")), self.expr(index), sp)
        if t == "call_expression":
            return self.call(node, sp)
        if t == "new_expression":
            args = node.child_by_field_name("arguments")
            return ir.Call(self.expr(node.child_by_field_name("constructor")), self.args(args), (), sp)
        if t in ("parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression", "type_assertion", "await_expression", "spread_element") and t != "spread_element":
            inner = [c for c in self.named(node) if not c.type.endswith("type") and c.type not in ("type_arguments", "predefined_type", "type_identifier", "generic_type", "object_type", "union_type")]
            return self.expr(inner[0]) if inner else ir.Opaque((), sp)
        if t == "binary_expression":
            return self.binary(node, sp)
        if t == "unary_expression":
            op = self.text(node.child_by_field_name("operator"))
            operand = self.expr(node.child_by_field_name("argument"))
            if op == "!":
                return ir.UnaryOp("not", operand, sp)
            if op in ("-", "+", "~"):
                return ir.UnaryOp(op, operand, sp)
            if op == "void":
                return ir.Const(None, sp)
            return ir.UnaryOp(op, operand, sp)  # typeof / delete: a clean value for taint
        if t == "update_expression":
            return ir.UnaryOp("+", self.expr(node.child_by_field_name("argument")), sp)
        if t == "ternary_expression":
            return ir.Cond(self.expr(node.child_by_field_name("condition")), self.expr(node.child_by_field_name("consequence")), self.expr(node.child_by_field_name("alternative")), sp)
        if t in ("assignment_expression", "augmented_assignment_expression"):
            # The assignment's value is its target, lowered once: lowering it again doubled the work at each
            # level of `a[b = c[d = ...]]` (a 3.6 KB file of them ran for minutes).
            stmts = self.expr_stmt(node)
            self.pre.extend(stmts)
            left = node.child_by_field_name("left")
            last = stmts[-1] if stmts else None
            if left is not None and left.type in ("identifier", "member_expression", "subscript_expression") \
                    and isinstance(last, ir.Assign):
                return last.targets[0]
            return ir.Opaque((), sp)
        if t == "sequence_expression":
            items = self.named(node)
            for item in items[:-1]:
                self.pre.extend(self.expr_stmt(item))
            return self.expr(items[-1]) if items else ir.Opaque((), sp)
        if t in _FUNCTIONS:
            return self.hoist(node)
        if t == "class":
            cls = self.class_def(node)
            self.pre.append(cls)
            return ir.Name(cls.name, sp)
        if t == "object":
            return self.object(node, sp)
        if t == "array":
            return ir.Seq("list", tuple(self.element(c) for c in self.named(node)), sp)
        if t == "spread_element":
            inner = self.named(node)
            return ir.Starred(self.expr(inner[0]) if inner else ir.Opaque(), sp)
        if t in ("jsx_element", "jsx_self_closing_element", "jsx_fragment"):
            return self.jsx(node, sp)
        if t == "jsx_expression":
            inner = self.named(node)
            return self.expr(inner[0]) if inner else ir.Const(None, sp)
        if t == "jsx_text":
            return ir.Const(self.text(node), sp)
        if t == "yield_expression":
            return ir.Opaque(self.exprs(self.named(node)), sp)
        return ir.Opaque(tuple(self.expr(c) for c in self.named(node) if c.type not in ("comment",) and not c.type.endswith("type") and c.type != "type_arguments"), sp)

    def element(self, node: Any) -> ir.Expr:
        if node.type == "spread_element":
            inner = self.named(node)
            return ir.Starred(self.expr(inner[0]) if inner else ir.Opaque(), span(node))
        return self.expr(node)

    def template(self, node: Any, sp: ir.Span) -> ir.Expr:
        parts: list[ir.Expr] = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(ir.Const(self.text(child), span(child)))
            elif child.type == "escape_sequence":
                raw = self.text(child)[1:]
                parts.append(ir.Const(_ESCAPES.get(raw, raw if len(raw) == 1 else ""), span(child)))
            elif child.type == "template_substitution":
                inner = self.named(child)
                if inner:
                    parts.append(self.expr(inner[0]))
        if not parts:
            return ir.Const("", sp)
        return ir.Concat(tuple(parts), sp)

    def binary(self, node: Any, sp: ir.Span) -> ir.Expr:
        op = self.text(node.child_by_field_name("operator"))
        left, right = self.expr(node.child_by_field_name("left")), self.expr(node.child_by_field_name("right"))
        if op in _BOOL:
            return ir.BoolOp(_BOOL[op], (left, right), sp)
        if op in _COMPARE:
            return ir.Compare(left, (_COMPARE[op],), (right,), sp)
        if op == "in":
            return ir.Compare(left, ("has-key",), (right,), sp)
        return ir.BinOp(op, left, right, sp)

    def args(self, node: Any | None) -> tuple[ir.Expr, ...]:
        if node is None:
            return ()
        if node.type == "template_string":  # tagged template: tag`...`
            return (self.template(node, span(node)),)
        return tuple(self.element(c) for c in self.named(node))

    def call(self, node: Any, sp: ir.Span) -> ir.Expr:
        module = self.require_of(node)
        if module is not None:
            return ir.Name("require:" + module, sp)
        func_node = node.child_by_field_name("function")
        args = self.args(node.child_by_field_name("arguments"))
        func = self.expr(func_node)
        if len(args) == 1 and ((isinstance(func, ir.Attr) and func.name == "promisify") or (isinstance(func, ir.Name) and func.id == "promisify")):
            return args[0]  # util.promisify(fn) takes the same inputs as fn
        if isinstance(func, ir.Attr) and func.name in _MEMBERSHIP and len(args) == 1 and not isinstance(args[0], ir.Starred):
            return ir.Compare(args[0], ("in",), (func.obj,), sp)
        return ir.Call(func, args, (), sp)

    def object(self, node: Any, sp: ir.Span) -> ir.Dict:
        keys: list[ir.Expr | None] = []
        values: list[ir.Expr] = []
        for child in self.named(node):
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key is None:
                    continue
                keys.append(ir.Const(self.key_text(key), span(key)) if key.type in ("property_identifier", "string", "number") else self.expr(key))
                values.append(self.expr(value))
            elif child.type == "shorthand_property_identifier":
                keys.append(ir.Const(self.text(child), span(child)))
                values.append(ir.Name(self.text(child), span(child)))
            elif child.type == "spread_element":
                inner = self.named(child)
                keys.append(None)
                values.append(self.expr(inner[0]) if inner else ir.Opaque())
            elif child.type == "method_definition":
                mname = child.child_by_field_name("name")
                keys.append(ir.Const(self.key_text(mname) if mname is not None else "", sp))
                fn = self.function(child, self.fresh(self.key_text(mname) if mname is not None else "method"))
                self.pre.append(fn)
                values.append(ir.Name(fn.name, span(child)))
        return ir.Dict(tuple(keys), tuple(values), sp)

    def jsx(self, node: Any, sp: ir.Span) -> ir.Expr:
        opening = node
        if node.type == "jsx_element":
            opening = node.child_by_field_name("open_tag") or node
        name_node = opening.child_by_field_name("name") if node.type != "jsx_fragment" else None
        tag = self.text(name_node) if name_node is not None else "fragment"
        keywords: list[ir.Keyword] = []
        for attr in opening.named_children:
            if attr.type == "jsx_attribute":
                parts = self.named(attr)
                if not parts:
                    continue
                value = self.expr(parts[1]) if len(parts) > 1 else ir.Const(True, span(attr))
                keywords.append(ir.Keyword(self.text(parts[0]), value))
            elif attr.type == "jsx_expression":  # {...props}
                inner = self.named(attr)
                if inner:
                    keywords.append(ir.Keyword(None, self.expr(inner[0])))
        children: list[ir.Expr] = []
        if node.type in ("jsx_element", "jsx_fragment"):
            for child in self.named(node):
                if child.type in ("jsx_element", "jsx_self_closing_element", "jsx_expression", "jsx_fragment"):
                    children.append(self.expr(child))
        return ir.Call(ir.Name("jsx:" + tag, sp), tuple(children), tuple(keywords), sp)


def _number(text: str) -> Any:
    text = text.replace("_", "").rstrip("n")
    try:
        if text[:2].lower() in ("0x", "0o", "0b"):
            return int(text, 0)
        value = float(text)
        return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    except (ValueError, OverflowError):
        return 0


def lower_module(tree: Any, data: bytes, path: str) -> tuple[ir.Module, JsInfo]:
    """The IR of one file and the facts the IR has no place for."""
    lowerer = Lowerer(data, path)
    body = lowerer.block([c for c in tree.root_node.named_children])
    module = ir.Module(module_name(path), body, lowerer.problems)
    if tree.root_node.has_error:
        module.problems.append("syntax errors: the parts that did not parse were analysed as opaque expressions")
    return module, lowerer.info
