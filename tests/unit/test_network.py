"""explorer.network: backprop against central finite differences, training, the ledger, targets."""
import numpy as np
import pytest

from explorer.expressions import ExpressionError
from explorer.network import (Network, TrainingConfig, TrainingSession, TrainResult, check_typed_target,
                              errors_tex, gradient_check, hidden_sizes, ledger, ledger_rules_tex,
                              numeric_gradient, target_curve, to_plane, train, training_data)
from explorer.result import IterationResult


@pytest.fixture(scope="module")
def heart():
    x, y, scaled = training_data("heart", 100, "sigmoid")
    return x, y


def test_contract_shapes(heart):
    net = Network(sizes=(1, 6, 7, 2), activation="sigmoid", seed=0)
    assert [W.shape for W in net.weights] == [(6, 1), (7, 6), (2, 7)]
    assert [b.shape for b in net.biases] == [(6,), (7,), (2,)]
    dW, db = net.backprop(*heart)
    assert [g.shape for g in dW] == [(6, 1), (7, 6), (2, 7)]
    assert [g.shape for g in db] == [(6,), (7,), (2,)]
    assert net.n_parameters == 77


def test_cost_is_mean_over_examples_of_sum_of_squares(heart):
    x, y = heart
    net = Network((1, 6, 7, 2), "sigmoid", 0)
    # the forward pass written out independently, one example at a time
    total = 0.0
    for xk, yk in zip(x, y):
        a = xk
        for W, b in zip(net.weights, net.biases):
            a = 1 / (1 + np.exp(-(W @ a + b)))
        total += np.sum((a - yk) ** 2)
    assert net.cost(x, y) == pytest.approx(total / len(x), rel=1e-12)


def test_seed_reproducible_and_different_seeds_differ():
    a, b, c = Network(seed=3), Network(seed=3), Network(seed=4)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))
    assert not np.allclose(a.weights[1], c.weights[1])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("sizes", [(1, 6, 7, 2), (3, 5, 4), (2, 4, 4, 4, 3)])
def test_backprop_matches_central_differences_every_layer(activation, sizes):
    rng = np.random.default_rng(42)
    x = rng.uniform(-1, 1, (17, sizes[0]))
    y = rng.uniform(0.1, 0.9, (17, sizes[-1]))
    net = Network(sizes, activation, seed=7)
    chk = gradient_check(net, x, y)
    assert len(chk.layer_errors) == len(sizes) - 1
    assert chk.max_error < 1e-6, chk.layer_errors
    # and elementwise, every weight and bias of every layer
    dW, db = net.backprop(x, y)
    nW, nb = chk.numeric
    for g, f in zip(dW + db, nW + nb):
        np.testing.assert_allclose(g, f, rtol=1e-5, atol=1e-9)


def test_gradient_check_detects_a_wrong_gradient(heart):
    x, y = heart
    net = Network((1, 6, 7, 2), "sigmoid", 0)
    dW, db = net.backprop(x, y)
    nW, nb = numeric_gradient(net, x, y)
    # a factor of 2 missing in ∂C/∂a would show up as a large relative error
    bad = 0.5 * dW[1]
    err = np.linalg.norm(bad - nW[1]) / (np.linalg.norm(bad) + np.linalg.norm(nW[1]))
    assert err > 0.3


def test_backprop_is_gradient_of_a_weight_perturbation(heart):
    """A small step against the gradient lowers the cost by ≈ η|∇C|² (first-order Taylor)."""
    x, y = heart
    net = Network((1, 6, 7, 2), "tanh", 1)
    dW, db = net.backprop(x, y)
    c0 = net.cost(x, y)
    eta = 1e-4
    for l in range(3):
        net.weights[l] -= eta * dW[l]
        net.biases[l] -= eta * db[l]
    sq = sum(np.sum(g ** 2) for g in dW + db)
    assert c0 - net.cost(x, y) == pytest.approx(eta * sq, rel=1e-2)


def test_training_lowers_the_cost_on_the_heart(heart):
    x, y = heart
    net = Network((1, 6, 7, 2), "sigmoid", 0)
    res = train(net, x, y, 2000, 7.0)
    assert isinstance(res, IterationResult) and isinstance(res, TrainResult)
    assert res.success and res.status == "completed" and res.nit == 2000 and res.x is net
    assert "2,000 steps" in res.message
    assert res.history.shape == (2001,)
    assert res.history[0] == pytest.approx(Network((1, 6, 7, 2), "sigmoid", 0).cost(x, y))
    assert res.history[-1] == pytest.approx(net.cost(x, y))
    assert res.history[-1] < 0.2 * res.history[0]
    assert res.history[-1] < 0.02


def test_training_with_tanh_and_with_noise_still_descends():
    x, y, _ = training_data("circle", 100, "tanh")
    net = Network((1, 6, 7, 2), "tanh", 0)
    c = train(net, x, y, 1000, 0.3).history
    assert c[-1] < 0.3 * c[0]
    x, y, _ = training_data("heart", 100, "sigmoid")
    net = Network((1, 6, 7, 2), "sigmoid", 0)
    c = train(net, x, y, 1000, 5.0, noise=1.0, rng=np.random.default_rng(0)).history
    assert c[-1] < 0.5 * c[0]
    # noise really changes the path taken
    quiet = train(Network((1, 6, 7, 2), "sigmoid", 0), x, y, 1000, 5.0).history
    assert not np.allclose(c, quiet)


def test_ledger_factors_multiply_and_average_to_the_batch_gradient(heart):
    x, y = heart
    net = Network((1, 6, 7, 2), "sigmoid", 2)
    sums_W = [np.zeros_like(W) for W in net.weights]
    sums_b = [np.zeros_like(b) for b in net.biases]
    for k in range(len(x)):
        ck, layers = ledger(net, x, y, k)
        assert [lay.layer for lay in layers] == [1, 2, 3]
        for l, lay in enumerate(layers):
            np.testing.assert_allclose(lay.dC_dz, lay.dC_da * lay.sigma_prime)
            np.testing.assert_allclose(lay.dC_dW, np.outer(lay.dC_dz, lay.a_prev))
            np.testing.assert_allclose(lay.dC_db, lay.dC_dz)
            assert lay.W.shape == net.weights[l].shape
            sums_W[l] += lay.dC_dW
            sums_b[l] += lay.dC_db
        if k == 5:
            r = net.predict(x[5:6]) - y[5:6]
            assert ck == pytest.approx(np.sum(r ** 2))
            np.testing.assert_allclose(layers[-1].dC_da, 2 * r[0])
    dW, db = net.backprop(x, y)
    for s, g in zip(sums_W + sums_b, dW + db):
        np.testing.assert_allclose(s / len(x), g, rtol=1e-10, atol=1e-14)


def test_heart_target_formula():
    t = np.array([0.0, 0.25, 0.5])
    c = target_curve("heart", t)
    np.testing.assert_allclose(c[0], [0, (13 - 5 - 2 - 1) / 20], atol=1e-12)
    np.testing.assert_allclose(c[1], [16 / 20, (0 + 5 - 0 - 1) / 20], atol=1e-12)
    np.testing.assert_allclose(c[2], [0, (-13 - 5 + 2 - 1) / 20], atol=1e-12)


def test_training_data_fits_the_activation_range():
    for act, (lo, hi) in (("sigmoid", (0, 1)), ("tanh", (-1, 1))):
        for name in ("heart", "circle", "figure-eight"):
            x, y, scaled = training_data(name, 100, act)
            assert x.shape == (100, 1) and y.shape == (100, 2)
            assert np.all(x >= 0) and np.all(x < 1)
            assert lo < y.min() and y.max() < hi and not scaled
            np.testing.assert_allclose(to_plane(y, act), target_curve(name, x[:, 0]), atol=1e-12)


def test_typed_target_through_the_safe_parser():
    t = np.linspace(0, 1, 9)
    c = target_curve("typed", t, "0.5 cos(2 pi t)", "t^2 - 0.5")
    np.testing.assert_allclose(c[:, 0], 0.5 * np.cos(2 * np.pi * t))
    np.testing.assert_allclose(c[:, 1], t ** 2 - 0.5)
    x, y, scaled = training_data("typed", 50, "sigmoid", "3 cos(2 pi t)", "sin(2 pi t)")
    assert scaled and y.min() > 0 and y.max() < 1
    with pytest.raises(ExpressionError):
        target_curve("typed", t, "__import__('os')", "t")
    with pytest.raises(ExpressionError):
        target_curve("typed", t, "1/(t - 0.5)", "t")   # undefined at t = 0.5
    with pytest.raises(ValueError):
        Network((1, 2), activation="relu")


def test_training_that_overflows_says_so():
    x, y, _ = training_data("heart", 20, "sigmoid")
    net = Network((1, 3, 2), "sigmoid", 0)
    net.weights[0][:] = np.inf                       # a network already blown up
    with np.errstate(all="ignore"):
        res = train(net, x, y, 2, 1.0)
    assert not res.success and res.status == "diverged" and res.nit == 2
    assert "learning rate" in res.message


def test_hidden_sizes_and_typed_target_check():
    assert hidden_sizes("6, 7") == (1, 6, 7, 2)
    assert hidden_sizes("12") == (1, 12, 2)
    assert hidden_sizes("10, 10, 10", n_in=2, n_out=3) == (2, 10, 10, 10, 3)
    assert check_typed_target("0.5 cos(2 pi t)", "0.5 sin(2 pi t)") is False
    assert check_typed_target("3 cos(2 pi t)", "sin(2 pi t)") is True        # shrunk to fit
    with pytest.raises(ExpressionError):
        check_typed_target("t +* 2", "t")
    with pytest.raises(ExpressionError):
        check_typed_target("1/(t - 1)", "t")     # undefined at t = 1, not a training point (n = 100)
    with pytest.raises(ExpressionError):
        check_typed_target("1/(t - 0.37)", "t")  # undefined at a training point only


def _session(**kw):
    return TrainingSession(TrainingConfig(**kw), n_points=100, max_iterations=250)


def test_training_session_steps_and_keeps_the_history():
    s = _session()
    x, y, scaled = training_data("heart", 100, "sigmoid")
    np.testing.assert_array_equal(s.x, x)
    np.testing.assert_array_equal(s.y, y)
    assert not scaled and not s.scaled and not s.playing
    assert s.iteration == 0 and s.history.shape == (1,)
    assert s.cost == pytest.approx(Network((1, 6, 7, 2), "sigmoid", 0).cost(x, y))
    res = s.step(100, 7.0)
    assert res.nit == 100 and s.iteration == 100
    # the same as training a fresh network of the same seed directly
    direct = train(Network((1, 6, 7, 2), "sigmoid", 0), x, y, 100, 7.0).history
    np.testing.assert_allclose(s.history, direct)
    assert s.cost == pytest.approx(direct[-1]) == pytest.approx(s.net.cost(x, y))
    s.step(10, 7.0)
    assert s.iteration == 110 and s.history.shape == (111,)
    assert s.history[-1] == pytest.approx(s.cost)


def test_training_session_play_pause_tick_and_limit():
    s = _session()
    assert s.tick(100, 7.0) is None and s.iteration == 0          # paused: a tick trains nothing
    s.toggle_play()
    assert s.playing
    s.tick(100, 7.0)
    s.tick(100, 7.0)
    assert s.iteration == 200
    s.tick(100, 7.0)                     # only 50 left before the limit of 250
    assert s.iteration == 250 and s.playing
    assert s.tick(100, 7.0) is None      # at the limit: playing stops
    assert not s.playing and s.iteration == 250
    s.toggle_play()
    s.toggle_play()
    assert not s.playing


def test_training_session_reset_and_noise():
    s = _session(target="circle", hidden="4, 4", activation="tanh", seed=3)
    assert s.net.sizes == (1, 4, 4, 2) and s.net.activation == "tanh"
    c0 = s.cost
    s.toggle_play()
    s.step(50, 0.3, noise=1.0)
    noisy = s.history.copy()
    s.reset()
    assert not s.playing and s.iteration == 0 and s.cost == pytest.approx(c0)
    s.step(50, 0.3, noise=1.0)                 # the noise restarts from the seed too
    np.testing.assert_allclose(s.history, noisy)
    quiet = _session(target="circle", hidden="4, 4", activation="tanh", seed=3)
    quiet.step(50, 0.3)
    assert not np.allclose(quiet.history, noisy)


def test_training_session_typed_target_is_shrunk():
    s = _session(target="typed", x_text="3 cos(2 pi t)", y_text="sin(2 pi t)")
    assert s.scaled and 0 < s.y.min() and s.y.max() < 1
    assert _session(target="typed", x_text="3 cos(2 pi t)", y_text="sin(2 pi t)").config == s.config
    assert _session(target="heart").config != s.config


def test_formula_blocks():
    tex = ledger_rules_tex(3, "tanh")
    assert r"\frac{\partial C_k}{\partial a^{(3)}} = 2" in tex and r"\tanh z" in tex
    x, y, _ = training_data("heart", 100, "sigmoid")
    chk = gradient_check(Network((1, 6, 7, 2), "sigmoid", 0), x, y)
    tex = errors_tex(chk)
    assert tex.count("e^{(") == 4 and r"\times 10^{-" in tex     # the definition and 3 layers


def test_iteration_zero_is_drawn_visibly_and_honestly():
    """Issue 18: before training the cost chart shows the starting cost as a marker on an axis from
    0 (one point in "lines" mode draws nothing) and says training has not started; the untrained
    network's drawing, a few thousandths wide, is ringed and labelled with its true size."""
    from explorer import network as nn
    from explorer.figures import chain_rule as plots
    s = nn.TrainingSession(nn.TrainingConfig())
    fig = plots.cost_history(s.history)
    tr, lay = fig.data[0], fig.layout
    assert "markers" in tr.mode and list(tr.x) == [0] and float(tr.y[0]) == pytest.approx(s.cost, rel=1e-6)
    assert tuple(lay.xaxis.range) == (0, 10) and "not trained" in lay.title.text
    lo, hi = lay.yaxis.range                                    # log axis: the point is inside
    assert lo < np.log10(s.cost) < hi
    out = nn.to_plane(s.net.predict(s.x), "sigmoid")
    spread = out.max(axis=0) - out.min(axis=0)
    assert spread.max() < plots.SMALL_DRAWING                         # the untrained net really is a speck
    fig = plots.drawing(nn.to_plane(s.y, "sigmoid"), out, 0)
    names = [d.name for d in fig.data]
    assert names[-1] == f"the whole drawing: {spread[0]:.2g} × {spread[1]:.2g}"
    ring = fig.data[-1]
    assert ring.x[0] == pytest.approx(out[:, 0].mean()) and ring.y[0] == pytest.approx(out[:, 1].mean())
    assert "untrained" in fig.layout.annotations[0].text and "iteration 0" in fig.layout.title.text
    s.step(1000, 7.0)                                                 # trained: a plain curve and a line chart
    fig = plots.cost_history(s.history)
    assert fig.data[0].mode == "lines" and tuple(fig.layout.xaxis.range) == (0, 1000)
    trained = nn.to_plane(s.net.predict(s.x), "sigmoid")
    if (trained.max(axis=0) - trained.min(axis=0)).max() >= plots.SMALL_DRAWING:
        assert len(plots.drawing(nn.to_plane(s.y, "sigmoid"), trained, 1000).data) == 2
