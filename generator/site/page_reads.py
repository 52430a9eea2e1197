"""What a record page's templates read from ``site_data``: a recording view (``page_cache``).

A record page's body is a function of its page model, the code and templates, and whatever the
templates read from the ``site_data`` global and the filters made from it (``render.make_env``:
``unit_name``, ``unit_short``, ``category``, ``township_slug``; ``_macros.html``: unit, task and
object names, ``with_page`` membership). ``SiteDataView`` stands in for ``site_data`` while a page
renders and notes each read as a *query* on a path from a ``SiteData`` field:

* ``("get", path)``: the value at ``path`` (``("objects", "9132…", "name")``);
* ``("has", path)``: whether ``path[-1]`` is a key or member of the container at ``path[:-1]``,
  and if so whether it holds a map, a set or a plain value;
* ``("len", path)``: how many keys or members the dict or set at ``path`` has (``if unit``).

Dicts and sets come back as views too, so ``site_data.tasks[t].name`` is the one query
``get tasks/t/name`` and ``if unit`` is ``len``; anything else — iterating, printing or comparing a
container, a list, a value of any other type — reads the whole value (``get`` on its path). Methods
of ``SiteData`` (``unit_name``, ``is_problem``, ``current_item``…) run with the view as ``self``, so
their reads are noted the same way, and what they memoise lives for one page only.

``Answers.answer(query)`` gives a query's answer on the real ``site_data``: a digest of the value
(``digest``: type and value exactly, ``canonical``) or the membership. A page rendered again gives
the same bytes whenever the model, the code and every noted query's answer are the same: the
templates are deterministic and read ``site_data`` only through these queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import fractions
import hashlib
import io
import pickle
import types
from collections.abc import Iterator, Mapping

from markupsafe import Markup

from generator.site.site_data import SiteData

FIELDS = frozenset(f.name for f in dataclasses.fields(SiteData))
# the only types a canonical form is made of besides those pickle writes itself (None, bool, int,
# float, str, bytes, dict, list, tuple, set): their own reductions (the class and its state)
_PLAIN = frozenset(
    {dt.date, dt.datetime, dt.time, dt.timedelta, dt.timezone, fractions.Fraction, decimal.Decimal, Markup}
)


class Uncacheable(Exception):
    """A value outside the plain data a page model or ``site_data`` is made of: not cached."""


class _Plain:
    """The pickler's dispatch table: asked (in C) only for a type pickle does not write itself. A
    plain type gets its own reduction (``KeyError``: the default); any other is refused."""

    def __getitem__(self, cls):
        if cls in _PLAIN or issubclass(cls, type):
            raise KeyError(cls)  # a class (ABCMeta's Fraction) is written by its name
        raise Uncacheable(cls.__qualname__)


class _Canonical(pickle.Pickler):
    """pickle as a serialiser of plain data only (never loaded: only hashed). Pickle keeps the
    type of every value (a tuple is not a list, 1 is not 1.0 nor True, a date not its text), so
    equal bytes mean equal values; an object of any type but those above is refused
    (``Uncacheable``; a class or a module-level function is written by its qualified name, its code
    being in the key's code fingerprint). Fast mode (no memo): the bytes do not depend on which equal
    strings or dicts are one object. The dispatch table, not ``reducer_override``, refuses the rest:
    it is consulted in C for the few values of other types, where ``reducer_override`` was a Python
    call for every dict, list and tuple (a third of a page's key)."""

    dispatch_table = _Plain()


def canonical(value) -> bytes:
    """The bytes of a value made of plain data (dicts, lists, tuples, strings, numbers, dates,
    fractions); ``Uncacheable`` for anything else. Sets are sorted when their members are strings
    (a set's order is the process's hash order), else taken as they come (then a miss at worst)."""
    if isinstance(value, set | frozenset) and all(type(v) is str for v in value):
        value = (type(value).__name__, sorted(value))
    out = io.BytesIO()
    pickler = _Canonical(out, protocol=5)
    pickler.fast = True
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError) as e:
        raise Uncacheable(str(e)) from None
    return out.getvalue()


def digest(value) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()[:32]


def _kind(value) -> str:
    if type(value) is dict:
        return "map"
    if type(value) in (set, frozenset):
        return "set"
    return "value"


def _key_ok(key) -> bool:
    """Path steps are what JSON keeps as they are: strings and integers (not bools)."""
    return type(key) is str or type(key) is int


class Answers:
    """Each query's answer on the real ``site_data``, computed once per build and process."""

    def __init__(self, site_data: SiteData):
        self.site_data = site_data
        self._memo: dict[tuple, str] = {}

    def answer(self, op: str, path: tuple) -> str:
        """``Uncacheable`` when the answer cannot be given (a value of another type); a path that
        no longer leads anywhere answers ``"gone"`` (never what was recorded)."""
        query = (op, path)
        found = self._memo.get(query)
        if found is None:
            found = self._memo[query] = self._answer(op, path)
        return found

    def _answer(self, op: str, path: tuple) -> str:
        try:
            if op == "get":
                return "=" + digest(self._resolve(path))
            if op == "has":
                container = self.site_data if len(path) == 1 else self._resolve(path[:-1])
                if len(path) == 1:
                    return _kind(getattr(container, path[0])) if path[0] in FIELDS else "no"
                if type(container) is dict:
                    return _kind(container[path[-1]]) if path[-1] in container else "no"
                if type(container) in (set, frozenset):
                    return "value" if path[-1] in container else "no"
            if op == "len":
                value = self._resolve(path)
                if type(value) in (dict, set, frozenset):
                    return str(len(value))
                return "gone"
        except (LookupError, TypeError):
            return "gone"
        raise Uncacheable(op)

    def _resolve(self, path: tuple):
        if not path or path[0] not in FIELDS:
            raise LookupError(path)
        value = getattr(self.site_data, path[0])
        for key in path[1:]:
            if type(value) is not dict:
                raise LookupError(path)
            value = value[key]
        return value


def _order(query: tuple[str, tuple]) -> tuple:
    """A query's place in a page's list: its steps compared with steps of their own type only
    (an int key beside a str one made ``sorted`` raise: red team, tenth round)."""
    op, path = query
    return op, tuple((type(k) is int, k) for k in path)


def essential(reads: list[tuple[str, tuple]]) -> list[tuple[str, tuple]]:
    """``reads`` without those another one implies: ``get`` of a path decides everything under it
    (any query on a longer path, and its own size and kind), and that it resolves means every
    shorter path exists and is a map (``has`` on it)."""
    got = {path for op, path in reads if op == "get"}
    under = {path[:n] for path in got for n in range(1, len(path))}  # proper prefixes of a get

    def implied(op: str, path: tuple) -> bool:
        if any(path[:n] in got for n in range(1, len(path))):
            return True  # a get of a shorter path decides it
        return op != "get" and (path in got or (op == "has" and path in under))

    return [(op, path) for op, path in reads if not implied(op, path)]


class SiteDataView:
    """``site_data`` as the record templates see it while ``page_cache`` records their reads.

    ``begin()`` before a page, ``end()`` after it: the queries noted meanwhile, or None when the
    page read something that cannot be answered again (then it is not cached)."""

    __slots__ = ("_ssj_real", "_ssj_log", "_ssj_bad", "_ssj_scratch")

    def __init__(self, site_data: SiteData):
        object.__setattr__(self, "_ssj_real", site_data)
        object.__setattr__(self, "_ssj_log", None)
        object.__setattr__(self, "_ssj_bad", False)
        object.__setattr__(self, "_ssj_scratch", {})

    def begin(self) -> None:
        object.__setattr__(self, "_ssj_log", {})
        object.__setattr__(self, "_ssj_bad", False)
        object.__setattr__(self, "_ssj_scratch", {})  # what a method memoised: one page's only

    def end(self) -> list[tuple[str, tuple]] | None:
        log, bad = self._ssj_log, self._ssj_bad
        object.__setattr__(self, "_ssj_log", None)
        object.__setattr__(self, "_ssj_scratch", {})
        return None if bad or log is None else sorted(log, key=_order)

    def _note(self, op: str, path: tuple) -> None:
        if self._ssj_log is not None:
            if all(_key_ok(k) for k in path):
                self._ssj_log[(op, path)] = None
            else:
                object.__setattr__(self, "_ssj_bad", True)

    def _wrap(self, path: tuple, value):
        """A dict or set as a view on ``path``; any other value is read whole."""
        if type(value) is dict:
            self._note("has", path)  # it exists and is a map: a test like ``is mapping`` sees that
            return _MapView(self, path, value)
        if type(value) in (set, frozenset):
            self._note("has", path)
            return _SetView(self, path, value)
        self._note("get", path)
        return value

    def __getattr__(self, name: str):
        scratch = self._ssj_scratch
        if name in scratch:
            return scratch[name]
        if name in FIELDS:
            return self._wrap((name,), getattr(self._ssj_real, name))
        member = SiteData.__dict__.get(name)
        if isinstance(member, types.FunctionType):
            return types.MethodType(member, self)  # its reads of ``self`` go through the view
        if isinstance(member, property) and member.fget is not None:
            return member.fget(self)
        raise AttributeError(name)

    def __setattr__(self, name: str, value) -> None:
        self._ssj_scratch[name] = value  # a method's memo (``_current_items``): this page only


class _MapView(Mapping):
    """A dict of ``site_data`` at ``path``: a key's value or membership is a query of its own;
    its size is a query too; iterating, comparing or printing the dict reads it whole."""

    __slots__ = ("_ssj_view", "_ssj_path", "_ssj_real")

    def __init__(self, view: SiteDataView, path: tuple, real: dict):
        self._ssj_view, self._ssj_path, self._ssj_real = view, path, real

    def _whole(self) -> dict:
        self._ssj_view._note("get", self._ssj_path)
        return self._ssj_real

    def __getitem__(self, key):
        path = self._ssj_path + (key,)
        try:
            value = self._ssj_real[key]
        except (KeyError, TypeError):
            self._ssj_view._note("has", path)
            raise
        return self._ssj_view._wrap(path, value)

    def __contains__(self, key) -> bool:
        self._ssj_view._note("has", self._ssj_path + (key,))
        try:
            return key in self._ssj_real
        except TypeError:
            return False

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __iter__(self) -> Iterator:
        return iter(self._whole())

    def __len__(self) -> int:
        self._ssj_view._note("len", self._ssj_path)
        return len(self._ssj_real)

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def items(self):
        return self._whole().items()

    def __eq__(self, other) -> bool:
        if isinstance(other, _MapView):
            other = other._whole()
        return self._whole() == other

    __hash__ = None

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return repr(self._whole())

    __str__ = __repr__


class _SetView:
    """A set of ``site_data`` (``with_page``): membership is a query; anything else reads it whole."""

    __slots__ = ("_ssj_view", "_ssj_path", "_ssj_real")

    def __init__(self, view: SiteDataView, path: tuple, real):
        self._ssj_view, self._ssj_path, self._ssj_real = view, path, real

    def _whole(self):
        self._ssj_view._note("get", self._ssj_path)
        return self._ssj_real

    def __contains__(self, item) -> bool:
        self._ssj_view._note("has", self._ssj_path + (item,))
        try:
            return item in self._ssj_real
        except TypeError:
            return False

    def __iter__(self) -> Iterator:
        return iter(self._whole())

    def __len__(self) -> int:
        self._ssj_view._note("len", self._ssj_path)
        return len(self._ssj_real)

    def __eq__(self, other) -> bool:
        if isinstance(other, _SetView):
            other = other._whole()
        return self._whole() == other

    __hash__ = None

    def __bool__(self) -> bool:
        return len(self) > 0

    def __repr__(self) -> str:
        return repr(self._whole())

    __str__ = __repr__

    def __getattr__(self, name: str):
        return getattr(self._whole(), name)  # set methods (issubset, union…) read it whole
