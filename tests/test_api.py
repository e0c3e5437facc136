"""The public contract: names, get, aliases, errors, functional forms, info."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actlab as al
from actlab.registry import Range, Unchecked

# The catalog's first and second tiers: canonical name -> aliases
TIER1 = {
    "identity": ["linear"], "binary_step": ["heaviside", "step"], "sigmoid": ["logistic", "expit"],
    "tanh": [], "relu": [], "leaky_relu": ["lrelu"], "prelu": [], "elu": [], "selu": [], "softplus": [],
    "softsign": [], "relu6": [], "clipped_relu": ["relu_x"], "crelu": [], "softmax": [],
    "elliot_sigmoid": ["elliott"], "square": [], "gcu": ["growing_cosine"], "gaussian": [], "maxout": [],
    "dropout": [],
}
TIER2 = {
    "rrelu": [], "celu": [], "gelu": [], "silu": ["swish"], "hard_swish": ["hardswish", "hard_silu"],
    "mish": [], "hard_sigmoid": [], "log_sigmoid": [], "sparse_sigmoid": [], "hard_tanh": ["hardtanh"],
    "tanh_shrink": ["tanhshrink"], "soft_shrink": ["softshrink"], "hard_shrink": ["hardshrink"],
    "threshold": [], "thresholded_relu": ["trelu"], "squareplus": [], "sparse_plus": [], "exponential": [],
    "logcosh": [], "lisht": [], "arctan": [], "isru": [], "isrlu": [], "bent_identity": [],
    "soft_exponential": [], "srelu": [], "apl": [], "sinusoid": ["sin"], "sinc": [], "smht": [],
    "elish": [], "hard_elish": [], "tanhexp": [], "snake": [], "squared_relu": [], "star_relu": [],
    "sqnl": [], "soft_clipping": [], "sine": ["siren"], "multiquadratic": [], "inverse_multiquadratic": [],
    "rational": ["pau"], "log_softmax": [], "softmin": [], "sparsemax": [], "glu": [], "swiglu": [],
    "geglu": [], "reglu": [], "gumbel_softmax": [],
}


def test_names_sorted_unique_and_tier1_complete():
    names = al.names()
    assert names == sorted(set(names))
    assert len(names) >= 21
    assert set(TIER1) <= set(names)


@pytest.mark.parametrize("tier", [TIER1, TIER2], ids=["tier1", "tier2"])
def test_every_catalog_name_and_alias_resolves(tier):
    for name, aliases in tier.items():
        assert al.get(name).name == name
        for a in aliases:
            assert al.get(a).name == name, a


# Names that the peers list among their activations but actlab does not offer, and why.
NOT_ACTIVATIONS = {
    "multiheadattention": "a layer", "softmax2d": "softmax over the channel axis of images",
    "dot_product_attention": "attention", "get_scaled_dot_general_config": "a utility",
    "initializers": "a module", "one_hot": "an encoding", "standardize": "normalization",
    "logsumexp": "a reduction", "logmeanexp": "a reduction", "log1mexp": "a special function",
    "scaled_dot_general": "a matmul", "scaled_matmul": "a matmul",
}
# keras.activations in Keras 3 and NNlib.jl's exported activations, which the tests cannot import
KERAS = ("celu elu exponential gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh leaky_relu "
         "linear log_sigmoid log_softmax mish relu relu6 selu sigmoid silu soft_shrink softmax softplus "
         "softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh tanh_shrink threshold").split()
NNLIB = ("σ hardσ hardtanh relu leakyrelu relu6 rrelu elu gelu swish hardswish selu celu softplus softsign "
         "logσ logcosh mish tanhshrink softshrink trelu lisht tanh_fast sigmoid_fast gelu_tanh gelu_erf "
         "sigmoid hardsigmoid logsigmoid thresholdrelu logsoftmax softmax").split()


def _peer_names():
    torch = pytest.importorskip("torch")
    jnn = pytest.importorskip("jax.nn")
    import torch.nn.modules.activation as modules
    F = torch.nn.functional
    functions = ["threshold", "relu", "hardtanh", "hardswish", "relu6", "elu", "selu", "celu", "leaky_relu",
                 "prelu", "rrelu", "glu", "gelu", "logsigmoid", "hardshrink", "tanhshrink", "softsign",
                 "softplus", "softmin", "softmax", "softshrink", "gumbel_softmax", "log_softmax", "tanh",
                 "sigmoid", "hardsigmoid", "silu", "mish", "dropout"]
    assert all(hasattr(F, n) for n in functions)
    jax_names = [n for n in dir(jnn) if not n.startswith("_") and callable(getattr(jnn, n))]
    return {"torch.nn": [c.lower() for c in modules.__all__], "torch.nn.functional": functions,
            "jax.nn": jax_names, "keras": KERAS, "NNlib": NNLIB}


def test_every_peer_spelling_resolves():
    missing = [(peer, n) for peer, names in _peer_names().items() for n in names
               if n not in NOT_ACTIVATIONS and not _resolves(n)]
    assert not missing


def _resolves(name):
    try:
        return al.get(name) is not None
    except ValueError:
        return False


@pytest.mark.parametrize("variant, name, params", [
    ("gelu_tanh", "gelu", {"approximate": "tanh"}), ("gelu_erf", "gelu", {"approximate": "none"})])
def test_variants_fix_their_parameters(variant, name, params):
    x = np.linspace(-4, 4, 9)
    act = al.get(variant)
    assert act.name == name and act.params == {**al.get(name).params, **params}
    np.testing.assert_array_equal(act(x), al.get(name, **params)(x))
    np.testing.assert_array_equal(al.functional(variant)(x), al.get(name, **params)(x))
    assert al.variants()[variant] == (name, params)
    key, value = next(iter(params.items()))
    other = "sigmoid"
    with pytest.raises(ValueError, match=f"{variant} fixes {key}={value!r}; got {key}={other!r}"):
        al.get(variant, **{key: other})
    assert al.get(variant, **params).params == act.params


def test_gelu_tanh_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.linspace(-2, 6, 81)   # below -2 torch's 0.5x(1 + tanh(u)) cancels
    ref = torch.nn.functional.gelu(torch.from_numpy(x), approximate="tanh").numpy()
    np.testing.assert_allclose(al.get("gelu_tanh")(x), ref, rtol=1e-13, atol=1e-300)


def test_names_are_case_and_dash_insensitive():
    assert al.get("Leaky-ReLU").name == "leaky_relu"
    assert al.get(" LOGISTIC ").name == "sigmoid"


def test_unknown_name_suggests_close_matches():
    with pytest.raises(ValueError, match=r"unknown activation 'lekay_relu'.*'leaky_relu'"):
        al.get("lekay_relu")
    with pytest.raises(ValueError, match="unknown activation 'zzzz'"):
        al.get("zzzz")
    with pytest.raises(TypeError, match="must be a string"):
        al.get(3)


@pytest.mark.parametrize("name, params, match", [
    ("leaky_relu", {"alpha": math.inf}, r"alpha must be a finite real number, got inf"),
    ("leaky_relu", {"alpha": math.nan}, r"alpha must be"),
    ("leaky_relu", {"alpha": "0.1"}, r"alpha must be"),
    ("elu", {"alpha": -1.0}, r"alpha must be a finite real number >= 0"),
    ("softplus", {"beta": 0.0}, r"beta must be a finite real number > 0"),
    ("dropout", {"rate": 1.0}, r"rate must be a real number in \[0, 1\)"),
    ("dropout", {"rate": -0.1}, r"rate must be a real number in \[0, 1\)"),
    ("maxout", {"pieces": 0}, r"pieces must be an integer >= 1"),
    ("maxout", {"pieces": 2.5}, r"pieces must be an integer"),
    ("softmax", {"axis": 1.0}, r"axis must be an integer"),
    ("relu", {"alpha": 0.1}, r"relu: unknown parameter 'alpha' \(parameters: none\)"),
    ("prelu", {"alpha": [0.1, np.inf]}, r"alpha must be"),
])
def test_bad_parameters_say_what_is_allowed(name, params, match):
    with pytest.raises(ValueError, match=match):
        al.get(name, **params)


def test_maxout_axis_not_divisible_by_pieces():
    with pytest.raises(ValueError, match="length 5, which is not divisible by pieces=2"):
        al.maxout(np.ones((3, 5)))


def test_vector_kinds_check_the_axis():
    with pytest.raises(ValueError, match="axis 2 is out of range for an array of 2 dimensions"):
        al.softmax(np.ones((3, 4)), axis=2)
    with pytest.raises(ValueError, match="at least one dimension"):
        al.softmax(np.float64(1.0))
    with pytest.raises(TypeError, match="vector-valued"):
        al.get("softmax").derivative(np.ones(3))


def test_per_channel_parameter_must_match_the_channel_axis():
    act = al.get("prelu", alpha=[0.1, 0.2, 0.3])
    assert act(np.ones((2, 3))).shape == (2, 3)
    with pytest.raises(ValueError, match="alpha has 3 channels but x has 4 along axis 1"):
        act(np.ones((2, 4)))


def test_get_returns_an_activation_with_params_and_repr():
    act = al.get("lrelu", alpha=0.05)
    assert isinstance(act, al.Activation)
    assert act.name == "leaky_relu" and act.params == {"alpha": 0.05}
    assert repr(act) == "Activation('leaky_relu', alpha=0.05)"
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(act(x), act.forward(x))
    np.testing.assert_array_equal(act(x), [-0.1, 3.0])
    act.set_params(alpha=0.5)
    np.testing.assert_array_equal(act(x), [-1.0, 3.0])
    with pytest.raises(ValueError):
        act.set_params(alpha=math.inf)
    assert act.params == {"alpha": 0.5}  # a failed update changes nothing


@pytest.mark.parametrize("name", al.names())
def test_functional_form_matches_the_object(name):
    fn = getattr(al, name)
    assert fn is al.functional(name)
    x = np.linspace(-2, 2, 8).reshape(2, 4)
    np.testing.assert_array_equal(fn(x, training=False) if al.get(name).spec.stochastic else fn(x),
                                  al.get(name)(x, training=False))


@pytest.mark.parametrize("name", al.names())
def test_docstring_gives_formula_parameters_peers_references(name):
    spec = al.get(name).spec
    doc = getattr(al, name).__doc__
    assert spec.latex[0] in doc and ".. math::" in doc
    if spec.elementwise:
        assert spec.latex[1] in doc
    for p in spec.params:
        assert f"{p.name} : default {p.default!r}" in doc and p.allowed in doc
    assert spec.references, f"{name} has no reference"
    assert "References" in doc


@pytest.mark.parametrize("name", al.names())
def test_info_fields_are_filled(name):
    info = al.get(name).info
    assert info.name == name and info.kind in ("E", "P", "S", "V", "SV")
    assert info.family in ("ridge", "radial", "folding")
    assert info.summary and info.latex["f"]
    assert isinstance(info.range, (Range, Unchecked))
    for field in ("continuity", "monotonic", "derivative_monotonic", "identity_near_origin",
                  "zero_centred", "bounded_below", "bounded_above", "saturating_left", "saturating_right"):
        assert getattr(info, field) is not None, field
    assert set(info.params) == {p.name for p in al.get(name).spec.params}
    assert isinstance(info.as_dict(), dict)


def test_parameter_dependent_claims_follow_the_parameters():
    assert al.get("elu").info.continuity == 1
    assert al.get("elu", alpha=0.5).info.continuity == 0
    assert al.get("leaky_relu", alpha=1.0).info.identity_near_origin is True
    assert al.get("clipped_relu", cap=2.0).info.range == Range(0, 2.0, True, True)


def test_param_grads_empty_for_functions_without_learnable_parameters():
    assert al.get("relu").param_grads(np.ones(3), np.ones(3)) == {}
