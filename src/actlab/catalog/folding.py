"""Folding (vector-valued) activations: they act along an axis."""

from ..numerics import dsigmoid, sigmoid
from ..registry import INF, Props, Range, Ref, Unchecked, axis, define, flag, integer, lookup, real

BRIDLE = Ref("J. S. Bridle", "Probabilistic interpretation of feedforward classification network outputs, "
             "with relationships to statistical pattern recognition", 1990,
             "https://doi.org/10.1007/978-3-642-76153-9_28")
SHANG = Ref("W. Shang, K. Sohn, D. Almeida, H. Lee", "Understanding and improving convolutional neural "
            "networks via concatenated rectified linear units", 2016, "https://arxiv.org/abs/1603.05201")
GOODFELLOW = Ref("I. J. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville, Y. Bengio", "Maxout networks",
                 2013, "https://arxiv.org/abs/1302.4389")

NOT_ELEMENTWISE = Unchecked(None, "vector-valued: the scalar probes do not apply")


def _vector_props(range_, **kw):
    defaults = dict(continuity=NOT_ELEMENTWISE, monotonic=NOT_ELEMENTWISE,
                    derivative_monotonic=NOT_ELEMENTWISE, identity_near_origin=NOT_ELEMENTWISE,
                    saturating_left=NOT_ELEMENTWISE, saturating_right=NOT_ELEMENTWISE)
    defaults.update(kw)
    return Props(range=range_, **defaults)


def _rowmax(xp, x, axis):
    """max along axis, kept as a length-1 axis; zeros for an empty axis (the result is then
    empty, as PyTorch's is, instead of NumPy's error for a reduction with no identity)."""
    if x.shape[axis] == 0:
        shape = list(x.shape)
        shape[axis] = 1
        return xp.zeros(tuple(shape), dtype=x.dtype)
    return xp.max(x, axis=axis, keepdims=True)


def _shift(xp, x, axis):
    """x - max(x) along axis, with +-inf rows at their limits: a row with +inf
    entries keeps 0 there and -inf elsewhere; an all -inf row becomes zeros."""
    m = _rowmax(xp, x, axis)
    finite_m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    return xp.where(m == INF, xp.where(x == INF, xp.zeros_like(x), xp.full_like(x, -INF)),
                    xp.where(m == -INF, xp.zeros_like(x), x - finite_m))


def softmax_exp(xp, x, axis):
    """(e^(x - max), sum) along axis, with +-inf rows at their limits:
    a row with +inf entries shares its mass among them; an all -inf row is uniform."""
    e = xp.exp(_shift(xp, x, axis))
    return e, xp.sum(e, axis=axis, keepdims=True)


def _softmax(xp, x, axis):
    e, s = softmax_exp(xp, x, axis)
    return e / s


def _softmax_vjp(xp, x, g, axis):
    s = _softmax(xp, x, axis)
    return s * (g - xp.sum(g * s, axis=axis, keepdims=True))


define(
    name="softmax", kind="V", family="folding", group="normalizing",
    summary="Softmax: e^(x_i) / sum_j e^(x_j) along an axis; a probability vector.",
    latex=(r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
           r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j);\; "
           r"\mathrm{VJP}: s \odot (g - \langle g, s\rangle)", ""),
    params=(axis(),),
    f=_softmax, vjp=_softmax_vjp,
    props=_vector_props(Range(0, 1, False, True)),
    notes="Invariant to adding a constant along the axis. +inf entries share the mass; "
          "a row of -inf is uniform (the limit of equal entries). PyTorch and JAX give NaN for rows "
          "with +inf entries (inf - inf); actlab gives the limit.",
    references=(BRIDLE,),
    peers={"PT": "torch.softmax (dim required)", "JX": "jax.nn.softmax (axis=-1)",
           "KS": "keras.activations.softmax (axis=-1)", "NL": "softmax (dims=1)", "TF": "tf.nn.softmax",
           "ZT": "softmax", "WP": "Softmax"},
)


def _crelu(xp, x, axis):
    zero = xp.zeros_like(x)
    # x + 0 and 0 - x: +0 for both signed zeros, and NaN stays NaN
    return xp.concat((xp.where(x < 0, zero, x + 0.0), xp.where(x > 0, zero, 0.0 - x)), axis=axis)


def _crelu_vjp(xp, x, g, axis):
    n = x.shape[axis]
    pos = xp.take(g, xp.arange(n), axis=axis)
    neg = xp.take(g, xp.arange(n, 2 * n), axis=axis)
    zero = xp.zeros_like(x)
    return xp.where(xp.isnan(x), x, xp.where(x > 0, pos, zero) - xp.where(x < 0, neg, zero))


define(
    name="crelu", kind="V", family="folding", group="rectifier",
    summary="Concatenated ReLU: [relu(x), relu(-x)] along an axis (doubles its length).",
    latex=(r"[\max(0,x),\ \max(0,-x)]", r"\mathrm{VJP}: g_+ [x>0] - g_- [x<0]", ""),
    params=(axis(),),
    f=_crelu, vjp=_crelu_vjp,
    props=_vector_props(Range(0, INF, True)),
    notes="Doubles the length of the axis. Derivative 0 at x = 0 in both halves (ReLU's convention). "
          "NaN entries give NaN in both halves and in the VJP.",
    references=(SHANG,),
    peers={"TF": "tf.nn.crelu (axis=-1)"},
)


def _groups(xp, x, axis, pieces):
    """x with `axis` moved last and split into (n, pieces)."""
    n = x.shape[axis]
    if n % pieces:
        raise ValueError(f"maxout: the axis has length {n}, which is not divisible by pieces={pieces}")
    xm = xp.moveaxis(x, axis, -1)
    return xp.reshape(xm, (*xm.shape[:-1], n // pieces, pieces))


def _maxout(xp, x, pieces, axis):
    return xp.moveaxis(xp.max(_groups(xp, x, axis, pieces), axis=-1), -1, axis)


def _maxout_vjp(xp, x, g, pieces, axis):
    grouped = _groups(xp, x, axis, pieces)
    # the whole gradient goes to the first maximum of each group
    first = xp.argmax(grouped, axis=-1, keepdims=True)
    onehot = xp.astype(xp.arange(pieces) == first, x.dtype)
    gm = xp.moveaxis(g, axis, -1)[..., None]
    # a group holding NaN has a NaN maximum and a NaN gradient
    nan_group = xp.isnan(xp.max(grouped, axis=-1, keepdims=True))
    gx = xp.where(nan_group, xp.full_like(grouped, xp.nan), onehot * gm)
    gx = xp.reshape(gx, (*grouped.shape[:-2], grouped.shape[-2] * pieces))
    return xp.moveaxis(gx, -1, axis)


define(
    name="maxout", kind="V", family="folding", group="pooling",
    summary="Maxout: the maximum over consecutive groups of `pieces` entries along an axis.",
    latex=(r"\max_{j \in G_i} x_j", r"\mathrm{VJP}: g_i \text{ to the first argmax of } G_i", ""),
    params=(integer("pieces", 2, "entries per group (the axis length must be a multiple)", lo=1), axis()),
    f=_maxout, vjp=_maxout_vjp,
    props=_vector_props(Range(-INF, INF)),
    notes="Divides the axis length by pieces. Ties send the gradient to the first maximum "
          "(as argmax; PyTorch's max(dim) does the same). A group holding NaN gives NaN, "
          "and a NaN gradient to the whole group.",
    references=(GOODFELLOW,),
    peers={"WP": "Maxout"},
)


# ----------------------------------------------------------------- normalizing

MARTINS = Ref("A. F. T. Martins, R. F. Astudillo", "From softmax to sparsemax: a sparse model of attention "
              "and multi-label classification", 2016, "https://arxiv.org/abs/1602.02068")
JANG = Ref("E. Jang, S. Gu, B. Poole", "Categorical reparameterization with Gumbel-softmax", 2017,
           "https://arxiv.org/abs/1611.01144")
MADDISON = Ref("C. J. Maddison, A. Mnih, Y. W. Teh", "The concrete distribution: a continuous relaxation of "
               "discrete random variables", 2017, "https://arxiv.org/abs/1611.00712")


def _log_softmax(xp, x, axis):
    z = _shift(xp, x, axis)
    # the sum is >= 1 (e^0 at the maximum) but over an empty axis, where it is 0
    return z - xp.log(xp.maximum(xp.sum(xp.exp(z), axis=axis, keepdims=True), 1.0))


define(
    name="log_softmax", aliases=("logsoftmax",), kind="V", family="folding", group="normalizing",
    summary="Log-softmax: x_i - log sum_j e^(x_j) along an axis (log-probabilities).",
    latex=(r"x_i - \log\sum_j e^{x_j}", r"\mathrm{VJP}: g - \mathrm{softmax}(x)\sum_j g_j", ""),
    params=(axis(),),
    f=_log_softmax,
    vjp=lambda xp, x, g, axis: g - _softmax(xp, x, axis) * xp.sum(g, axis=axis, keepdims=True),
    props=_vector_props(Range(-INF, 0, False, True)),
    notes="Computed as (x - max) - log sum e^(x - max): no overflow. "
          "Rows with +inf entries give -log k at the k infinite entries and -inf elsewhere (PyTorch and "
          "JAX give NaN there); a row of -inf gives -log n.",
    references=(BRIDLE,),
    peers={"PT": "torch.nn.functional.log_softmax (dim required)", "JX": "jax.nn.log_softmax (axis=-1)",
           "KS": "keras.activations.log_softmax (axis=-1)", "NL": "logsoftmax (dims=1)",
           "TF": "tf.nn.log_softmax (axis=-1)"},
)

define(
    name="softmin", kind="V", family="folding", group="normalizing",
    summary="Softmin: softmax(-x) along an axis; most mass on the smallest entries.",
    latex=(r"\frac{e^{-x_i}}{\sum_j e^{-x_j}}", r"\mathrm{VJP}: -s \odot (g - \langle g, s\rangle)", ""),
    params=(axis(),),
    f=lambda xp, x, axis: _softmax(xp, -x, axis),
    vjp=lambda xp, x, g, axis: -_softmax_vjp(xp, -x, g, axis),
    props=_vector_props(Range(0, 1, False, True)),
    notes="-inf entries share the mass; a row of +inf is uniform (softmax's limits, mirrored).",
    references=(BRIDLE,),
    peers={"PT": "torch.nn.functional.softmin (dim required)"},
)


def _sparsemax(xp, x, axis):
    z = _shift(xp, x, axis)
    nan_row = xp.isnan(_rowmax(xp, x, axis))
    z = xp.where(nan_row, xp.zeros_like(z), z)  # no inf - inf in the cumulative sum below
    zs = xp.sort(z, axis=axis, descending=True)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    k = xp.reshape(xp.arange(1, x.shape[axis] + 1, dtype=x.dtype), tuple(shape))
    # the support is the k largest entries with 1 + k z_(k) > sum of the k largest
    support = 1.0 + k * zs > xp.cumulative_sum(zs, axis=axis)
    # the largest entry is always in the support: size >= 1 but over an empty axis
    size = xp.maximum(xp.sum(xp.astype(support, x.dtype), axis=axis, keepdims=True), 1.0)
    tau = (xp.sum(xp.where(support, zs, xp.zeros_like(zs)), axis=axis, keepdims=True) - 1.0) / size
    p = xp.maximum(z - tau, 0.0)
    return xp.where(nan_row, xp.full_like(p, xp.nan), p)


def _sparsemax_vjp(xp, x, g, axis):
    p = _sparsemax(xp, x, axis)
    on = p > 0
    g_on = xp.where(on, g, xp.zeros_like(g))
    # a NaN row has no support: its size is taken as 1 (the result is NaN anyway)
    size = xp.maximum(xp.sum(xp.astype(on, x.dtype), axis=axis, keepdims=True), 1.0)
    mean = xp.sum(g_on, axis=axis, keepdims=True) / size
    return xp.where(xp.isnan(p), p, xp.where(on, g - mean, xp.zeros_like(g)))


define(
    name="sparsemax", kind="V", family="folding", group="normalizing",
    summary="Sparsemax: the Euclidean projection of x onto the probability simplex (exact zeros).",
    latex=(r"\arg\min_{p \in \Delta} \|p - x\|^2 = \max(x - \tau(x), 0)",
           r"\mathrm{VJP}: [p_i>0]\,\big(g_i - \tfrac{1}{|S|}\sum_{j\in S} g_j\big)", ""),
    params=(axis(),),
    f=_sparsemax, vjp=_sparsemax_vjp,
    props=_vector_props(Range(0, 1, True, True)),
    notes="tau from the sorted entries (Martins & Astudillo, Algorithm 1). Like softmax it is invariant "
          "to adding a constant along the axis; +inf entries share the mass, a row of -inf is uniform. "
          "The VJP is the paper's: on the support S, g minus its mean over S; 0 off it.",
    references=(MARTINS,),
    peers={"KS": "keras.activations.sparsemax (axis=-1)", "TF": "tfa.activations.sparsemax (TF Addons)"},
)


def _gumbel_noise(xp, x, rng, **_):
    """Standard Gumbel noise g = -log(-log U), U ~ Uniform(0, 1) (numpy's gumbel)."""
    return xp.asarray(rng.gumbel(size=tuple(x.shape)), dtype=x.dtype)


def _gumbel_logits(x, tau, noise):
    return (x if noise is None else x + noise) / tau


def _gumbel_softmax(xp, x, tau, hard, axis, noise):
    z = _gumbel_logits(x, tau, noise)
    y = _softmax(xp, z, axis)
    if not hard:
        return y
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    position = xp.reshape(xp.arange(x.shape[axis]), tuple(shape))
    one_hot = xp.astype(position == xp.argmax(z, axis=axis, keepdims=True), x.dtype)
    return xp.where(xp.isnan(y), y, one_hot)


define(
    name="gumbel_softmax", kind="SV", family="folding", group="normalizing",
    summary="Gumbel-softmax: softmax((x + g)/tau), g Gumbel noise: a differentiable sample of a "
            "categorical distribution with logits x (one-hot with hard=True).",
    latex=(r"\mathrm{softmax}\big((x + g)/\tau\big),\; g = -\log(-\log U)",
           r"\mathrm{VJP}: \tfrac{1}{\tau}\, y \odot (g_y - \langle g_y, y\rangle)", ""),
    params=(real("tau", 1.0, "temperature: tau -> 0 approaches one-hot samples", lo=0.0, lo_open=True),
            flag("hard", False, "forward the one-hot argmax, backward the soft sample's VJP "
                                "(straight-through estimator)"),
            axis()),
    sample=_gumbel_noise,
    f=_gumbel_softmax,
    vjp=lambda xp, x, g, tau, hard, axis, noise: (
        _softmax_vjp(xp, _gumbel_logits(x, tau, noise), g, axis) / tau),
    props=_vector_props(lambda p: Range(0, 1, True, True) if p["hard"] else Range(0, 1, False, True)),
    notes="Training draws fresh noise each forward (the same rng seed gives the same sample); backward "
          "uses the forward's noise. hard=True returns the one-hot argmax (the first on ties) and "
          "backpropagates the soft sample's VJP, as PyTorch's y_hard - y_soft.detach() + y_soft. "
          "Eval mode (training=False) draws no noise: softmax(x/tau), or with hard=True the one-hot "
          "argmax of x, the most likely category. PyTorch has no eval mode (it always samples).",
    references=(JANG, MADDISON),
    peers={"PT": "torch.nn.functional.gumbel_softmax (tau=1, hard=False, dim=-1)"},
)


# ----------------------------------------------------------------- gated linear units

DAUPHIN = Ref("Y. N. Dauphin, A. Fan, M. Auli, D. Grangier", "Language modeling with gated convolutional "
              "networks", 2017, "https://arxiv.org/abs/1612.08083")
SHAZEER = Ref("N. Shazeer", "GLU variants improve Transformer", 2020, "https://arxiv.org/abs/2002.05202")


def _halves(xp, x, axis, name):
    """(a, b): the first and second halves of x along axis."""
    n = x.shape[axis]
    if n % 2:
        raise ValueError(f"{name}: the axis has length {n}, which is odd; {name} splits it into "
                         f"two halves (a, b), so it must be even")
    return xp.take(x, xp.arange(n // 2), axis=axis), xp.take(x, xp.arange(n // 2, n), axis=axis)


def _mul(xp, u, v):
    """u * v, with an infinite factor times a zero one NaN without the warning."""
    bad = (xp.isinf(u) & (v == 0)) | ((u == 0) & xp.isinf(v))
    zero = xp.zeros_like(u)
    return xp.where(bad, xp.full_like(u, xp.nan), xp.where(bad, zero, u) * xp.where(bad, zero, v))


def _gated(name, gate):
    """f and vjp of a * gate(b); gate(xp, b) returns (gate(b), gate'(b))."""
    def f(xp, x, axis):
        a, b = _halves(xp, x, axis, name)
        return _mul(xp, a, gate(xp, b)[0])

    def vjp(xp, x, g, axis):
        a, b = _halves(xp, x, axis, name)
        s, ds = gate(xp, b)
        return xp.concat((_mul(xp, g, s), _mul(xp, g, _mul(xp, a, ds))), axis=axis)

    return {"f": f, "vjp": vjp}


def _sigmoid_gate(xp, b):
    return sigmoid(xp, b), dsigmoid(xp, b)


def _silu_gate(xp, b):
    # below -1e3, sigmoid(b) is 0 in float64: clamping there keeps -inf * 0 away
    bc = xp.clip(b, -1e3, 1e3)
    return xp.maximum(b, -1e3) * sigmoid(xp, b), sigmoid(xp, b) + bc * dsigmoid(xp, bc)


def _relu_gate(xp, b):
    zero = xp.zeros_like(b)
    return xp.where(b > 0, b, zero), xp.where(b > 0, xp.ones_like(b), zero)


def _gelu_gate(xp, b):
    # looked up at call time: gelu lives in smooth_gated.py; the exact (erf) form
    spec = lookup("gelu")
    params = {p.name: p.default for p in spec.params}
    if "approximate" in params:
        params["approximate"] = "none"
    return spec.f(xp, b, **params), spec.df(xp, b, **params)


_GLU_NOTES = ("(a, b) are the first and second halves of x along the axis (its length must be even; "
              "the output has half of it). An infinite factor times a zero one gives NaN, as PyTorch.")

define(
    name="glu", kind="V", family="folding", group="gated",
    summary="Gated linear unit: a * sigmoid(b), (a, b) the halves of x along an axis.",
    latex=(r"a \odot \sigma(b)", r"\mathrm{VJP}: [g\odot\sigma(b),\ g\odot a\odot\sigma'(b)]", ""),
    params=(axis(),),
    **_gated("glu", _sigmoid_gate),
    props=_vector_props(Range(-INF, INF)),
    notes=_GLU_NOTES + " Dauphin et al. gate the second half, as PyTorch, JAX and Keras do.",
    references=(DAUPHIN,),
    peers={"PT": "torch.nn.functional.glu (dim=-1)", "JX": "jax.nn.glu (axis=-1)",
           "KS": "keras.activations.glu (axis=-1)"},
)

define(
    name="swiglu", kind="V", family="folding", group="gated",
    summary="SwiGLU: a * silu(b), (a, b) the halves of x along an axis (Swish-gated linear unit).",
    latex=(r"a \odot b\,\sigma(b)",
           r"\mathrm{VJP}: [g\odot\mathrm{silu}(b),\ g\odot a\odot\mathrm{silu}'(b)]", ""),
    params=(axis(),),
    **_gated("swiglu", _silu_gate),
    props=_vector_props(Range(-INF, INF)),
    notes=_GLU_NOTES + " Shazeer writes Swish_1(xW) * xV for two projections; on one stacked tensor "
          "the gated half is the second, PyTorch's glu convention.",
    references=(SHAZEER,),
    peers={},
)

define(
    name="geglu", kind="V", family="folding", group="gated",
    summary="GEGLU: a * gelu(b), (a, b) the halves of x along an axis; gelu exact (erf).",
    latex=(r"a \odot b\,\Phi(b)",
           r"\mathrm{VJP}: [g\odot\mathrm{gelu}(b),\ g\odot a\odot\mathrm{gelu}'(b)]", ""),
    params=(axis(),),
    **_gated("geglu", _gelu_gate),
    props=_vector_props(Range(-INF, INF)),
    notes=_GLU_NOTES + " Shazeer writes GELU(xW) * xV; the gated half is the second here. gelu is the "
          "exact one (actlab.gelu with approximate='none').",
    references=(SHAZEER,),
    peers={},
)

define(
    name="reglu", kind="V", family="folding", group="gated",
    summary="ReGLU: a * relu(b), (a, b) the halves of x along an axis.",
    latex=(r"a \odot \max(0, b)", r"\mathrm{VJP}: [g\odot\mathrm{relu}(b),\ g\odot a\odot[b>0]]", ""),
    params=(axis(),),
    **_gated("reglu", _relu_gate),
    props=_vector_props(Range(-INF, INF)),
    notes=_GLU_NOTES + " relu'(0) = 0, as PyTorch. Shazeer writes max(0, xW) * xV; the gated half is "
          "the second here.",
    references=(SHAZEER,),
    peers={},
)
