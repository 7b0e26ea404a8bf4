"""Invalid parameters: cymetrics' drop-ins, called directly, raise what
scikit-learn's parameter validation raises for them.

Under the patch scikit-learn's own validation runs first (test_patch.py), so
these are the messages of direct calls. The invalid values are generated from
scikit-learn's constraints, as its ``test_public_functions.py`` does: a value
of no accepted type for every parameter, then a value of an accepted type
but outside the accepted ones. Both errors must be ``ValueError`` and
``TypeError`` (scikit-learn's ``InvalidParameterError`` is both, as is
cymetrics') with the same message; the options of a ``{...}`` set are
compared sorted, since scikit-learn prints a Python set.
"""

from __future__ import annotations

import inspect
import re
import warnings

import pytest
from sklearn.utils._param_validation import (
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
)

from cymetrics.sklearn._drop_ins import DROP_INS

BAD_TYPE = type("BadType", (), {"__repr__": lambda self: "<BadType>"})()


def _constraints(func):
    while not hasattr(func, "_skl_parameter_constraints"):
        func = func.__wrapped__
    return func, func._skl_parameter_constraints


def _cases():
    for home, functions in DROP_INS.items():
        for name, drop_in in functions.items():
            inner, constraints = _constraints(getattr(home, name))
            required = {p: generate_valid_param(make_constraint(constraints[p][0]))
                        for p, spec in inspect.signature(inner).parameters.items()
                        if spec.default is spec.empty and p in constraints}
            for param, spec in constraints.items():
                if spec == "no_validation":
                    continue
                values = [BAD_TYPE]
                for constraint in spec:
                    try:
                        values.append(generate_invalid_param_val(make_constraint(constraint)))
                    except NotImplementedError:
                        pass
                for i, value in enumerate(values):
                    yield pytest.param(getattr(home, name), drop_in, {**required, param: value},
                                       id=f"{name}-{param}-{i}")


def _outcome(func, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            func(**kwargs)
        except Exception as exc:  # noqa: BLE001 -- the outcome is compared
            message = re.sub(r"\{[^{}]*\}", lambda m: str(sorted(m.group(0)[1:-1].split(", "))),
                             str(exc))
            return isinstance(exc, ValueError) and isinstance(exc, TypeError), message
    return None


@pytest.mark.parametrize("original, drop_in, kwargs", list(_cases()))
def test_invalid_parameter_same_error(original, drop_in, kwargs):
    expected = _outcome(original, kwargs)
    assert expected is not None and expected[0]
    assert _outcome(drop_in, kwargs) == expected
