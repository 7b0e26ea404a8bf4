"""The report as aligned plain text, readable at 80 columns."""

import textwrap

__all__ = ["render_text", "fmt", "label_text"]

_RATES = [
    ("accuracy", "accuracy"), ("balanced accuracy", "balanced_accuracy"),
    ("precision (PPV)", "precision"), ("recall (TPR)", "recall"),
    ("specificity (TNR)", "specificity"), ("NPV", "npv"), ("FPR", "fpr"), ("FNR", "fnr"),
    ("F1", "f1"), ("F0.5", "f0.5"), ("F2", "f2"), ("MCC", "mcc"), ("Jaccard", "jaccard"),
    ("prevalence", "prevalence"), ("LR+", "lr_plus"), ("LR-", "lr_minus"),
]
_SUMMARY = [("accuracy", "accuracy"), ("balanced accuracy", "balanced_accuracy"),
            ("F1 macro", "f1_macro"), ("F1 weighted", "f1_weighted"), ("MCC", "mcc"),
            ("Cohen's kappa", "cohen_kappa")]
_LABEL_WIDTH = 14


def fmt(value, digits=4):
    """A number for a table: ints as ints, floats to ``digits`` decimals, None as 'n/a'."""
    if value is None:
        return "n/a"
    if isinstance(value, bool) or isinstance(value, int):
        return f"{value:,}" if not isinstance(value, bool) else str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 and digits != 6:
        return f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.{digits}f}"
    return f"{value:.{digits}f}"


def label_text(label, width=_LABEL_WIDTH):
    text = str(label)
    return text if len(text) <= width else text[:width - 1] + "~"


def _table(header, rows, first_left=True):
    """Columns right-aligned (the first left-aligned), two spaces apart."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for row in cells:
        parts = [row[0].ljust(widths[0]) if first_left else row[0].rjust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        out.append("  " + "  ".join(parts).rstrip())
    return out


def _pairs(items, width=38):
    """``name value`` pairs in two columns."""
    cells = [f"{name:<19}{value:>10}" for name, value in items]
    lines = []
    for i in range(0, len(cells), 2):
        lines.append("  " + "".join(c.ljust(width) for c in cells[i:i + 2]).rstrip())
    return lines


def _matrix(cm, labels):
    header = ["true \\ pred"] + [label_text(c, 10) for c in labels]
    return _table(header, [[label_text(c)] + [fmt(v) for v in row]
                           for c, row in zip(labels, cm)])


def _head(report):
    inp = report["input"]
    tail = ("" if inp["format"] == "demo" else f" ({inp['format']})") + f", {inp['rows']:,} rows"
    room = 80 - len("cymetrics report: ") - len(tail)
    path = inp["path"] if len(inp["path"]) <= room else "..." + inp["path"][3 - room:]
    lines = [f"cymetrics report: {path}{tail}"]
    cols = [f"{k}={', '.join(v) if isinstance(v, list) else v}" for k, v in inp.items()
            if k not in ("path", "format", "rows") and v]
    lines += textwrap.wrap(f"task: {report['task']}; columns: {', '.join(cols)}", 80,
                           subsequent_indent="  ")
    pos = report["positive_class"]
    if pos:
        lines.append(f"positive class: {pos['label']} ({pos['rule']})")
    return lines


def _data(report):
    total_rows = sum(c["rows"] for c in report["classes"])
    total_weight = sum(c["weight"] for c in report["classes"]) or 1.0
    weighted = report["input"]["weight"] is not None
    header = ["class", "rows", "share"] + (["weight", "weight share"] if weighted else [])
    rows = []
    for c in report["classes"]:
        row = [label_text(c["label"]), fmt(c["rows"]), f"{c['rows'] / total_rows:.1%}"]
        if weighted:
            row += [fmt(c["weight"]), f"{c['weight'] / total_weight:.1%}"]
        rows.append(row)
    return ["", "Data"] + _table(header, rows)


def _confusion(report):
    t = report["threshold"]
    where = "" if t is None else f" at threshold {t['value']:.6g} ({t['rule']})"
    cm = report["confusion_matrix"]
    lines = ["", f"Confusion matrix{where}; rows: true, columns: predicted"]
    lines += _matrix(cm["matrix"], cm["labels"])
    per_class = report["per_class"]
    extra = [k for k in ("roc_auc", "average_precision") if k in per_class[0]]
    header = ["class", "precision", "recall", "F1", "support"] + [
        {"roc_auc": "ROC AUC", "average_precision": "AP"}[k] for k in extra]
    rows = [[label_text(r["label"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["f1"]),
             fmt(r["support"])] + [fmt(r[k]) for k in extra] for r in per_class]
    return lines + ["", "Per class"] + _table(header, rows)


def _scores(report):
    if report["rates"]:
        # The rates hold accuracy, balanced accuracy and MCC already.
        extra = [(n, fmt(report["summary"][k])) for n, k in _SUMMARY
                 if k in ("f1_macro", "cohen_kappa")]
        lines = ["", "Rates (positive class; n/a: undefined)"]
        lines += _pairs([(n, fmt(report["rates"].get(k))) for n, k in _RATES] + extra)
    else:
        lines = ["", "Summary"] + _pairs([(n, fmt(report["summary"][k])) for n, k in _SUMMARY])
    ranking = report["ranking"]
    if ranking:
        lines += ["", "Ranking" + ("" if report["task"] == "binary"
                                   else f" ({ranking['average']})")]
        auc = f"ROC AUC            {fmt(ranking['roc_auc'])}"
        ci = ranking.get("roc_auc_ci")
        if ci:
            auc += (f"   {ci['confidence']:.0%} CI [{fmt(ci['low'])}, {fmt(ci['high'])}]"
                    f" (DeLong, SE {fmt(ci['standard_error'])})")
        lines.append("  " + auc)
        if ranking.get("roc_auc_weighted") is not None:
            lines.append(f"  ROC AUC weighted   {fmt(ranking['roc_auc_weighted'])}")
        lines.append(f"  average precision  {fmt(ranking['average_precision'])}")
    prob = report["probabilistic"]
    if prob:
        lines += ["", f"Probabilities ({prob['calibration']} calibration, "
                      f"{prob['ece_bins']} equal-width bins)"]
        lines += _pairs([("log loss", fmt(prob["log_loss"])),
                         ("Brier score", fmt(prob["brier_score"])),
                         ("ECE", fmt(prob["ece"])), ("MCE", fmt(prob["mce"]))])
    return lines


def _best(report):
    best = report["best_thresholds"]
    if not best:
        return []
    header = ["criterion", "threshold", "value", "TN", "FP", "FN", "TP"]
    rows = []
    for b in best:
        name = {"youden": "Youden's J", "f1": "max F1"}.get(b["criterion"]) or (
            f"min cost ({b['cost_fp']:g} FP, {b['cost_fn']:g} FN)")
        (tn, fp), (fn, tp) = b["confusion_matrix"]
        rows.append([name, f"{b['threshold']:.6g}", fmt(b["value"]), fmt(tn), fmt(fp),
                     fmt(fn), fmt(tp)])
    return ["", "Best thresholds (predict positive when score >= threshold)"] + _table(
        header, rows)


def _compare(report):
    c = report["compare"]
    if not c:
        return []
    return ["", f"Compared with {c['column']} (paired DeLong test, same rows)",
            f"  ROC AUC {report['input']['y_score']}: {fmt(c['auc_a'])}   "
            f"{c['column']}: {fmt(c['auc_b'])}",
            f"  difference {fmt(c['difference'])}   {c['confidence']:.0%} CI "
            f"[{fmt(c['low'])}, {fmt(c['high'])}]   z {fmt(c['statistic'], 2)}   "
            f"p-value {fmt(c['pvalue'])}"]


def _segments(report):
    seg = report["segments"]
    if not seg:
        return []
    keys = [k for k in ("prevalence", "roc_auc", "accuracy", "tpr", "fpr", "precision")
            if any(r[k] is not None for r in seg["rows"])]
    names = {"prevalence": "prev.", "roc_auc": "ROC AUC", "accuracy": "acc.", "tpr": "TPR",
             "fpr": "FPR", "precision": "PPV"}
    header = ["segment", "rows"] + [names[k] for k in keys]
    rows = [[label_text(r["segment"], 12), fmt(r["rows"])] + [fmt(r[k], 3) for k in keys]
            for r in seg["rows"]]
    t = report["threshold"]
    where = "" if t is None else f", rates at threshold {t['value']:.6g}"
    return ["", f"By {seg['column']}{where}"] + _table(header, rows)


def _notes(report):
    if not report["notes"]:
        return []
    return ["", "Notes"] + [f"  - {n}" for n in report["notes"]]


def render_text(report):
    """The text of a report (the dict of `cymetrics._cli._evaluate.evaluate`)."""
    lines = _head(report) + _data(report) + _confusion(report) + _scores(report)
    lines += _best(report) + _compare(report) + _segments(report) + _notes(report)
    return "\n".join(lines) + "\n"
