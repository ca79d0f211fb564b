"""Lower a tree-sitter-python tree into the language-neutral IR.

Why tree-sitter and not :mod:`ast`: the stdlib parser only knows the syntax
of the interpreter that runs Bastion, so on 3.11 it rejects 3.12 f-strings,
3.14 t-strings and ``except A, B:`` -- the files Bandit silently skips.
tree-sitter-python parses every version, never raises, and turns broken
regions into ERROR nodes whose children we still lower. One frontend, no
fallback to keep in sync.

Nesting deeper than :data:`MAX_DEPTH` becomes :class:`~bastion.sast.ir.Opaque`
so that generated or minified code cannot exhaust the Python stack.
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

from bastion.sast import ir

MAX_DEPTH = 120


def module_name_for(path: str) -> str:
    """``src/pkg/mod.py`` -> ``pkg.mod``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = [p for p in path.replace("\\", "/").split("/") if p and p != "."]
    if parts and parts[-1].endswith((".py", ".pyi")):
        parts[-1] = parts[-1].rsplit(".", 1)[0]
    if parts and parts[-1] == "__init__":
        parts.pop()
    if parts and parts[0] in ("src", "lib"):
        parts.pop(0)
    return ".".join(p.replace("-", "_") for p in parts) or "__main__"


def lower_module(tree: Any, data: bytes, path: str) -> ir.Module:
    """Lower the whole file. Never raises on any input tree-sitter produced."""
    lowerer = _Lowerer(data)
    body = lowerer.block(tree.root_node)
    module = ir.Module(module_name_for(path), tuple(body))
    if tree.root_node.has_error:
        module.problems.append("syntax errors: analysed the parts that parse")
    return module


def _span(node: Any) -> ir.Span:
    (sl, sc), (el, ec) = node.start_point, node.end_point
    return ir.Span(sl + 1, sc + 1, el + 1, ec + 1)


_SCALAR_TYPES = frozenset({"int", "float", "bool", "UUID", "datetime", "date", "time", "Decimal", "PositiveInt", "NonNegativeInt", "PositiveFloat", "conint", "confloat"})
_COMP_KINDS = {
    "list_comprehension": "list",
    "set_comprehension": "set",
    "generator_expression": "generator",
    "dictionary_comprehension": "dict",
}
_LITERALS = {"true": True, "false": False, "none": None, "ellipsis": ...}
_SEQ_KINDS = {"list": "list", "tuple": "tuple", "set": "set", "expression_list": "tuple"}
_TARGET_SEQ = {"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "expression_list"}


class _Lowerer:
    """One pass over the tree; ``depth`` guards against pathological nesting."""

    def __init__(self, data: bytes):
        self.data = data
        self.depth = 0
        names = dir(self)
        self._stmt_handlers = {n[2:]: getattr(self, n) for n in names if n.startswith("s_")}
        self._expr_handlers = {n[2:]: getattr(self, n) for n in names if n.startswith("e_")}

    def text(self, node: Any) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    # ------------------------------------------------------------ statements

    def block(self, node: Any) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for child in node.named_children:
            out.extend(self.stmt(child))
        return out

    def body(self, node: Any | None) -> tuple[ir.Stmt, ...]:
        return tuple(self.block(node)) if node is not None else ()

    def stmt(self, node: Any) -> list[ir.Stmt]:
        if self.depth > MAX_DEPTH:
            return []
        self.depth += 1
        try:
            kind = node.type  # each read of ``type`` builds a new str
            handler = self._stmt_handlers.get(kind)
            if handler is not None:
                return handler(node)
            if kind in ("comment", "pass_statement", "global_statement", "nonlocal_statement", "line_continuation"):
                return []
            if kind in ("ERROR", "block", "module"):
                return self.block(node)
            if node.is_named and not kind.endswith(("statement", "clause", "definition")):
                return [ir.ExprStmt(self.expr(node), _span(node))]
            return self.block(node)
        finally:
            self.depth -= 1

    def s_expression_statement(self, node: Any) -> list[ir.Stmt]:
        children = node.named_children
        if len(children) == 1:
            child = children[0]
            if child.type in ("assignment", "augmented_assignment"):
                return self.stmt(child)
            return [ir.ExprStmt(self.expr(child), _span(node))]
        return [ir.ExprStmt(ir.Seq("tuple", tuple(self.expr(c) for c in children)), _span(node))]

    def s_assignment(self, node: Any) -> list[ir.Stmt]:
        targets = [node.child_by_field_name("left")]
        right = node.child_by_field_name("right")
        while right is not None and right.type == "assignment":
            targets.append(right.child_by_field_name("left"))
            right = right.child_by_field_name("right")
        annotation = node.child_by_field_name("type")
        value = self.expr(right) if right is not None else ir.Opaque()
        lowered = tuple(self.target(t) for t in targets if t is not None)
        if right is None and annotation is not None:
            # A bare annotation binds nothing at run time, but a field declared with a scalar type
            # (pydantic models, dataclasses) only ever holds that type: model it as a conversion.
            kind = self.text(annotation).strip().split("[")[-1].rstrip("]").split(".")[-1]
            if kind in _SCALAR_TYPES and len(lowered) == 1:
                return [ir.Assign(lowered, ir.Call(ir.Name(kind), (ir.Opaque(),), (), _span(node)), _span(node))]
            return []
        return [ir.Assign(lowered, value, _span(node), None, self.expr(annotation) if annotation else None)]

    def s_augmented_assignment(self, node: Any) -> list[ir.Stmt]:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op_node = node.child_by_field_name("operator")
        op = self.text(op_node)[:-1] if op_node is not None else "+"
        return [ir.Assign((self.target(left),), self.expr(right) if right else ir.Opaque(), _span(node), op)]

    def s_return_statement(self, node: Any) -> list[ir.Stmt]:
        children = node.named_children
        value = self.expr(children[0]) if children else None
        return [ir.Return(value, _span(node))]

    def s_raise_statement(self, node: Any) -> list[ir.Stmt]:
        children = node.named_children
        return [ir.Raise(self.expr(children[0]) if children else None, _span(node))]

    def s_break_statement(self, node: Any) -> list[ir.Stmt]:
        return [ir.Jump("break", _span(node))]

    def s_continue_statement(self, node: Any) -> list[ir.Stmt]:
        return [ir.Jump("continue", _span(node))]

    def s_assert_statement(self, node: Any) -> list[ir.Stmt]:
        return [ir.ExprStmt(ir.Call(ir.Name("assert", _span(node)), tuple(self.expr(c) for c in node.named_children), (), _span(node)), _span(node))]

    def s_delete_statement(self, node: Any) -> list[ir.Stmt]:
        return []

    def s_if_statement(self, node: Any) -> list[ir.Stmt]:
        test = self.expr(node.child_by_field_name("condition"))
        body = self.body(node.child_by_field_name("consequence"))
        alternatives = node.children_by_field_name("alternative")
        orelse: tuple[ir.Stmt, ...] = ()
        for alt in reversed(alternatives):
            if alt.type == "else_clause":
                orelse = self.body(alt.child_by_field_name("body"))
            else:  # elif_clause
                orelse = (
                    ir.If(
                        self.expr(alt.child_by_field_name("condition")),
                        self.body(alt.child_by_field_name("consequence")),
                        orelse,
                        _span(alt),
                    ),
                )
        return [ir.If(test, body, orelse, _span(node))]

    def _else(self, node: Any) -> tuple[ir.Stmt, ...]:
        alt = node.child_by_field_name("alternative")
        return self.body(alt.child_by_field_name("body")) if alt is not None else ()

    def s_for_statement(self, node: Any) -> list[ir.Stmt]:
        return [
            ir.Loop(
                self.target(node.child_by_field_name("left")),
                self.expr(node.child_by_field_name("right")),
                self.body(node.child_by_field_name("body")),
                self._else(node),
                _span(node),
            )
        ]

    def s_while_statement(self, node: Any) -> list[ir.Stmt]:
        return [
            ir.Loop(
                None,
                self.expr(node.child_by_field_name("condition")),
                self.body(node.child_by_field_name("body")),
                self._else(node),
                _span(node),
            )
        ]

    def s_try_statement(self, node: Any) -> list[ir.Stmt]:
        handlers: list[ir.Handler] = []
        orelse: tuple[ir.Stmt, ...] = ()
        final: tuple[ir.Stmt, ...] = ()
        for child in node.named_children:
            if child.type in ("except_clause", "except_group_clause"):
                handlers.append(self._handler(child))
            elif child.type == "else_clause":
                orelse = self.body(child.child_by_field_name("body"))
            elif child.type == "finally_clause":
                final = tuple(s for c in child.named_children if c.type == "block" for s in self.block(c))
        return [ir.Try(self.body(node.child_by_field_name("body")), tuple(handlers), orelse, final, _span(node))]

    def _handler(self, node: Any) -> ir.Handler:
        types: list[ir.Expr] = []
        name: str | None = None
        body: tuple[ir.Stmt, ...] = ()
        for child in node.named_children:
            if child.type == "block":
                body = tuple(self.block(child))
            elif child.type == "as_pattern":
                inner = child.named_children
                if inner:
                    types.append(self.expr(inner[0]))
                alias = child.child_by_field_name("alias")
                if alias is not None:
                    name = self.text(alias).strip()
            elif child.type != "comment":
                types.append(self.expr(child))
        alias = node.child_by_field_name("alias")
        if alias is not None:
            name = self.text(alias).strip()
        type_expr = types[0] if len(types) == 1 else (ir.Seq("tuple", tuple(types)) if types else None)
        return ir.Handler(type_expr, name, body, _span(node))

    def s_with_statement(self, node: Any) -> list[ir.Stmt]:
        items: list[tuple[ir.Expr, ir.Expr | None]] = []
        for clause in node.named_children:
            if clause.type != "with_clause":
                continue
            for item in clause.named_children:
                value = item.child_by_field_name("value") or item
                if value.type == "as_pattern":
                    inner = value.named_children
                    alias = value.child_by_field_name("alias")
                    target = alias.named_children[0] if alias is not None and alias.named_children else alias
                    items.append((self.expr(inner[0]) if inner else ir.Opaque(), self.target(target) if target else None))
                else:
                    items.append((self.expr(value), None))
        return [ir.With(tuple(items), self.body(node.child_by_field_name("body")), _span(node))]

    def s_decorated_definition(self, node: Any) -> list[ir.Stmt]:
        decorators = tuple(
            self.expr(d.named_children[0]) for d in node.named_children if d.type == "decorator" and d.named_children
        )
        definition = node.child_by_field_name("definition")
        if definition is None:
            return []
        if definition.type == "function_definition":
            return [self._function(definition, decorators)]
        if definition.type == "class_definition":
            return [self._class(definition, decorators)]
        return self.stmt(definition)

    def s_function_definition(self, node: Any) -> list[ir.Stmt]:
        return [self._function(node, ())]

    def s_class_definition(self, node: Any) -> list[ir.Stmt]:
        return [self._class(node, ())]

    def _function(self, node: Any, decorators: tuple[ir.Expr, ...]) -> ir.FunctionDef:
        name_node = node.child_by_field_name("name")
        returns = node.child_by_field_name("return_type")
        return ir.FunctionDef(
            self.text(name_node) if name_node is not None else "<lambda>",
            self.params(node.child_by_field_name("parameters")),
            self.body(node.child_by_field_name("body")),
            decorators,
            self.expr(returns) if returns is not None else None,
            _span(node),
            any(c.type == "async" for c in node.children),
        )

    def _class(self, node: Any, decorators: tuple[ir.Expr, ...]) -> ir.ClassDef:
        name_node = node.child_by_field_name("name")
        supers = node.child_by_field_name("superclasses")
        bases = tuple(self.expr(c) for c in supers.named_children) if supers is not None else ()
        return ir.ClassDef(
            self.text(name_node) if name_node is not None else "<class>",
            bases,
            self.body(node.child_by_field_name("body")),
            decorators,
            _span(node),
        )

    def params(self, node: Any | None) -> tuple[ir.Param, ...]:
        if node is None:
            return ()
        out: list[ir.Param] = []
        kwonly = False
        for child in node.named_children:
            kind = "kwonly" if kwonly else "normal"
            ctype = child.type
            if ctype == "identifier":
                out.append(ir.Param(self.text(child), kind=kind, span=_span(child)))
            elif ctype in ("typed_parameter", "typed_default_parameter", "default_parameter"):
                name_node = child.child_by_field_name("name") or (child.named_children[0] if child.named_children else None)
                annotation = child.child_by_field_name("type")
                default = child.child_by_field_name("value")
                pname, pkind = self._param_name(name_node, kind)
                if pname == "*":
                    kwonly = True
                out.append(
                    ir.Param(
                        pname,
                        self.expr(annotation) if annotation is not None else None,
                        self.expr(default) if default is not None else None,
                        pkind,
                        _span(child),
                    )
                )
            elif ctype in ("list_splat_pattern", "dictionary_splat_pattern"):
                pname, pkind = self._param_name(child, kind)
                out.append(ir.Param(pname, kind=pkind, span=_span(child)))
                kwonly = kwonly or pkind == "star"
            elif ctype == "keyword_separator":
                kwonly = True
        return tuple(out)

    def _param_name(self, node: Any | None, kind: str) -> tuple[str, str]:
        if node is None:
            return "_", kind
        if node.type == "list_splat_pattern":
            inner = node.named_children
            return (self.text(inner[0]) if inner else "*"), "star"
        if node.type == "dictionary_splat_pattern":
            inner = node.named_children
            return (self.text(inner[0]) if inner else "**"), "kwstar"
        return self.text(node), kind

    def s_import_statement(self, node: Any) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                name = child.child_by_field_name("name")
                alias = child.child_by_field_name("alias")
                out.append(ir.Import(self.text(name), self.text(alias) if alias else None, _span(node)))
            else:
                out.append(ir.Import(self.text(child), None, _span(node)))
        return out

    def s_import_from_statement(self, node: Any) -> list[ir.Stmt]:
        module_node = node.child_by_field_name("module_name")
        module = self.text(module_node) if module_node is not None else ""
        level = len(module) - len(module.lstrip("."))
        names: list[tuple[str, str | None]] = []
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                name = child.child_by_field_name("name")
                alias = child.child_by_field_name("alias")
                names.append((self.text(name), self.text(alias) if alias else None))
            else:
                names.append((self.text(child), None))
        if any(c.type == "wildcard_import" for c in node.named_children):
            names.append(("*", None))
        return [ir.ImportFrom(module.lstrip("."), tuple(names), level, _span(node))]

    def s_future_import_statement(self, node: Any) -> list[ir.Stmt]:
        return []

    def s_match_statement(self, node: Any) -> list[ir.Stmt]:
        subject = node.child_by_field_name("subject")
        out: list[ir.Stmt] = [ir.ExprStmt(self.expr(subject), _span(node))] if subject is not None else []
        cases: list[tuple[ir.Stmt, ...]] = []
        body = node.child_by_field_name("body")
        for case in body.named_children if body is not None else ():
            consequence = case.child_by_field_name("consequence")
            cases.append(self.body(consequence))
        # Each case is an alternative branch: model them as nested unknown ifs.
        orelse: tuple[ir.Stmt, ...] = ()
        for case_body in reversed(cases):
            orelse = (ir.If(ir.Opaque(), case_body, orelse, _span(node)),)
        return out + list(orelse)

    # ----------------------------------------------------------- expressions

    def target(self, node: Any) -> ir.Expr:
        if node.type in _TARGET_SEQ:
            return ir.Seq("tuple", tuple(self.target(c) for c in node.named_children), _span(node))
        if node.type in ("list_splat_pattern", "list_splat"):
            inner = node.named_children
            return ir.Starred(self.target(inner[0]) if inner else ir.Opaque(), _span(node))
        if node.type == "parenthesized_expression" and node.named_children:
            return self.target(node.named_children[0])
        return self.expr(node)

    def expr(self, node: Any | None) -> ir.Expr:
        if node is None:
            return ir.Opaque()
        if self.depth > MAX_DEPTH:
            return ir.Opaque(span=_span(node))
        self.depth += 1
        try:
            kind = node.type
            handler = self._expr_handlers.get(kind)
            if handler is not None:
                return handler(node)
            if kind in _LITERALS:
                return ir.Const(_LITERALS[kind], _span(node))
            if kind in _SEQ_KINDS:
                return ir.Seq(_SEQ_KINDS[kind], tuple(self.expr(c) for c in node.named_children if c.type != "comment"), _span(node))
            if kind in _COMP_KINDS:
                return self._comprehension(node)
            return ir.Opaque(tuple(self.expr(c) for c in node.named_children if c.type != "comment"), _span(node))
        finally:
            self.depth -= 1

    def e_identifier(self, node: Any) -> ir.Expr:
        return ir.Name(self.text(node), _span(node))

    def e_attribute(self, node: Any) -> ir.Expr:
        attribute = node.child_by_field_name("attribute")
        return ir.Attr(self.expr(node.child_by_field_name("object")), self.text(attribute) if attribute else "", _span(node))

    def e_subscript(self, node: Any) -> ir.Expr:
        indexes = node.children_by_field_name("subscript")
        index = self.expr(indexes[0]) if len(indexes) == 1 else ir.Seq("tuple", tuple(self.expr(i) for i in indexes))
        return ir.Index(self.expr(node.child_by_field_name("value")), index, _span(node))

    def e_call(self, node: Any) -> ir.Expr:
        func = self.expr(node.child_by_field_name("function"))
        arguments = node.child_by_field_name("arguments")
        args: list[ir.Expr] = []
        keywords: list[ir.Keyword] = []
        if arguments is not None and arguments.type == "generator_expression":
            args.append(self.expr(arguments))
        elif arguments is not None:
            for child in arguments.named_children:
                if child.type == "keyword_argument":
                    name = child.child_by_field_name("name")
                    keywords.append(ir.Keyword(self.text(name) if name else None, self.expr(child.child_by_field_name("value"))))
                elif child.type == "dictionary_splat":
                    inner = child.named_children
                    keywords.append(ir.Keyword(None, self.expr(inner[0]) if inner else ir.Opaque()))
                elif child.type == "list_splat":
                    inner = child.named_children
                    args.append(ir.Starred(self.expr(inner[0]) if inner else ir.Opaque(), _span(child)))
                elif child.type != "comment":
                    args.append(self.expr(child))
        return ir.Call(func, tuple(args), tuple(keywords), _span(node))

    def e_parenthesized_expression(self, node: Any) -> ir.Expr:
        inner = [c for c in node.named_children if c.type != "comment"]
        return self.expr(inner[0]) if len(inner) == 1 else ir.Opaque(tuple(self.expr(c) for c in inner), _span(node))

    def e_await(self, node: Any) -> ir.Expr:
        inner = node.named_children
        return self.expr(inner[0]) if inner else ir.Opaque()

    def e_type(self, node: Any) -> ir.Expr:  # a method, not an alias: a compiled class cannot hold one
        return self.e_parenthesized_expression(node)

    def e_named_expression(self, node: Any) -> ir.Expr:
        return self.expr(node.child_by_field_name("value"))

    def e_integer(self, node: Any) -> ir.Expr:
        text = self.text(node).replace("_", "").rstrip("lLjJ")
        try:
            return ir.Const(int(text, 0), _span(node))
        except ValueError:
            return ir.Opaque(span=_span(node))

    def e_float(self, node: Any) -> ir.Expr:
        try:
            return ir.Const(float(self.text(node).replace("_", "").rstrip("jJ")), _span(node))
        except ValueError:
            return ir.Opaque(span=_span(node))

    def e_string(self, node: Any) -> ir.Expr:
        start = node.children[0] if node.children else None
        prefix = self.text(start).lower() if start is not None and start.type == "string_start" else ""
        prefix = prefix.rstrip("'\"")
        parts: list[ir.Expr] = []
        interpolated = False
        for child in node.children:
            if child.type == "interpolation":
                interpolated = True
                inner = child.child_by_field_name("expression")
                parts.append(self.expr(inner))
            elif child.type in ("string_content", "escape_sequence"):
                parts.append(ir.Const(self._literal(child, prefix), _span(child)))
        span = _span(node)
        if "t" in prefix:
            return ir.Concat(tuple(parts), span, template=True)
        if interpolated:
            return ir.Concat(tuple(parts), span)
        text = "".join(p.value for p in parts if isinstance(p, ir.Const))
        if "b" in prefix:
            return ir.Const(text.encode("latin-1", "replace"), span)
        return ir.Const(text, span)

    def _literal(self, node: Any, prefix: str) -> str:
        """The text a literal part denotes; escapes decoded unless raw (safe: literal_eval only reads literals)."""
        raw = self.text(node)
        if "r" in prefix or "\\" not in raw or len(raw) > 4096:
            return raw
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes in scanned code are its business
                return ast.literal_eval('"""' + raw.replace('"', '\\"') + '"""')
        except (SyntaxError, ValueError):
            return raw

    def e_concatenated_string(self, node: Any) -> ir.Expr:
        return ir.Concat(tuple(self.expr(c) for c in node.named_children if c.type == "string"), _span(node))

    def e_binary_operator(self, node: Any) -> ir.Expr:
        op = node.child_by_field_name("operator")
        return ir.BinOp(
            self.text(op) if op is not None else "?",
            self.expr(node.child_by_field_name("left")),
            self.expr(node.child_by_field_name("right")),
            _span(node),
        )

    def e_unary_operator(self, node: Any) -> ir.Expr:
        op = node.child_by_field_name("operator")
        return ir.UnaryOp(self.text(op) if op is not None else "-", self.expr(node.child_by_field_name("argument")), _span(node))

    def e_not_operator(self, node: Any) -> ir.Expr:
        return ir.UnaryOp("not", self.expr(node.child_by_field_name("argument")), _span(node))

    def e_boolean_operator(self, node: Any) -> ir.Expr:
        op = node.child_by_field_name("operator")
        return ir.BoolOp(
            self.text(op) if op is not None else "and",
            (self.expr(node.child_by_field_name("left")), self.expr(node.child_by_field_name("right"))),
            _span(node),
        )

    def e_comparison_operator(self, node: Any) -> ir.Expr:
        operands: list[ir.Expr] = []
        ops: list[str] = []
        pending = ""
        for child in node.children:
            if child.is_named and child.type != "comment":
                if pending:
                    ops.append(pending)
                    pending = ""
                operands.append(self.expr(child))
            elif not child.is_named:
                pending = (pending + " " + child.type).strip()
        if not operands:
            return ir.Opaque(span=_span(node))
        ops = ops[: len(operands) - 1]
        return ir.Compare(operands[0], tuple(ops), tuple(operands[1 : len(ops) + 1]), _span(node))

    def e_conditional_expression(self, node: Any) -> ir.Expr:
        parts = [c for c in node.named_children if c.type != "comment"]
        if len(parts) != 3:
            return ir.Opaque(tuple(self.expr(p) for p in parts), _span(node))
        return ir.Cond(self.expr(parts[1]), self.expr(parts[0]), self.expr(parts[2]), _span(node))

    def e_dictionary(self, node: Any) -> ir.Expr:
        keys: list[ir.Expr | None] = []
        values: list[ir.Expr] = []
        for child in node.named_children:
            if child.type == "pair":
                keys.append(self.expr(child.child_by_field_name("key")))
                values.append(self.expr(child.child_by_field_name("value")))
            elif child.type == "dictionary_splat":
                inner = child.named_children
                keys.append(None)
                values.append(self.expr(inner[0]) if inner else ir.Opaque())
        return ir.Dict(tuple(keys), tuple(values), _span(node))

    def e_list_splat(self, node: Any) -> ir.Expr:
        inner = node.named_children
        return ir.Starred(self.expr(inner[0]) if inner else ir.Opaque(), _span(node))

    def e_dictionary_splat(self, node: Any) -> ir.Expr:
        return self.e_list_splat(node)

    def _comprehension(self, node: Any) -> ir.Expr:
        body = node.child_by_field_name("body")
        generators: list[ir.Generator] = []
        for child in node.named_children:
            if child.type == "for_in_clause":
                left = child.child_by_field_name("left")
                right = child.child_by_field_name("right")
                generators.append(ir.Generator(self.target(left) if left else ir.Opaque(), self.expr(right), ()))
            elif child.type == "if_clause" and generators:
                last = generators[-1]
                conds = tuple(self.expr(c) for c in child.named_children)
                generators[-1] = ir.Generator(last.target, last.iter, last.conds + conds)
        if body is not None and body.type == "pair":
            elt: ir.Expr = ir.Seq(
                "tuple", (self.expr(body.child_by_field_name("key")), self.expr(body.child_by_field_name("value")))
            )
        else:
            elt = self.expr(body)
        return ir.Comp(_COMP_KINDS[node.type], elt, tuple(generators), _span(node))

    def e_lambda(self, node: Any) -> ir.Expr:
        return ir.Lambda(self.params(node.child_by_field_name("parameters")), self.expr(node.child_by_field_name("body")), _span(node))
