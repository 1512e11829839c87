"""A small fully connected network and backpropagation written out by hand (the chain rule is the
lesson, so backprop is plain numpy, not a library).

- ``model``: the activations and ``Network`` (forward pass, cost, backprop, one descent step);
- ``gradient_check``: backprop against central finite differences of the cost;
- ``ledger``: every chain-rule factor of one training example, layer by layer;
- ``targets``: the curves the network learns to draw and the training data made from them;
- ``training``: ``train`` (answers with ``TrainResult``) and ``TrainingSession``, the play/pause/
  step/reset bookkeeping of one training run that the page drives.
"""
from explorer.network.gradient_check import GradientCheck, errors_tex, gradient_check, numeric_gradient
from explorer.network.ledger import LayerLedger, ledger, ledger_rules_tex
from explorer.network.model import ACTIVATION_LATEX, ACTIVATIONS, OUTPUT_RANGE, Network
from explorer.network.targets import (TARGET_LATEX, TARGETS, check_typed_target, target_curve, to_plane,
                                      training_data)
from explorer.network.training import TrainingConfig, TrainingSession, TrainResult, hidden_sizes, train

__all__ = ["Network", "ACTIVATIONS", "ACTIVATION_LATEX", "OUTPUT_RANGE", "TARGETS", "TARGET_LATEX",
           "target_curve", "training_data", "to_plane", "check_typed_target", "TrainResult", "train",
           "hidden_sizes", "TrainingConfig", "TrainingSession", "gradient_check", "numeric_gradient",
           "GradientCheck", "errors_tex", "LayerLedger", "ledger", "ledger_rules_tex"]
