"""Clipping, shrinkage and threshold functions: piecewise linear with a flat or cut-out middle."""

from ..registry import INF, Props, Range, Ref, define, real

DONOHO = Ref("D. L. Donoho", "De-noising by soft-thresholding", 1995, "https://doi.org/10.1109/18.382009")
COLLOBERT = Ref("R. Collobert", "Large scale machine learning (PhD thesis, Universite Paris VI; "
                "the hard tanh)", 2004)
KONDA = Ref("K. Konda, R. Memisevic, D. Krueger", "Zero-bias autoencoders and the benefits of "
            "co-adapting features", 2014, "https://arxiv.org/abs/1402.3337")
TORCH7 = Ref("R. Collobert, K. Kavukcuoglu, C. Farabet", "Torch7: a Matlab-like environment for machine "
             "learning (nn.Threshold, whose semantics PyTorch keeps)", 2011)
SO = Ref("D. R. So, W. Manke, H. Liu, Z. Dai, N. Shazeer, Q. V. Le",
         "Primer: searching for efficient transformers for language modeling", 2021,
         "https://arxiv.org/abs/2109.08668")


def _inside(xp, x, lo, hi, value_in, value_out):
    """value_in on [lo, hi], value_out elsewhere (arrays of x's shape)."""
    return xp.where((x >= lo) & (x <= hi), value_in, value_out)


# ---------------------------------------------------------------- hard_tanh

def _check_hard_tanh(p):
    if not p["min_val"] < p["max_val"]:
        raise ValueError(f"min_val must be less than max_val, got min_val={p['min_val']!r} "
                         f"and max_val={p['max_val']!r}")


define(
    name="hard_tanh", aliases=("hardtanh",), kind="E", family="ridge", group="clipping",
    summary="Hard tanh: x clipped to [min_val, max_val].",
    latex=(r"\min(\max(x, a), b)", r"\begin{cases}1 & a<x<b\\0&\text{otherwise}\end{cases}", r"0"),
    params=(real("min_val", -1.0, "the floor a"), real("max_val", 1.0, "the ceiling b (> min_val)")),
    check_params=_check_hard_tanh,
    f=lambda xp, x, min_val, max_val: xp.clip(x, min_val, max_val),
    # PyTorch: (x <= min_val || x >= max_val) ? 0 : 1, so 0 at both corners
    df=lambda xp, x, min_val, max_val: xp.where((x > min_val) & (x < max_val), xp.ones_like(x),
                                                xp.zeros_like(x)),
    d2f=lambda xp, x, min_val, max_val: xp.zeros_like(x),
    props=Props(range=lambda p: Range(p["min_val"], p["max_val"], True, True), continuity=0,
                monotonic=True, derivative_monotonic=False,
                identity_near_origin=lambda p: p["min_val"] < 0 < p["max_val"],
                saturating_left=True, saturating_right=True),
    kinks=lambda p: (p["min_val"], p["max_val"]),
    notes="f' = 0 at both corners, as PyTorch; jax.nn.hard_tanh gives 1 there (its where() keeps "
          "x at x = +-1): we follow PyTorch, as every kink in actlab does.",
    references=(COLLOBERT,),
    peers={"PT": "torch.nn.functional.hardtanh (min_val=-1, max_val=1)",
           "JX": "jax.nn.hard_tanh (fixed to [-1, 1])", "KS": "keras.activations.hard_tanh ([-1, 1])",
           "NL": "hardtanh ([-1, 1])"},
)

# ---------------------------------------------------------------- shrinkage

LAMBD = real("lambd", 0.5, "half-width of the dead zone", lo=0.0)

define(
    name="soft_shrink", aliases=("softshrink",), kind="E", family="ridge", group="shrinkage",
    summary="Soft shrinkage (soft thresholding): moves x towards 0 by lambd, 0 within [-lambd, lambd].",
    latex=(r"\begin{cases}x-\lambda & x>\lambda\\x+\lambda & x<-\lambda\\0&\text{otherwise}\end{cases}",
           r"\begin{cases}1 & |x|>\lambda\\0&\text{otherwise}\end{cases}", r"0"),
    params=(LAMBD,),
    f=lambda xp, x, lambd: _inside(xp, x, -lambd, lambd, xp.zeros_like(x),
                                   xp.where(x > 0, x - lambd, x + lambd)),
    # PyTorch: (x >= -lambd && x <= lambd) ? 0 : 1, so 0 at the corners (and at 0 when lambd = 0)
    df=lambda xp, x, lambd: _inside(xp, x, -lambd, lambd, xp.zeros_like(x), xp.ones_like(x)),
    d2f=lambda xp, x, lambd: xp.zeros_like(x),
    props=Props(range=Range(-INF, INF), continuity=lambda p: INF if p["lambd"] == 0 else 0,
                monotonic=True, derivative_monotonic=lambda p: p["lambd"] == 0,
                identity_near_origin=False, saturating_left=False, saturating_right=False),
    kinks=lambda p: (-p["lambd"], p["lambd"]),
    notes="f'(+-lambd) = 0, as PyTorch (for lambd = 0 that makes f'(0) = 0 although f is the identity).",
    references=(DONOHO,),
    peers={"PT": "torch.nn.functional.softshrink (lambd=0.5)",
           "KS": "keras.activations.soft_shrink (threshold=0.5)", "NL": "softshrink (λ=0.5)"},
)

define(
    name="hard_shrink", aliases=("hardshrink",), kind="E", family="ridge", group="shrinkage",
    summary="Hard shrinkage (hard thresholding): x where |x| > lambd, else 0.",
    latex=(r"\begin{cases}x & |x|>\lambda\\0&\text{otherwise}\end{cases}",
           r"\begin{cases}1 & |x|>\lambda\\0&\text{otherwise}\end{cases}", r"0"),
    params=(LAMBD,),
    f=lambda xp, x, lambd: _inside(xp, x, -lambd, lambd, xp.zeros_like(x), x),
    df=lambda xp, x, lambd: _inside(xp, x, -lambd, lambd, xp.zeros_like(x), xp.ones_like(x)),
    d2f=lambda xp, x, lambd: xp.zeros_like(x),
    props=Props(range=Range(-INF, INF), continuity=lambda p: 0 if p["lambd"] == 0 else -1,
                monotonic=True, derivative_monotonic=False, identity_near_origin=False,
                saturating_left=False, saturating_right=False),
    kinks=lambda p: (-p["lambd"], p["lambd"]),
    notes="Discontinuous at +-lambd (jumps of lambd), where f = 0 and f' = 0, as PyTorch; f'' is 0 "
          "everywhere (the jumps' Dirac deltas are not represented, as in every autograd).",
    references=(DONOHO,),
    peers={"PT": "torch.nn.functional.hardshrink (lambd=0.5)",
           "KS": "keras.activations.hard_shrink (threshold=0.5)"},
)

# ---------------------------------------------------------------- thresholds


def _threshold(xp, x, threshold, value):
    return xp.where(x > threshold, x, xp.full_like(x, value))


def _dthreshold(xp, x, threshold):
    # PyTorch: x <= threshold ? 0 : 1
    return xp.where(x > threshold, xp.ones_like(x), xp.zeros_like(x))


def _threshold_range(t, v):
    """Image of x > t ? x : v: {v} together with (t, inf)."""
    return Range(min(t, v), INF, v <= t)


define(
    name="threshold", kind="E", family="ridge", group="threshold",
    summary="Threshold: x where x > threshold, else a constant value (PyTorch's semantics).",
    latex=(r"\begin{cases}x & x>\theta\\v&\text{otherwise}\end{cases}",
           r"\begin{cases}1 & x>\theta\\0&\text{otherwise}\end{cases}", r"0"),
    params=(real("threshold", 0.0, "the cut-off theta"),
            real("value", 0.0, "the value v taken at and below the threshold")),
    f=_threshold,
    df=lambda xp, x, threshold, value: _dthreshold(xp, x, threshold),
    d2f=lambda xp, x, threshold, value: xp.zeros_like(x),
    props=Props(range=lambda p: _threshold_range(p["threshold"], p["value"]),
                continuity=lambda p: 0 if p["value"] == p["threshold"] else -1,
                monotonic=lambda p: p["value"] <= p["threshold"], derivative_monotonic=True,
                identity_near_origin=lambda p: p["threshold"] < 0,
                saturating_left=True, saturating_right=False),
    kinks=lambda p: (p["threshold"],),
    notes="PyTorch and Keras require both parameters; the defaults here (0, 0) make it relu. "
          "f'(threshold) = 0, as PyTorch.",
    references=(TORCH7,),
    peers={"PT": "torch.nn.functional.threshold (threshold, value: required)",
           "KS": "keras.activations.threshold (threshold, default_value: required)"},
)

define(
    name="thresholded_relu", aliases=("trelu", "thresholdrelu"), kind="E", family="ridge", group="threshold",
    summary="Thresholded ReLU: x where x > theta, else 0.",
    latex=(r"\begin{cases}x & x>\theta\\0&\text{otherwise}\end{cases}",
           r"\begin{cases}1 & x>\theta\\0&\text{otherwise}\end{cases}", r"0"),
    params=(real("theta", 1.0, "the threshold"),),
    f=lambda xp, x, theta: _threshold(xp, x, theta, 0.0),
    df=lambda xp, x, theta: _dthreshold(xp, x, theta),
    d2f=lambda xp, x, theta: xp.zeros_like(x),
    props=Props(range=lambda p: _threshold_range(p["theta"], 0.0),
                continuity=lambda p: 0 if p["theta"] == 0 else -1,
                monotonic=lambda p: p["theta"] >= 0, derivative_monotonic=True,
                identity_near_origin=lambda p: p["theta"] < 0,
                saturating_left=True, saturating_right=False),
    kinks=lambda p: (p["theta"],),
    notes="threshold(x, theta, 0). f'(theta) = 0, the convention of PyTorch's threshold (which has "
          "no thresholded_relu of its own) and of NNlib's trelu (x <= theta gives 0).",
    references=(KONDA,),
    peers={"KS": "keras.layers.ThresholdedReLU (theta=1.0; Keras 2, removed in Keras 3)",
           "NL": "trelu (theta=1)"},
)

define(
    name="squared_relu", kind="E", family="ridge", group="rectifier",
    summary="Squared ReLU: relu(x)^2, the feed-forward activation found by Primer's search.",
    latex=(r"\max(0,x)^2", r"2\max(0,x)", r"\begin{cases}2 & x>0\\0&\text{otherwise}\end{cases}"),
    f=lambda xp, x: xp.where(x > 0, x * x, xp.zeros_like(x)),
    df=lambda xp, x: xp.where(x > 0, 2.0 * x, xp.zeros_like(x)),
    # torch.relu(x)**2 under double backward: 0 at x = 0
    d2f=lambda xp, x: xp.where(x > 0, xp.full_like(x, 2.0), xp.zeros_like(x)),
    props=Props(range=Range(0, INF, True), continuity=1, monotonic=True, derivative_monotonic=True,
                identity_near_origin=False, saturating_left=True, saturating_right=False),
    kinks=(0.0,),
    notes="f''(0) = 0, what autograd gives for torch.relu(x)**2.",
    references=(SO,),
    peers={},
)
