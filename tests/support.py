"""Helpers shared by the whole test suite (``import support``).

pytest puts this folder on ``sys.path`` (``pythonpath = ["tests"]`` in
pyproject.toml), so test modules in any sub-folder import it by name; the
fixtures built on it live in conftest.py.

* :func:`stable_seed` and :class:`InputFactory` -- seeded random inputs (binary
  labels and scores of many kinds, weights, class values); the multiclass and
  multilabel generators are in the sibling module ``multiclass_inputs``.
* :class:`Outcome` -- what one call did: its result, or the exception it
  raised, and the warnings it emitted. Used by the differential oracle and by
  the streaming and contract tests alike.
* :class:`Oracle` -- runs a function of scikit-learn and its cymetrics twin on
  the same input and asserts the same outcome: values (rtol=1e-12), dtypes,
  shapes, warnings (mapped to cymetrics' classes), exception types.
* :func:`assert_same_outcome` -- the same comparison between two cymetrics
  outcomes (one shot vs streaming, plain vs contiguous, ...): same values,
  same warning classes, same exception type (and message, on request).
* :func:`snapshot` / :func:`assert_unmodified` -- inputs left untouched.
* :func:`random_splits` / :func:`merge_tree` / :func:`take` -- streaming
  batches and merge orders.
"""

from __future__ import annotations

import copy
import dataclasses
import warnings
import zlib
from dataclasses import dataclass, field

import numpy as np
import pytest

from cymetrics.streaming import _serialization

RTOL = 1e-12
ATOL = 1e-15


def stable_seed(*parts) -> int:
    """A seed that depends only on ``parts`` (not on PYTHONHASHSEED)."""
    return zlib.crc32(repr(parts).encode())


# --------------------------------------------------------------------------
# Random inputs
# --------------------------------------------------------------------------
# name -> (negative value, positive value, pos_label can be omitted)
LABEL_KINDS = {
    "01": (0, 1, True),
    "pm1": (-1, 1, True),
    "bool": (False, True, True),
    "float01": (0.0, 1.0, True),
    "str": ("neg", "pos", False),
    "str_obj": ("neg", "pos", False),
    "int25": (2, 5, False),
}
SCORE_KINDS = ["f64", "f32", "f16", "i64", "i32", "list_f", "list_i"]
TIE_MODES = ["none", "round1", "round2", "round3", "const"]
WEIGHT_MODES = [None, "float", "float_zeros", "f32", "int", "int_zeros", "dyadic", "list_int"]
N_VALUES = [1, 2, 3, 10, 1000]


@dataclass
class BinaryCase:
    y_true: object
    y_score: object
    sample_weight: object
    neg: object
    pos: object
    pos_label_optional: bool
    desc: str = ""
    extra: dict = field(default_factory=dict)

    def args(self):
        return (self.y_true, self.y_score)


class InputFactory:
    """Seeded random inputs. Every generator takes an ``np.random.Generator``."""

    label_kinds = LABEL_KINDS
    score_kinds = SCORE_KINDS
    tie_modes = TIE_MODES
    weight_modes = WEIGHT_MODES
    n_values = N_VALUES

    @staticmethod
    def rng(*parts) -> np.random.Generator:
        return np.random.default_rng(stable_seed(*parts))

    # ---- pieces ---------------------------------------------------------
    @staticmethod
    def labels(rng, n, label_kind, p_pos=None, as_list=False):
        neg, pos, _ = LABEL_KINDS[label_kind]
        if p_pos is None:
            p_pos = rng.choice([0.5, 0.5, 0.2, 0.8, 0.03, 0.0, 1.0])
        is_pos = rng.random(n) < p_pos
        if label_kind == "str_obj":
            y = np.array([pos if b else neg for b in is_pos], dtype=object)
        elif label_kind == "bool":
            y = is_pos.copy()
        else:
            y = np.where(is_pos, pos, neg)
        if as_list:
            return y.tolist()
        return y

    @staticmethod
    def scores(rng, n, score_kind, tie_mode):
        integer = score_kind in ("i64", "i32", "list_i")
        if integer:
            span = {
                "none": max(10 * n, 10),
                "round1": 10,
                "round2": 100,
                "round3": 1000,
                "const": 0,
            }[tie_mode]
            s = rng.integers(-span, span + 1, size=n) if span else np.full(n, 7)
            s = s.astype(np.int32 if score_kind == "i32" else np.int64)
        else:
            if tie_mode == "none":
                scale = rng.choice([1.0, 1e-3, 1e4])
                s = rng.normal(size=n) * scale + rng.normal()
            elif tie_mode == "const":
                s = np.full(n, 0.3)
            else:
                s = np.round(rng.random(n), int(tie_mode[-1]))
            s = s.astype(
                {"f64": np.float64, "f32": np.float32, "f16": np.float16}.get(
                    score_kind, np.float64
                )
            )
        if score_kind.startswith("list"):
            return s.tolist()
        return s

    @staticmethod
    def weights(rng, n, weight_mode):
        if weight_mode is None:
            return None
        if weight_mode == "float":
            return rng.random(n) + 0.05
        if weight_mode == "float_zeros":
            w = rng.random(n) * 3
            w[rng.random(n) < 0.3] = 0.0
            return w
        if weight_mode == "f32":
            return (rng.random(n) * 2).astype(np.float32)
        if weight_mode == "int":
            return rng.integers(1, 5, size=n)
        if weight_mode == "int_zeros":
            return rng.integers(0, 4, size=n)
        if weight_mode == "dyadic":
            return rng.choice([0.0, 0.5, 1.0, 1.25, 2.0, 3.0], size=n)
        if weight_mode == "list_int":
            return rng.integers(0, 4, size=n).tolist()
        raise ValueError(weight_mode)

    def binary_case(self, rng, n, label_kind, score_kind, tie_mode, weight_mode, p_pos=None):
        neg, pos, optional = LABEL_KINDS[label_kind]
        as_list = bool(rng.random() < 0.15)
        y = self.labels(rng, n, label_kind, p_pos=p_pos, as_list=as_list)
        s = self.scores(rng, n, score_kind, tie_mode)
        w = self.weights(rng, n, weight_mode)
        desc = (
            f"n={n} labels={label_kind}{'(list)' if as_list else ''} scores={score_kind} "
            f"ties={tie_mode} weights={weight_mode}"
        )
        return BinaryCase(y, s, w, neg, pos, optional, desc)

    @staticmethod
    def pos_label_choice(rng, case: BinaryCase, allow_none=True):
        """None (when allowed by the label set), the positive or the negative label."""
        options = [case.pos, case.neg]
        if allow_none and case.pos_label_optional:
            options.append(None)
        return options[int(rng.integers(len(options)))]

    # ---- multiclass -----------------------------------------------------
    @staticmethod
    def class_values(kind, k):
        """``k`` distinct sorted class values of the given kind (numpy array)."""
        if kind == "int":
            return np.arange(k, dtype=np.int64)
        if kind == "int_shift":
            return np.arange(k, dtype=np.int64) * 3 + 5
        if kind == "neg":
            return np.arange(-k, 0, dtype=np.int64) * 7
        if kind == "big":
            return np.int64(10**12) + np.arange(k, dtype=np.int64) * 1000
        if kind == "int8":
            return np.arange(k).astype(np.int8) - np.int8(min(k // 2, 50))
        if kind == "uint8":
            return np.arange(k).astype(np.uint8) * np.uint8(2)
        if kind == "int32":
            return np.arange(k, dtype=np.int32) * 11 - 40
        if kind == "float":
            return np.arange(k, dtype=np.float64) - 1.0
        if kind == "str":
            return np.array([f"c{i:03d}" for i in range(k)])
        if kind == "str_obj":
            return np.array([f"cls_{i:03d}" for i in range(k)], dtype=object)
        if kind == "bool":
            assert k == 2
            return np.array([False, True])
        raise ValueError(kind)


# --------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------
class Outcome:
    """What one call did: its result, or the exception it raised, and the
    warnings it emitted.

    ``Outcome(fn, *args, **kwargs)`` makes the call; an exception is caught and
    kept in ``exc`` (``result`` is then None). ``warnings`` holds the records
    (``warnings.WarningMessage``) of every warning, ``warning_names`` the
    sorted names of their classes.
    """

    def __init__(self, fn, *args, **kwargs):
        self.result = None
        self.exc = None
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            try:
                self.result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - compared by the caller
                self.exc = exc
        self.warnings = list(records)

    @property
    def raised(self):
        return self.exc is not None

    @property
    def warning_names(self):
        return sorted({w.category.__name__ for w in self.warnings})

    def describe(self):
        if self.raised:
            return f"raised {type(self.exc).__name__}: {self.exc}"
        return f"returned {self.result!r} with warnings {self.warning_names}"

    __repr__ = describe


def assert_same_value(expected, got, exact, ctx=""):
    """``got`` equals ``expected``: same types, dtypes and shapes; values equal
    (``exact``) or to rtol=1e-12. Tuples (named too), dicts, strings and
    dataclasses are compared item by item."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected), ctx
        for e, g in zip(expected, got):
            assert_same_value(e, g, exact, ctx)
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), ctx
        assert got.dtype == expected.dtype and got.shape == expected.shape, (
            f"{ctx}: {got.dtype}{got.shape} != {expected.dtype}{expected.shape}")
        if exact or expected.dtype.kind not in "fc":
            np.testing.assert_array_equal(got, expected, err_msg=ctx)
        else:
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL, err_msg=ctx)
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and got.keys() == expected.keys(), ctx
        for key in expected:
            assert_same_value(expected[key], got[key], exact, f"{ctx}[{key!r}]")
    elif isinstance(expected, str) or expected is None:
        assert got == expected, ctx
    elif dataclasses.is_dataclass(expected) and not isinstance(expected, type):
        assert type(got) is type(expected), f"{ctx}: {type(got)} != {type(expected)}"
        for f in dataclasses.fields(expected):
            assert_same_value(getattr(expected, f.name), getattr(got, f.name), exact,
                              f"{ctx}.{f.name}")
    else:
        # np.float64 is a float: scikit-learn returns either, depending on weights.
        same_kind = isinstance(got, float) and isinstance(expected, float)
        assert same_kind or type(got) is type(expected), f"{ctx}: {type(got)} != {type(expected)}"
        if exact:
            both_nan = got != got and expected != expected
            assert got == expected or both_nan, f"{ctx}: {got} != {expected}"
        else:
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL, err_msg=ctx)


def assert_same_outcome(expected: Outcome, got: Outcome, exact=True, ctx="", same_message=False):
    """``got`` behaves as ``expected`` (both from cymetrics: one shot vs
    streaming, plain vs read-only input, ...): the same exception type (and
    message, with ``same_message``), or the same warning classes and value
    (see :func:`assert_same_value`)."""
    if expected.exc is not None:
        assert got.exc is not None, f"{ctx}: expected {expected!r}, got {got!r}"
        assert type(got.exc) is type(expected.exc) or isinstance(got.exc, type(expected.exc)), (
            f"{ctx}: expected {expected!r}, got {got!r}")
        if same_message:
            assert str(got.exc) == str(expected.exc), f"{ctx}: expected {expected!r}, got {got!r}"
        return
    assert got.exc is None, f"{ctx}: expected {expected!r}, got {got!r}"
    assert got.warning_names == expected.warning_names, (
        f"{ctx}: {got.warning_names} != {expected.warning_names}")
    assert_same_value(expected.result, got.result, exact, ctx)


# --------------------------------------------------------------------------
# Differential oracle (scikit-learn vs cymetrics)
# --------------------------------------------------------------------------
def _fresh_copy(obj):
    """A cheap deep copy of an input (ndarray / list / scalar)."""
    if isinstance(obj, np.ndarray) and obj.dtype != object:
        return obj.copy()
    if isinstance(obj, list) and all(isinstance(v, (int, float, str, bool)) for v in obj):
        return list(obj)
    return copy.deepcopy(obj)


def _builtin_bases(exc_type):
    """The builtin exception classes in the MRO (minus the catch-alls)."""
    skip = {Exception, BaseException, object}
    return [c for c in exc_type.__mro__ if c.__module__ == "builtins" and c not in skip]


def _is_documented_partial_auc_difference(sk, cy):
    """Deliberate difference (README): when zero weights leave the negative
    class empty, sklearn's partial AUC fails by accident ("At least 2 points
    are needed", from interpolating a NaN curve) while its full AUC is nan
    with a warning; cymetrics returns nan with an UndefinedMetricWarning in
    both cases."""
    import cymetrics

    if cy.raised or "At least 2 points are needed" not in str(sk.exc):
        return False
    return (isinstance(cy.result, float) and np.isnan(cy.result)
            and any(issubclass(w.category, cymetrics.UndefinedMetricWarning)
                    for w in cy.warnings))


class Oracle:
    """Run sklearn and cymetrics on the same input and compare outcomes."""

    rtol = RTOL
    atol = ATOL

    def __init__(self):
        import sklearn.metrics as skm
        from sklearn.exceptions import UndefinedMetricWarning as SkUMW

        import cymetrics

        self.skm = skm
        self.cym = cymetrics
        self.sk_umw = SkUMW
        self.cy_umw = cymetrics.UndefinedMetricWarning

    # ---- running ----------------------------------------------------------
    @staticmethod
    def run(fn, *args, copy_inputs=True, **kwargs) -> Outcome:
        """Call ``fn`` and record its result or exception and its warnings.

        Inputs are deep-copied first unless ``copy_inputs=False`` (contract
        tests need the exact objects: read-only, strided, big-endian...).
        """
        if copy_inputs:
            args = tuple(_fresh_copy(a) for a in args)
            kwargs = {k: _fresh_copy(v) for k, v in kwargs.items()}
        return Outcome(fn, *args, **kwargs)

    def both(self, name, *args, valid_params=False, **kwargs):
        """Outcomes of sklearn's and cymetrics' ``name`` on the same input.

        ``valid_params=True`` promises that every parameter is valid, which
        lets sklearn skip its (slow, ~30% of a small call) parameter
        validation; input-data checks still run.
        """
        import sklearn

        with sklearn.config_context(skip_parameter_validation=valid_params):
            sk = self.run(getattr(self.skm, name), *args, **kwargs)
        cy = self.run(getattr(self.cym, name), *args, **kwargs)
        return sk, cy

    def compare(self, name, *args, ctx="", valid_params=False, **kwargs):
        """Assert cymetrics.<name> behaves exactly like sklearn.metrics.<name>.

        Returns the two :class:`Outcome` objects (sklearn's first).
        """
        sk, cy = self.both(name, *args, valid_params=valid_params, **kwargs)
        self.assert_same_outcome(sk, cy, ctx=f"{name}: {ctx}")
        return sk, cy

    def compare_many(self, name, cases, ctx=""):
        """Compare every ``(args, kwargs, case_ctx)`` in ``cases``; report all
        mismatches of the batch at once (count and the first few)."""
        failures = []
        total = 0
        for args, kwargs, case_ctx in cases:
            total += 1
            try:
                self.compare(name, *args, ctx=case_ctx, valid_params=True, **kwargs)
            except AssertionError as e:
                failures.append(str(e).strip())
        if failures:
            shown = "\n---\n".join(f[:1500] for f in failures[:4])
            raise AssertionError(
                f"{ctx}: {len(failures)}/{total} inputs differ from sklearn; first ones:\n{shown}"
            )
        return total

    # ---- comparing --------------------------------------------------------
    def warning_kinds(self, records, umw_cls):
        kinds = set()
        for r in records:
            c = r.category
            if issubclass(c, RuntimeWarning):
                kinds.add("RuntimeWarning")
            elif issubclass(c, umw_cls):
                kinds.add("UndefinedMetricWarning")
            elif issubclass(c, UserWarning):
                kinds.add("UserWarning")
            else:
                kinds.add(c.__name__)
        return kinds

    def assert_same_warnings(self, sk: Outcome, cy: Outcome, ctx=""):
        sk_kinds = self.warning_kinds(sk.warnings, self.sk_umw)
        cy_kinds = self.warning_kinds(cy.warnings, self.cy_umw)
        # RuntimeWarnings come from numpy internals in sklearn; cymetrics may
        # emit one only where sklearn does.
        if "RuntimeWarning" not in sk_kinds:
            assert "RuntimeWarning" not in cy_kinds, (
                f"{ctx}: cymetrics emitted a RuntimeWarning, sklearn did not: "
                f"{[str(w.message) for w in cy.warnings]}"
            )
        if "RuntimeWarning" in sk_kinds:
            # sklearn's numpy 0/0 RuntimeWarning (e.g. det_curve when a class
            # has zero total weight) may be replaced by an explicit
            # UndefinedMetricWarning.
            cy_kinds.discard("UndefinedMetricWarning")
            sk_kinds.discard("UndefinedMetricWarning")
        sk_kinds.discard("RuntimeWarning")
        cy_kinds.discard("RuntimeWarning")
        assert sk_kinds == cy_kinds, (
            f"{ctx}: warnings differ: sklearn {sorted(sk_kinds)} "
            f"{[str(w.message) for w in sk.warnings]} vs cymetrics {sorted(cy_kinds)} "
            f"{[str(w.message) for w in cy.warnings]}"
        )

    @staticmethod
    def acceptable_exception_types(sk_exc):
        """cymetrics must raise an instance of every one of these."""
        bases = _builtin_bases(type(sk_exc))
        return bases

    def assert_same_exception(self, sk_exc, cy_exc, ctx=""):
        assert cy_exc is not None, (
            f"{ctx}: sklearn raised {type(sk_exc).__name__}: {sk_exc}; cymetrics did not"
        )
        required = self.acceptable_exception_types(sk_exc)
        ok = all(isinstance(cy_exc, b) for b in required)
        # sklearn crashes with IndexError/AttributeError on a few degenerate
        # inputs (e.g. empty y_score in average_precision_score): a ValueError
        # is an acceptable (better) answer there.
        if not ok and isinstance(sk_exc, (IndexError, AttributeError)):
            ok = isinstance(cy_exc, ValueError)
        assert ok, (
            f"{ctx}: exception types differ: sklearn {type(sk_exc).__name__}({sk_exc}) "
            f"[needs {[b.__name__ for b in required]}] vs cymetrics "
            f"{type(cy_exc).__name__}({cy_exc})"
        )

    def assert_same_outcome(self, sk: Outcome, cy: Outcome, ctx=""):
        if sk.raised and _is_documented_partial_auc_difference(sk, cy):
            return
        if sk.raised:
            self.assert_same_exception(sk.exc, cy.exc, ctx)
            return
        if cy.raised:
            raise AssertionError(
                f"{ctx}: sklearn {sk.describe()} but cymetrics raised "
                f"{type(cy.exc).__name__}: {cy.exc}"
            ) from cy.exc
        self.assert_same_warnings(sk, cy, ctx)
        self.assert_same_result(sk.result, cy.result, ctx)

    def assert_same_result(self, expected, got, ctx=""):
        if isinstance(expected, tuple):
            # Tuples of arrays (curves), of floats or None
            # (precision_recall_fscore_support with an average).
            assert isinstance(got, tuple), f"{ctx}: expected a tuple, got {type(got)}"
            assert len(got) == len(expected), f"{ctx}: tuple length {len(got)} != {len(expected)}"
            for i, (e, g) in enumerate(zip(expected, got)):
                if e is None:
                    assert g is None, f"{ctx} [output {i}]: expected None, got {g!r}"
                else:
                    self.assert_same_result(e, g, f"{ctx} [output {i}]")
        elif isinstance(expected, np.ndarray):
            self.assert_same_array(expected, got, ctx)
        else:
            self.assert_same_scalar(expected, got, ctx)

    def assert_same_scalar(self, expected, got, ctx=""):
        assert isinstance(expected, float)
        assert isinstance(got, float) and np.ndim(got) == 0, (
            f"{ctx}: expected a Python float, got {type(got).__name__} {got!r}"
        )
        if got == expected or (np.isnan(got) and np.isnan(expected)):
            return
        np.testing.assert_allclose(
            got, expected, rtol=self.rtol, atol=self.atol, equal_nan=True, err_msg=ctx
        )

    def assert_same_array(self, expected, got, ctx=""):
        assert isinstance(got, np.ndarray), f"{ctx}: expected ndarray, got {type(got).__name__}"
        # Byte order is not part of the contract (big-endian input may give
        # native-endian thresholds); kind and size are.
        assert got.dtype.newbyteorder("=") == expected.dtype.newbyteorder("="), (
            f"{ctx}: dtype {got.dtype} != sklearn's {expected.dtype}"
        )
        assert got.shape == expected.shape, (
            f"{ctx}: shape {got.shape} != sklearn's {expected.shape}\n"
            f"  sklearn:   {np.array2string(expected, threshold=40)}\n"
            f"  cymetrics: {np.array2string(got, threshold=40)}"
        )
        if np.array_equal(got, expected, equal_nan=expected.dtype.kind in "fc"):
            return  # fast path, exact match
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(
                got, expected, rtol=self.rtol, atol=self.atol, equal_nan=True, err_msg=ctx
            )
        else:
            np.testing.assert_array_equal(got, expected, err_msg=ctx)


# --------------------------------------------------------------------------
# Contract helpers
# --------------------------------------------------------------------------
def snapshot(obj):
    """A deep copy of an input, to check later that it was not modified."""
    return copy.deepcopy(obj)


def assert_unmodified(before, after, name="input"):
    if isinstance(before, np.ndarray):
        assert isinstance(after, np.ndarray)
        assert after.dtype == before.dtype, f"{name}: dtype changed"
        assert after.shape == before.shape, f"{name}: shape changed"
        assert after.flags.writeable == before.flags.writeable, f"{name}: writeable flag changed"
        np.testing.assert_array_equal(after, before, err_msg=f"{name} was modified")
    else:
        assert after == before, f"{name} was modified"


# --------------------------------------------------------------------------
# Streaming: batches and merge orders
# --------------------------------------------------------------------------
def random_splits(rng, n, max_parts=8):
    """Index arrays of a random partition of range(n) (batches may be empty)."""
    k = int(rng.integers(1, max_parts + 1))
    cuts = np.sort(rng.integers(0, n + 1, size=k - 1))
    order = rng.permutation(n) if rng.random() < 0.5 else np.arange(n)
    return np.split(order, cuts)


def merge_tree(rng, accumulators):
    """Merge the accumulators in a random binary tree; return the root."""
    pool = list(accumulators)
    while len(pool) > 1:
        i, j = rng.choice(len(pool), size=2, replace=False)
        a, b = pool[i], pool[j]
        merged = a.merge(b) if rng.random() < 0.5 else b.merge(a)
        pool = [p for k, p in enumerate(pool) if k not in (i, j)] + [merged]
    return pool[0]


def take(a, idx):
    if a is None:
        return None
    return np.asarray(a)[idx]


def edited_state(kind, fields, **changes):
    """The bytes of a state of ``kind`` with ``fields`` (as loaded) replaced by
    ``changes`` (a value of ``...`` deletes the field): a valid checksum, so
    only the field checks of ``from_bytes`` can refuse it."""
    fields = dict(fields)
    for key, value in changes.items():
        if value is ...:
            del fields[key]
        else:
            fields[key] = value
    return _serialization.dump(kind, fields)


def assert_damage_refused(cls, data, n_positions):
    """Truncations and byte flips of ``data`` at about ``n_positions`` places
    each: every one raises ValueError in ``cls.from_bytes``."""
    step = max(1, len(data) // n_positions)
    for cut in range(0, len(data), step):
        with pytest.raises(ValueError):
            cls.from_bytes(data[:cut])
    for pos in range(0, len(data), step):
        flipped = bytearray(data)
        flipped[pos] ^= 0x5A
        with pytest.raises(ValueError):
            cls.from_bytes(bytes(flipped))
