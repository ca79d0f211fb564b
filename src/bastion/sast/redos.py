"""Super-linear backtracking, decided on a regex's position (Glushkov) automaton.

A backtracking engine tries every path of the pattern's automaton before it
gives up, so a failing match costs as much as the number of paths. Two shapes
make that number grow faster than the input (Weideman et al., "Analyzing
matching time behavior of backtracking regular expression matchers", 2016):

- exponential (EDA): a state loops back to itself along two different paths on
  the same text: nested repeats ``(a+)+`` (two parallel edges, counted here as
  edge multiplicity) or overlapping alternatives/adjacent repeats under a loop
  ``(a|a)*``, ``(\\w+\\s?)*``, found as a strongly connected component of the
  automaton squared that holds both a pair ``(p, p)`` and a pair ``(q, r)``;
- polynomial (IDA): a loop at ``p`` can hand the same text to a later loop at
  ``q`` (``\\d+\\d+x``, ``.*.*=``), found in the automaton cubed.

Ambiguity alone is no attack: the engine stops at the first success, so a
repeat with nothing after it that can fail (``^#([\\w-])+`` ends the pattern)
is harmless. Each witness is therefore replayed on the automaton: the prefix
and pumped text must never reach an accepting state, and a one-character
suffix (or the end of input, for ``$``) must make every path fail. What comes
back is a concrete attack (``prefix + pump * n + suffix``), which the tests run
against Python's own ``re``.

Counted repeats up to 16 are unrolled, so ``(\\d{1,3}\\.){3}`` has no loop at
all. Counted repeats above 16 are built as loops, but each loop keeps its bound:
an ambiguity whose outermost loop is bounded (``(\\w{1,64}\\s?){1,20}``) is not
exponential, only polynomial of the bound's degree, and a witness is kept only
when the bounds still allow ``10 ** EXPLOITABLE_LOG10`` backtracking steps on an input of
``LIKELY_INPUT`` characters (``\\w{1,100}\\w{1,100}`` is ten thousand steps at
most: not reported).

Approximations, all towards silence on patterns we cannot read: lookarounds,
word boundaries and back-references are treated as empty; automata above a few hundred positions are not judged;
the implicit ``.*?`` of a search (a quadratic retry from every start offset)
is not modelled.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from bastion.core.graphs import GraphTooLarge, strongly_connected

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as C  # type: ignore[no-redef]

REPEATS = frozenset(op for op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if op is not None)
ALL = (1 << 256) - 1
WORD = sum(1 << c for c in range(256) if chr(c).isalnum() or c == ord("_"))
DIGIT = sum(1 << c for c in range(ord("0"), ord("9") + 1))
SPACE = sum(1 << c for c in b" \t\n\r\f\v")
BEGIN = 1 << 256  # pseudo-characters: ^ / \A and $ / \Z as positions, removed after construction
END = 1 << 257
_CATEGORY = {
    C.CATEGORY_DIGIT: DIGIT,
    C.CATEGORY_NOT_DIGIT: ALL & ~DIGIT,
    C.CATEGORY_WORD: WORD,
    C.CATEGORY_NOT_WORD: ALL & ~WORD,
    C.CATEGORY_SPACE: SPACE,
    C.CATEGORY_NOT_SPACE: ALL & ~SPACE,
}
_SINGLE = frozenset({C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN})
_STRING_START = frozenset({C.AT_BEGINNING_STRING})
_STRING_END = frozenset({C.AT_END_STRING})
MAX_POSITIONS = 400
EXPAND = 16
BUDGET = 150_000  # product states one Tarjan pass may visit
WORK = 1_000_000  # edge checks and search steps for one pattern, all product searches together
LIKELY_INPUT = 100_000  # characters an attacker can send in one field or body
EXPLOITABLE_LOG10 = 7  # 10**7 backtracking steps: around a second of CPU for a backtracking engine
_PREFERRED = [ord(c) for c in "a0A_ -.!:/=@<x\n"] + list(range(256))


class _TooBig(Exception):
    """The automaton would be too large to judge; the pattern gets no finding."""


@dataclass(frozen=True)
class Attack:
    kind: str
    reason: str
    prefix: str
    pump: str
    suffix: str


def charset(op, av) -> int:
    """Characters a single-character item matches, as a 256-bit set (non-Latin-1 folded into the top bit)."""
    if op is C.LITERAL:
        return 1 << min(av, 255)
    if op is C.NOT_LITERAL:
        return ALL & ~(1 << min(av, 255))
    if op is C.ANY:
        return ALL & ~(1 << 10)
    if op is C.IN:
        bits = 0
        negate = False
        for iop, iav in av:
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                bits |= 1 << min(iav, 255)
            elif iop is C.RANGE:
                lo, hi = min(iav[0], 255), min(iav[1], 255)
                bits |= ((1 << (hi - lo + 1)) - 1) << lo if hi >= lo else 0
            elif iop is C.CATEGORY:
                bits |= _CATEGORY.get(iav, ALL)
            else:
                bits = ALL
        return ALL & ~bits if negate else bits
    return ALL


def _add(into: dict[int, int], more: dict[int, int], times: int) -> dict[int, int]:
    """Add path counts (capped at 2: only "one" or "several" matters)."""
    for key, ways in more.items():
        into[key] = min(2, into.get(key, 0) + ways * times)
    return into


def _fold(bits: int) -> int:
    for c in range(26):
        lower, upper = 1 << (ord("a") + c), 1 << (ord("A") + c)
        if bits & (lower | upper):
            bits |= lower | upper
    return bits


def pick(bits: int) -> str:
    """A readable character of a set."""
    for code in _PREFERRED:
        if bits >> code & 1:
            return chr(code)
    return ""


class Automaton:
    """Positions (one per character item), edge multiplicities, and the two kinds of accepting state."""

    def __init__(self, parsed, flags: int) -> None:
        self.sets: list[int] = []
        self.follow: list[dict[int, int]] = []
        self.ignorecase = bool(flags & re.IGNORECASE)
        self.dotall = bool(flags & re.DOTALL)
        self.multiline = bool(flags & re.MULTILINE)
        self.loop_bounds: list[int | None] = []  # per loop (a repeat built with a back edge): its bound, None if unbounded
        self.enclosing: list[tuple[int, ...]] = []  # per position: the loops around it, outermost first
        self._open_loops: list[int] = []
        first, last, nullable = self._seq(parsed, 0)
        self._position(0)
        self.initial = len(self.sets) - 1
        self._link({self.initial: 1}, first)
        self.final = set(last) | ({self.initial} if nullable else set())
        self._drop_anchors()

    # construction -------------------------------------------------------
    # A fragment is (first, last, empty): positions it can start and end at, each
    # with the number of distinct empty paths to them (capped at 2), and the
    # number of ways it can match the empty string. Counting keeps the ambiguity
    # the textbook construction drops: in ``(a+)+`` and ``(a(?:|))*`` the edge
    # a -> a exists twice.
    def _position(self, bits: int):
        if len(self.sets) >= MAX_POSITIONS:
            raise _TooBig
        self.sets.append(bits)
        self.follow.append({})
        self.enclosing.append(tuple(self._open_loops))
        p = len(self.sets) - 1
        return {p: 1}, {p: 1}, 0

    def _link(self, lasts: dict[int, int], firsts: dict[int, int]) -> None:
        for p, ways in lasts.items():
            edges = self.follow[p]
            for q, more in firsts.items():
                edges[q] = min(2, edges.get(q, 0) + ways * more)

    def _concat(self, parts):
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        empty = 1
        for f, l, n in parts:
            self._link(last, f)
            if empty:
                _add(first, f, empty)
            last = _add(dict(l), last, n) if n else dict(l)
            empty = min(2, empty * n)
        return first, last, empty

    def _seq(self, items, depth: int):
        if depth > 200:
            raise _TooBig
        return self._concat(self._item(op, av, depth) for op, av in items)

    def _item(self, op, av, depth: int):
        if op in _SINGLE:
            bits = charset(op, av) | (1 << 10 if op is C.ANY and self.dotall else 0)
            return self._position(_fold(bits) if self.ignorecase else bits)
        if op is C.SUBPATTERN:
            return self._seq(av[-1], depth + 1)
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self._seq(av, depth + 1)
        if op is C.BRANCH:
            return self._branch(av[1], depth)
        if op is C.GROUPREF_EXISTS:
            return self._branch([av[1], av[2] or []], depth)
        if op in REPEATS:
            return self._repeat(*av, depth + 1)
        if op is C.AT:
            if av in _STRING_START or (av is C.AT_BEGINNING and not self.multiline):
                return self._position(BEGIN)
            if av in _STRING_END or (av is C.AT_END and not self.multiline):
                return self._position(END)
            return {}, {}, 1
        if op is C.FAILURE:
            return self._position(0)
        return {}, {}, 1  # lookarounds, boundaries, back-references: empty

    def _branch(self, branches, depth: int):
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        empty = 0
        for branch in branches:
            f, l, n = self._seq(branch, depth + 1)
            _add(first, f, 1)
            _add(last, l, 1)
            empty = min(2, empty + n)
        return first, last, empty

    def _repeat(self, lo: int, hi: int, body, depth: int):
        unbounded = hi == C.MAXREPEAT or hi > EXPAND
        lo = min(lo, EXPAND)
        parts = [self._seq(body, depth) for _ in range(lo)]
        if unbounded:
            self._open_loops.append(len(self.loop_bounds))
            self.loop_bounds.append(None if hi == C.MAXREPEAT else hi)
            f, l, _ = self._seq(body, depth)
            self._open_loops.pop()
            self._link(l, f)
            parts.append((f, l, 1))
        else:
            tail: tuple[dict[int, int], dict[int, int], int] = ({}, {}, 1)  # x{0,3} as (x(x(x)?)?)?, the engine's counter
            for _ in range(hi - lo):
                f, l, n = self._seq(body, depth)
                self._link(l, tail[0])
                tail = (_add(dict(f), tail[0], n) if n else f, _add(dict(l), tail[1], 1), 1)
            parts.append(tail)
        return self._concat(parts)

    def _drop_anchors(self) -> None:
        """Fold ``^`` into the initial state and turn ``$`` into acceptance at the end of input."""
        begins = {p for p, bits in enumerate(self.sets) if bits == BEGIN}
        ends = {p for p, bits in enumerate(self.sets) if bits == END}
        for _ in range(len(begins) + 1):
            entered = [b for b in self.follow[self.initial] if b in begins]
            if not entered:
                break
            for b in entered:
                del self.follow[self.initial][b]
                self._link({self.initial: 1}, {q: n for q, n in self.follow[b].items() if q not in begins})
                if b in self.final:
                    self.final.add(self.initial)
        ending = {e for e in ends if e in self.final}
        for _ in range(len(ends)):
            ending |= {e for e in ends if any(q in ending for q in self.follow[e])}
        self.end_final = self.final | {p for p, edges in enumerate(self.follow) if any(q in ending for q in edges)}
        for edges in self.follow:
            for q in [q for q in edges if q in begins or q in ends]:
                del edges[q]
        self.final -= begins | ends

    # queries --------------------------------------------------------------
    def successors(self, p: int) -> list[int]:
        return list(self.follow[p])

    def step(self, states: set[int], char: str) -> set[int]:
        bit = 1 << min(ord(char), 255)
        return {q for p in states for q in self.follow[p] if self.sets[q] & bit}

    def step_all(self, states: set[int], text: str) -> set[int]:
        for char in text:
            states = self.step(states, char)
        return states

    def path(self, start: int, goal: int) -> str | None:
        """Characters of a shortest path from ``start`` to ``goal`` (one step at least when they are equal)."""
        parents: dict[int, int] = {}
        queue = deque([start])
        while queue:
            p = queue.popleft()
            for q in self.follow[p]:
                if q in parents:
                    continue
                parents[q] = p
                if q == goal:
                    chars = []
                    while True:
                        chars.append(pick(self.sets[q]))
                        q = parents[q]
                        if q == start:
                            return "".join(reversed(chars))
                queue.append(q)
        return None


def _tarjan(roots: Iterable[Hashable], succ: Callable[[Hashable], Iterable[Hashable]]) -> dict:
    """Strongly connected components (iterative), as node -> component id, within :data:`BUDGET` nodes."""
    try:
        return strongly_connected(roots, succ, BUDGET)
    except GraphTooLarge:
        raise _TooBig from None


def _search(start: tuple, goal: tuple, succ, spent: list[int]) -> str | None:
    """Breadth-first search over a product automaton whose successors come with the character taken.

    ``spent`` counts visited nodes across every search of one pattern, so that a
    large pattern is abandoned rather than analysed for long.
    """
    parents: dict = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for char, child in succ(node):
            if child in parents:
                continue
            spent[0] += 1
            if spent[0] > WORK:
                raise _TooBig
            parents[child] = (node, char)
            if child == goal:
                chars = []
                while parents[child] is not None:
                    child, char = parents[child]
                    chars.append(char)
                return "".join(reversed(chars))
            queue.append(child)
    return None


class _Analysis:
    def __init__(self, nfa: Automaton, newline_end: bool) -> None:
        self.nfa = nfa
        self.newline_end = newline_end
        self.spent = [0]
        reachable = _tarjan([nfa.initial], nfa.successors)
        self.scc = reachable
        sizes: dict[int, int] = {}
        for comp in reachable.values():
            sizes[comp] = sizes.get(comp, 0) + 1
        self.cyclic = {p for p, comp in reachable.items() if sizes[comp] > 1 or p in nfa.follow[p]}

    def _charge(self, work: int) -> None:
        """Count edge checks of the product automata: a pattern that needs too many is not judged."""
        self.spent[0] += work
        if self.spent[0] > WORK:
            raise _TooBig

    def _pairs(self, node):
        p, q = node
        sets, scc = self.nfa.sets, self.scc
        self._charge(len(self.nfa.follow[p]) * len(self.nfa.follow[q]))
        for p2 in self.nfa.follow[p]:
            if scc.get(p2) != scc[p]:
                continue
            for q2 in self.nfa.follow[q]:
                common = sets[p2] & sets[q2] & ALL
                if common and scc.get(q2) == scc[p]:
                    yield pick(common), (p2, q2)

    def exponential(self):
        """Witnesses ``(state, pump, reason)`` of a state that loops on the same text along two paths."""
        nfa = self.nfa
        for p in sorted(self.cyclic):
            for q, count in nfa.follow[p].items():
                if count > 1 and self.scc.get(q) == self.scc[p]:
                    back = "" if q == p else nfa.path(q, p)
                    if back is not None:
                        yield q, back + pick(nfa.sets[q]), "nested repeats can split the same text between the inner and the outer loop in exponentially many ways", (q,)
        diagonal = [(p, p) for p in sorted(self.cyclic)]
        pairs = _tarjan(diagonal, lambda node: [child for _, child in self._pairs(node)])
        by_component: dict[int, list] = {}
        for node, comp in pairs.items():
            by_component.setdefault(comp, []).append(node)
        for members in by_component.values():
            same = sorted(node for node in members if node[0] == node[1])
            other = sorted(node for node in members if node[0] != node[1])
            if same and other:
                there = _search(same[0], other[0], self._pairs, self.spent)
                back = _search(other[0], same[0], self._pairs, self.spent)
                if there is not None and back is not None:
                    yield same[0][0], there + back, "a repeat can match the same text along two different paths (overlapping alternatives or repeats inside a loop), so a failing match retries exponentially many of them", tuple(sorted({n[0] for n in members}))

    def polynomial(self):
        """Witnesses ``(state, pump, reason)`` of a loop that can hand its text to a later loop."""
        nfa = self.nfa
        for p in sorted(self.cyclic):
            for q in sorted(self.cyclic):
                if self.scc[p] == self.scc[q] or nfa.path(p, q) is None:
                    continue
                pump = _search((p, p, q), (p, q, q), lambda node, p=p, q=q: self._triples(node, p, q), self.spent)
                if pump:
                    yield p, pump, "two repeats in sequence can match the same text, so a failing match retries every way to split it (time polynomial in the input length)", (p, q)

    def _triples(self, node, p: int, q: int):
        a, b, c = node
        sets, scc = self.nfa.sets, self.scc
        self._charge(len(self.nfa.follow[a]))
        for a2 in self.nfa.follow[a]:
            if scc.get(a2) != scc[p]:
                continue
            for c2 in self.nfa.follow[c]:
                if scc.get(c2) != scc[q]:
                    continue
                common = sets[a2] & sets[c2] & ALL
                if not common:
                    continue
                self._charge(len(self.nfa.follow[b]))
                for b2 in self.nfa.follow[b]:
                    if sets[b2] & common:
                        yield pick(sets[b2] & common), (a2, b2, c2)

    def _reach(self, p: int) -> int:
        """How many characters the loops around ``p`` let it match: the product of their bounds, capped."""
        total = 1
        for loop in self.nfa.enclosing[p]:
            bound = self.nfa.loop_bounds[loop]
            total = LIKELY_INPUT if bound is None else total * bound
            if total >= LIKELY_INPUT:
                return LIKELY_INPUT
        return total

    def bounded(self, kind: str, reason: str, positions: tuple[int, ...]) -> tuple[str, str] | None:
        """``(kind, reason)`` once the loops' bounds are counted; None when they leave too few paths to hurt.

        Exponential ambiguity needs its outermost loop to be unbounded: with ``{1,B}`` there are at most
        ``C(n, B)`` ways to split ``n`` characters, polynomial of degree B. Two loops in sequence cost the
        product of what each can match.
        """
        if kind == "exponential":
            shared = set(self.nfa.enclosing[positions[0]])
            for p in positions[1:]:
                shared &= set(self.nfa.enclosing[p])
            outer = [loop for loop in self.nfa.enclosing[positions[0]] if loop in shared]
            if not outer or self.nfa.loop_bounds[outer[0]] is None:
                return kind, reason
            repeats = self.nfa.loop_bounds[outer[0]] or 1
            length = min(LIKELY_INPUT, sum(self._reach(p) for p in positions))
            chosen = min(repeats, length // 2)
            steps = (math.lgamma(length + 1) - math.lgamma(chosen + 1) - math.lgamma(length - chosen + 1)) / math.log(10)
            if steps < EXPLOITABLE_LOG10:
                return None
            return "polynomial", (f"the ambiguous loop repeats at most {repeats} times, so backtracking is polynomial of degree {repeats} "
                                  f"in the input length, still about 10^{int(steps)} steps on {length} characters")  # fmt: skip
        first, second = (self._reach(p) for p in positions)
        if math.log10(first) + math.log10(second) < EXPLOITABLE_LOG10:
            return None
        if LIKELY_INPUT in (first, second):
            return kind, reason
        return kind, f"{reason}; the bounds allow {first} x {second} ways to split the text"

    def confirm(self, state: int, pump: str) -> tuple[str, str] | None:
        """A prefix and suffix that make every path of ``prefix + pump * n + suffix`` fail, if there are."""
        nfa = self.nfa
        prefix = "" if state == nfa.initial else nfa.path(nfa.initial, state)
        if prefix is None or not pump or nfa.initial in nfa.final:
            return None
        states = {nfa.initial}
        seen = set()
        for char in prefix + pump * 2:
            states = nfa.step(states, char)
            if states & nfa.final:
                return None
        while frozenset(states) not in seen:
            seen.add(frozenset(states))
            for char in pump:
                states = nfa.step(states, char)
                if states & nfa.final:
                    return None
        for suffix in self._suffixes():
            if suffix.endswith("\n") and self.newline_end and nfa.step_all(states, suffix[:-1]) & nfa.end_final:
                continue  # Python's $ also matches before a final newline
            after = nfa.step_all(states, suffix)
            if not after & nfa.final and not after & nfa.end_final:
                return prefix, suffix
        return None

    def _suffixes(self) -> list[str]:
        candidates = ["", "!", "\n", "\x00", "\r", " ", "\n!"]
        for bits in self.nfa.sets:
            candidates += [pick(bits & ALL), pick(ALL & ~bits)]
        return list(dict.fromkeys(candidates))


def attack(parsed, flags: int = 0, newline_end: bool = True) -> Attack | None:
    """An attack on a parsed pattern (``re._parser`` output), exponential before polynomial; None if none exists.

    ``newline_end``: ``$`` also matches before a final newline (Python; not JavaScript).
    """
    try:
        nfa = Automaton(parsed, flags)
        analysis = _Analysis(nfa, newline_end)
        slower: Attack | None = None  # the first polynomial attack: the answer unless a real exponential one turns up
        for kind, witnesses in (("exponential", analysis.exponential), ("polynomial", analysis.polynomial)):
            if slower is not None:
                break
            for state, pump, reason, positions in witnesses():
                judged = analysis.bounded(kind, reason, positions)
                confirmed = analysis.confirm(state, pump) if judged is not None else None
                if judged is None or confirmed is None:
                    continue
                found = Attack(judged[0], judged[1], confirmed[0], pump, confirmed[1])
                if found.kind == "exponential" or kind == "polynomial":
                    return found if found.kind == "exponential" or slower is None else slower
                slower = slower or found
        return slower
    except _TooBig:
        return None
