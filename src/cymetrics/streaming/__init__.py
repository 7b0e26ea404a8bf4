"""Streaming accumulators: evaluate a deployed model on a stream of predictions.

Every accumulator takes batches with ``update``, combines with others of its
kind with ``merge`` (associative and commutative: shard the stream, merge
the results in any tree), serializes with ``to_bytes``/``from_bytes`` (a
versioned binary format, no pickle) and is safe to update from many
threads. Results equal the one-shot functions on all the data seen.
"""

from cymetrics.streaming._base import CompactionWarning
from cymetrics.streaming._confusion import ConfusionAccumulator
from cymetrics.streaming._decay import DecayedAccumulator
from cymetrics.streaming._distribution import DistributionAccumulator
from cymetrics.streaming._grouped import GroupedAccumulator
from cymetrics.streaming._ovr import OvRScoreAccumulator
from cymetrics.streaming._proba import ProbabilityAccumulator
from cymetrics.streaming._scores import ScoreAccumulator, ScoreSketch
from cymetrics.streaming._windows import SlidingWindow, TimeWindow

__all__ = [
    "CompactionWarning",
    "ConfusionAccumulator",
    "DecayedAccumulator",
    "DistributionAccumulator",
    "GroupedAccumulator",
    "OvRScoreAccumulator",
    "ProbabilityAccumulator",
    "ScoreAccumulator",
    "ScoreSketch",
    "SlidingWindow",
    "TimeWindow",
]
