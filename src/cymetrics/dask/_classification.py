"""Every confusion-derived metric of cymetrics on dask inputs.

Each partition counts its confusion matrix into a `ConfusionAccumulator`
(labels discovered as they come: a partition may lack some, or hold
strings); the merged counts give any metric of the registry through
`ConfusionAccumulator.compute`, with the one-shot function's parameters,
warnings and errors. Integer counts are bit-identical to counting all the
data in one process.
"""

from cymetrics._classification._registry import METRICS
from cymetrics.dask._graph import Finish
from cymetrics.dask._reductions import metric_function
from cymetrics.streaming import ConfusionAccumulator

__all__ = sorted(METRICS)


def _confusion_metric(name, **example):
    def plan(params, _call):
        return ConfusionAccumulator(), Finish("compute", (name,), params)

    return metric_function(name, METRICS[name].function, plan, "ConfusionAccumulator",
                           example=example)


accuracy_score = _confusion_metric("accuracy_score")
balanced_accuracy_score = _confusion_metric("balanced_accuracy_score")
binary_rates = _confusion_metric("binary_rates")
class_likelihood_ratios = _confusion_metric("class_likelihood_ratios")
classification_report = _confusion_metric("classification_report")
cohen_kappa_score = _confusion_metric("cohen_kappa_score")
confusion_matrix = _confusion_metric("confusion_matrix")
f1_score = _confusion_metric("f1_score")
fbeta_score = _confusion_metric("fbeta_score", beta=0.5)
fnr_score = _confusion_metric("fnr_score")
fpr_score = _confusion_metric("fpr_score")
hamming_loss = _confusion_metric("hamming_loss")
jaccard_score = _confusion_metric("jaccard_score")
matthews_corrcoef = _confusion_metric("matthews_corrcoef")
mcc_score = _confusion_metric("mcc_score")
multilabel_confusion_matrix = _confusion_metric("multilabel_confusion_matrix")
npv_score = _confusion_metric("npv_score")
precision_recall_fscore_support = _confusion_metric("precision_recall_fscore_support")
precision_score = _confusion_metric("precision_score")
recall_score = _confusion_metric("recall_score")
specificity_score = _confusion_metric("specificity_score")
zero_one_loss = _confusion_metric("zero_one_loss")

# The functions are made in another module, where doctest would not look for
# their examples: list them for it.
__test__ = {name: globals()[name] for name in __all__}
