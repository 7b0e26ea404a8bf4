"""``cymetrics report`` run as a person would, on generated files: every number of
``--json`` against the library's one-shot functions on the whole file."""

from __future__ import annotations

import json
import pathlib
import warnings

import numpy as np
import pytest

import cymetrics
from cli_files import assert_same_report, report_json, run_cli

RTOL = 1e-10
SCHEMA = pathlib.Path(cymetrics.__file__).parent / "_cli" / "report.schema.json"


def close(got, expected, what):
    if expected is None or (isinstance(expected, float) and not np.isfinite(expected)):
        assert got is None, f"{what}: {got!r}, expected null"
        return
    assert got is not None, f"{what}: null, expected {expected!r}"
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-12, err_msg=what)


def _weights(ds):
    w = ds.columns.get("w")
    return None if w is None or "--weight" not in ds.args else np.asarray(w, dtype=np.float64)


def _binary_expected(ds, threshold=0.5):
    y = np.asarray(ds.columns[ds.args[1]])
    s = np.asarray(ds.columns[ds.args[3]], dtype=np.float64)
    w = _weights(ds)
    is_pos = (y == ds.pos_label).astype(int)
    pred = (s >= threshold).astype(int)
    cm = cymetrics.confusion_matrix(is_pos, pred, labels=[0, 1], sample_weight=w)
    ci = cymetrics.roc_auc_ci(is_pos, s, sample_weight=w)
    best = {c: cymetrics.best_threshold(is_pos, s, criterion=c, sample_weight=w)
            for c in ("youden", "f1", "cost")}
    return {
        "confusion": cm,
        "rates": cymetrics.binary_rates(is_pos, pred, sample_weight=w).as_dict(),
        "prfs": cymetrics.precision_recall_fscore_support(
            is_pos, pred, average=None, sample_weight=w, zero_division=np.nan),
        "roc_auc": cymetrics.roc_auc_score(is_pos, s, sample_weight=w),
        "ci": ci,
        "ap": cymetrics.average_precision_score(is_pos, s, sample_weight=w),
        "log_loss": cymetrics.log_loss(is_pos, s, sample_weight=w, labels=[0, 1]),
        "brier": cymetrics.brier_score_loss(is_pos, s, sample_weight=w),
        "ece": cymetrics.expected_calibration_error(is_pos, s, sample_weight=w, n_bins=10),
        "mce": cymetrics.maximum_calibration_error(is_pos, s, sample_weight=w, n_bins=10),
        "best": best,
        "best_cm": {c: cymetrics.confusion_matrix(is_pos, (s >= b.threshold).astype(int),
                                                  labels=[0, 1], sample_weight=w)
                    for c, b in best.items()},
        "summary": _summary(is_pos, pred, w),
    }


def _summary(y, pred, w):
    return {
        "accuracy": cymetrics.accuracy_score(y, pred, sample_weight=w),
        "balanced_accuracy": cymetrics.balanced_accuracy_score(y, pred, sample_weight=w),
        "f1_macro": cymetrics.f1_score(y, pred, average="macro", sample_weight=w),
        "f1_weighted": cymetrics.f1_score(y, pred, average="weighted", sample_weight=w),
        "mcc": cymetrics.matthews_corrcoef(y, pred, sample_weight=w),
        "cohen_kappa": cymetrics.cohen_kappa_score(y, pred, sample_weight=w),
    }


@pytest.mark.parametrize("name", ["strings", "one_two", "minus_one", "npz", "npy"])
def test_binary_numbers_equal_the_library(datasets, name):
    ds = datasets[name]
    report = report_json(ds.path, *ds.args)
    exp = _binary_expected(ds)
    assert report["task"] == "binary"
    # The positive class: the greater label, never a silent {0, 1}.
    assert report["positive_class"]["label"] == ds.pos_label
    classes = sorted(set(np.asarray(ds.columns[ds.args[1]]).tolist()))
    assert [c["label"] for c in report["classes"]] == classes
    assert report["confusion_matrix"]["labels"] == classes  # negative first
    close(report["confusion_matrix"]["matrix"], exp["confusion"], "confusion matrix")
    for key, value in exp["rates"].items():
        close(report["rates"][key], value, f"rates.{key}")
    for i, row in enumerate(report["per_class"]):
        for j, key in enumerate(("precision", "recall", "f1", "support")):
            close(row[key], exp["prfs"][j][i], f"per_class[{i}].{key}")
    for key, value in exp["summary"].items():
        close(report["summary"][key], value, f"summary.{key}")
    ranking = report["ranking"]
    close(ranking["roc_auc"], exp["roc_auc"], "roc_auc")
    for key in ("low", "high", "standard_error"):
        close(ranking["roc_auc_ci"][key], getattr(exp["ci"], key), f"roc_auc_ci.{key}")
    close(ranking["average_precision"], exp["ap"], "average_precision")
    assert ranking["exact"] is True
    prob = report["probabilistic"]
    for key, exp_key in (("log_loss", "log_loss"), ("brier_score", "brier"), ("ece", "ece"),
                         ("mce", "mce")):
        close(prob[key], exp[exp_key], key)
    for row in report["best_thresholds"]:
        point = exp["best"][row["criterion"]]
        close(row["threshold"], point.threshold, f"{row['criterion']} threshold")
        close(row["value"], point.value, f"{row['criterion']} value")
        close(row["confusion_matrix"], exp["best_cm"][row["criterion"]], "best confusion")


def test_compare_and_segments_equal_the_library(datasets):
    ds = datasets["strings"]
    report = report_json(ds.path, *ds.args, "--compare", "baseline", "--by", "region")
    y = np.asarray(ds.columns["animal"]) == "dog"
    s, b = ds.columns["score"], ds.columns["baseline"]
    w = _weights(ds)
    test = cymetrics.delong_test(y, s, b, sample_weight=w)
    for key, value in test._asdict().items():
        close(report["compare"][key], value, f"compare.{key}")
    region = np.asarray(ds.columns["region"])
    rows = report["segments"]["rows"]
    assert [r["segment"] for r in rows] == sorted(set(region.tolist()))
    for row in rows:
        m = region == row["segment"]
        cm = cymetrics.confusion_matrix(y[m], s[m] >= 0.5, labels=[False, True],
                                        sample_weight=w[m])
        (tn, fp), (fn, tp) = cm
        assert row["rows"] == int(m.sum())
        close(row["roc_auc"], cymetrics.roc_auc_score(y[m], s[m], sample_weight=w[m]),
              "segment roc_auc")
        close(row["tpr"], tp / (tp + fn), "segment tpr")
        close(row["fpr"], fp / (fp + tn), "segment fpr")
        close(row["precision"], tp / (tp + fp), "segment precision")
    assert report["segments"]["disparities"] is None


def test_multiclass_numbers_equal_the_library(datasets):
    ds = datasets["multiclass"]
    report = report_json(ds.path, *ds.args)
    c = ds.columns
    y, w = np.asarray(c["y"]), c["w"]
    proba = np.column_stack([c["p_a"], c["p_b"], c["p_c"]])
    pred = np.array(["a", "b", "c"])[proba.argmax(axis=1)]
    assert report["task"] == "multiclass" and report["positive_class"] is None
    np.testing.assert_allclose(report["confusion_matrix"]["matrix"],
                               cymetrics.confusion_matrix(y, pred, sample_weight=w), rtol=RTOL)
    for key, value in _summary(y, pred, w).items():
        close(report["summary"][key], value, f"summary.{key}")
    ovr = cymetrics.roc_auc_score(y, proba, multi_class="ovr", average=None, sample_weight=w)
    for i, row in enumerate(report["per_class"]):
        close(row["roc_auc"], ovr[i], f"per_class[{i}].roc_auc")
    close(report["ranking"]["roc_auc"],
          cymetrics.roc_auc_score(y, proba, multi_class="ovr", sample_weight=w), "roc_auc")
    close(report["ranking"]["roc_auc_weighted"],
          cymetrics.roc_auc_score(y, proba, multi_class="ovr", average="weighted",
                                  sample_weight=w), "roc_auc_weighted")
    prob = report["probabilistic"]
    close(prob["log_loss"], cymetrics.log_loss(y, proba, sample_weight=w), "log_loss")
    close(prob["brier_score"], cymetrics.brier_score_loss(y, proba, sample_weight=w), "brier")
    close(prob["ece"], cymetrics.expected_calibration_error(y, proba, sample_weight=w), "ece")
    site = c["site"]
    for row in report["segments"]["rows"]:
        m = site == row["segment"]
        close(row["accuracy"], cymetrics.accuracy_score(y[m], pred[m], sample_weight=w[m]),
              "segment accuracy")


def test_predictions_only(datasets):
    ds = datasets["predictions"]
    report = report_json(ds.path, *ds.args)
    y, pred = np.asarray(ds.columns["truth"]), np.asarray(ds.columns["pred"])
    assert report["positive_class"]["label"] == "yes"
    assert report["ranking"] is None and report["probabilistic"] is None
    np.testing.assert_array_equal(report["confusion_matrix"]["matrix"],
                                  cymetrics.confusion_matrix(y, pred, labels=["no", "yes"]))
    expected = cymetrics.binary_rates(y, pred, pos_label="yes").as_dict()
    for key, value in expected.items():
        close(report["rates"][key], value, f"rates.{key}")


@pytest.mark.parametrize("pos_label, flipped", [("1", True), ("2", False)])
def test_pos_label_is_honoured_and_stated(datasets, pos_label, flipped):
    ds = datasets["one_two"]
    report = report_json(ds.path, *ds.args, "--pos-label", pos_label)
    y, s = ds.columns["y"], ds.columns["s"]
    assert report["positive_class"] == {"label": int(pos_label), "rule": "given by --pos-label"}
    close(report["ranking"]["roc_auc"],
          cymetrics.roc_auc_score(y == int(pos_label), s), "roc_auc")
    assert report["confusion_matrix"]["labels"] == ([2, 1] if flipped else [1, 2])


@pytest.mark.parametrize("rule, criterion", [("youden", "youden"), ("best-f1", "f1")])
def test_threshold_rules(datasets, rule, criterion):
    ds = datasets["minus_one"]
    report = report_json(ds.path, *ds.args, "--threshold", rule)
    y, s = ds.columns["y"] == 1, ds.columns["s"]
    point = cymetrics.best_threshold(y, s, criterion=criterion)
    assert report["threshold"] == {"value": point.threshold, "rule": rule}
    np.testing.assert_array_equal(
        report["confusion_matrix"]["matrix"],
        cymetrics.confusion_matrix(y, s >= point.threshold, labels=[False, True]))


def _refuse_constant(token):
    pytest.fail(f"{token} in the JSON output")


def test_json_is_strict_and_matches_the_schema(datasets):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("strings", "multiclass", "predictions"):
        ds = datasets[name]
        status, out, err = run_cli("report", ds.path, *ds.args, "--json", "--quiet")
        assert status == 0, err
        # No NaN or Infinity tokens: the standard library's strict parser accepts it.
        report = json.loads(out, parse_constant=_refuse_constant)
        errors = sorted(validator.iter_errors(report), key=str)
        assert not errors, f"{name}: {errors[0]}"


def test_undefined_numbers_are_null(tmp_path):
    # Every score equal: the rates at 0.5 divide by zero; precision is undefined.
    path = tmp_path / "flat.csv"
    path.write_text("y,s\n" + "".join(f"{i % 2},0.25\n" for i in range(10)))
    report = report_json(str(path), "--y-true", "y", "--y-score", "s")
    assert report["rates"]["precision"] is None and report["rates"]["lr_plus"] is None
    close(report["ranking"]["roc_auc"], 0.5, "roc_auc")


def test_text_report_fits_80_columns(datasets):
    ds = datasets["strings"]
    status, out, err = run_cli("report", ds.path, *ds.args, "--compare", "baseline",
                               "--by", "region")
    assert status == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    too_wide = [line for line in out.splitlines() if len(line) > 80]
    assert not too_wide, too_wide
    assert "positive class: dog (the greater label" in out
    assert "ROC AUC" in out and "DeLong" in out and "By region" in out


def test_stdlib_csv_reader_gives_the_same_report(datasets):
    ds = datasets["strings"]
    with_arrow = report_json(ds.path, *ds.args)
    without = report_json(ds.path, *ds.args, prelude="import sys; sys.modules['pyarrow'] = None")
    assert_same_report(with_arrow, without)


def test_demo_needs_no_optional_package():
    hide = "import sys\nfor m in ('pyarrow', 'matplotlib', 'sklearn'): sys.modules[m] = None"
    status, out, err = run_cli("report", "--demo", prelude=hide)
    assert status == 0, err
    assert "seeded synthetic binary classifier" in out and "ROC AUC" in out
    status, _, err = run_cli("report", "--demo", "--plot", "x", prelude=hide)
    assert status == 2 and err.count("\n") == 1
    assert "matplotlib" in err and "[plot]" in err


def test_sketch_beyond_the_memory_budget(tmp_path):
    rng = np.random.default_rng(0)
    n = 300_000
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = rng.random(n) + 0.3 * y
    path = tmp_path / "many.npz"
    np.savez(path, y=y, s=s)
    report = report_json(str(path), "--y-true", "y", "--y-score", "s", "--memory-budget", "1",
                         chunk_rows=50_000)
    ranking = report["ranking"]
    assert ranking["exact"] is False
    lo, hi = ranking["roc_auc_bounds"]
    with warnings.catch_warnings():
        auc = cymetrics.roc_auc_score(y, s)
    assert lo <= auc <= hi and hi - lo < 1e-3
    assert any("compacted" in note for note in report["notes"])


def test_demo_report_numbers(capsys):
    """The README's first command: its rates are those of the demo data."""
    from cymetrics._cli import main
    from cymetrics._cli._readers import demo_table

    assert main(["report", "--demo", "--json", "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    data = demo_table()._data
    y, s = data["label"], data["score"]
    for key, value in cymetrics.binary_rates(y, s >= 0.5).as_dict().items():
        close(report["rates"][key], value, f"rates.{key}")
    close(report["ranking"]["roc_auc"], cymetrics.roc_auc_score(y, s), "roc_auc")
